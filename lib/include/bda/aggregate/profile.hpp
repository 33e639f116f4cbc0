// Final per-customer values computed from a merged ContractState (SPEC §4, §5): rank-local, exact.
#pragma once

#include "bda/aggregate/contract_table.hpp"
#include "bda/aggregate/segment_bands.hpp"
#include "bda/model/category.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bda {

//! The category with the largest duration; ties go to the earlier canonical one; none if all 0.
std::optional<Category> most_watch(const std::array<std::int64_t, kCategoryCount>& duration);

//! Categories with duration > 0 in canonical order joined by '-', e.g. "Child-Movie-TV".
std::string taste(const std::array<std::int64_t, kCategoryCount>& duration);

//! date_count / selected_days x 100 rounded half-up to two decimals, e.g. "43.33".
std::string activeness(std::uint32_t date_count, std::uint32_t selected_days);

//! SPEC §5 bands (kSegmentBands): 1-6, 7-13, 14-20, 21 and more.
Segment segment_of(std::uint32_t date_count);
std::string_view name_of(Segment s);

} // namespace bda
