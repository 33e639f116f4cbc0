// Resolving selected days to YYYYMMDD.json / .json.gz day files, and what is missing.
#include "bda/lake/lake_files.hpp"

#include "bda/core/error.hpp"

#include "support/gzip_file.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

using namespace bda;
namespace fs = std::filesystem;

namespace {

using bda::testing::TempDir;

DaySelection april(int first, int last) {
  return DaySelection::range(Date::parse_iso("2022-04-" + std::string(first < 10 ? "0" : "") + std::to_string(first)),
                             Date::parse_iso("2022-04-" + std::string(last < 10 ? "0" : "") + std::to_string(last)));
}

std::string input_error_of(const fs::path& dir, const DaySelection& days, bool allow_missing) {
  try {
    resolve_lake_files(dir, days, allow_missing);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("Lake files: every selected day resolves to its .json or .json.gz file", "[lake]") {
  TempDir dir;
  dir.write("20220401.json", "a\n");
  dir.write("20220402.json.gz", "0123456789");
  dir.write("20220403.json", "");
  dir.write("20220405.json", "not selected\n");
  dir.write("20220404.jsonl", "wrong name\n");
  dir.write("2022-04-04.json", "wrong name\n");
  const LakeFiles lake = resolve_lake_files(dir.path(), april(1, 3), false);
  REQUIRE(lake.files.size() == 3);
  CHECK(lake.missing_days.empty());
  CHECK(lake.files[0].date.iso() == "2022-04-01");
  CHECK(lake.files[0].day_index == 0);
  CHECK(lake.files[0].path == (dir.path() / "20220401.json").string());
  CHECK_FALSE(lake.files[0].gzip);
  CHECK(lake.files[0].size == 2);
  CHECK(lake.files[1].date.iso() == "2022-04-02");
  CHECK(lake.files[1].day_index == 1);
  CHECK(lake.files[1].gzip);
  CHECK(lake.files[1].size == 10);
  CHECK(lake.files[2].size == 0);
  CHECK(lake.total_bytes() == 12);
  CHECK(lake.files[0].uncompressed_size == 0); // a plain file weighs its size
  CHECK(lake.files[0].plan_weight() == 2);
}

TEST_CASE("Lake files: a missing day is an InputError naming the date", "[lake]") {
  TempDir dir;
  dir.write("20220401.json", "a\n");
  dir.write("20220403.json", "a\n");
  dir.write("20220404.jsonl", "a\n");
  const std::string message = input_error_of(dir.path(), april(1, 3), false);
  CHECK_THAT(message, Catch::Contains("2022-04-02"));
  CHECK_THAT(input_error_of(dir.path(), april(3, 4), false), Catch::Contains("2022-04-04"));
}

TEST_CASE("Lake files: allowed missing days are listed and keep their day index", "[lake]") {
  TempDir dir;
  dir.write("20220401.json", "a\n");
  dir.write("20220403.json.gz", "z");
  const LakeFiles lake = resolve_lake_files(dir.path(), april(1, 4), true);
  REQUIRE(lake.files.size() == 2);
  CHECK(lake.files[0].day_index == 0);
  CHECK(lake.files[1].day_index == 2);
  REQUIRE(lake.missing_days.size() == 2);
  CHECK(lake.missing_days[0].iso() == "2022-04-02");
  CHECK(lake.missing_days[1].iso() == "2022-04-04");
}

TEST_CASE("Lake files: a day with both .json and .json.gz is an error even when missing days are allowed", "[lake]") {
  TempDir dir;
  dir.write("20220401.json", "a\n");
  dir.write("20220402.json", "a\n");
  dir.write("20220402.json.gz", "a\n");
  for (bool allow_missing : {false, true}) {
    const std::string message = input_error_of(dir.path(), april(1, 2), allow_missing);
    CHECK_THAT(message, Catch::Contains("2022-04-02"));
    CHECK_THAT(message, Catch::Contains("20220402.json.gz"));
  }
}

TEST_CASE("Lake files: a lake directory that does not exist is an InputError naming it", "[lake]") {
  TempDir dir;
  const fs::path missing = dir.path() / "no-such-lake";
  CHECK_THAT(input_error_of(missing, april(1, 1), true), Catch::Contains("no-such-lake"));
  dir.write("a-file", "x");
  CHECK_THAT(input_error_of(dir.path() / "a-file", april(1, 1), true), Catch::Contains("a-file"));
}

TEST_CASE("Lake files: a day 'file' that is a directory is an InputError", "[lake]") {
  TempDir dir;
  fs::create_directory(dir.path() / "20220401.json");
  CHECK_THAT(input_error_of(dir.path(), april(1, 1), false), Catch::Contains("20220401.json"));
}

TEST_CASE("Lake files: a .gz day's uncompressed size comes from its gzip trailer", "[lake]") {
  TempDir dir;
  const std::string text = bda::testing::random_hex_lines(300000, 1) + std::string(700000, 'x');
  bda::testing::write_gzip(dir.path() / "20220401.json.gz", text);
  bda::testing::write_gzip(dir.path() / "20220402.json.gz", "");
  const LakeFiles lake = resolve_lake_files(dir.path(), april(1, 2), false);
  REQUIRE(lake.files.size() == 2);
  CHECK(lake.files[0].size < text.size() / 2);
  CHECK(lake.files[0].uncompressed_size == text.size());
  CHECK(lake.files[0].plan_weight() == text.size());
  CHECK(lake.total_plan_weight() == text.size() + lake.files[1].plan_weight());
  // An empty member's ISIZE 0 is below its compressed size, so the typical ratio stands in.
  CHECK(lake.files[1].uncompressed_size == lake.files[1].size * kTypicalGzipRatio);
}

TEST_CASE("Lake files: an implausible or missing gzip trailer falls back to an estimate", "[lake]") {
  TempDir dir;
  auto size_of = [&](const std::string& name) { return static_cast<std::uint64_t>(fs::file_size(dir.path() / name)); };

  // Two members: the trailer counts only the small last one, below the file's compressed size.
  bda::testing::write_gzip(dir.path() / "multi.gz", bda::testing::random_hex_lines(200000, 2));
  bda::testing::write_gzip(dir.path() / "multi.gz", "tail\n", true);
  CHECK(gzip_uncompressed_estimate(dir.path() / "multi.gz", size_of("multi.gz")) ==
        size_of("multi.gz") * kTypicalGzipRatio);

  // Not gzip at all (a zlib stream or junk): no ISIZE to read.
  dir.write("junk.gz", std::string(64, 'j'));
  CHECK(gzip_uncompressed_estimate(dir.path() / "junk.gz", 64) == 64 * kTypicalGzipRatio);

  // Shorter than a gzip header and trailer: its size, and no exception (the reader reports it).
  dir.write("short.gz", std::string("\x1f\x8b\x08\0\0\0\0\0\0\x03\x03\0", 12));
  CHECK(gzip_uncompressed_estimate(dir.path() / "short.gz", 12) == 12);
  CHECK(gzip_uncompressed_estimate(dir.path() / "empty.gz", 0) == 0);

  // Gone since it was listed: an estimate, no exception.
  CHECK(gzip_uncompressed_estimate(dir.path() / "missing.gz", 1000) == 1000 * kTypicalGzipRatio);
}
