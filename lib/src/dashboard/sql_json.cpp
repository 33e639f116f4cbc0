#include "bda/dashboard/sql_json.hpp"

#include <cppconn/connection.h>
#include <cppconn/datatype.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>

#include <charconv>
#include <memory>

namespace bda::dashboard {

nlohmann::json decimal_to_json(const std::string& text) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (text.find_first_of(".eE") == std::string::npos) {
    if (!text.empty() && text[0] == '-') {
      std::int64_t v = 0;
      if (auto [p, ec] = std::from_chars(begin, end, v); ec == std::errc() && p == end) return v;
    } else {
      std::uint64_t v = 0;
      if (auto [p, ec] = std::from_chars(begin, end, v); ec == std::errc() && p == end) return v;
    }
  }
  double d = 0;
  if (auto [p, ec] = std::from_chars(begin, end, d); ec == std::errc() && p == end) return d;
  return text; // not a number after all: keep the text rather than lose it
}

nlohmann::json row_to_json(sql::ResultSet& rs) {
  sql::ResultSetMetaData* meta = rs.getMetaData();
  nlohmann::json row = nlohmann::json::object();
  const unsigned columns = meta->getColumnCount();
  for (unsigned i = 1; i <= columns; ++i) {
    const std::string label = meta->getColumnLabel(i);
    if (rs.isNull(i)) {
      row[label] = nullptr;
      continue;
    }
    switch (meta->getColumnType(i)) {
    case sql::DataType::BIT:
    case sql::DataType::TINYINT:
    case sql::DataType::SMALLINT:
    case sql::DataType::MEDIUMINT:
    case sql::DataType::INTEGER:
    case sql::DataType::BIGINT:
    case sql::DataType::YEAR:
      if (meta->isSigned(i)) {
        row[label] = rs.getInt64(i);
      } else {
        row[label] = rs.getUInt64(i);
      }
      break;
    case sql::DataType::DECIMAL:
    case sql::DataType::NUMERIC:
      row[label] = decimal_to_json(rs.getString(i));
      break;
    case sql::DataType::REAL:
    case sql::DataType::DOUBLE:
      row[label] = static_cast<double>(rs.getDouble(i));
      break;
    default:
      row[label] = std::string(rs.getString(i));
    }
  }
  return row;
}

nlohmann::json query_rows(sql::Connection& connection, const std::string& query, const std::vector<SqlParam>& params) {
  std::unique_ptr<sql::PreparedStatement> ps(connection.prepareStatement(query));
  unsigned index = 1;
  for (const SqlParam& p : params) {
    if (const auto* s = std::get_if<std::string>(&p)) {
      ps->setString(index, *s);
    } else if (const auto* i = std::get_if<std::int64_t>(&p)) {
      ps->setInt64(index, *i);
    } else {
      ps->setUInt64(index, std::get<std::uint64_t>(p));
    }
    ++index;
  }
  std::unique_ptr<sql::ResultSet> rs(ps->executeQuery());
  nlohmann::json rows = nlohmann::json::array();
  while (rs->next()) rows.push_back(row_to_json(*rs));
  return rows;
}

nlohmann::json query_row(sql::Connection& connection, const std::string& query, const std::vector<SqlParam>& params) {
  nlohmann::json rows = query_rows(connection, query, params);
  return rows.empty() ? nlohmann::json(nullptr) : std::move(rows[0]);
}

} // namespace bda::dashboard
