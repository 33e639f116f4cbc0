// The dashboard's figures, queried live from the warehouse views on every call (DirectQuery).
// Reads only what the read-only bda_report account may read: the v_* views and daily_statistics.
#pragma once

#include "bda/core/error.hpp"
#include "bda/dashboard/connection_pool.hpp"
#include "bda/dashboard/request_params.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace bda::dashboard {

//! The request is well-formed but names data the warehouse does not hold (HTTP 404).
class NotFound : public Error {
public:
  using Error::Error;
};

//! One method per API endpoint; each returns the response body. Periods and filters must come
//! validated (RequestParams). A period is named by its key; absent, it means the latest loaded one
//! (the latest first day, then the latest last day, then the greatest key).
class DashboardQueries {
public:
  static constexpr std::uint32_t kMaxDailyDays = 1096; //!< three years of daily points at most

  explicit DashboardQueries(ConnectionPool& pool) : pool_(pool) {}

  nlohmann::json health();
  //! Every loaded period of customer_behavior, the latest first, with its customers.
  nlohmann::json periods();
  //! The last successful run (v_last_load), or null.
  nlohmann::json last_load();
  //! SPEC §6: customers, total duration, per-category durations, averages per person per month/week/day.
  nlohmann::json overview(const CustomerQuery& q);
  //! SPEC §5: the four segments (all of them, also when empty).
  nlohmann::json segments(const CustomerQuery& q);
  //! Per category: duration, share of the total, viewers, MostWatch customers.
  nlohmann::json categories(const CustomerQuery& q);
  //! Customers per Taste.
  nlohmann::json tastes(const CustomerQuery& q);
  //! The data mart per day (v_daily_statistics) over a day range, or over the first..last days of
  //! a period (neither: the latest period); throws BadRequest for both or past kMaxDailyDays.
  nlohmann::json daily(const std::optional<std::string>& period, const std::optional<Period>& days);
  //! Customers per Activeness bin of width 100 / bins.
  nlohmann::json activeness_histogram(const CustomerQuery& q, unsigned bins);
  //! Customers per segment and MostWatch (a 4 x 6 matrix, "none" last).
  nlohmann::json segment_mostwatch(const CustomerQuery& q);
  //! One page of customers, filtered, searched and sorted.
  nlohmann::json customers(const CustomerQuery& q, const PageRequest& page);
  //! One customer: its row in the period (the latest one it appears in when absent) and its history.
  nlohmann::json customer(const ContractKey& key, const std::optional<std::string>& period);

private:
  ConnectionPool& pool_;
};

} // namespace bda::dashboard
