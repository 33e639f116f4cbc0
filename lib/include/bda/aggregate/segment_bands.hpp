// SPEC §5's segments by DateCount: the one definition the CSV, the dashboard and the report use.
// The warehouse's SQL (sql/migrations) cannot include it; tests/aggregate/segment_bands_test.cpp
// fails when the migrations' CASE expressions and this table disagree.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace bda {

enum class Segment : std::uint8_t { AtRisk, NeedAttention, Valuable, Loyal };

inline constexpr std::size_t kSegmentCount = 4;

//! The `last` of the open-ended top band.
inline constexpr std::uint32_t kNoUpperBound = std::numeric_limits<std::uint32_t>::max();

struct SegmentBand {
  Segment segment;
  std::string_view name; //!< the CSV's and the warehouse's Segment value
  std::uint32_t first;   //!< smallest DateCount of the band
  std::uint32_t last;    //!< largest DateCount, or kNoUpperBound
};

//! In order of activity: index i is Segment i and segment_rank i + 1 in the warehouse views.
inline constexpr std::array<SegmentBand, kSegmentCount> kSegmentBands = {{
    {Segment::AtRisk, "At Risk Customer", 1, 6},
    {Segment::NeedAttention, "Need Attention Customer", 7, 13},
    {Segment::Valuable, "Valuable Customer", 14, 20},
    {Segment::Loyal, "Loyal Customer", 21, kNoUpperBound},
}};

constexpr bool segment_bands_tile_from_one() {
  std::uint32_t next = 1;
  for (std::size_t i = 0; i < kSegmentCount; ++i) {
    const SegmentBand& b = kSegmentBands[i];
    if (static_cast<std::size_t>(b.segment) != i || b.first != next || b.last < b.first) return false;
    if (b.last == kNoUpperBound) return i + 1 == kSegmentCount;
    next = b.last + 1;
  }
  return false;
}
static_assert(segment_bands_tile_from_one(), "the bands must cover 1, 2, ... without gaps, in Segment order, "
                                             "and only the last may be open-ended");

constexpr const SegmentBand& band_of(Segment s) { return kSegmentBands[static_cast<std::size_t>(s)]; }

//! The band holding `date_count` (0, which no customer has, falls in the first).
constexpr const SegmentBand& band_of_date_count(std::uint32_t date_count) {
  for (const SegmentBand& b : kSegmentBands)
    if (date_count <= b.last) return b;
  return kSegmentBands.back(); // unreachable: the last band is open-ended
}

//! The names in band order.
constexpr std::array<std::string_view, kSegmentCount> segment_names() {
  std::array<std::string_view, kSegmentCount> names{};
  for (std::size_t i = 0; i < kSegmentCount; ++i) names[i] = kSegmentBands[i].name;
  return names;
}

//! "1-6", ..., "21+".
inline std::string date_count_label(const SegmentBand& b) {
  return std::to_string(b.first) + (b.last == kNoUpperBound ? "+" : "-" + std::to_string(b.last));
}

} // namespace bda
