// SPEC §4 and §5 final values: MostWatch, Taste, Activeness and the customer segment.
#include "bda/aggregate/profile.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

using namespace bda;

namespace {

using Durations = std::array<std::int64_t, kCategoryCount>;

//! Durations in canonical order: Child, Movie, Sport, TV, Relax.
Durations d(std::int64_t child, std::int64_t movie, std::int64_t sport, std::int64_t tv, std::int64_t relax) {
  return {child, movie, sport, tv, relax};
}

std::string most_watch_name(const Durations& x) {
  auto c = most_watch(x);
  return c ? std::string(name_of(*c)) : std::string();
}

} // namespace

TEST_CASE("Profile: MostWatch is the category with the largest duration", "[aggregate]") {
  CHECK(most_watch_name(d(1, 2, 3, 4, 5)) == "Relax");
  CHECK(most_watch_name(d(5, 4, 3, 2, 1)) == "Child");
  CHECK(most_watch_name(d(0, 0, 0, 7, 0)) == "TV");
  CHECK(most_watch_name(d(0, 1, 0, 0, 0)) == "Movie");
  CHECK(most_watch_name(d(0, 0, 9, 8, 0)) == "Sport");
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  CHECK(most_watch_name(d(max - 1, 0, 0, 0, max)) == "Relax");
}

TEST_CASE("Profile: a MostWatch tie goes to the earlier canonical category", "[aggregate]") {
  CHECK(most_watch_name(d(5, 5, 5, 5, 5)) == "Child");
  CHECK(most_watch_name(d(0, 5, 5, 5, 5)) == "Movie");
  CHECK(most_watch_name(d(0, 0, 5, 5, 5)) == "Sport");
  CHECK(most_watch_name(d(0, 0, 0, 5, 5)) == "TV");
  CHECK(most_watch_name(d(1, 0, 3, 3, 2)) == "Sport");
  CHECK(most_watch_name(d(4, 0, 0, 0, 4)) == "Child");
}

TEST_CASE("Profile: MostWatch is empty when all five durations are 0", "[aggregate]") {
  CHECK_FALSE(most_watch(d(0, 0, 0, 0, 0)).has_value());
  CHECK(most_watch_name(d(0, 0, 0, 0, 0)).empty());
}

TEST_CASE("Profile: Taste joins the categories with duration > 0 in canonical order", "[aggregate]") {
  CHECK(taste(d(1, 1, 1, 1, 1)) == "Child-Movie-Sport-TV-Relax");
  CHECK(taste(d(3, 2, 0, 1, 0)) == "Child-Movie-TV");
  CHECK(taste(d(0, 0, 0, 0, 9)) == "Relax");
  CHECK(taste(d(0, 0, 0, 1, 1)) == "TV-Relax");
  CHECK(taste(d(0, 7, 7, 0, 0)) == "Movie-Sport");
  CHECK(taste(d(0, 0, 0, 0, 0)).empty());
}

TEST_CASE("Profile: Activeness is rounded half-up to exactly two decimals", "[aggregate]") {
  CHECK(activeness(1, 30) == "3.33");
  CHECK(activeness(2, 30) == "6.67");
  CHECK(activeness(13, 30) == "43.33");
  CHECK(activeness(29, 30) == "96.67");
  CHECK(activeness(30, 30) == "100.00");
  CHECK(activeness(1, 8) == "12.50");   // exact, no rounding
  CHECK(activeness(1, 200) == "0.50");
  CHECK(activeness(1, 400) == "0.25");
  CHECK(activeness(1, 3) == "33.33");
  CHECK(activeness(2, 3) == "66.67");
  CHECK(activeness(1, 1) == "100.00");
  CHECK(activeness(1, 2) == "50.00");
  CHECK(activeness(3, 4) == "75.00");
  CHECK(activeness(1, 31) == "3.23");
  CHECK(activeness(16, 31) == "51.61");
  CHECK(activeness(1, 7) == "14.29");
  CHECK(activeness(0, 30) == "0.00");
}

TEST_CASE("Profile: Activeness rounds exact halves of a hundredth up", "[aggregate]") {
  CHECK(activeness(1, 16) == "6.25");     // 6.25 exactly
  CHECK(activeness(1, 32) == "3.13");     // 3.125 -> 3.13
  CHECK(activeness(3, 32) == "9.38");     // 9.375 -> 9.38
  CHECK(activeness(1, 800) == "0.13");    // 0.125 -> 0.13
  CHECK(activeness(1, 1600) == "0.06");   // 0.0625 -> 0.06
  CHECK(activeness(1, 2000) == "0.05");   // exact
  CHECK(activeness(1, 40000) == "0.00");  // 0.0025 -> 0.00
  CHECK(activeness(1, 20000) == "0.01");  // 0.005 -> 0.01
  CHECK(activeness(7, 64) == "10.94");    // 10.9375 -> 10.94
}

TEST_CASE("Profile: the segment follows the SPEC §5 DateCount bands", "[aggregate]") {
  CHECK(segment_of(1) == Segment::AtRisk);
  CHECK(segment_of(6) == Segment::AtRisk);
  CHECK(segment_of(7) == Segment::NeedAttention);
  CHECK(segment_of(13) == Segment::NeedAttention);
  CHECK(segment_of(14) == Segment::Valuable);
  CHECK(segment_of(20) == Segment::Valuable);
  CHECK(segment_of(21) == Segment::Loyal);
  CHECK(segment_of(31) == Segment::Loyal);
  CHECK(name_of(Segment::AtRisk) == "At Risk Customer");
  CHECK(name_of(Segment::NeedAttention) == "Need Attention Customer");
  CHECK(name_of(Segment::Valuable) == "Valuable Customer");
  CHECK(name_of(Segment::Loyal) == "Loyal Customer");
}
