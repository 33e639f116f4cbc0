#include "bda/dashboard/dimensions.hpp"

#include "bda/model/category.hpp"

namespace bda::dashboard {

const std::vector<std::string>& all_tastes() {
  static const std::vector<std::string> tastes = [] {
    std::vector<std::string> out;
    for (unsigned mask = 1; mask < (1U << kCategoryCount); ++mask) {
      std::string taste;
      for (std::size_t i = 0; i < kCategoryCount; ++i) {
        if ((mask & (1U << i)) == 0) continue;
        if (!taste.empty()) taste += '-';
        taste += kCategoryNames[i];
      }
      out.push_back(std::move(taste));
    }
    return out;
  }();
  return tastes;
}

const SortColumn* find_sort_column(std::string_view name) {
  for (const SortColumn& c : kSortColumns)
    if (c.name == name) return &c;
  return nullptr;
}

} // namespace bda::dashboard
