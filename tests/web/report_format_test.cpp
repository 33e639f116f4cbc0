// bda::report's formatting: grouped counts, exact two-place decimals, half-up shares, dates, ids,
// HTML and <script> escaping, file URLs and the Activeness bins.
#include "bda/report/fixed2.hpp"
#include "bda/report/html_report.hpp"
#include "bda/report/pdf_printer.hpp"
#include "bda/report/report_data.hpp"
#include "bda/report/report_format.hpp"

#include "bda/core/error.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace bda;
using namespace bda::report;

namespace {
const std::string nbsp(kNbsp);
}

TEST_CASE("Report format: counts are grouped by thousands", "[report]") {
  CHECK(format_count(0) == "0");
  CHECK(format_count(999) == "999");
  CHECK(format_count(1000) == "1,000");
  CHECK(format_count(1234567) == "1,234,567");
  CHECK(format_count(18446744073709551615ULL) == "18,446,744,073,709,551,615");
}

TEST_CASE("Report format: Fixed2 parses DECIMAL text exactly and refuses anything else", "[report]") {
  CHECK(Fixed2::parse("1234.56").hundredths == 123456);
  CHECK(Fixed2::parse("1234.5").hundredths == 123450);
  CHECK(Fixed2::parse("7").hundredths == 700);
  CHECK(Fixed2::parse("0.05").hundredths == 5);
  CHECK(format_fixed2(Fixed2::parse("1366726.73")) == "1,366,726.73");
  CHECK(format_fixed2(Fixed2{5}) == "0.05");
  for (const char* bad : {"", ".5", "1.", "1.234", "-1.00", "1e3", "12a.00", "12345678901234567.00"}) {
    INFO(bad);
    CHECK_THROWS_AS(Fixed2::parse(bad), Error);
  }
}

TEST_CASE("Report format: shares round half-up and never divide by zero", "[report]") {
  CHECK(format_share(1, 3) == "33.3" + nbsp + "%");
  CHECK(format_share(2, 3) == "66.7" + nbsp + "%");
  CHECK(format_share(1, 8, 2) == "12.50" + nbsp + "%");
  CHECK(format_share(1, 2000) == "0.1" + nbsp + "%"); // 0.05 % rounds up
  CHECK(format_share(1, 2001) == "0.0" + nbsp + "%");
  CHECK(format_share(5, 0) == "0.0" + nbsp + "%");
  CHECK(share_scaled(1, 3, 2) == 3333);
  // 64-bit parts times 1000 would overflow without the wide intermediate.
  CHECK(format_share(9'000'000'000'000'000'000ULL, 18'000'000'000'000'000'000ULL) == "50.0" + nbsp + "%");
  CHECK(format_hours(5400) == "1.5");
  CHECK(format_hours(179) == "0.0");
  CHECK(format_hours(180) == "0.1");
  CHECK(format_ratio1(37, 3) == "12.3");
  CHECK(format_ratio1(1, 0) == "0.0");
}

TEST_CASE("Report format: dates read as words", "[report]") {
  const Date d = Date::parse_iso("2022-04-16");
  CHECK(format_long_date(d) == "Saturday 16 April 2022");
  CHECK(format_day_month_year(d) == "16 April 2022");
  CHECK(short_weekday(d) == "Sat");
  CHECK(weekday_name(Date::parse_iso("1970-01-01")) == "Thursday");
}

TEST_CASE("Report format: a period from the 1st reads as the month, or the month so far", "[report]") {
  const auto d = [](const char* iso) { return Date::parse_iso(iso); };
  CHECK(month_to_date_title(d("2022-04-01"), d("2022-04-30")) == "April 2022");
  CHECK(month_to_date_title(d("2022-04-01"), d("2022-04-17")) == "April 2022, to 17 April");
  CHECK(month_to_date_title(d("2024-02-01"), d("2024-02-29")) == "February 2024");
  CHECK(month_to_date_title(d("2022-04-01"), d("2022-04-01")) == "April 2022, to 1 April");
  CHECK(month_to_date_title(d("2022-04-02"), d("2022-04-30")).empty());
  CHECK(month_to_date_title(d("2022-04-01"), d("2022-05-01")).empty());
  CHECK(month_to_date_title(d("2021-04-01"), d("2022-04-30")).empty());
}

