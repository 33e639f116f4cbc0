#include "bda/warehouse/migrations.hpp"

#include <cctype>

namespace bda::warehouse {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool starts_with_keyword(std::string_view line, std::string_view keyword) {
  if (line.size() < keyword.size()) return false;
  for (std::size_t i = 0; i < keyword.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(line[i])) != keyword[i]) return false;
  return line.size() == keyword.size() || std::isspace(static_cast<unsigned char>(line[keyword.size()]));
}

bool is_comment_only(std::string_view statement) {
  for (std::size_t pos = 0; pos < statement.size();) {
    std::size_t end = statement.find('\n', pos);
    if (end == std::string_view::npos) end = statement.size();
    std::string_view line = trim(statement.substr(pos, end - pos));
    if (!line.empty() && line.substr(0, 2) != "--" && line.front() != '#') return false;
    pos = end + 1;
  }
  return true;
}

} // namespace

std::vector<std::string> split_sql_statements(std::string_view script) {
  std::vector<std::string> statements;
  std::string delimiter = ";", current;
  for (std::size_t pos = 0; pos <= script.size();) {
    std::size_t end = script.find('\n', pos);
    if (end == std::string_view::npos) end = script.size();
    std::string_view line = script.substr(pos, end - pos);
    pos = end + 1;
    std::string_view trimmed = trim(line);
    if (starts_with_keyword(trimmed, "DELIMITER")) {
      delimiter = std::string(trim(trimmed.substr(9)));
      continue;
    }
    current.append(line);
    current += '\n';
    if (trimmed.size() >= delimiter.size() && trimmed.substr(trimmed.size() - delimiter.size()) == delimiter) {
      std::string_view body = trim(current);
      body.remove_suffix(delimiter.size());
      if (!trim(body).empty() && !is_comment_only(body)) statements.emplace_back(trim(body));
      current.clear();
    }
  }
  if (!trim(current).empty() && !is_comment_only(current)) statements.emplace_back(trim(current));
  return statements;
}

} // namespace bda::warehouse
