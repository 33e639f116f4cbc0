// The period cube the loader writes to customer_cube: one cell per (Taste, MostWatch, DateCount),
// counted and summed exactly, gathered from the OLAP CSV while it is re-encoded for LOAD DATA; the
// load files split for parallel streams; the page marks of the customer list.
#include "bda/warehouse/load_file.hpp"
#include "bda/warehouse/period_cube.hpp"

#include "bda/core/error.hpp"
#include "bda/output/csv_writer.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

using namespace bda;
using namespace bda::warehouse;

namespace {

std::vector<std::string> row(std::string contract, std::vector<std::string> durations, std::string most_watch,
                             std::string taste, std::string date_count, std::string activeness) {
  std::vector<std::string> f = {std::move(contract)};
  f.insert(f.end(), durations.begin(), durations.end());
  f.insert(f.end(), {std::move(most_watch), std::move(taste), std::move(date_count), std::move(activeness)});
  return f;
}

} // namespace

TEST_CASE("Period cube: customers with the same Taste, MostWatch and DateCount share a cell, summed exactly",
          "[warehouse]") {
  PeriodCube cube;
  const std::string max = "9223372036854775807"; // 2^63-1: three of them overflow 64 bits
  cube.add(row("A", {"0", "0", "0", max, "0"}, "TV", "TV", "3", "10.00"));
  cube.add(row("B", {"0", "0", "0", max, "0"}, "TV", "TV", "3", "10.00"));
  cube.add(row("C", {"0", "0", "0", max, "0"}, "TV", "TV", "3", "10.00"));
  cube.add(row("D", {"5", "7", "0", "0", "0"}, "Movie", "Child-Movie", "21", "70.00"));
  cube.add(row("E", {"0", "0", "0", "0", "0"}, "", "", "1", "3.33"));
  cube.add(row("F", {"0", "0", "0", "4", "0"}, "TV", "TV", "14", "46.67"));
  const std::vector<CubeCell> cells = cube.cells();
  REQUIRE(cells.size() == 4);
  CHECK(cube.customers() == 6);
  // Ordered by Taste, MostWatch, DateCount.
  CHECK(cells[0].taste == "");
  CHECK(cells[0].most_watch == "");
  CHECK(cells[0].segment == "At Risk Customer");
  CHECK(cells[1].taste == "Child-Movie");
  CHECK(cells[1].segment == "Loyal Customer");
  CHECK(decimal(cells[1].durations[0]) == "5");
  CHECK(decimal(cells[1].durations[1]) == "7");
  CHECK(cells[2].date_count == 3);
  CHECK(cells[2].customers == 3);
  CHECK(cells[2].activeness == "10.00");
  CHECK(decimal(cells[2].durations[3]) == "27670116110564327421"); // 3 * (2^63-1)
  CHECK(cells[3].date_count == 14);
  CHECK(cells[3].segment == "Valuable Customer");
}

TEST_CASE("Period cube: a field that is not the CSV's own is refused", "[warehouse]") {
  PeriodCube cube;
  CHECK_THROWS_AS(cube.add(row("A", {"-1", "0", "0", "0", "0"}, "", "", "1", "3.33")), std::invalid_argument);
  CHECK_THROWS_AS(cube.add(row("A", {"0", "0", "0", "0", "0"}, "", "", "0", "0.00")), std::invalid_argument);
  CHECK_THROWS_AS(cube.add(row("A", {"0", "x", "0", "0", "0"}, "", "", "1", "3.33")), std::invalid_argument);
  cube.add(row("A", {"0", "0", "0", "1", "0"}, "TV", "TV", "2", "6.67"));
  // Within a period Activeness follows from DateCount; two values for one DateCount mean a mixed input.
  CHECK_THROWS_AS(cube.add(row("B", {"0", "0", "0", "1", "0"}, "TV", "TV", "2", "6.66")), std::invalid_argument);
}