TEST_CASE("Report format: control characters of a Contract become visible \\xHH", "[report]") {
  CHECK(visible_contract("SGH597377") == "SGH597377");
  CHECK(visible_contract(std::string("nul\0byte", 8)) == "nul\\x00byte");
  CHECK(visible_contract("cr\rlf\nx\ty\x7f") == "cr\\x0Dlf\\x0Ax\\x09y\\x7F");
  CHECK(visible_contract("emoji\xF0\x9F\x98\x80 <b>") == "emoji\xF0\x9F\x98\x80 <b>"); // escaped later, for HTML
}

TEST_CASE("Report format: HTML and <script> escaping", "[report]") {
  CHECK(html_escape("<script>alert('x') & \"y\"</script>") ==
        "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  CHECK(script_safe("a</script><script>b") == "a<\\/script><script>b");
  CHECK(script_safe("1 < 2 && x </ y") == "1 < 2 && x <\\/ y");
}

TEST_CASE("Report format: file URLs percent-encode everything but the unreserved bytes", "[report]") {
  CHECK(file_url("/tmp/out dir/#1/report.html") == "file:///tmp/out%20dir/%231/report.html");
  CHECK(file_url("/a/b-c_d.e~f") == "file:///a/b-c_d.e~f");
  CHECK(file_url("/tmp/\xC3\xA9?%") == "file:///tmp/%C3%A9%3F%25");
}

TEST_CASE("Report data: Activeness bins use the warehouse's two-place rounding", "[report]") {
  ReportData d;
  d.period = {Date::parse_iso("2022-04-01"), Date::parse_iso("2022-04-30")};
  d.date_count_customers.assign(31, 0);
  d.date_count_customers[1] = 5;   // 3.33 %
  d.date_count_customers[3] = 7;   // 10.00 % -> the second bin
  d.date_count_customers[29] = 2;  // 96.67 %
  d.date_count_customers[30] = 11; // 100.00 % -> the last bin, not an eleventh
  const auto bins = d.activeness_histogram();
  CHECK(bins[0] == 5);
  CHECK(bins[1] == 7);
  CHECK(bins[9] == 13);
  CHECK(activeness_bin_label(0) == "0-10");
  CHECK(activeness_bin_label(9) == "90-100");

  ReportData seven;
  seven.period = {Date::parse_iso("2022-04-01"), Date::parse_iso("2022-04-07")};
  seven.date_count_customers = {0, 1, 1, 1, 1, 1, 1, 1}; // 14.29, 28.57, 42.86, 57.14, 71.43, 85.71, 100
  const auto b7 = seven.activeness_histogram();
  CHECK(b7[1] == 1);
  CHECK(b7[2] == 1);
  CHECK(b7[4] == 1);
  CHECK(b7[5] == 1);
  CHECK(b7[7] == 1);
  CHECK(b7[8] == 1);
  CHECK(b7[9] == 1);
}

TEST_CASE("Report HTML: the segment table and the definitions spell out the SPEC 5 bands", "[report]") {
  ReportData d;
  d.period = {Date::parse_iso("2022-04-01"), Date::parse_iso("2022-04-30")};
  const std::string html = render_html_report(d, {});
  CHECK_THAT(html, Catch::Contains("Segment by DateCount, the number of days with a counted record: 1-6 At Risk, "
                                   "7-13 Need Attention, 14-20 Valuable, 21 or more Loyal. Activeness"));
  for (const char* cells : {"<td>At Risk Customer</td><td>1-6</td>", "<td>Need Attention Customer</td><td>7-13</td>",
                            "<td>Valuable Customer</td><td>14-20</td>", "<td>Loyal Customer</td><td>21+</td>"})
    CHECK_THAT(html, Catch::Contains(cells));
}
