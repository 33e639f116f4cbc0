// One rank's extract + transform without MPI: counters, the table and quarantined lines, at any split.
#include "bda/scan/shard_scanner.hpp"

#include "bda/core/error.hpp"
#include "bda/output/csv_writer.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <stdlib.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace bda;
namespace fs = std::filesystem;

namespace {

using bda::testing::TempDir;

std::string hit(const std::string& contract, const std::string& app, const std::string& duration) {
  return R"({"_index":"history","_type":"kplus","_id":"AYAk","_score":0,"_source":{"Contract":")" + contract +
         R"(","Mac":"0C96E6E84A15","AppName":")" + app + R"(","TotalDuration":)" + duration + "}}";
}

//! A line of the mixed file and what the scanner must make of it ("" = blank or record).
struct Line {
  std::string text;
  std::string reason;
};

//! The mixed file: 14 lines, 3 blank, 4 records, one reject of each of the 7 reasons.
std::vector<Line> mixed_lines() {
  return {
      {hit("SGH1", "KPLUS", "10"), ""},
      {"", ""},
      {hit("SGH1", "CHILD", "5") + "\r", ""},
      {"   \t", ""},
      {hit("0", "KPLUS", "10"), "bad_contract"},
      {"[1]", "not_object"},
      {"{bad", "malformed_json"},
      {R"({"_source":{"Contract":"SGH9","AppName":"KPLUS"}})", "missing_field"},
      {hit("SGH9", "NETFLIX", "10"), "unknown_app"},
      {hit("SGH9", "KPLUS", "-1"), "bad_duration"},
      {hit("SGH2", " sport ", "7"), ""},
      {"\r", ""},
      {R"({"_id":")" + std::string(1000, 'x') + R"("})", "line_too_long"},
      {hit("SGH2", "RELAX", "3"), ""}, // the last line has no '\n'
  };
}

std::string join(const std::vector<Line>& lines) {
  std::string s;
  for (std::size_t i = 0; i < lines.size(); ++i) s += lines[i].text + (i + 1 < lines.size() ? "\n" : "");
  return s;
}

const ReaderConfig kTinyReader{64, 256};

struct Lake {
  TempDir dir;
  LakeFiles lake;
  //! Adds the file of day index `day` (0-based, 2022-04-01 + day).
  void add(std::uint32_t day, const std::string& content, bool gzip = false) {
    DayFile f;
    f.date = Date::from_days(Date::parse_iso("2022-04-01").days_since_epoch() + static_cast<std::int32_t>(day));
    f.day_index = day;
    f.gzip = gzip;
    f.path = (dir.path() / (f.date.compact() + (gzip ? ".json.gz" : ".json"))).string();
    if (gzip) {
      gzFile gz = gzopen(f.path.c_str(), "wb");
      REQUIRE(gz != nullptr);
      REQUIRE(gzwrite(gz, content.data(), static_cast<unsigned>(content.size())) > 0);
      REQUIRE(gzclose(gz) == Z_OK);
    } else {
      std::ofstream(f.path, std::ios::binary) << content;
    }
    f.size = fs::file_size(f.path);
    lake.files.push_back(f);
  }
};

//! What a run at `ranks` ranks produces: summed counters, the merged table as CSV rows, and the
//! quarantine TSV in rank order with file line numbers computed as the ETL job does.
struct RunResult {
  ScanCounters counters;
  std::string csv;
  std::string quarantine;
};

RunResult run(const LakeFiles& lake, std::uint32_t selected_days, int ranks) {
  const CategoryMapping mapping = CategoryMapping::defaults();
  const auto plan = plan_shards(lake, ranks);
  std::vector<std::unique_ptr<ShardScanner>> scanners;
  std::vector<std::unique_ptr<QuarantineSpool>> spools;
  for (int r = 0; r < ranks; ++r) {
    scanners.push_back(std::make_unique<ShardScanner>(lake, mapping, selected_days, kTinyReader));
    spools.push_back(std::make_unique<QuarantineSpool>());
    scanners.back()->scan(plan[static_cast<std::size_t>(r)], spools.back().get());
  }
  RunResult result;
  ContractTable merged(selected_days);
  std::vector<std::uint64_t> lines_before(lake.files.size(), 0); // of each file, on lower ranks
  for (int r = 0; r < ranks; ++r) {
    const auto& ranges = plan[static_cast<std::size_t>(r)];
    ShardScanner& s = *scanners[static_cast<std::size_t>(r)];
    result.counters += s.counters();
    merged.merge(s.table());
    std::vector<std::uint64_t> first(ranges.size());
    for (std::size_t i = 0; i < ranges.size(); ++i) first[i] = lines_before[ranges[i].file] + 1;
    spools[static_cast<std::size_t>(r)]->replay(
        [&](std::uint32_t i) { return fs::path(lake.files[ranges[i].file].path).filename().string(); },
        [&](std::uint32_t i) { return first[i]; }, 100, [&](std::string_view block) { result.quarantine += block; });
    REQUIRE(s.lines_in_range().size() == ranges.size());
    for (std::size_t i = 0; i < ranges.size(); ++i) lines_before[ranges[i].file] += s.lines_in_range()[i];
  }
  append_profile_rows(result.csv, merged, merged.sorted_rows(), selected_days);
  return result;
}

} // namespace

