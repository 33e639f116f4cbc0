// One way to open a Connector/C++ session from DbOptions, for the loader, the dashboard and the report.
#pragma once

#include "bda/warehouse/db_options.hpp"

#include <memory>

namespace sql {
class Connection;
}

namespace bda::warehouse {

struct ConnectionTimeouts {
  static constexpr int kDefaultConnectSeconds = 10;
  static constexpr int kDefaultReadSeconds = 3600; // a month's LOAD DATA can take a while on a busy server
  int connect_seconds = kDefaultConnectSeconds;
  int read_seconds = kDefaultReadSeconds;
};

//! Connects (utf8mb4, LOAD DATA LOCAL allowed, no silent reconnect); throws sql::SQLException.
std::unique_ptr<sql::Connection> open_connection(const DbOptions& options, const ConnectionTimeouts& timeouts = {});

//! Begins a read-only transaction whose queries see one committed state of the warehouse, for a
//! reader of the views (the dashboard's requests, the report). customer_behavior is opened first,
//! reading nothing: its metadata lock, held until the transaction ends, keeps a load from dropping
//! the partition of the run the snapshot's loaded_period names (the snapshot is taken at the first
//! read after it). Throws sql::SQLException.
void begin_consistent_read(sql::Connection& connection);

} // namespace bda::warehouse
