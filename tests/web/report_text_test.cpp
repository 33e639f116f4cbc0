// The written summary: each rule of docs/report.md ("The written summary") on hand-made figures.
#include "bda/report/report_text.hpp"

#include "bda/core/error.hpp"
#include "bda/report/report_format.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace bda;
using namespace bda::report;

namespace {

//! Replaces the no-break spaces by plain ones, so that the expectations read naturally.
std::string plain(std::string s) {
  const std::string nbsp(kNbsp);
  for (std::size_t at; (at = s.find(nbsp)) != std::string::npos;) s.replace(at, nbsp.size(), " ");
  return s;
}

std::string topic(const ReportData& d, const std::string& name) {
  for (const SummaryParagraph& p : summarize(d))
    if (p.topic == name) return plain(p.text);
  FAIL("no paragraph " << name);
  return {};
}

//! April 2022: 100 customers, 1,000,000 s; segments 50/25/15/10; TV > Movie > Sport > Child > Relax.
ReportData april() {
  ReportData d;
  d.period = {Date::parse_iso("2022-04-01"), Date::parse_iso("2022-04-30")};
  d.metrics.customers = 100;
  d.metrics.total_duration = 1'000'000;
  d.metrics.avg_per_month = Fixed2{1'000'000};
  d.metrics.avg_per_week = Fixed2{250'000};
  d.metrics.avg_per_day = Fixed2{35'714};
  d.segments = {{{50, 100'000, {}}, {25, 200'000, {}}, {15, 300'000, {}}, {10, 400'000, {}}}};
  d.categories = {{{50'000, 10, 5}, {300'000, 60, 30}, {100'000, 20, 5}, {500'000, 90, 55}, {50'000, 10, 5}}};
  d.date_count_customers.assign(31, 0);
  d.date_count_customers[1] = 40;
  d.date_count_customers[10] = 50;
  d.date_count_customers[30] = 10;
  for (int day = 0; day < 30; ++day) {
    DailyFigures f;
    f.date = Date::from_days(d.period.start.days_since_epoch() + day);
    f.active_customers = day < 7 ? 40 : (day >= 23 ? 44 : 42);
    f.total_duration = 36'000;
    d.daily.push_back(f);
  }
  d.daily[20].active_customers = 60; // the busiest day: Thursday 21 April 2022
  d.daily[25].active_customers = 30; // the quietest: Tuesday 26 April 2022
  return d;
}

} // namespace

TEST_CASE("Report text: the paragraphs come in a fixed order", "[report]") {
  const auto paragraphs = summarize(april());
  REQUIRE(paragraphs.size() == 5);
  CHECK(paragraphs[0].topic == "Overview");
  CHECK(paragraphs[1].topic == "Segments");
  CHECK(paragraphs[2].topic == "Categories");
  CHECK(paragraphs[3].topic == "Activity");
  CHECK(paragraphs[4].topic == "Activeness");
}

TEST_CASE("Report text: overview states the period, customers, total and the SPEC 6 averages", "[report]") {
  CHECK(topic(april(), "Overview") ==
        "Between 1 April 2022 and 30 April 2022 (30 days), 100 customers watched for a total duration of "
        "1,000,000 s (277.8 h). By the metric definitions (a month of four weeks of seven days), a customer "
        "watched 10,000.00 s on average over the period, 2,500.00 s a week and 357.14 s a day.");
  ReportData one = april();
  one.period.end = one.period.start;
  one.metrics.customers = 1;
  CHECK(topic(one, "Overview").starts_with("On 1 April 2022, 1 customer watched"));
}

TEST_CASE("Report period: a key names a range or a list of days, and a list counts its own days", "[report]") {
  const Period range = Period::of_key("2022-04-01..2022-04-30");
  CHECK(range.listed.empty());
  CHECK(range.days() == 30);
  CHECK(range.key() == "2022-04-01..2022-04-30");
  const Period list = Period::of_key("2022-04-01..2022-04-15/8002");
  CHECK(list.days() == 2);
  CHECK(list.key() == "2022-04-01..2022-04-15/8002");
  CHECK(list.selects(Date::parse_iso("2022-04-15")));
  CHECK_FALSE(list.selects(Date::parse_iso("2022-04-02")));
  CHECK_THROWS_AS(Period::of_key("2022-04-01/2022-04-15"), bda::UsageError);
  ReportData two = april();
  two.period = list;
  CHECK(topic(two, "Overview").starts_with("Between 1 April 2022 and 15 April 2022 (2 selected days), 100 customers"));
}

TEST_CASE("Report text: segments by size with shares; empty segments named; the Loyal share", "[report]") {
  CHECK(topic(april(), "Segments") ==
        "The largest segment is At Risk Customer with 50 customers (50.0 %), followed by Need Attention Customer "
        "(25, 25.0 %), Valuable Customer (15, 15.0 %) and Loyal Customer (10, 10.0 %). Loyal customers (active on "
        "21 days or more) make up 10.0 % of the customers and account for 40.0 % of the viewing time.");
  ReportData d = april();
  d.segments[3] = {};
  d.segments[2] = {};
  d.segments[0].customers = 75;
  CHECK(topic(d, "Segments") == "The largest segment is At Risk Customer with 75 customers (75.0 %), followed by "
                                "Need Attention Customer (25, 25.0 %). No customer is in the Valuable Customer and "
                                "Loyal Customer segments.");
  d.segments[1] = {};
  d.segments[0].customers = 100;
  CHECK(topic(d, "Segments").starts_with("All 100 customers are in the At Risk Customer segment."));
  // A tie in size keeps the order of activity.
  ReportData tie = april();
  tie.segments[0].customers = 25;
  CHECK(topic(tie, "Segments").starts_with("The largest segment is At Risk Customer with 25 customers (25.0 %), "
                                           "followed by Need Attention Customer (25, 25.0 %)"));
}

TEST_CASE("Report text: top three categories, the rest together, the favourite", "[report]") {
  CHECK(topic(april(), "Categories") ==
        "TV accounts for 50.0 % of the viewing time, followed by Movie (30.0 %) and Sport (10.0 %). The other 2 "
        "categories (Child and Relax) account for 10.0 %. TV is the most-watched category (MostWatch) of 55 "
        "customers (55.0 % of all customers).");
  ReportData d = april();
  d.categories[0].total_duration = 0;
  d.categories[4].total_duration = 0;
  d.metrics.total_duration = 900'000;
  d.categories[3].most_watch_customers = 50; // 5 customers without MostWatch
  CHECK(topic(d, "Categories") ==
        "TV accounts for 55.6 % of the viewing time, followed by Movie (33.3 %) and Sport (11.1 %). Nobody watched "
        "Child and Relax. TV is the most-watched category (MostWatch) of 50 customers (50.0 % of all customers). "
        "5 customers have no viewing time in any category.");
  for (auto& c : d.categories) c = {};
  d.metrics.total_duration = 0;
  CHECK(topic(d, "Categories").starts_with("No viewing time was recorded in any category."));
}

TEST_CASE("Report text: activity compares the first and last week and names the extreme days", "[report]") {
  CHECK(topic(april(), "Activity") ==
        "Daily active customers averaged 40.0 in the first week (1-7 April 2022) and 42.0 in the last week "
        "(24-30 April 2022), up 5.0 %. The busiest day was Thursday 21 April 2022 with 60 customers active and "
        "10.0 h watched; the quietest was Tuesday 26 April 2022 with 30 customers.");
  ReportData flat = april();
  for (DailyFigures& f : flat.daily) f.active_customers = 1000;
  flat.daily[29].active_customers = 1050; // last week averages 1,007.1: +0.7 %
  CHECK(topic(flat, "Activity").starts_with("Daily active customers averaged 1,000.0 in the first week "
                                            "(1-7 April 2022) and 1,007.1 in the last week (24-30 April 2022), "
                                            "nearly flat (up 0.7 %)."));
  flat.daily[29].active_customers = 1000;
  CHECK(topic(flat, "Activity").find("unchanged. The busiest day was Friday 1 April 2022") != std::string::npos);
}

TEST_CASE("Report text: short periods, missing days and an empty mart", "[report]") {
  ReportData week = april();
  week.period.end = Date::parse_iso("2022-04-07");
  week.daily.resize(7);
  week.daily[0].active_customers = 50;
  week.daily[6].active_customers = 40;
  CHECK(topic(week, "Activity").starts_with("Active customers went from 50 on Friday 1 April 2022 to 40 on "
                                            "Thursday 7 April 2022, down 20.0 %."));
  ReportData gaps = april();
  gaps.daily.erase(gaps.daily.begin() + 10, gaps.daily.begin() + 12);
  CHECK(topic(gaps, "Activity").starts_with("The data mart has figures for 28 of the 30 days. "));
  ReportData none = april();
  none.daily.clear();
  CHECK(topic(none, "Activity") ==
        "The data mart (daily_statistics) holds no day of this period, so there is no daily trend.");
}

TEST_CASE("Report text: activeness averages DateCount and counts every-day and one-day customers", "[report]") {
  CHECK(topic(april(), "Activeness") ==
        "On average a customer was active on 8.4 of the 30 days (mean Activeness 28.0 %). 10 customers (10.0 %) "
        "were active on every day and 40 (40.0 %) on one day only.");
}
