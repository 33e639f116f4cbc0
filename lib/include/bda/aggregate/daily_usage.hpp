// Per-day usage (sessions, duration, distinct customers; overall and per category), computed in
// the same pass as the per-contract table. Sessions and durations add up across ranks; distinct
// customers are counted only after the reduce-by-key, when each contract lives on one rank.
#pragma once

#include "bda/aggregate/contract_table.hpp"
#include "bda/core/date.hpp"
#include "bda/model/category.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace bda {

//! Slot kCategoryCount (after the five categories) holds the day's totals over all categories.
inline constexpr std::size_t kAllCategories = kCategoryCount;

struct DayUsage {
  std::array<std::uint64_t, kCategoryCount + 1> sessions{};
  std::array<std::uint64_t, kCategoryCount + 1> duration{};
  std::array<std::uint64_t, kCategoryCount + 1> customers{};
};

//! Every sum is checked (SPEC §2: never wraps): a duration may not pass 2^63-1, although it is
//! stored unsigned (the warehouse column is a signed BIGINT), and a count may not pass 2^64-1.
//! Breaking either throws DataQualityError naming the day and the category.
class DailyUsage {
public:
  static constexpr std::uint64_t kMaxDuration = std::numeric_limits<std::int64_t>::max();

  //! `day_count` selected days; messages can name a day only by its index in the selection.
  explicit DailyUsage(std::uint32_t day_count) : days_(day_count) {}
  //! One slot per selected date (DaySelection::days(), in that order); messages name the date.
  explicit DailyUsage(std::vector<Date> dates);

  //! Counts one record of day index `day` (duration >= 0).
  void add_record(std::uint32_t day, Category category, std::int64_t duration) {
    const std::size_t c = index_of(category);
    DayUsage& d = days_[day];
    // Both terms are at most 2^63-1, so the unsigned sum cannot wrap: one compare per record.
    const std::uint64_t sum = d.duration[c] + static_cast<std::uint64_t>(duration);
    if (duration < 0 || sum > kMaxDuration) overflow(day, c, Sum::Duration);
    if (d.sessions[c] == kMaxCount) overflow(day, c, Sum::Sessions);
    d.duration[c] = sum;
    ++d.sessions[c];
  }
  //! Adds one day's figures (a checkpoint's) to day index `day`, checked like the records.
  void add_day(std::uint32_t day, const DayUsage& usage);
  //! Adds the distinct customers of a merged (post-reduce) table, per day and category.
  void count_customers(const ContractTable& merged);
  //! Fills the "all categories" slots of sessions and duration from the five categories.
  void total_categories();

  const std::vector<DayUsage>& days() const { return days_; }
  std::vector<DayUsage>& days() { return days_; }
  //! The selected dates, or empty when built from a day count.
  const std::vector<Date>& dates() const { return dates_; }

  //! Flat form for MPI: every counter, day by day. Rank 0 adds the ranks' words up with
  //! from_words() and operator+= (an MPI_SUM would wrap silently).
  std::vector<std::uint64_t> to_words() const;
  //! Throws std::invalid_argument on a wrong word count and DataQualityError on a duration word
  //! past kMaxDuration (a sum that wrapped or passed 2^63-1 elsewhere).
  static DailyUsage from_words(const std::vector<std::uint64_t>& words, std::uint32_t day_count);
  static DailyUsage from_words(const std::vector<std::uint64_t>& words, std::vector<Date> dates);
  //! Checked, slot by slot; throws std::invalid_argument for different day sets.
  DailyUsage& operator+=(const DailyUsage& other);

private:
  static constexpr std::uint64_t kMaxCount = std::numeric_limits<std::uint64_t>::max();

  //! sum += add unless that passes `max` (then sum is left as it was and the result is false).
  static bool add_checked(std::uint64_t& sum, std::uint64_t add, std::uint64_t max) {
    if (sum > max || add > max - sum) return false;
    sum += add;
    return true;
  }
  enum class Sum : std::uint8_t { Sessions, Duration, Customers };
  //! Throws DataQualityError: sum `sum` of category slot `slot` on day index `day` passes its range.
  [[noreturn]] void overflow(std::size_t day, std::size_t slot, Sum sum) const;
  std::string day_name(std::size_t day) const;
  void assign_words(const std::vector<std::uint64_t>& words);

  std::vector<DayUsage> days_;
  std::vector<Date> dates_; // empty, or one per day
};

} // namespace bda
