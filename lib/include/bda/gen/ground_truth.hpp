// What a correct ETL run over a generated lake must report, counted while generating (the manifest).
#pragma once

#include "bda/core/date.hpp"
#include "bda/model/reject_reason.hpp"
#include "bda/model/category.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace bda {

struct GenConfig;

struct GroundTruth {
  std::vector<Date> days;
  std::vector<std::string> files;   //!< file names inside the output directory, in day order
  std::uint64_t lines = 0;          //!< every line, blank ones included
  std::uint64_t blank_lines = 0;
  std::uint64_t records = 0;        //!< lines that must count
  std::uint64_t tricky_records = 0; //!< of those, lines in a tricky but legal form
  std::uint64_t crlf_lines = 0;     //!< of those, lines ending in \r\n
  std::array<std::uint64_t, kRejectReasonCount> rejects{};
  std::uint64_t contracts = 0;      //!< distinct contracts among the counted records
  std::uint64_t total_duration = 0; //!< sum of TotalDuration over the counted records
  std::array<std::uint64_t, kCategoryCount> duration_by_category{};
  std::vector<std::uint64_t> date_count_histogram; //!< [k]: contracts with DateCount k

  std::uint64_t rejected() const;
};

//! The manifest text: pretty JSON with "seed", "days", "files", "lines", "blank_lines", "records",
//! "rejects" (every reason name), "contracts", "total_duration" and some extras (see bda-gen --help).
std::string manifest_json(const GenConfig& config, const GroundTruth& truth);
//! Writes manifest_json() atomically, creating missing directories; throws OutputError naming `path`.
void write_manifest(const std::filesystem::path& path, const GenConfig& config, const GroundTruth& truth);

} // namespace bda
