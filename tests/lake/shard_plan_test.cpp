// Byte-range sharding: every byte of every plain file goes to exactly one rank, evenly; .gz whole.
#include "bda/lake/shard_plan.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

using namespace bda;

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
  INFO("ranks " << ranks << ", " << lake.files.size() << " files, " << lake.total_bytes() << " bytes");
  const auto plan = plan_shards(lake, ranks);
  REQUIRE(plan.size() == static_cast<std::size_t>(ranks));
  const std::uint64_t share = (lake.total_bytes() + static_cast<std::uint64_t>(ranks) - 1) / static_cast<std::uint64_t>(ranks);

  // Per file: the ranges, in rank order, tile [0, size) without gaps or overlaps.
  std::vector<std::uint64_t> next(lake.files.size(), 0);
  std::vector<int> gz_ranges(lake.files.size(), 0);
  for (int r = 0; r < ranks; ++r) {
    std::uint64_t plain_bytes = 0;
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
      } else {
        CHECK_FALSE(range.whole_gzip);
        CHECK(range.begin == next[range.file]);
        CHECK(range.begin < range.end);
        CHECK(range.end <= f.size);
        next[range.file] = range.end;
        plain_bytes += range.end - range.begin;
      }
    }
    CHECK(plain_bytes <= share); // no rank gets more than its share of plain bytes
  }
  for (std::size_t i = 0; i < lake.files.size(); ++i) {
    if (lake.files[i].gzip)
      CHECK(gz_ranges[i] == 1);
    else
      CHECK(next[i] == lake.files[i].size);
  }
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
