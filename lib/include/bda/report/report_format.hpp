// How the report writes numbers, shares, dates and customer ids for people (HTML, PDF, summary).
#pragma once

#include "bda/core/date.hpp"
#include "bda/report/fixed2.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace bda::report {

//! U+00A0 (UTF-8), between a figure and its unit so that "2.0 %" never breaks across lines.
inline constexpr std::string_view kNbsp = "\u00A0";

//! 1234567 -> "1,234,567".
std::string format_count(std::uint64_t value);
//! Two decimals with thousands separators: 1234567.5 -> "1,234,567.50".
std::string format_fixed2(Fixed2 value);
//! part / whole as a percentage with `decimals` places, rounded half-up: (1, 3, 1) -> "33.3 %"
//! (with kNbsp before the %).
//! A zero whole gives "0.0 %" (with the requested places).
std::string format_share(std::uint64_t part, std::uint64_t whole, int decimals = 1);
//! part / whole × 100 rounded half-up to `decimals` places, as a scaled integer (33.3 % -> 333 for 1 place).
std::uint64_t share_scaled(std::uint64_t part, std::uint64_t whole, int decimals);
//! Seconds as hours with one decimal and separators: 5400 -> "1.5".
std::string format_hours(std::uint64_t seconds);
//! numerator / denominator with one decimal, half-up: (37, 3) -> "12.3"; 0 denominator -> "0.0".
std::string format_ratio1(std::uint64_t numerator, std::uint64_t denominator);
//! "Saturday 16 April 2022".
std::string format_long_date(Date d);
//! "16 April 2022".
std::string format_day_month_year(Date d);
//! A contiguous period as a month: "April 2022" for the whole month, "April 2022, to 17 April" for
//! the month so far (a daily run's); "" when it does not start on the 1st or ends in another month.
std::string month_to_date_title(Date start, Date end);
//! "Sat".
std::string_view short_weekday(Date d);
//! "Saturday".
std::string_view weekday_name(Date d);

//! A Contract as a person should see it: the text unchanged, except that control characters
//! (U+0000-U+001F, U+007F) become "\xHH" so that a NUL, tab or line break in an id stays visible
//! and the id stays on one line. Escape the result for HTML separately.
std::string visible_contract(std::string_view contract);

} // namespace bda::report
