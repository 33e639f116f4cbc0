#include "bda/report/report_format.hpp"

#include <array>
#include <chrono>
#include <cstdio>

namespace bda::report {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"January",   "February", "March",    "April",
                                                      "May",       "June",     "July",     "August",
                                                      "September", "October",  "November", "December"};
constexpr std::array<std::string_view, 7> kWeekdays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                       "Thursday", "Friday", "Saturday"};

__extension__ typedef unsigned __int128 Wide; // GCC/Clang; -Wpedantic knows no __int128

std::uint64_t pow10(int n) {
  std::uint64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

//! "<integer with separators>.<decimals digits>" from a value scaled by 10^decimals.
std::string format_scaled(std::uint64_t scaled, int decimals) {
  const std::uint64_t unit = pow10(decimals);
  std::string out = format_count(scaled / unit);
  if (decimals > 0) {
    std::string digits = std::to_string(scaled % unit);
    out += '.' + std::string(static_cast<std::size_t>(decimals) - digits.size(), '0') + digits;
  }
  return out;
}

//! round_half_up(numerator * scale / denominator) without overflow for 64-bit inputs.
std::uint64_t div_round(std::uint64_t numerator, std::uint64_t scale, std::uint64_t denominator) {
  if (denominator == 0) return 0;
  const Wide n = static_cast<Wide>(numerator) * scale;
  return static_cast<std::uint64_t>((2 * n + denominator) / (2 * static_cast<Wide>(denominator)));
}

} // namespace

std::string format_count(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string format_fixed2(Fixed2 value) {
  return format_scaled(static_cast<std::uint64_t>(value.hundredths < 0 ? 0 : value.hundredths), 2);
}

std::uint64_t share_scaled(std::uint64_t part, std::uint64_t whole, int decimals) {
  return div_round(part, 100 * pow10(decimals), whole);
}

std::string format_share(std::uint64_t part, std::uint64_t whole, int decimals) {
  return format_scaled(share_scaled(part, whole, decimals), decimals) + std::string(kNbsp) + "%";
}

std::string format_hours(std::uint64_t seconds) {
  constexpr std::uint64_t kSecondsPerHour = 3600;
  return format_scaled(div_round(seconds, 10, kSecondsPerHour), 1);
}

std::string format_ratio1(std::uint64_t numerator, std::uint64_t denominator) {
  return format_scaled(div_round(numerator, 10, denominator), 1);
}

std::string_view weekday_name(Date d) {
  const std::chrono::weekday w{std::chrono::sys_days(std::chrono::days(d.days_since_epoch()))};
  return kWeekdays[w.c_encoding()];
}

std::string_view short_weekday(Date d) { return weekday_name(d).substr(0, 3); }

std::string format_day_month_year(Date d) {
  const auto ymd = d.ymd();
  return std::to_string(static_cast<unsigned>(ymd.day())) + " " +
         std::string(kMonths[static_cast<unsigned>(ymd.month()) - 1]) + " " +
         std::to_string(static_cast<int>(ymd.year()));
}

std::string month_to_date_title(Date start, Date end) {
  const auto a = start.ymd(), b = end.ymd();
  if (static_cast<unsigned>(a.day()) != 1 || a.year() != b.year() || a.month() != b.month()) return "";
  const std::string month = std::string(kMonths[static_cast<unsigned>(a.month()) - 1]);
  const std::string title = month + " " + std::to_string(static_cast<int>(a.year()));
  if (end == start.last_of_month()) return title;
  return title + ", to " + std::to_string(static_cast<unsigned>(b.day())) + " " + month;
}

std::string format_long_date(Date d) { return std::string(weekday_name(d)) + " " + format_day_month_year(d); }

std::string visible_contract(std::string_view contract) {
  std::string out;
  out.reserve(contract.size());
  for (char c : contract) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", byte);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

} // namespace bda::report
