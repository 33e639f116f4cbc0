// The fixed vocabularies the API filters and sorts by: SPEC §5 segments, §4 categories and tastes.
#pragma once

#include "bda/aggregate/segment_bands.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace bda::dashboard {

//! SPEC §5, in order of activity (segment_rank 1-4 in the views).
inline constexpr std::array<std::string_view, kSegmentCount> kSegments = segment_names();

//! The DateCount range of each segment of kSegments (SPEC §5); the open top band ends at 31, the
//! most days a month has.
struct DateCountRange {
  unsigned from;
  unsigned to;
};
constexpr std::array<DateCountRange, kSegmentCount> segment_date_counts() {
  std::array<DateCountRange, kSegmentCount> ranges{};
  for (std::size_t i = 0; i < kSegmentCount; ++i)
    ranges[i] = {kSegmentBands[i].first, kSegmentBands[i].last == kNoUpperBound ? 31u : kSegmentBands[i].last};
  return ranges;
}
inline constexpr std::array<DateCountRange, kSegmentCount> kSegmentDateCounts = segment_date_counts();

//! The filter value for a customer without MostWatch (all durations 0) or with an empty Taste.
inline constexpr std::string_view kNone = "none";

//! The 31 non-empty tastes: subsets of the categories in canonical order, joined by '-'.
const std::vector<std::string>& all_tastes();

//! A column of /api/customers that may be sorted by: its API name and the SQL that sorts it.
//! contract, total_duration, date_count and activeness follow an index (008), so any page of
//! them is read by index; the others sort the period's customers first.
struct SortColumn {
  std::string_view name;
  std::string_view sql;  //!< a column of v_customer_segment, never user text
  std::string_view mark; //!< its customer_page_mark.sort_key (011), empty when the order has none
};

inline constexpr std::array<SortColumn, 12> kSortColumns = {{
    {"contract", "contract_bytes", "contract"},
    {"child_duration", "ChildDuration", ""},
    {"movie_duration", "MovieDuration", ""},
    {"sport_duration", "SportDuration", ""},
    {"tv_duration", "TVDuration", ""},
    {"relax_duration", "RelaxDuration", ""},
    {"total_duration", "TotalDuration", "total"},
    {"most_watch", "MostWatch", ""},
    {"taste", "Taste", ""},
    {"date_count", "DateCount", "date_count"},
    {"activeness", "DateCount", "date_count"}, // within a period Activeness orders exactly like DateCount (indexed)
    {"segment", "segment_rank", ""},
}};

//! The whitelisted column named `name`, or nullptr.
const SortColumn* find_sort_column(std::string_view name);

//! "a, b, c": the names of a list, for error messages.
template <typename Range>
std::string join_names(const Range& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

} // namespace bda::dashboard
