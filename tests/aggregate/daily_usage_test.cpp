// Per-day usage: sessions and durations per day and category, checked sums, the rank-0 gather form.
#include "bda/aggregate/daily_usage.hpp"

#include "bda/core/error.hpp"
#include "support/error_message.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace bda;
using bda::testing::error_message_of;

namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::uint64_t kMaxCount = std::numeric_limits<std::uint64_t>::max();

//! 2022-04-01, 2022-04-03, 2022-04-10: a list selection, so day index and date differ.
std::vector<Date> three_dates() {
  return {Date::parse_iso("2022-04-01"), Date::parse_iso("2022-04-03"), Date::parse_iso("2022-04-10")};
}

} // namespace

TEST_CASE("Daily usage: records add sessions and durations per day and category", "[aggregate]") {
  DailyUsage u(three_dates());
  u.add_record(0, Category::TV, 10);
  u.add_record(0, Category::TV, 5);
  u.add_record(2, Category::Sport, 7);
  u.add_record(2, Category::Child, 0);
  u.total_categories();
  const auto& d = u.days();
  REQUIRE(d.size() == 3);
  CHECK(d[0].sessions[index_of(Category::TV)] == 2);
  CHECK(d[0].duration[index_of(Category::TV)] == 15);
  CHECK(d[0].sessions[kAllCategories] == 2);
  CHECK(d[1].sessions[kAllCategories] == 0);
  CHECK(d[2].sessions[kAllCategories] == 2);
  CHECK(d[2].duration[kAllCategories] == 7);
  CHECK(u.dates() == three_dates());
  CHECK(DailyUsage(3).dates().empty());
}

TEST_CASE("Daily usage: a day's duration may reach 2^63-1 but not pass it", "[aggregate]") {
  DailyUsage u(three_dates());
  u.add_record(1, Category::Sport, kMax - 1);
  u.add_record(1, Category::Sport, 1); // exactly 2^63-1
  CHECK(u.days()[1].duration[index_of(Category::Sport)] == static_cast<std::uint64_t>(kMax));
  const std::string message = error_message_of<DataQualityError>([&] { u.add_record(1, Category::Sport, 1); });
  CHECK_THAT(message, Catch::Contains("2022-04-03"));
  CHECK_THAT(message, Catch::Contains("Sport"));
  CHECK_THAT(message, Catch::Contains("duration"));
  CHECK_THAT(message, Catch::Contains("2^63-1"));
  CHECK(u.days()[1].duration[index_of(Category::Sport)] == static_cast<std::uint64_t>(kMax)); // unchanged
  // Another category of the same day, and the same category of another day, still have room.
  u.add_record(1, Category::TV, kMax);
  u.add_record(2, Category::Sport, kMax);
}

TEST_CASE("Daily usage: without dates, the message names the day index", "[aggregate]") {
  DailyUsage u(5);
  u.add_record(4, Category::Movie, kMax);
  const std::string message = error_message_of<DataQualityError>([&] { u.add_record(4, Category::Movie, 2); });
  CHECK_THAT(message, Catch::Contains("day index 4"));
  CHECK_THAT(message, Catch::Contains("Movie"));
}

TEST_CASE("Daily usage: the all-categories total of a day may not pass 2^63-1", "[aggregate]") {
  DailyUsage u(three_dates());
  u.add_record(2, Category::TV, kMax / 2 + 1);
  u.add_record(2, Category::Movie, kMax / 2 + 1); // each fits, together 2^63
  const std::string message = error_message_of<DataQualityError>([&] { u.total_categories(); });
  CHECK_THAT(message, Catch::Contains("2022-04-10"));
  CHECK_THAT(message, Catch::Contains("all-categories duration"));

  DailyUsage fits(three_dates());
  fits.add_record(2, Category::TV, kMax / 2);
  fits.add_record(2, Category::Movie, kMax / 2 + 1);
  fits.total_categories();
  CHECK(fits.days()[2].duration[kAllCategories] == static_cast<std::uint64_t>(kMax));
}

