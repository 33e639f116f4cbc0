// A calendar day (proleptic Gregorian), the unit the lake is partitioned by.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace bda {

//! A day as a count of days since 1970-01-01; cheap to copy, compare and step.
class Date {
public:
  constexpr Date() = default;
  constexpr explicit Date(std::chrono::sys_days d) : days_(static_cast<std::int32_t>(d.time_since_epoch().count())) {}

  //! Parses exactly "YYYY-MM-DD" (a real calendar day); throws UsageError otherwise.
  static Date parse_iso(std::string_view text);
  //! Parses "YYYY-MM" to the first day of that month; throws UsageError otherwise.
  static Date parse_month(std::string_view text);

  std::chrono::year_month_day ymd() const;
  std::string iso() const;       //!< "2022-04-01"
  std::string compact() const;   //!< "20220401", the day file's stem
  Date next() const { return from_days(days_ + 1); }
  Date last_of_month() const;
  std::int32_t days_since_epoch() const { return days_; }
  static constexpr Date from_days(std::int32_t d) {
    Date r;
    r.days_ = d;
    return r;
  }

  auto operator<=>(const Date&) const = default;

private:
  std::int32_t days_ = 0;
};

} // namespace bda
