// The five viewing categories in canonical order (SPEC §4): columns, ties and Taste follow it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace bda {

enum class Category : std::uint8_t { Child = 0, Movie = 1, Sport = 2, TV = 3, Relax = 4 };

inline constexpr std::size_t kCategoryCount = 5;

inline constexpr std::array<Category, kCategoryCount> kCanonicalCategories = {
    Category::Child, Category::Movie, Category::Sport, Category::TV, Category::Relax};

inline constexpr std::array<std::string_view, kCategoryCount> kCategoryNames = {"Child", "Movie", "Sport", "TV",
                                                                              "Relax"};

constexpr std::size_t index_of(Category c) { return static_cast<std::size_t>(c); }
constexpr std::string_view name_of(Category c) { return kCategoryNames[index_of(c)]; }

//! Exact (case-sensitive) lookup of a canonical name such as "Movie".
std::optional<Category> category_from_name(std::string_view name);

} // namespace bda
