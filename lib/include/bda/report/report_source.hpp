// Reads a period's report figures from the warehouse with the read-only account (Connector/C++ 1.1):
// only the v_* views and daily_statistics, every value bound as a parameter.
#pragma once

#include "bda/report/report_data.hpp"
#include "bda/warehouse/db_options.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

namespace sql {
class Connection;
}

namespace bda::report {

//! Rows in the report's "top customers" table.
inline constexpr std::size_t kTopCustomers = 10;

class ReportSource {
public:
  //! Connects; throws warehouse::WarehouseError naming the server.
  explicit ReportSource(const warehouse::DbOptions& options);
  ~ReportSource();
  ReportSource(const ReportSource&) = delete;
  ReportSource& operator=(const ReportSource&) = delete;

  //! True when customer_behavior holds the period (exactly these start and end dates).
  bool has_period(const Period& period);
  //! The loaded periods, latest start first (at most `limit`), for a helpful "no data" message.
  std::vector<Period> loaded_periods(std::size_t limit);
  //! Every figure of the report but the full customer table. The period must exist.
  ReportData load(const Period& period);
  //! Streams the period's customers in Contract byte order, a bounded page of rows at a time.
  void each_customer(const Period& period, const std::function<void(const CustomerRow&)>& visit);

private:
  warehouse::DbOptions options_;
  std::unique_ptr<sql::Connection> connection_;
};

} // namespace bda::report
