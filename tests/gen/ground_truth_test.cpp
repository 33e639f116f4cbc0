// The generator's ground truth against an independent strict-JSON classification of SPEC §2.
#include "bda/gen/dirty_lines.hpp"
#include "bda/gen/lake_generator.hpp"
#include "bda/gen/rng.hpp"
#include "bda/gen/valid_lines.hpp"
#include "bda/gen/value_model.hpp"
#include "bda/parse/record_parser.hpp"

#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;
using bda::testing::TempDir;

namespace {

// --- an independent reading of SPEC §2, on nlohmann::json instead of the ETL's simdjson ---

const std::map<std::string, std::string> kSpecCategories = {
    {"CHANNEL", "TV"},    {"KPLUS", "TV"},     {"DSHD", "TV"},    {"MOVIE", "Movie"},   {"VOD", "Movie"},
    {"FIMS", "Movie"},    {"BHD", "Movie"},    {"DANET", "Movie"}, {"FIMS_RES", "Movie"}, {"BHD_RES", "Movie"},
    {"VOD_RES", "Movie"}, {"CHILD", "Child"},  {"RELAX", "Relax"}, {"SPORT", "Sport"}};

enum class Kind { Record, Blank, Rejected };

struct Verdict {
  Kind kind = Kind::Rejected;
  std::string reason; // SPEC's reason name when rejected
  std::string contract;
  std::string category;
  std::int64_t duration = 0;
};

bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

// nlohmann keeps the last of duplicate keys; SPEC wants the first, so later ones are dropped while parsing.
json parse_first_key_wins(std::string_view line) {
  std::vector<std::set<std::string>> keys_at_depth(2);
  auto first_wins = [&](int depth, json::parse_event_t event, json& parsed) {
    const auto d = static_cast<std::size_t>(depth);
    if (event == json::parse_event_t::object_start) {
      if (keys_at_depth.size() < d + 2) keys_at_depth.resize(d + 2);
      keys_at_depth[d + 1].clear(); // this object's keys are reported at depth + 1
    } else if (event == json::parse_event_t::key) {
      return keys_at_depth[d].insert(parsed.get<std::string>()).second;
    }
    return true;
  };
  return json::parse(line, first_wins, /*allow_exceptions=*/false);
}

std::string normalised_app(std::string name) {
  const char* ws = " \t\n\v\f\r";
  const auto b = name.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  name = name.substr(b, name.find_last_not_of(ws) - b + 1);
  for (char& c : name)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return name;
}

Verdict classify(std::string_view line) {
  Verdict v;
  auto reject = [&](const char* reason) {
    v.reason = reason;
    return v;
  };
  if (blank(line)) {
    v.kind = Kind::Blank;
    return v;
  }
  if (!json::accept(line)) return reject("malformed_json");
  const json doc = parse_first_key_wins(line);
  if (!doc.is_object()) return reject("not_object");
  const auto source = doc.find("_source");
  if (source == doc.end() || !source->is_object()) return reject("missing_field");
  auto field = [&](const char* key) -> const json* {
    auto it = source->find(key);
    return it == source->end() || it->is_null() ? nullptr : &*it;
  };
  const json* contract = field("Contract");
  if (!contract) return reject("missing_field");
  if (!contract->is_string() || contract->get<std::string>().empty() || contract->get<std::string>() == "0")
    return reject("bad_contract");
  const json* app = field("AppName");
  if (!app) return reject("missing_field");
  if (!app->is_string()) return reject("unknown_app");
  const auto category = kSpecCategories.find(normalised_app(app->get<std::string>()));
  if (category == kSpecCategories.end()) return reject("unknown_app");
  const json* duration = field("TotalDuration");
  if (!duration) return reject("missing_field");
  if (duration->is_number_unsigned()) {
    if (duration->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) return reject("bad_duration");
    v.duration = static_cast<std::int64_t>(duration->get<std::uint64_t>());
  } else if (duration->is_number_integer()) {
    if (duration->get<std::int64_t>() < 0) return reject("bad_duration");
    v.duration = duration->get<std::int64_t>(); // "-0"
  } else if (duration->is_number_float()) {
    const double d = duration->get<double>();
    if (!(d >= 0) || d >= 9223372036854775808.0 || std::trunc(d) != d) return reject("bad_duration");
    v.duration = static_cast<std::int64_t>(d);
  } else {
    return reject("bad_duration");
  }
  v.kind = Kind::Record;
  v.contract = contract->get<std::string>();
  v.category = category->second;
  return v;
}

// --- helpers ---

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Each line of a '\n'-terminated file, without the '\n'.
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

bda::HitFields random_fields(bda::Rng& rng, const bda::CustomerPool& pool) {
  const bda::Customer& c = pool[rng.below(pool.size())];
  bda::HitFields f;
  f.contract = c.contract_view();
  f.mac = c.mac_view();
  f.app = bda::draw_app(rng);
  f.duration = bda::draw_duration(rng);
  bda::draw_hit_id(rng, f.id);
  return f;
}

constexpr int kSamplesPerKind = 300;

} // namespace