TEST_CASE("Load file: the cube gathered while re-encoding counts every row of the CSV", "[warehouse]") {
  bda::testing::TempDir dir;
  const auto csv = dir.path() / "olap.csv", tsv = dir.path() / "load.tsv";
  {
    std::ofstream out(csv, std::ios::binary);
    out << kOlapCsvHeader << "\"\"\"Q\"\"\",0,0,0,60,0,TV,TV,2,6.67\n"
        << "K1,0,30,0,0,0,Movie,Movie,2,6.67\nK2,0,0,0,90,0,TV,TV,2,6.67\n";
  }
  PeriodCube cube;
  CHECK(write_customer_load_file(csv, tsv, &cube) == 3);
  REQUIRE(cube.cells().size() == 2);
  CHECK(cube.customers() == 3);
  CHECK(cube.cells()[1].taste == "TV");
  CHECK(cube.cells()[1].customers == 2);
  CHECK(decimal(cube.cells()[1].durations[3]) == "150");
  {
    std::ofstream out(csv, std::ios::binary);
    out << kOlapCsvHeader << "K1,0,30,0,0,0,Movie,Movie,zero,6.67\n";
  }
  PeriodCube bad;
  try {
    write_customer_load_file(csv, tsv, &bad);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains(csv.string() + ":2: DateCount 'zero'"));
  }
}

TEST_CASE("Load files: the rows are split in CSV order into shares of about equal bytes", "[warehouse]") {
  bda::testing::TempDir dir;
  const auto csv = dir.path() / "olap.csv";
  const auto one = dir.path() / "one.tsv", a = dir.path() / "a.tsv", b = dir.path() / "b.tsv";
  {
    std::ofstream out(csv, std::ios::binary);
    out << kOlapCsvHeader;
    // A quoted contract holding a line break must stay one row of one file.
    out << "\"line\nbreak\",0,0,0,5,0,TV,TV,1,3.33\n";
    for (int i = 0; i < 99; ++i) out << "K" << 100 + i << ",0,0,0,5,0,TV,TV,1,3.33\n";
  }
  auto read = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  REQUIRE(write_customer_load_file(csv, one) == 100);
  PeriodCube cube;
  const std::vector<std::uint64_t> rows = write_customer_load_files(csv, {a, b}, &cube);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] + rows[1] == 100);
  CHECK(rows[0] >= 45);
  CHECK(rows[0] <= 55);
  CHECK(cube.customers() == 100);
  CHECK(read(a) + read(b) == read(one));
  // Fewer rows than files: the later files stay empty, no row is lost.
  {
    std::ofstream out(csv, std::ios::binary);
    out << kOlapCsvHeader << "K1,0,0,0,5,0,TV,TV,1,3.33\n";
  }
  const std::vector<std::uint64_t> single = write_customer_load_files(csv, {a, b});
  CHECK(single == std::vector<std::uint64_t>{1, 0});
  CHECK(read(b).empty());
}

TEST_CASE("Page marks: every 1024th customer of each list order, ties by Contract", "[warehouse]") {
  PageMarks marks;
  // 2050 customers in Contract order; TotalDuration cycles 0..9 and DateCount 1..3, so every
  // value is shared and the place among equals is the Contract order.
  constexpr int kRows = 2050;
  auto contract = [](int i) {
    std::string c = std::to_string(100000 + i);
    return "C" + c;
  };
  for (int i = 0; i < kRows; ++i)
    marks.add(row(contract(i), {"0", "0", "0", std::to_string(i % 10), "0"}, "TV", "TV", std::to_string(1 + i % 3), "1"));
  std::vector<PageMark> got = marks.marks();
  REQUIRE(got.size() == 9); // positions 0, 1024, 2048 in each of the three orders
  // Total: value v holds the rows i with i % 10 == v, 205 of each; place 1024 is the 1024 - 4 * 205
  // = 204th (0-based) row with value 4, i = 4 + 10 * 204.
  CHECK(got[0].order == MarkOrder::Total);
  CHECK(got[0].value == "0");
  CHECK(got[0].contract == contract(0));
  CHECK(got[1].position == 1024);
  CHECK(got[1].value == "4");
  CHECK(got[1].contract == contract(4 + 10 * 204));
  CHECK(got[2].position == 2048);
  CHECK(got[2].value == "9");
  CHECK(got[2].contract == contract(9 + 10 * 203));
  // DateCount: 684 rows with 1 (i % 3 == 0), then 683 with 2: place 1024 is the 340th with 2.
  CHECK(got[3].order == MarkOrder::DateCount);
  CHECK(got[4].value == "2");
  CHECK(got[4].contract == contract(1 + 3 * 340));
  CHECK(got[5].value == "3");
  // Contract: the rows as they came.
  CHECK(got[7].order == MarkOrder::Contract);
  CHECK(got[7].value.empty());
  CHECK(got[7].contract == contract(1024));
  CHECK(got[8].contract == contract(2048));
  // A row out of Contract order is not the CSV's: refused.
  CHECK_THROWS_AS(marks.add(row("A", {"0", "0", "0", "1", "0"}, "TV", "TV", "1", "1")), std::invalid_argument);
}
