// Prepared statements in, JSON out: binds positional parameters and turns rows into JSON objects.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace sql {
class Connection;
class ResultSet;
} // namespace sql

namespace bda::dashboard {

//! A positional parameter: always bound, never spliced into the SQL text.
using SqlParam = std::variant<std::string, std::int64_t, std::uint64_t>;

//! An SQL fragment and the parameters of its placeholders, in order.
struct SqlPart {
  std::string sql;
  std::vector<SqlParam> params;
};

//! Prepares `query`, binds `params` and returns every row as an object keyed by the column labels:
//! integers and DECIMALs as JSON numbers, NULL as null, everything else (dates, enums, text) as strings.
nlohmann::json query_rows(sql::Connection& connection, const std::string& query, const std::vector<SqlParam>& params);

//! The first row of query_rows, or null when there is none.
nlohmann::json query_row(sql::Connection& connection, const std::string& query, const std::vector<SqlParam>& params);

//! The current row of `rs` as above.
nlohmann::json row_to_json(sql::ResultSet& rs);

//! A DECIMAL's text as a JSON number: an integer when integral and within 64 bits, else a double.
nlohmann::json decimal_to_json(const std::string& text);

} // namespace bda::dashboard