TEST_CASE("Every dirty line kind is rejected for its declared reason", "[gen]") {
  const bda::CustomerPool pool(500, 1);
  bda::Rng rng(7);
  std::set<bda::RejectReason> covered;
  for (const bda::DirtyKind& kind : bda::dirty_kinds()) {
    covered.insert(kind.reason);
    for (int i = 0; i < kSamplesPerKind; ++i) {
      std::string line;
      kind.make(random_fields(rng, pool), rng, line);
      INFO(kind.name << ": " << line);
      REQUIRE(line.find('\n') == std::string::npos);
      const Verdict v = classify(line);
      REQUIRE(v.kind == Kind::Rejected);
      REQUIRE(v.reason == bda::name_of(kind.reason));
    }
  }
  CHECK(covered.size() == bda::kRejectReasonCount - 1); // all but line_too_long
}

TEST_CASE("Every tricky line kind counts with its declared contract and duration", "[gen]") {
  const bda::CustomerPool pool(500, 2);
  bda::Rng rng(8);
  for (const bda::TrickyKind& kind : bda::tricky_kinds()) {
    for (int i = 0; i < kSamplesPerKind; ++i) {
      const bda::HitFields f = random_fields(rng, pool);
      bda::CountedAs counted{{}, f.duration};
      std::string line;
      kind.make(f, rng, line, counted);
      INFO(kind.name << ": " << line);
      REQUIRE(line.find('\n') == std::string::npos);
      const Verdict v = classify(line);
      REQUIRE(v.kind == Kind::Record);
      CHECK(v.contract == (counted.contract.empty() ? std::string(f.contract) : counted.contract));
      CHECK(v.duration == counted.duration);
      CHECK(v.category == kSpecCategories.at(std::string(bda::kAppMix[f.app].name)));
    }
  }
}

TEST_CASE("Plain and reshaped hits count as their fields", "[gen]") {
  const bda::CustomerPool pool(500, 3);
  bda::Rng rng(9);
  for (int i = 0; i < 4 * kSamplesPerKind; ++i) {
    const bda::HitFields f = random_fields(rng, pool);
    std::string line;
    if (i % 4 == 0)
      bda::append_plain_hit(line, f);
    else
      bda::append_reshaped_hit(f, i % 4 != 1, i % 4 != 2, rng, line);
    INFO(line);
    const Verdict v = classify(line);
    REQUIRE(v.kind == Kind::Record);
    CHECK(v.contract == f.contract);
    CHECK(v.duration == f.duration);
  }
}

namespace {

// The truth recomputed from the files alone.
struct Recount {
  std::uint64_t lines = 0, blank_lines = 0, records = 0, crlf_lines = 0, total_duration = 0;
  std::map<std::string, std::uint64_t> rejects;
  std::map<std::string, std::uint64_t> duration_by_category;
  std::map<std::string, std::set<std::size_t>> days_of_contract;
};

Recount recount(const fs::path& dir, const json& manifest) {
  Recount r;
  const auto& files = manifest["files"];
  for (std::size_t day = 0; day < files.size(); ++day) {
    const std::string text = read_file(dir / files[day].get<std::string>());
    REQUIRE(!text.empty());
    REQUIRE(text.back() == '\n');
    for (std::string_view line : lines_of(text)) {
      ++r.lines;
      const Verdict v = classify(line);
      if (v.kind == Kind::Blank) {
        ++r.blank_lines;
      } else if (v.kind == Kind::Rejected) {
        ++r.rejects[v.reason];
      } else {
        ++r.records;
        r.total_duration += static_cast<std::uint64_t>(v.duration);
        r.duration_by_category[v.category] += static_cast<std::uint64_t>(v.duration);
        r.days_of_contract[v.contract].insert(day);
        if (line.back() == '\r') ++r.crlf_lines;
      }
    }
  }
  return r;
}

json generate_small_lake(const fs::path& dir) {
  bda::GenConfig config;
  config.out_dir = dir;
  config.days = {bda::Date::parse_iso("2022-04-01"), bda::Date::parse_iso("2022-04-02"),
                 bda::Date::parse_iso("2022-04-03")};
  config.lines_per_day = 2000;
  config.dirty_share = 0.2;
  config.blank_share = 0.01;
  config.crlf_share = 0.05;
  config.tricky_share = 0.1;
  config.seed = 2024;
  bda::LakeGenerator generator(config);
  const bda::GroundTruth truth = generator.run();
  bda::write_manifest(dir / "manifest.json", generator.config(), truth);
  return json::parse(read_file(dir / "manifest.json"));
}

} // namespace

