// Byte-range sharding: every byte of every plain file goes to exactly one rank, evenly; .gz whole,
// weighed by its uncompressed size.
#include "bda/lake/shard_plan.hpp"

#include "support/gzip_file.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace bda;
using bda::testing::TempDir;

namespace {

//! A lake of files with these sizes (negative = a .gz file of -size bytes); no files on disk.
LakeFiles lake_of(const std::vector<long>& sizes) {
  LakeFiles lake;
  Date day = Date::parse_iso("2022-04-01");
  for (std::size_t i = 0; i < sizes.size(); ++i, day = day.next()) {
    DayFile f;
    f.date = day;
    f.day_index = static_cast<std::uint32_t>(i);
    f.path = day.compact() + (sizes[i] < 0 ? ".json.gz" : ".json");
    f.gzip = sizes[i] < 0;
    f.size = static_cast<std::uint64_t>(sizes[i] < 0 ? -sizes[i] : sizes[i]);
    lake.files.push_back(f);
  }
  return lake;
}

//! Checks the plan's invariants for `lake` at `ranks` ranks.
void check_plan(const LakeFiles& lake, int ranks) {
  INFO("ranks " << ranks << ", " << lake.files.size() << " files, " << lake.total_plan_weight() << " weight");
  const auto plan = plan_shards(lake, ranks);
  REQUIRE(plan.size() == static_cast<std::size_t>(ranks));
  const auto n = static_cast<std::uint64_t>(ranks);
  const std::uint64_t share = (lake.total_plan_weight() + n - 1) / n;
  std::uint64_t largest_gz = 0;
  for (const DayFile& f : lake.files)
    if (f.gzip) largest_gz = std::max(largest_gz, f.plan_weight());

  // Per file: the ranges, in rank order, tile [0, size) without gaps or overlaps.
  std::vector<std::uint64_t> next(lake.files.size(), 0);
  std::vector<int> gz_ranges(lake.files.size(), 0);
  for (int r = 0; r < ranks; ++r) {
    std::uint64_t plain_bytes = 0, work = 0;
    std::uint32_t last_file = 0;
    for (std::size_t i = 0; i < plan[static_cast<std::size_t>(r)].size(); ++i) {
      const FileRange& range = plan[static_cast<std::size_t>(r)][i];
      REQUIRE(range.file < lake.files.size());
      if (i > 0) CHECK(range.file > last_file); // file order, one range per file per rank
      last_file = range.file;
      const DayFile& f = lake.files[range.file];
      if (f.gzip) {
        CHECK(range.whole_gzip);
        CHECK(range.begin == 0);
        CHECK(range.end == f.size);
        ++gz_ranges[range.file];
        work += f.plan_weight();
      } else {
        CHECK_FALSE(range.whole_gzip);
        CHECK(range.begin == next[range.file]);
        CHECK(range.begin < range.end);
        CHECK(range.end <= f.size);
        next[range.file] = range.end;
        plain_bytes += range.end - range.begin;
        work += range.end - range.begin;
      }
    }
    CHECK(plain_bytes <= share); // no rank gets more than its share of plain bytes
    // A .gz file goes where its midpoint falls, so it overhangs a share by at most half its weight.
    CHECK(work <= share + largest_gz);
  }
  for (std::size_t i = 0; i < lake.files.size(); ++i) {
    if (lake.files[i].gzip)
      CHECK(gz_ranges[i] == 1);
    else
      CHECK(next[i] == lake.files[i].size);
  }
}

//! A lake of .gz files with these {compressed, uncompressed} sizes; no files on disk.
LakeFiles gz_lake_of(const std::vector<std::pair<long, long>>& sizes) {
  std::vector<long> compressed;
  for (const auto& s : sizes) compressed.push_back(-s.first);
  LakeFiles lake = lake_of(compressed);
  for (std::size_t i = 0; i < sizes.size(); ++i) lake.files[i].uncompressed_size = static_cast<std::uint64_t>(sizes[i].second);
  return lake;
}

//! The uncompressed bytes each rank inflates and parses under `plan`.
std::vector<std::uint64_t> work_per_rank(const LakeFiles& lake, const std::vector<std::vector<FileRange>>& plan) {
  std::vector<std::uint64_t> work;
  for (const auto& ranges : plan) {
    std::uint64_t w = 0;
    for (const FileRange& r : ranges) w += r.whole_gzip ? lake.files[r.file].plan_weight() : r.end - r.begin;
    work.push_back(w);
  }
  return work;
}

} // namespace

