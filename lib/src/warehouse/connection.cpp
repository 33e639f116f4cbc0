#include "bda/warehouse/connection.hpp"

#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_connection.h>
#include <mysql_driver.h>

namespace bda::warehouse {

std::unique_ptr<sql::Connection> open_connection(const DbOptions& options, const ConnectionTimeouts& timeouts) {
  sql::ConnectOptionsMap props;
  if (options.socket) {
    props["socket"] = sql::SQLString(*options.socket);
    props["hostName"] = sql::SQLString("localhost");
  } else {
    props["hostName"] = sql::SQLString("tcp://" + options.host + ":" + std::to_string(options.port));
  }
  props["userName"] = sql::SQLString(options.user);
  props["password"] = sql::SQLString(options.password);
  props["schema"] = sql::SQLString(options.database);
  props["OPT_LOCAL_INFILE"] = 1;
  props["OPT_CONNECT_TIMEOUT"] = timeouts.connect_seconds;
  props["OPT_READ_TIMEOUT"] = timeouts.read_seconds;
  props["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  props["OPT_RECONNECT"] = false; // a silent reconnect would lose the session's settings and transaction
  return std::unique_ptr<sql::Connection>(sql::mysql::get_mysql_driver_instance()->connect(props));
}

void begin_consistent_read(sql::Connection& connection) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  statement->execute("START TRANSACTION READ ONLY");
  std::unique_ptr<sql::ResultSet>(statement->executeQuery("SELECT 1 FROM v_customer_segment LIMIT 0"));
}

} // namespace bda::warehouse
