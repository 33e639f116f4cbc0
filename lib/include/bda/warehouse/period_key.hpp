// A warehouse period is the exact set of selected days, named by one canonical, bounded text key
// (customer_behavior.period_key, etl_run.period_key; see sql/README.md). Header-only: the loader,
// the dashboard and the report all read it.
#pragma once

#include "bda/core/date.hpp"
#include "bda/core/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bda::warehouse {

//! The column width of period_key (VARCHAR(300) CHARACTER SET ascii).
inline constexpr std::size_t kPeriodKeyMaxBytes = 300;
//! "YYYY-MM-DD..YYYY-MM-DD": the key of a contiguous range.
inline constexpr std::size_t kPeriodKeyRangeBytes = 22;
//! The longest span a non-contiguous day set may cover: its bitmap must fit the column.
inline constexpr std::uint32_t kPeriodKeyMaxListSpanDays = (kPeriodKeyMaxBytes - kPeriodKeyRangeBytes - 1) * 4;

//! The key of a sorted, de-duplicated, non-empty day set: "2022-04-01..2022-04-30" when the days are
//! contiguous, else "2022-04-01..2022-04-15/8002": first..last and a lowercase hex bitmap of the
//! span, day first+i being bit (3 - i % 4) of hex digit i / 4, so the digits read left to right.
//! Throws UsageError for an empty set or a non-contiguous one spanning more than kPeriodKeyMaxListSpanDays.
inline std::string period_key(const std::vector<Date>& days) {
  if (days.empty()) throw UsageError("a period needs at least one day");
  const Date first = days.front(), last = days.back();
  const auto span = static_cast<std::uint32_t>(last.days_since_epoch() - first.days_since_epoch() + 1);
  std::string key = first.iso() + ".." + last.iso();
  if (span == days.size()) return key;
  if (span > kPeriodKeyMaxListSpanDays)
    throw UsageError("the selected days " + key + " are not contiguous and span " + std::to_string(span) +
                     " days; a warehouse period that is a list of days may span at most " +
                     std::to_string(kPeriodKeyMaxListSpanDays) + " days (load it as several runs)");
  std::string bits((span + 3) / 4, '\0');
  std::vector<unsigned> nibbles(bits.size(), 0);
  for (Date d : days) {
    const auto i = static_cast<std::uint32_t>(d.days_since_epoch() - first.days_since_epoch());
    nibbles[i / 4] |= 8U >> (i % 4);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < bits.size(); ++i) bits[i] = kHex[nibbles[i]];
  return key + "/" + bits;
}

//! The days of a key, checking that it is canonical (what period_key() would write for them);
//! throws UsageError naming what is wrong otherwise.
inline std::vector<Date> period_key_days(std::string_view key) {
  auto bad = [&](const std::string& why) {
    return UsageError("'" + std::string(key.substr(0, 64)) + (key.size() > 64 ? "..." : "") +
                      "' is not a period key (" + why +
                      "; expected YYYY-MM-DD..YYYY-MM-DD, optionally followed by /hex-bitmap)");
  };
  if (key.size() > kPeriodKeyMaxBytes) throw bad("longer than " + std::to_string(kPeriodKeyMaxBytes) + " bytes");
  if (key.size() < kPeriodKeyRangeBytes || key.substr(10, 2) != "..") throw bad("no first..last days");
  Date first, last;
  try {
    first = Date::parse_iso(key.substr(0, 10));
    last = Date::parse_iso(key.substr(12, 10));
  } catch (const UsageError&) {
    throw bad("not real dates");
  }
  if (last < first) throw bad("the last day is before the first");
  const auto span = static_cast<std::uint32_t>(last.days_since_epoch() - first.days_since_epoch() + 1);
  std::vector<Date> days;
  if (key.size() == kPeriodKeyRangeBytes) {
    for (Date d = first; d <= last; d = d.next()) days.push_back(d);
    return days;
  }
  const std::string_view bits = key.substr(kPeriodKeyRangeBytes + 1);
  if (key[kPeriodKeyRangeBytes] != '/' || bits.size() != (span + 3) / 4)
    throw bad("the bitmap must have one hex digit per 4 days of the span");
  for (std::uint32_t i = 0; i < bits.size() * 4; ++i) {
    const char c = bits[i / 4];
    unsigned v = 0;
    if (c >= '0' && c <= '9') v = static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') v = static_cast<unsigned>(c - 'a' + 10);
    else throw bad("the bitmap is not lowercase hex");
    if ((v & (8U >> (i % 4))) == 0) continue;
    if (i >= span) throw bad("the bitmap has days after the last day");
    days.push_back(Date::from_days(first.days_since_epoch() + static_cast<std::int32_t>(i)));
  }
  if (days.empty() || days.front() != first || days.back() != last)
    throw bad("the bitmap must hold the first and the last day");
  if (days.size() == span) throw bad("a contiguous range is written without a bitmap");
  return days;
}

} // namespace bda::warehouse
