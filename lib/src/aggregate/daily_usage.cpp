#include "bda/aggregate/daily_usage.hpp"

#include "bda/core/error.hpp"

#include <bit>
#include <stdexcept>
#include <utility>

namespace bda {

DailyUsage::DailyUsage(std::vector<Date> dates) : days_(dates.size()), dates_(std::move(dates)) {}

std::string DailyUsage::day_name(std::size_t day) const {
  if (day < dates_.size()) return dates_[day].iso();
  return "day index " + std::to_string(day) + " of the selection";
}

void DailyUsage::overflow(std::size_t day, std::size_t slot, Sum sum) const {
  const std::string category = slot == kAllCategories ? "all-categories" : std::string(kCategoryNames[slot]);
  const char* what = sum == Sum::Duration ? "duration" : sum == Sum::Sessions ? "session count" : "customer count";
  throw DataQualityError("the " + category + " " + what + " of " + day_name(day) + " exceeds the 64-bit range (" +
                         (sum == Sum::Duration ? "2^63-1" : "2^64-1") + ")");
}

void DailyUsage::count_customers(const ContractTable& merged) {
  const std::size_t words = merged.words_per_category();
  for (std::size_t row = 0; row < merged.size(); ++row) {
    for (std::size_t w = 0; w < words; ++w) {
      std::uint64_t any = 0;
      for (Category c : kCanonicalCategories) {
        std::uint64_t bits = merged.days(row, c)[w];
        any |= bits;
        for (; bits; bits &= bits - 1) ++days_[w * 64 + static_cast<std::size_t>(std::countr_zero(bits))].customers[index_of(c)];
      }
      for (; any; any &= any - 1) ++days_[w * 64 + static_cast<std::size_t>(std::countr_zero(any))].customers[kAllCategories];
    }
  }
}

void DailyUsage::total_categories() {
  for (std::size_t i = 0; i < days_.size(); ++i) {
    DayUsage& d = days_[i];
    d.sessions[kAllCategories] = d.duration[kAllCategories] = 0;
    for (std::size_t c = 0; c < kCategoryCount; ++c) {
      if (!add_checked(d.sessions[kAllCategories], d.sessions[c], kMaxCount))
        overflow(i, kAllCategories, Sum::Sessions);
      if (!add_checked(d.duration[kAllCategories], d.duration[c], kMaxDuration))
        overflow(i, kAllCategories, Sum::Duration);
    }
  }
}

std::vector<std::uint64_t> DailyUsage::to_words() const {
  std::vector<std::uint64_t> words;
  words.reserve(days_.size() * 3 * (kCategoryCount + 1));
  for (const DayUsage& d : days_)
    for (const auto* a : {&d.sessions, &d.duration, &d.customers}) words.insert(words.end(), a->begin(), a->end());
  return words;
}

void DailyUsage::assign_words(const std::vector<std::uint64_t>& words) {
  if (words.size() != days_.size() * 3 * (kCategoryCount + 1))
    throw std::invalid_argument("daily usage: wrong number of words");
  std::size_t at = 0;
  for (DayUsage& d : days_)
    for (auto* a : {&d.sessions, &d.duration, &d.customers})
      for (auto& v : *a) v = words[at++];
  for (std::size_t i = 0; i < days_.size(); ++i)
    for (std::size_t c = 0; c <= kCategoryCount; ++c)
      if (days_[i].duration[c] > kMaxDuration) overflow(i, c, Sum::Duration);
}

DailyUsage DailyUsage::from_words(const std::vector<std::uint64_t>& words, std::uint32_t day_count) {
  DailyUsage u(day_count);
  u.assign_words(words);
  return u;
}

DailyUsage DailyUsage::from_words(const std::vector<std::uint64_t>& words, std::vector<Date> dates) {
  DailyUsage u(std::move(dates));
  u.assign_words(words);
  return u;
}

void DailyUsage::add_day(std::uint32_t day, const DayUsage& usage) {
  DayUsage& d = days_.at(day);
  for (std::size_t c = 0; c <= kCategoryCount; ++c) {
    if (!add_checked(d.sessions[c], usage.sessions[c], kMaxCount)) overflow(day, c, Sum::Sessions);
    if (!add_checked(d.duration[c], usage.duration[c], kMaxDuration)) overflow(day, c, Sum::Duration);
    if (!add_checked(d.customers[c], usage.customers[c], kMaxCount)) overflow(day, c, Sum::Customers);
  }
}

DailyUsage& DailyUsage::operator+=(const DailyUsage& other) {
  if (other.days_.size() != days_.size() || (!dates_.empty() && !other.dates_.empty() && dates_ != other.dates_))
    throw std::invalid_argument("daily usage: different day sets");
  if (dates_.empty()) dates_ = other.dates_;
  for (std::size_t i = 0; i < days_.size(); ++i)
    for (std::size_t c = 0; c <= kCategoryCount; ++c) {
      if (!add_checked(days_[i].sessions[c], other.days_[i].sessions[c], kMaxCount)) overflow(i, c, Sum::Sessions);
      if (!add_checked(days_[i].duration[c], other.days_[i].duration[c], kMaxDuration)) overflow(i, c, Sum::Duration);
      if (!add_checked(days_[i].customers[c], other.days_[i].customers[c], kMaxCount)) overflow(i, c, Sum::Customers);
    }
  return *this;
}

} // namespace bda
