#include "bda/aggregate/daily_usage.hpp"

#include <bit>
#include <stdexcept>

namespace bda {

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
  for (DayUsage& d : days_) {
    d.sessions[kAllCategories] = d.duration[kAllCategories] = 0;
    for (std::size_t c = 0; c < kCategoryCount; ++c) {
      d.sessions[kAllCategories] += d.sessions[c];
      d.duration[kAllCategories] += d.duration[c];
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

DailyUsage DailyUsage::from_words(const std::vector<std::uint64_t>& words, std::uint32_t day_count) {
  DailyUsage u(day_count);
  if (words.size() != static_cast<std::size_t>(day_count) * 3 * (kCategoryCount + 1))
    throw std::invalid_argument("daily usage: wrong number of words");
  std::size_t at = 0;
  for (DayUsage& d : u.days_)
    for (auto* a : {&d.sessions, &d.duration, &d.customers})
      for (auto& v : *a) v = words[at++];
  return u;
}

DailyUsage& DailyUsage::operator+=(const DailyUsage& other) {
  if (other.days_.size() != days_.size()) throw std::invalid_argument("daily usage: different day sets");
  for (std::size_t i = 0; i < days_.size(); ++i)
    for (std::size_t c = 0; c <= kCategoryCount; ++c) {
      days_[i].sessions[c] += other.days_[i].sessions[c];
      days_[i].duration[c] += other.days_[i].duration[c];
      days_[i].customers[c] += other.days_[i].customers[c];
    }
  return *this;
}

} // namespace bda
