// Calendar days: strict ISO parsing, months, stepping and the day file's compact stem.
#include "bda/core/date.hpp"

#include "bda/core/error.hpp"

#include <catch2/catch.hpp>

using namespace bda;

TEST_CASE("Date: parse_iso reads exactly YYYY-MM-DD", "[core]") {
  const Date d = Date::parse_iso("2022-04-01");
  CHECK(d.iso() == "2022-04-01");
  CHECK(d.compact() == "20220401");
  CHECK(Date::parse_iso("1970-01-01").days_since_epoch() == 0);
  CHECK(Date::parse_iso("1970-01-02").days_since_epoch() == 1);
  CHECK(Date::parse_iso("1969-12-31").days_since_epoch() == -1);
  CHECK(Date::parse_iso("2024-02-29").iso() == "2024-02-29");
  CHECK(Date::parse_iso("2000-02-29").iso() == "2000-02-29");
  CHECK(Date::parse_iso("2022-12-31").next().iso() == "2023-01-01");
}

TEST_CASE("Date: parse_iso rejects anything that is not a real calendar day", "[core]") {
  for (std::string_view bad : {"2022-02-30", "2022-02-29", "1900-02-29", "2022-04-31", "2022-13-01", "2022-00-10",
                               "2022-01-00", "2022-4-1", "2022-04-1", "22-04-01", "2022/04/01", "20220401",
                               "2022-04-01 ", " 2022-04-01", "2022-04-01T00", "2022-0a-01", "+022-04-01",
                               "2022--4-01", "", "2022-04-+1"}) {
    INFO("'" << bad << "'");
    CHECK_THROWS_AS(Date::parse_iso(bad), UsageError);
  }
}

TEST_CASE("Date: parse_month gives the first day of the month", "[core]") {
  CHECK(Date::parse_month("2022-04").iso() == "2022-04-01");
  CHECK(Date::parse_month("2024-02").last_of_month().iso() == "2024-02-29");
  CHECK(Date::parse_month("2023-02").last_of_month().iso() == "2023-02-28");
  CHECK(Date::parse_month("2022-04").last_of_month().iso() == "2022-04-30");
  CHECK(Date::parse_month("2022-12").last_of_month().iso() == "2022-12-31");
  for (std::string_view bad : {"2022-13", "2022-00", "2022-4", "2022-04-01", "202204", "", "2022-0x"}) {
    INFO("'" << bad << "'");
    CHECK_THROWS_AS(Date::parse_month(bad), UsageError);
  }
}

TEST_CASE("Date: days order and step one at a time", "[core]") {
  const Date a = Date::parse_iso("2022-04-30"), b = Date::parse_iso("2022-05-01");
  CHECK(a < b);
  CHECK(a.next() == b);
  CHECK(Date::from_days(a.days_since_epoch() + 1) == b);
  CHECK(Date::parse_iso("2024-02-28").next().iso() == "2024-02-29");
  CHECK(Date::parse_iso("2024-02-29").next().iso() == "2024-03-01");
}

TEST_CASE("Date: a bad date's error message quotes the text", "[core]") {
  try {
    Date::parse_iso("2022-02-30");
    FAIL("accepted 2022-02-30");
  } catch (const UsageError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("2022-02-30"));
  }
}