TEST_CASE("Shard scanner: counters of a mixed file", "[transform]") {
  Lake t;
  t.add(0, join(mixed_lines()));
  const RunResult r = run(t.lake, 1, 1);
  CHECK(r.counters.lines == 14);
  CHECK(r.counters.blank_lines == 3);
  CHECK(r.counters.records == 4);
  CHECK(r.counters.rejected() == 7);
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) {
    INFO(kRejectReasonNames[i]);
    CHECK(r.counters.rejects[i] == 1);
  }
  CHECK(r.counters.bytes == t.lake.files[0].size);
  CHECK(r.csv == "SGH1,5,0,0,10,0,TV,Child-TV,1,100.00\n"
                 "SGH2,0,0,7,0,3,Sport,Sport-Relax,1,100.00\n");
}

TEST_CASE("Shard scanner: rejected lines are quarantined with file, line number and reason", "[transform]") {
  Lake t;
  const auto lines = mixed_lines();
  t.add(0, join(lines));
  std::string expected;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].reason.empty()) continue;
    const std::string text = lines[i].reason == "line_too_long" ? lines[i].text.substr(0, 256) : lines[i].text;
    expected += "20220401.json\t" + std::to_string(i + 1) + "\t" + lines[i].reason + "\t" + text + "\n";
  }
  CHECK(run(t.lake, 1, 1).quarantine == expected);
}

TEST_CASE("Shard scanner: any number of ranks gives the same counters, table and quarantine", "[transform]") {
  Lake t;
  t.add(0, join(mixed_lines()));
  t.add(1, "");                                                       // an empty day file
  t.add(2, join(mixed_lines()) + "\n" + hit("SGH1", "VOD", "2540e-1") + "\n", true); // .gz, trailing newline
  t.add(4, hit("SGH3", "DSHD", "1") + "\r\n\r\n" + hit("SGH1", "FIMS", "1") + "\r\n");
  const RunResult one = run(t.lake, 5, 1);
  CHECK(one.counters.lines == 14 + 15 + 3);
  CHECK(one.counters.blank_lines == 3 + 3 + 1);
  CHECK(one.counters.records == 4 + 5 + 2);
  CHECK(one.counters.rejected() == 14);
  CHECK(one.csv == "SGH1,10,255,0,20,0,Movie,Child-Movie-TV,3,60.00\n"
                   "SGH2,0,0,14,0,6,Sport,Sport-Relax,2,40.00\n"
                   "SGH3,0,0,0,1,0,TV,TV,1,20.00\n");
  for (int ranks = 2; ranks <= 7; ++ranks) {
    INFO("ranks " << ranks);
    const RunResult many = run(t.lake, 5, ranks);
    CHECK(many.counters.lines == one.counters.lines);
    CHECK(many.counters.blank_lines == one.counters.blank_lines);
    CHECK(many.counters.records == one.counters.records);
    CHECK(many.counters.rejects == one.counters.rejects);
    CHECK(many.counters.bytes == t.lake.total_bytes());
    CHECK(many.csv == one.csv);
    CHECK(many.quarantine == one.quarantine);
  }
}