TEST_CASE("Shard plan: plain files are split so every byte goes to exactly one rank", "[lake]") {
  const std::vector<std::vector<long>> lakes = {
      {1000}, {1}, {0}, {7}, {10, 20, 30}, {0, 5, 0, 5}, {999, 1, 1, 1}, {4096, 4096, 4096, 4096}, {3, 1000000}};
  for (const auto& sizes : lakes)
    for (int ranks = 1; ranks <= 9; ++ranks) check_plan(lake_of(sizes), ranks);
}

TEST_CASE("Shard plan: a .gz file is never split", "[lake]") {
  const std::vector<std::vector<long>> lakes = {{-1000}, {100, -1000, 100}, {-5, -5, -5}, {1000, -100}, {-1, 0, 50}};
  for (const auto& sizes : lakes)
    for (int ranks = 1; ranks <= 7; ++ranks) check_plan(lake_of(sizes), ranks);
}

TEST_CASE("Shard plan: a .gz file goes to the rank whose share holds its midpoint", "[lake]") {
  // 1000 plain + 100 gz bytes over 2 ranks: shares [0,550) and [550,1100); the .gz midpoint is 1050.
  auto plan = plan_shards(lake_of({1000, -100}), 2);
  REQUIRE(plan[1].size() == 2);
  CHECK(plan[1][1].file == 1);
  CHECK(plan[1][1].whole_gzip);
  // 100 gz + 1000 plain: the .gz midpoint 50 is in rank 0's share.
  plan = plan_shards(lake_of({-100, 1000}), 2);
  REQUIRE_FALSE(plan[0].empty());
  CHECK(plan[0][0].file == 0);
  CHECK(plan[0][0].whole_gzip);
}

TEST_CASE("Shard plan: one rank reads everything, whole files in order", "[lake]") {
  const auto plan = plan_shards(lake_of({10, -20, 30}), 1);
  REQUIRE(plan.size() == 1);
  REQUIRE(plan[0].size() == 3);
  CHECK(plan[0][0].begin == 0);
  CHECK(plan[0][0].end == 10);
  CHECK(plan[0][1].whole_gzip);
  CHECK(plan[0][2].end == 30);
}

TEST_CASE("Shard plan: an even split of one file", "[lake]") {
  const auto plan = plan_shards(lake_of({100}), 4);
  for (std::size_t r = 0; r < 4; ++r) {
    REQUIRE(plan[r].size() == 1);
    CHECK(plan[r][0].begin == 25 * r);
    CHECK(plan[r][0].end == 25 * (r + 1));
  }
}

TEST_CASE("Shard plan: a .gz file weighs its uncompressed size, plain files their bytes", "[lake]") {
  // Compressed, the .gz file is 100 bytes, but it inflates to 1000: as much as the plain file.
  auto lake = lake_of({1000, -100});
  lake.files[1].uncompressed_size = 1000;
  auto plan = plan_shards(lake, 2);
  REQUIRE(plan[0].size() == 1);
  CHECK(plan[0][0].file == 0);
  CHECK(plan[0][0].end == 1000); // the whole plain file: its share is 1000 of 2000
  REQUIRE(plan[1].size() == 1);
  CHECK(plan[1][0].file == 1);
  CHECK(plan[1][0].whole_gzip);
  CHECK(plan[1][0].end == 100); // the range still spans the compressed bytes on disk

  const std::vector<std::vector<std::pair<long, long>>> lakes = {
      {{10, 5000}, {1000, 1000}, {10, 5000}}, {{1, 0}, {50, 900}}, {{100, 100000}}, {{7, 70}, {7, 70}, {7, 7000}}};
  for (const auto& sizes : lakes)
    for (int ranks = 1; ranks <= 7; ++ranks) check_plan(gz_lake_of(sizes), ranks);
  auto mixed = gz_lake_of({{10, 5000}, {20, 40}});
  mixed.files.insert(mixed.files.begin() + 1, lake_of({3000}).files[0]);
  for (int ranks = 1; ranks <= 7; ++ranks) check_plan(mixed, ranks);
}

