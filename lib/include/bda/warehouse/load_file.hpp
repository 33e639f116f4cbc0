// The OLAP CSV re-encoded for LOAD DATA: tab-separated, Contract as hex, so that any bytes
// (quotes, backslashes, "\N", the word NULL, CR/LF, 4-byte UTF-8) reach the table unchanged.
#pragma once

#include "bda/warehouse/page_marks.hpp"
#include "bda/warehouse/period_cube.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace bda::warehouse {

//! Appends `bytes` as upper-case hex digits: how the load files (and the loader's bound values)
//! carry a Contract, for UNHEX() on the server.
void append_hex(std::string& out, std::string_view bytes);

//! Reads the OLAP CSV (SPEC §4 header and quoting) and writes the load file; returns the rows.
//! Adds each row to `cube` when given. Throws InputError naming the CSV and line on anything that
//! is not the program's own CSV.
std::uint64_t write_customer_load_file(const std::filesystem::path& csv, const std::filesystem::path& tsv,
                                       PeriodCube* cube = nullptr);

//! The same rows spread over several load files, in CSV order, each about an equal share of the
//! CSV's bytes (for parallel LOAD DATA streams); returns the rows of each file. Adds each row to
//! `marks` too when given.
std::vector<std::uint64_t> write_customer_load_files(const std::filesystem::path& csv,
                                                     const std::vector<std::filesystem::path>& tsvs,
                                                     PeriodCube* cube = nullptr, PageMarks* marks = nullptr);

} // namespace bda::warehouse
