// A few reusable warehouse connections shared by the HTTP worker threads (Connector/C++ 1.1).
#pragma once

#include "bda/core/error.hpp"
#include "bda/warehouse/db_options.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace sql {
class Connection;
class Driver;
} // namespace sql

namespace bda::dashboard {

//! The warehouse cannot be reached or used (HTTP 503); the message names the server, never the password.
class DatabaseUnavailable : public Error {
public:
  //! `public_text` is what a client may see; what() adds the account, the server and the driver's
  //! message, for the server's log only.
  DatabaseUnavailable(std::string public_text, const std::string& detail)
      : Error(public_text + ": " + detail), public_text_(std::move(public_text)) {}
  const std::string& public_text() const { return public_text_; }

private:
  std::string public_text_;
};

//! A query failed for a reason that is not the connection (HTTP 500): a bug, or a schema mismatch.
class QueryError : public Error {
public:
  using Error::Error;
};

struct PoolConfig {
  static constexpr std::size_t kDefaultMaxIdle = 4;
  static constexpr int kDefaultConnectTimeoutSeconds = 5;
  static constexpr int kDefaultReadTimeoutSeconds = 60;
  std::size_t max_idle = kDefaultMaxIdle; //!< connections kept open between requests
  int connect_timeout_seconds = kDefaultConnectTimeoutSeconds;
  int read_timeout_seconds = kDefaultReadTimeoutSeconds; //!< a query taking longer fails with 503
};

//! Hands out connections to one warehouse; thread-safe. A connection is used by one thread at a time.
class ConnectionPool {
public:
  explicit ConnectionPool(warehouse::DbOptions options, PoolConfig config = {});
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  //! Runs `work` on a connection, in one read-only transaction with a consistent snapshot (so all
  //! its queries see the same committed state). When a reused connection turns out to be dead (server restart,
  //! idle timeout, KILL), it is dropped and `work` runs once more on a new one (the dashboard only
  //! reads, so a retry is safe). Throws DatabaseUnavailable when no connection can be had or the
  //! server fails mid-query, QueryError for any other SQL error.
  void run(const std::function<void(sql::Connection&)>& work);

  const warehouse::DbOptions& options() const { return options_; }

private:
  std::unique_ptr<sql::Connection> connect();
  std::unique_ptr<sql::Connection> take_idle();
  void give_back(std::unique_ptr<sql::Connection> connection);

  warehouse::DbOptions options_;
  PoolConfig config_;
  sql::Driver* driver_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<sql::Connection>> idle_;
};

} // namespace bda::dashboard