TEST_CASE("The manifest equals an independent count of the generated lake", "[gen]") {
  TempDir tmp;
  const json manifest = generate_small_lake(tmp.path());
  const Recount r = recount(tmp.path(), manifest);

  CHECK(manifest["seed"] == 2024);
  CHECK(manifest["days"] == json({"2022-04-01", "2022-04-02", "2022-04-03"}));
  CHECK(manifest["files"] == json({"20220401.json", "20220402.json", "20220403.json"}));
  CHECK(r.lines == 3 * 2000);
  CHECK(manifest["lines"] == r.lines);
  CHECK(manifest["blank_lines"] == r.blank_lines);
  CHECK(manifest["records"] == r.records);
  CHECK(manifest["crlf_lines"] == r.crlf_lines);
  CHECK(manifest["total_duration"] == r.total_duration);
  CHECK(manifest["contracts"] == r.days_of_contract.size());

  std::uint64_t rejected = 0;
  for (const auto& [reason, n] : manifest["rejects"].items()) {
    INFO(reason);
    const auto it = r.rejects.find(reason);
    CHECK(n.get<std::uint64_t>() == (it == r.rejects.end() ? 0 : it->second));
    if (reason != "line_too_long") CHECK(n.get<std::uint64_t>() > 0);
    rejected += n.get<std::uint64_t>();
  }
  CHECK(r.rejects.size() == 6); // no reason outside the manifest
  CHECK(manifest["rejected"] == rejected);
  CHECK(r.blank_lines + r.records + rejected == r.lines);

  for (const auto& [category, n] : manifest["duration_by_category"].items()) {
    INFO(category);
    CHECK(n.get<std::uint64_t>() == r.duration_by_category.at(category));
  }
  std::map<std::string, std::uint64_t> histogram;
  for (const auto& [contract, days] : r.days_of_contract) ++histogram[std::to_string(days.size())];
  for (const auto& [date_count, n] : manifest["date_count_histogram"].items()) {
    INFO("DateCount " << date_count);
    CHECK(n.get<std::uint64_t>() == histogram[date_count]);
  }
}

TEST_CASE("The ETL's record parser agrees with the manifest on a generated lake", "[gen][parser]") {
  TempDir tmp;
  const json manifest = generate_small_lake(tmp.path());
  const bda::CategoryMapping mapping = bda::CategoryMapping::defaults();
  bda::RecordParser parser(mapping);
  std::uint64_t records = 0, blank_lines = 0, total_duration = 0;
  std::map<std::string, std::uint64_t> rejects;
  std::set<std::string> contracts;
  for (const auto& name : manifest["files"]) {
    const std::string text = read_file(tmp.path() / name.get<std::string>());
    for (std::string_view line : lines_of(text)) {
      std::string padded(line);
      padded.resize(line.size() + bda::kLinePadding);
      bda::Record record;
      const bda::LineOutcome out = parser.parse(std::string_view(padded.data(), line.size()), record);
      if (out.kind == bda::LineKind::Blank) {
        ++blank_lines;
      } else if (out.kind == bda::LineKind::Rejected) {
        ++rejects[std::string(bda::name_of(out.reason))];
      } else {
        ++records;
        total_duration += static_cast<std::uint64_t>(record.duration);
        contracts.emplace(record.contract);
      }
    }
  }
  CHECK(manifest["records"] == records);
  CHECK(manifest["blank_lines"] == blank_lines);
  CHECK(manifest["total_duration"] == total_duration);
  CHECK(manifest["contracts"] == contracts.size());
  for (const auto& [reason, n] : manifest["rejects"].items()) {
    INFO(reason);
    CHECK(n.get<std::uint64_t>() == rejects[reason]);
  }
}
