// The generated lake's files: determinism, exact line counts, gzip, DateCount spread, realism.
#include "bda/core/error.hpp"
#include "bda/gen/lake_generator.hpp"
#include "bda/lake/day_selection.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;
using bda::testing::TempDir;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string gunzip_file(const fs::path& p) {
  gzFile gz = gzopen(p.c_str(), "rb");
  REQUIRE(gz != nullptr);
  std::string out;
  char buf[1 << 16];
  int n = 0;
  while ((n = gzread(gz, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  const int rc = gzclose(gz);
  REQUIRE(n == 0);
  REQUIRE(rc == Z_OK);
  return out;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

bda::GenConfig small_config(const fs::path& dir, std::uint64_t seed = 42) {
  bda::GenConfig config;
  config.out_dir = dir;
  config.days = bda::DaySelection::range(bda::Date::parse_iso("2022-04-01"), bda::Date::parse_iso("2022-04-03")).days();
  config.lines_per_day = 3000;
  config.dirty_share = 0.05;
  config.blank_share = 0.01;
  config.crlf_share = 0.01;
  config.seed = seed;
  return config;
}

bda::GroundTruth generate(const bda::GenConfig& config) { return bda::LakeGenerator(config).run(); }

} // namespace

TEST_CASE("Generated lake is identical for the same seed", "[gen]") {
  TempDir a, b;
  const auto truth_a = generate(small_config(a.path()));
  const auto truth_b = generate(small_config(b.path()));
  REQUIRE(truth_a.files == std::vector<std::string>{"20220401.json", "20220402.json", "20220403.json"});
  REQUIRE(truth_a.files == truth_b.files);
  for (const auto& name : truth_a.files) CHECK(read_file(a.path() / name) == read_file(b.path() / name));
  const bda::GenConfig config = small_config(a.path());
  CHECK(bda::manifest_json(config, truth_a) == bda::manifest_json(config, truth_b));
}

TEST_CASE("A different seed gives a different lake", "[gen]") {
  TempDir a, b;
  const auto truth = generate(small_config(a.path(), 1));
  generate(small_config(b.path(), 2));
  for (const auto& name : truth.files) CHECK(read_file(a.path() / name) != read_file(b.path() / name));
}

TEST_CASE("Each day file has exactly lines-per-day newline-terminated lines", "[gen]") {
  TempDir tmp;
  for (std::uint64_t lines : {1, 7, 3000}) {
    bda::GenConfig config = small_config(tmp.path());
    config.lines_per_day = lines;
    const auto truth = generate(config);
    CHECK(truth.lines == 3 * lines);
    std::uint64_t blank = 0;
    for (const auto& name : truth.files) {
      const std::string text = read_file(tmp.path() / name);
      REQUIRE(!text.empty());
      CHECK(text.back() == '\n');
      CHECK(static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n')) == lines);
      for (std::string_view line : lines_of(text)) blank += line.find_first_not_of(" \t\r") == std::string_view::npos;
    }
    CHECK(blank == truth.blank_lines);
    CHECK(truth.blank_lines + truth.records + truth.rejected() == truth.lines);
  }
}

TEST_CASE("A day's file does not depend on which other days are selected", "[gen]") {
  TempDir all, one;
  generate(small_config(all.path()));
  bda::GenConfig config = small_config(one.path());
  config.days = {bda::Date::parse_iso("2022-04-02")};
  generate(config);
  CHECK(read_file(one.path() / "20220402.json") == read_file(all.path() / "20220402.json"));
}

TEST_CASE("Gzip output decompresses to the plain output", "[gen]") {
  TempDir plain, gz;
  generate(small_config(plain.path()));
  bda::GenConfig config = small_config(gz.path());
  config.gzip = true;
  const auto truth = generate(config);
  REQUIRE(truth.files.front() == "20220401.json.gz");
  for (const auto& name : truth.files) {
    CHECK(fs::file_size(gz.path() / name) < fs::file_size(plain.path() / name.substr(0, name.size() - 3)) / 2);
    CHECK(gunzip_file(gz.path() / name) == read_file(plain.path() / name.substr(0, name.size() - 3)));
  }
}

TEST_CASE("Regenerating a day in the other format removes the stale file", "[gen]") {
  TempDir tmp;
  generate(small_config(tmp.path()));
  bda::GenConfig config = small_config(tmp.path());
  config.gzip = true;
  std::vector<bool> replaced;
  bda::LakeGenerator(config).run([&](const bda::DayReport& day) { replaced.push_back(day.replaced_other_format); });
  CHECK(replaced == std::vector<bool>{true, true, true});
  CHECK(fs::exists(tmp.path() / "20220401.json.gz"));
  CHECK_FALSE(fs::exists(tmp.path() / "20220401.json"));
}

TEST_CASE("DateCount spreads over the whole month", "[gen]") {
  TempDir tmp;
  bda::GenConfig config = small_config(tmp.path());
  config.days = bda::DaySelection::month(bda::Date::parse_month("2022-04")).days();
  config.lines_per_day = 3000;
  config.dirty_share = 0;
  config.tricky_share = 0; // every line is plain JSON with unique keys, so nlohmann reads it as is
  const auto truth = generate(config);

  std::map<std::string, std::set<std::size_t>> days_of;
  for (std::size_t day = 0; day < truth.files.size(); ++day) {
    const std::string text = read_file(tmp.path() / truth.files[day]); // the lines below view into it
    for (std::string_view line : lines_of(text)) {
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      days_of[json::parse(line).at("_source").at("Contract").get<std::string>()].insert(day);
    }
  }
  std::vector<std::uint64_t> histogram(31);
  for (const auto& [contract, days] : days_of) ++histogram[days.size()];

  CHECK(histogram == truth.date_count_histogram);
  CHECK(truth.contracts == days_of.size());
  const auto values_seen = std::count_if(histogram.begin() + 1, histogram.end(), [](auto n) { return n > 0; });
  CHECK(values_seen >= 27);
  CHECK(histogram[1] > 0);
  CHECK(histogram[30] > 0);
  // Every segment of SPEC §5 holds a real share of the customers.
  auto segment = [&](std::size_t lo, std::size_t hi) {
    std::uint64_t n = 0;
    for (std::size_t k = lo; k <= hi; ++k) n += histogram[k];
    return static_cast<double>(n) / static_cast<double>(days_of.size());
  };
  CHECK(segment(1, 6) > 0.2);
  CHECK(segment(7, 13) > 0.05);
  CHECK(segment(14, 20) > 0.05);
  CHECK(segment(21, 30) > 0.05);
}

TEST_CASE("Plain lines look like the real export", "[gen]") {
  TempDir tmp;
  bda::GenConfig config = small_config(tmp.path());
  config.dirty_share = 0;
  config.blank_share = 0;
  config.crlf_share = 0;
  config.tricky_share = 0;
  config.reorder_share = 0;
  config.extra_key_share = 0;
  const auto truth = generate(config);
  const std::regex hit(R"re(\{"_index":"history","_type":"[a-z]+","_id":"AX[A-Za-z0-9_-]{18}","_score":0,)re"
                       R"re("_source":\{"Contract":"([A-Z]{3}[0-9]{6})","Mac":"([0-9A-F]{12})",)re"
                       R"re("AppName":"([A-Z_]+)","TotalDuration":([0-9]+)\}\})re");
  std::map<std::string, std::string> mac_of;
  std::map<std::string, std::uint64_t> apps;
  std::uint64_t lines = 0, bytes = 0, zero = 0, long_ones = 0;
  for (const auto& name : truth.files) {
    const std::string text = read_file(tmp.path() / name); // the lines below view into it
    for (std::string_view line : lines_of(text)) {
      std::cmatch m;
      INFO(line);
      REQUIRE(std::regex_match(line.begin(), line.end(), m, hit));
      CHECK(mac_of.emplace(m[1].str(), m[2].str()).first->second == m[2].str()); // one Mac per customer
      ++apps[m[3].str()];
      const auto duration = std::stoull(m[4].str());
      zero += duration == 0;
      long_ones += duration > 20000;
      ++lines;
      bytes += line.size() + 1;
    }
  }
  const auto share = [&](std::uint64_t n) { return static_cast<double>(n) / static_cast<double>(lines); };
  CHECK(apps.size() == 14);
  CHECK(share(apps["CHANNEL"]) > 0.4);
  CHECK(share(apps["CHANNEL"]) < 0.7);
  CHECK(share(zero) > 0.002);
  CHECK(share(zero) < 0.05);
  CHECK(share(long_ones) < 0.05);
  const double mean_line = static_cast<double>(bytes) / static_cast<double>(lines);
  CHECK(mean_line > 150);
  CHECK(mean_line < 250);
}

TEST_CASE("Invalid generator options are refused as usage errors", "[gen]") {
  TempDir tmp;
  const fs::path out = tmp.path() / "lake"; // must not be created by a refused config
  auto refused = [&](auto change) {
    bda::GenConfig config = small_config(out);
    change(config);
    CHECK_THROWS_AS(bda::LakeGenerator(config), bda::UsageError);
  };
  refused([](bda::GenConfig& c) { c.days.clear(); });
  refused([](bda::GenConfig& c) { c.out_dir.clear(); });
  refused([](bda::GenConfig& c) { c.lines_per_day = 0; });
  refused([](bda::GenConfig& c) { c.customers = 0; });
  refused([](bda::GenConfig& c) { c.dirty_share = 1.5; });
  refused([](bda::GenConfig& c) { c.blank_share = -0.1; });
  refused([](bda::GenConfig& c) { c.crlf_share = std::nan(""); });
  CHECK_FALSE(fs::exists(out));
}
