#include "bda/warehouse/db_options.hpp"

#include "bda/core/error.hpp"

#include <cerrno>
#include <fstream>

namespace bda::warehouse {

std::string DbOptions::describe() const {
  const std::string where = socket ? *socket : host + ":" + std::to_string(port);
  return user + "@" + where + "/" + database;
}

std::string read_password_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UsageError("cannot read --db-password-file " + path + ": " + errno_text(errno));
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

} // namespace bda::warehouse
