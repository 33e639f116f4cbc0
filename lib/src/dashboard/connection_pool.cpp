#include "bda/dashboard/connection_pool.hpp"

#include "bda/warehouse/connection.hpp"

#include <cppconn/connection.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <algorithm>
#include <array>
#include <string>
#include <utility>

namespace bda::dashboard {
namespace {

//! Client and server error codes that mean "this connection is gone or unusable", not "bad SQL".
constexpr std::array<int, 17> kConnectionErrors = {
    1040, // too many connections
    1045, // access denied
    1049, // unknown database
    1053, // server shutdown in progress
    1077, // normal shutdown
    1152, // aborted connection
    1158, 1159, 1160, 1161, // network read/write errors and timeouts
    1927, // MariaDB: connection killed
    2002, 2003, 2006, 2013, 2055, // can't connect, server gone away, lost connection
    4031, // disconnected by the server for inactivity
};

//! The statement ran into max_statement_time (MariaDB) or max_execution_time (MySQL): 503, not 500.
constexpr std::array<int, 2> kTimeoutErrors = {1969, 3024};

//! Errors meaning the warehouse is not in a state to answer (missing schema or grants): also 503.
constexpr std::array<int, 3> kSchemaErrors = {1142, 1146, 1356}; // denied, no such table, invalid view

bool in(const auto& codes, int code) { return std::find(codes.begin(), codes.end(), code) != codes.end(); }

//! Calls threadInit/threadEnd of the driver once per HTTP worker thread.
class ThreadGuard {
public:
  explicit ThreadGuard(sql::Driver* driver) : driver_(driver) { driver_->threadInit(); }
  ~ThreadGuard() { driver_->threadEnd(); }
  ThreadGuard(const ThreadGuard&) = delete;
  ThreadGuard& operator=(const ThreadGuard&) = delete;

private:
  sql::Driver* driver_;
};

} // namespace

ConnectionPool::ConnectionPool(warehouse::DbOptions options, PoolConfig config)
    : options_(std::move(options)), config_(config), driver_(sql::mysql::get_mysql_driver_instance()) {}

ConnectionPool::~ConnectionPool() = default;

std::unique_ptr<sql::Connection> ConnectionPool::connect() {
  try {
    std::unique_ptr<sql::Connection> connection = warehouse::open_connection(
        options_, {config_.connect_timeout_seconds, config_.read_timeout_seconds});
    // Belt and braces: the account is read-only already; the session is too.
    std::unique_ptr<sql::Statement> statement(connection->createStatement());
    statement->execute("SET SESSION TRANSACTION READ ONLY");
    return connection;
  } catch (const sql::SQLException& e) {
    throw DatabaseUnavailable("cannot connect to the warehouse", options_.describe() + ": " + e.what());
  }
}

std::unique_ptr<sql::Connection> ConnectionPool::take_idle() {
  std::lock_guard lock(mutex_);
  if (idle_.empty()) return nullptr;
  auto connection = std::move(idle_.back());
  idle_.pop_back();
  return connection;
}

void ConnectionPool::give_back(std::unique_ptr<sql::Connection> connection) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < config_.max_idle) idle_.push_back(std::move(connection));
}

void ConnectionPool::run(const std::function<void(sql::Connection&)>& work) {
  thread_local ThreadGuard guard(driver_);
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<sql::Connection> connection = attempt == 0 ? take_idle() : nullptr;
    const bool reused = connection != nullptr;
    if (!connection) connection = connect();
    try {
      // One snapshot per request: its queries see one committed state, so a load committing
      // meanwhile never mixes old and new figures in one response.
      warehouse::begin_consistent_read(*connection);
      std::unique_ptr<sql::Statement> statement(connection->createStatement());
      try {
        work(*connection);
      } catch (...) {
        try {
          statement->execute("ROLLBACK");
        } catch (const sql::SQLException&) { // the connection is gone: the server rolled back
        }
        throw;
      }
      statement->execute("COMMIT");
      give_back(std::move(connection));
      return;
    } catch (const sql::SQLException& e) {
      const int code = e.getErrorCode();
      if (in(kConnectionErrors, code) || connection->isClosed()) {
        if (reused) continue; // a stale pooled connection: drop it and try once on a fresh one
        throw DatabaseUnavailable("the warehouse connection failed", options_.describe() + ": " + e.what());
      }
      if (in(kTimeoutErrors, code))
        throw DatabaseUnavailable("the warehouse stopped the query at the report account's statement time limit",
                                  options_.describe() + ": " + e.what());
      if (in(kSchemaErrors, code))
        throw DatabaseUnavailable("the warehouse is not ready for the dashboard",
                                  options_.describe() + " (" + e.what() +
                                      "): apply the migrations and grant the report account the views");
      give_back(std::move(connection));
      throw QueryError("query failed on " + options_.describe() + " (error " + std::to_string(code) + "): " + e.what());
    }
  }
}

} // namespace bda::dashboard