TEST_CASE("Shard plan: a gzip month whose compressed sizes mislead is balanced by uncompressed bytes", "[lake]") {
  // Eight days of 256 KiB each: four of one repeated line (they shrink ~100x), four of random hex
  // (~2x). By compressed size the first rank would get six days; by uncompressed size each rank
  // gets the same number of days, hence the same bytes to inflate and parse.
  TempDir dir;
  constexpr std::size_t kDayBytes = 256 * 1024;
  const std::string line = R"({"_source":{"Contract":"HNH579912","AppName":"KPLUS","TotalDuration":254}})" "\n";
  std::string repeated;
  while (repeated.size() + line.size() <= kDayBytes) repeated += line;
  repeated += std::string(kDayBytes - repeated.size() - 1, ' ') + "\n";
  const Date first = Date::parse_iso("2022-04-01");
  Date day = first;
  for (unsigned i = 0; i < 8; ++i, day = day.next())
    bda::testing::write_gzip(dir.path() / (day.compact() + ".json.gz"),
                             i < 4 ? repeated : bda::testing::random_hex_lines(kDayBytes, i));

  const LakeFiles lake = resolve_lake_files(dir.path(), DaySelection::range(first, Date::parse_iso("2022-04-08")), false);
  REQUIRE(lake.files.size() == 8);
  for (const DayFile& f : lake.files) {
    CHECK(f.uncompressed_size == kDayBytes); // read from the gzip trailer
    CHECK(f.plan_weight() == kDayBytes);
  }
  CHECK(lake.files[0].size * 20 < lake.files[7].size); // the compressed sizes are far apart

  for (int ranks : {2, 4, 8}) {
    INFO("ranks " << ranks);
    const auto plan = plan_shards(lake, ranks);
    for (const auto& ranges : plan) CHECK(ranges.size() == 8 / static_cast<std::size_t>(ranks));
    const auto work = work_per_rank(lake, plan);
    CHECK(std::all_of(work.begin(), work.end(), [&](std::uint64_t w) { return w == 8 * kDayBytes / static_cast<std::uint64_t>(ranks); }));
    check_plan(lake, ranks);
  }

  // The premise: weighed by compressed size, the same month would load one rank with six days.
  LakeFiles by_compressed = lake;
  for (DayFile& f : by_compressed.files) f.uncompressed_size = 0;
  CHECK(plan_shards(by_compressed, 2)[0].size() == 6);
}

TEST_CASE("Shard plan: a truncated or empty .gz file is planned whole (the reader reports it)", "[lake]") {
  TempDir dir;
  dir.write("20220401.json.gz", std::string("\x1f\x8b\x08\0\0\0\0\0\0\x03", 10)); // a header, no data or trailer
  dir.write("20220402.json.gz", "");
  dir.write("20220403.json", std::string(100, '\n'));
  const Date first = Date::parse_iso("2022-04-01");
  const LakeFiles lake = resolve_lake_files(dir.path(), DaySelection::range(first, first.next().next()), false);
  REQUIRE(lake.files.size() == 3);
  CHECK(lake.files[0].plan_weight() == 10); // no trailer to read: its bytes on disk
  CHECK(lake.files[1].plan_weight() == 0);
  for (int ranks = 1; ranks <= 4; ++ranks) check_plan(lake, ranks);
}
