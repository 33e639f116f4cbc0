// Per-day usage (sessions, duration, distinct customers; overall and per category), computed in
// the same pass as the per-contract table. Sessions and durations add up across ranks; distinct
// customers are counted only after the reduce-by-key, when each contract lives on one rank.
#pragma once

#include "bda/aggregate/contract_table.hpp"
#include "bda/transform/category.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace bda {

//! Slot kCategoryCount (after the five categories) holds the day's totals over all categories.
inline constexpr std::size_t kAllCategories = kCategoryCount;

struct DayUsage {
  std::array<std::uint64_t, kCategoryCount + 1> sessions{};
  std::array<std::uint64_t, kCategoryCount + 1> duration{};
  std::array<std::uint64_t, kCategoryCount + 1> customers{};
};

class DailyUsage {
public:
  explicit DailyUsage(std::uint32_t day_count) : days_(day_count) {}

  void add_record(std::uint32_t day, Category category, std::int64_t duration) {
    DayUsage& d = days_[day];
    ++d.sessions[index_of(category)];
    d.duration[index_of(category)] += static_cast<std::uint64_t>(duration);
  }
  //! Adds the distinct customers of a merged (post-reduce) table, per day and category.
  void count_customers(const ContractTable& merged);
  //! Fills the "all categories" slots of sessions and duration from the five categories.
  void total_categories();

  const std::vector<DayUsage>& days() const { return days_; }
  std::vector<DayUsage>& days() { return days_; }

  //! Flat form for an MPI sum: every counter, day by day.
  std::vector<std::uint64_t> to_words() const;
  static DailyUsage from_words(const std::vector<std::uint64_t>& words, std::uint32_t day_count);
  DailyUsage& operator+=(const DailyUsage& other);

private:
  std::vector<DayUsage> days_;
};

} // namespace bda
