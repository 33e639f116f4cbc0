// How to reach the warehouse: host/port or socket, account, schema; the password never on argv.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace bda::warehouse {

struct DbOptions {
  static constexpr std::uint16_t kDefaultPort = 3306;
  std::string host = "127.0.0.1";
  std::uint16_t port = kDefaultPort;
  std::optional<std::string> socket; //!< a unix socket wins over host/port
  std::string user;
  std::string database = "bda";
  std::string password; //!< from MYSQL_PWD or --db-password-file
  //! "user@127.0.0.1:3306/bda" or "user@/run/x.sock/bda", for messages (no password).
  std::string describe() const;
};

//! The first line of a password file (trailing CR/LF removed); throws UsageError naming the file.
std::string read_password_file(const std::string& path);

} // namespace bda::warehouse