TEST_CASE("Daily usage: ranks' words gathered on rank 0 add up with from_words and +=", "[aggregate]") {
  DailyUsage rank0(three_dates()), rank1(three_dates());
  rank0.add_record(0, Category::TV, 10);
  rank1.add_record(0, Category::TV, 20);
  rank1.add_record(2, Category::Relax, 3);
  rank0.days()[0].customers[index_of(Category::TV)] = 4; // after count_customers()
  rank1.days()[0].customers[index_of(Category::TV)] = 6;

  DailyUsage total = DailyUsage::from_words(rank0.to_words(), three_dates());
  total += DailyUsage::from_words(rank1.to_words(), three_dates());
  total.total_categories();
  const auto& d = total.days();
  CHECK(d[0].sessions[index_of(Category::TV)] == 2);
  CHECK(d[0].duration[index_of(Category::TV)] == 30);
  CHECK(d[0].customers[index_of(Category::TV)] == 10);
  CHECK(d[2].duration[kAllCategories] == 3);
  CHECK(total.dates() == three_dates());
  CHECK(DailyUsage::from_words(total.to_words(), 3).to_words() == total.to_words());
  CHECK_THROWS_AS(DailyUsage::from_words(std::vector<std::uint64_t>(7), 3), std::invalid_argument);
}

TEST_CASE("Daily usage: += of two partial days whose duration passes 2^63-1 throws, naming day and category",
          "[aggregate]") {
  DailyUsage a(three_dates()), b(three_dates());
  a.add_record(1, Category::Child, kMax - 100);
  b.add_record(1, Category::Child, 101);
  const std::string message = error_message_of<DataQualityError>([&] { a += b; });
  CHECK_THAT(message, Catch::Contains("2022-04-03"));
  CHECK_THAT(message, Catch::Contains("Child duration"));
  // The gather form behaves alike: from_words of each rank, then +=.
  DailyUsage total = DailyUsage::from_words(DailyUsage(three_dates()).to_words(), three_dates());
  total += DailyUsage::from_words(a.to_words(), three_dates());
  CHECK_THROWS_AS(total += DailyUsage::from_words(b.to_words(), three_dates()), DataQualityError);
}

TEST_CASE("Daily usage: += checks session and customer counts too", "[aggregate]") {
  DailyUsage a(three_dates()), b(three_dates());
  a.days()[0].sessions[index_of(Category::Relax)] = kMaxCount;
  b.add_record(0, Category::Relax, 1);
  CHECK_THAT(error_message_of<DataQualityError>([&] { a += b; }), Catch::Contains("Relax session count of 2022-04-01"));

  DailyUsage c(three_dates()), e(three_dates());
  c.days()[2].customers[kAllCategories] = kMaxCount - 1;
  e.days()[2].customers[kAllCategories] = 2;
  CHECK_THAT(error_message_of<DataQualityError>([&] { c += e; }), Catch::Contains("all-categories customer count of 2022-04-10"));

  DailyUsage f(three_dates());
  f.days()[1].sessions[index_of(Category::TV)] = kMaxCount;
  CHECK_THAT(error_message_of<DataQualityError>([&] { f.add_record(1, Category::TV, 0); }), Catch::Contains("TV session count"));
}

TEST_CASE("Daily usage: a duration word past 2^63-1 (a wrapped MPI sum) is refused by from_words", "[aggregate]") {
  DailyUsage a(three_dates());
  a.add_record(2, Category::Movie, kMax);
  std::vector<std::uint64_t> words = a.to_words();
  for (std::uint64_t& w : words) w *= 2; // what MPI_SUM of two such ranks gives: 2^64-2, no wrap yet
  CHECK_THAT(error_message_of<DataQualityError>([&] { DailyUsage::from_words(words, three_dates()); }),
             Catch::Contains("Movie duration of 2022-04-10"));
  CHECK_THROWS_AS(DailyUsage::from_words(words, 3), DataQualityError);
}

TEST_CASE("Daily usage: += refuses a different day set", "[aggregate]") {
  DailyUsage a(three_dates());
  CHECK_THROWS_AS(a += DailyUsage(2), std::invalid_argument);
  std::vector<Date> other = three_dates();
  other[2] = Date::parse_iso("2022-04-11");
  CHECK_THROWS_AS(a += DailyUsage(other), std::invalid_argument);
  DailyUsage counted(3);
  counted += a; // a day count takes the dates of what it adds
  CHECK(counted.dates() == three_dates());
}
