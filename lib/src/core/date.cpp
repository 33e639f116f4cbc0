#include "bda/core/date.hpp"

#include "bda/core/error.hpp"

#include <charconv>
#include <cstdio>

namespace bda {
namespace {

bool parse_digits(std::string_view text, int& out) {
  for (char c : text)
    if (c < '0' || c > '9') return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

} // namespace

Date Date::parse_iso(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !parse_digits(text.substr(0, 4), y) ||
      !parse_digits(text.substr(5, 2), m) || !parse_digits(text.substr(8, 2), d))
    throw UsageError("'" + std::string(text) + "' is not a date (expected YYYY-MM-DD)");
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) throw UsageError("'" + std::string(text) + "' is not a calendar day");
  return Date(std::chrono::sys_days(ymd));
}

Date Date::parse_month(std::string_view text) {
  int y = 0, m = 0;
  if (text.size() != 7 || text[4] != '-' || !parse_digits(text.substr(0, 4), y) ||
      !parse_digits(text.substr(5, 2), m) || m < 1 || m > 12)
    throw UsageError("'" + std::string(text) + "' is not a month (expected YYYY-MM)");
  return Date(std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(static_cast<unsigned>(m)) /
                                    std::chrono::day(1)));
}

std::chrono::year_month_day Date::ymd() const {
  return std::chrono::year_month_day(std::chrono::sys_days(std::chrono::days(days_)));
}

std::string Date::iso() const {
  auto v = ymd();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(v.year()), static_cast<unsigned>(v.month()),
                static_cast<unsigned>(v.day()));
  return buf;
}

std::string Date::compact() const {
  auto v = ymd();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02u%02u", static_cast<int>(v.year()), static_cast<unsigned>(v.month()),
                static_cast<unsigned>(v.day()));
  return buf;
}

Date Date::last_of_month() const {
  auto v = ymd();
  return Date(std::chrono::sys_days(std::chrono::year_month_day_last(v.year(), std::chrono::month_day_last(v.month()))));
}

} // namespace bda