TEST_CASE("Shard scanner: scanning without a quarantine still counts every reject", "[transform]") {
  Lake t;
  t.add(0, join(mixed_lines()));
  const CategoryMapping mapping = CategoryMapping::defaults();
  ShardScanner scanner(t.lake, mapping, 1, kTinyReader);
  std::vector<std::uint64_t> progress;
  scanner.scan(plan_shards(t.lake, 1)[0], nullptr, [&](std::uint64_t done) { progress.push_back(done); });
  CHECK(scanner.counters().rejected() == 7);
  CHECK(scanner.counters().records == 4);
  REQUIRE_FALSE(progress.empty());
  for (std::size_t i = 1; i < progress.size(); ++i) CHECK(progress[i - 1] <= progress[i]);
  CHECK(progress.back() <= t.lake.files[0].size);
}

TEST_CASE("Shard scanner: ScanCounters add up field by field", "[transform]") {
  ScanCounters a, b;
  a.bytes = 1;
  a.lines = 2;
  a.blank_lines = 3;
  a.records = 4;
  a.rejects[0] = 5;
  a.rejects[6] = 6;
  b.bytes = 10;
  b.lines = 20;
  b.blank_lines = 30;
  b.records = 40;
  b.rejects[0] = 50;
  b.rejects[3] = 60;
  a += b;
  CHECK(a.bytes == 11);
  CHECK(a.lines == 22);
  CHECK(a.blank_lines == 33);
  CHECK(a.records == 44);
  CHECK(a.rejects == std::array<std::uint64_t, kRejectReasonCount>{55, 0, 0, 60, 0, 0, 6});
  CHECK(a.rejected() == 121);
}

TEST_CASE("Shard scanner: a day whose duration passes 2^63-1 fails the scan, naming the date", "[transform]") {
  Lake t;
  t.add(0, hit("SGH1", "KPLUS", "1") + "\n");
  // Two contracts, each within range, whose sum on 2022-04-03 (day index 2) is 2^63.
  t.add(2, hit("SGH1", "KPLUS", "9223372036854775807") + "\n" + hit("SGH2", "CHANNEL", "1") + "\n");
  t.lake.missing_days = {Date::parse_iso("2022-04-02")};
  const CategoryMapping mapping = CategoryMapping::defaults();
  ShardScanner scanner(t.lake, mapping, 3, kTinyReader);
  REQUIRE(scanner.daily().dates().size() == 3);
  CHECK(scanner.daily().dates()[1] == Date::parse_iso("2022-04-02"));
  try {
    scanner.scan(plan_shards(t.lake, 1)[0], nullptr);
    FAIL("no error");
  } catch (const DataQualityError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("2022-04-03"));
    CHECK_THAT(std::string(e.what()), Catch::Contains("TV duration"));
  }
}

TEST_CASE("Shard scanner: without the missing days listed, daily usage names day indices", "[transform]") {
  Lake t;
  t.add(0, hit("SGH1", "KPLUS", "1") + "\n");
  t.add(2, hit("SGH1", "KPLUS", "2") + "\n");
  const CategoryMapping mapping = CategoryMapping::defaults();
  ShardScanner scanner(t.lake, mapping, 3, kTinyReader);
  CHECK(scanner.daily().dates().empty());
  scanner.scan(plan_shards(t.lake, 1)[0], nullptr);
  CHECK(scanner.daily().days()[2].duration[index_of(Category::TV)] == 2);
}

TEST_CASE("Shard scanner: a blank line longer than the line limit is counted blank, not rejected", "[transform]") {
  const std::string blank_then_text = std::string(300, ' ') + hit("SGH3", "KPLUS", "1"); // blank only at first
  Lake t;
  t.add(0, hit("SGH1", "KPLUS", "10") + "\n" + std::string(1000, ' ') + "\n" + std::string(600, '\t') + "\r\n" +
               blank_then_text + "\n" + hit("SGH2", "SPORT", "7") + "\n" + std::string(5000, ' '));
  for (int ranks = 1; ranks <= 4; ++ranks) {
    INFO("ranks " << ranks);
    const RunResult r = run(t.lake, 1, ranks);
    CHECK(r.counters.lines == 6);
    CHECK(r.counters.blank_lines == 3);
    CHECK(r.counters.records == 2);
    CHECK(r.counters.rejected() == 1);
    CHECK(r.counters.rejects[static_cast<std::size_t>(RejectReason::LineTooLong)] == 1);
    CHECK(r.quarantine == "20220401.json\t4\tline_too_long\t" + std::string(256, ' ') + "\n");
    CHECK(r.csv == "SGH1,0,0,0,10,0,TV,TV,1,100.00\n"
                   "SGH2,0,0,7,0,0,Sport,Sport,1,100.00\n");
  }
}
