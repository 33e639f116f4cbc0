#include "bda/model/category.hpp"

namespace bda {

std::optional<Category> category_from_name(std::string_view name) {
  for (Category c : kCanonicalCategories)
    if (name_of(c) == name) return c;
  return std::nullopt;
}

} // namespace bda
