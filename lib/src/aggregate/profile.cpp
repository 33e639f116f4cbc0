#include "bda/aggregate/profile.hpp"

#include <cstdio>

namespace bda {

std::optional<Category> most_watch(const std::array<std::int64_t, kCategoryCount>& duration) {
  std::optional<Category> best;
  std::int64_t best_value = 0;
  for (Category c : kCanonicalCategories) { // strict '>' keeps the earlier category on ties
    if (duration[index_of(c)] > best_value) {
      best = c;
      best_value = duration[index_of(c)];
    }
  }
  return best;
}

std::string taste(const std::array<std::int64_t, kCategoryCount>& duration) {
  std::string out;
  for (Category c : kCanonicalCategories) {
    if (duration[index_of(c)] <= 0) continue;
    if (!out.empty()) out += '-';
    out += name_of(c);
  }
  return out;
}

std::string activeness(std::uint32_t date_count, std::uint32_t selected_days) {
  // Hundredths rounded half-up in integers: floor((2 * 10000 * dc + D) / (2 * D)).
  const std::uint64_t d = selected_days == 0 ? 1 : selected_days;
  const std::uint64_t hundredths = (std::uint64_t{20000} * date_count + d) / (2 * d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llu.%02llu", static_cast<unsigned long long>(hundredths / 100),
                static_cast<unsigned long long>(hundredths % 100));
  return buf;
}

Segment segment_of(std::uint32_t date_count) { return band_of_date_count(date_count).segment; }

std::string_view name_of(Segment s) { return band_of(s).name; }

} // namespace bda
