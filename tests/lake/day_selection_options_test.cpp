// The --month / --from --to / --date options of bda-etl and bda-gen: one way exactly, and errors
// that name the option at fault.
#include "bda/lake/day_selection_options.hpp"

#include "bda/core/error.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace bda;

namespace {

std::string usage_error_of(const DaySelectionArgs& args) {
  try {
    day_selection_from(args);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("Day selection options: a month, a range or a list of dates", "[lake]") {
  DaySelectionArgs month;
  month.month = "2022-04";
  CHECK(day_selection_from(month).describe() == "2022-04-01..2022-04-30 (30 days)");
  DaySelectionArgs range;
  range.from = "2022-02-27";
  range.to = "2022-03-02";
  CHECK(day_selection_from(range).describe() == "2022-02-27..2022-03-02 (4 days)");
  DaySelectionArgs dates;
  dates.dates = {"2022-04-15", "2022-04-01", "2022-04-15"};
  const DaySelection list = day_selection_from(dates);
  REQUIRE(list.size() == 2); // sorted, de-duplicated
  CHECK(list.first().iso() == "2022-04-01");
  CHECK(list.last().iso() == "2022-04-15");
}

TEST_CASE("Day selection options: exactly one way to choose the days", "[lake]") {
  CHECK(usage_error_of({}) == "choose the days: --month YYYY-MM, --from DATE --to DATE, or --date DATE");
  DaySelectionArgs two;
  two.month = "2022-04";
  two.dates = {"2022-04-01"};
  CHECK(usage_error_of(two) == "--date, --from/--to and --month are alternatives; give only one of them");
  DaySelectionArgs from_only;
  from_only.from = "2022-04-01";
  CHECK(usage_error_of(from_only) == "--from needs --to");
  DaySelectionArgs to_only;
  to_only.to = "2022-04-01";
  CHECK(usage_error_of(to_only) == "--to needs --from");
}

TEST_CASE("Day selection options: a bad value names its option", "[lake]") {
  DaySelectionArgs month;
  month.month = "2022-13";
  CHECK_THAT(usage_error_of(month), Catch::StartsWith("--month: ") && Catch::Contains("2022-13"));
  DaySelectionArgs from;
  from.from = "2022-02-30";
  from.to = "2022-03-01";
  CHECK_THAT(usage_error_of(from), Catch::StartsWith("--from: ") && Catch::Contains("2022-02-30"));
  DaySelectionArgs backwards;
  backwards.from = "2022-04-02";
  backwards.to = "2022-04-01";
  CHECK(usage_error_of(backwards) == "--to 2022-04-01 is before --from 2022-04-02");
  DaySelectionArgs date;
  date.dates = {"2022-04-01", "April"};
  CHECK_THAT(usage_error_of(date), Catch::StartsWith("--date: ") && Catch::Contains("April"));
}
