// The selected days: ranges, months and lists, always sorted and de-duplicated.
#include "bda/lake/day_selection.hpp"

#include "bda/core/error.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace bda;

namespace {

Date day(std::string_view iso) { return Date::parse_iso(iso); }

std::vector<std::string> isos(const DaySelection& s) {
  std::vector<std::string> out;
  for (const Date& d : s.days()) out.push_back(d.iso());
  return out;
}

} // namespace

TEST_CASE("Day selection: a range is inclusive at both ends", "[lake]") {
  const DaySelection s = DaySelection::range(day("2022-04-01"), day("2022-04-04"));
  CHECK(isos(s) == std::vector<std::string>{"2022-04-01", "2022-04-02", "2022-04-03", "2022-04-04"});
  CHECK(s.size() == 4);
  CHECK(s.first() == day("2022-04-01"));
  CHECK(s.last() == day("2022-04-04"));
  CHECK(s.describe() == "2022-04-01..2022-04-04 (4 days)");
  const DaySelection one = DaySelection::range(day("2022-04-01"), day("2022-04-01"));
  CHECK(one.size() == 1);
  CHECK(one.describe() == "2022-04-01 (1 day)");
  CHECK(DaySelection::range(day("2022-12-30"), day("2023-01-02")).size() == 4);
}

TEST_CASE("Day selection: a range that ends before it starts is a UsageError", "[lake]") {
  CHECK_THROWS_AS(DaySelection::range(day("2022-04-02"), day("2022-04-01")), UsageError);
}

TEST_CASE("Day selection: a month holds all its days, 29 for February in a leap year", "[lake]") {
  CHECK(DaySelection::month(day("2022-04-17")).size() == 30);
  CHECK(DaySelection::month(day("2022-04-17")).first() == day("2022-04-01"));
  CHECK(DaySelection::month(day("2022-04-17")).last() == day("2022-04-30"));
  const DaySelection feb = DaySelection::month(day("2024-02-10"));
  CHECK(feb.size() == 29);
  CHECK(feb.last() == day("2024-02-29"));
  CHECK(DaySelection::month(day("2023-02-01")).size() == 28);
  CHECK(DaySelection::month(day("1900-02-01")).size() == 28);
  CHECK(DaySelection::month(day("2000-02-01")).size() == 29);
  CHECK(DaySelection::month(day("2022-12-31")).size() == 31);
}

TEST_CASE("Day selection: a list is sorted and de-duplicated", "[lake]") {
  const DaySelection s({day("2022-04-15"), day("2022-04-01"), day("2022-04-15"), day("2022-03-31"),
                        day("2022-04-01")});
  CHECK(isos(s) == std::vector<std::string>{"2022-03-31", "2022-04-01", "2022-04-15"});
  CHECK(s.size() == 3);
  CHECK(DaySelection().empty());
  CHECK(DaySelection().describe() == "no days");
}
