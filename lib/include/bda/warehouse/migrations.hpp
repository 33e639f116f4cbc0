// The versioned schema (sql/migrations/NNN_name.sql), embedded in the binary at build time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bda::warehouse {

struct Migration {
  int version = 0;   //!< NNN of the file name
  std::string name;  //!< the file name
  std::string_view script;
};

//! Every migration shipped with this build, in version order.
std::vector<Migration> embedded_migrations();

//! Splits a script the way the mariadb client does: statements end with the current delimiter
//! at the end of a line (';' until a "DELIMITER x" line changes it); comment-only lines between
//! statements are dropped.
std::vector<std::string> split_sql_statements(std::string_view script);

} // namespace bda::warehouse
