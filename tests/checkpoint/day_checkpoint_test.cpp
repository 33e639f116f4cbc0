// Day checkpoints: the file round-trips (footer, blocks, rejected lines), key ranges read exactly
// their keys, every kind of damage is a CheckpointError, the k-way merge of days equals adding
// every record, the settings and source identity notice what they must, and decide_checkpoint_use
// gives each day the right reason. Also ContractTable::append_row, which the merge builds on.
#include "bda/checkpoint/checkpoint_use.hpp"
#include "bda/checkpoint/day_checkpoint.hpp"
#include "bda/checkpoint/source_identity.hpp"

#include "bda/aggregate/contract_table.hpp"
#include "bda/core/error.hpp"
#include "bda/core/short_bytes.hpp"
#include "bda/lake/day_selection.hpp"
#include "bda/lake/lake_files.hpp"
#include "bda/model/category_mapping.hpp"

#include "support/error_message.hpp"
#include "support/table_dump.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <zlib.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace bda;
using namespace std::string_literals;
namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

using bda::testing::error_message_of;
using bda::testing::TempDir;
using bda::testing::dump;

using Durations = std::array<std::int64_t, kCategoryCount>;

struct Entry {
  std::string key;
  std::uint8_t mask = 0;
  Durations duration{};
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::uint32_t crc32_of(const std::string& bytes) {
  return static_cast<std::uint32_t>(
      ::crc32(::crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

//! What a written checkpoint holds, as the test wrote it.
struct Written {
  std::vector<std::vector<std::string>> block_keys; // the keys of each block, in file order
};

//! Writes `entries` (in the given order, which the encoder does not check) as a checkpoint, a new
//! block whenever the encoder is full.
Written write_checkpoint(const fs::path& path, const std::vector<Entry>& entries, DayCheckpointInfo info = {},
                         const std::string& rejected = "") {
  Written w;
  DayCheckpointWriter writer(path);
  DayBlockEncoder encoder;
  std::vector<std::string> keys;
  for (const Entry& e : entries) {
    encoder.add(e.key, e.mask, e.duration);
    keys.push_back(e.key);
    if (encoder.full()) {
      writer.add_block(encoder.take());
      w.block_keys.push_back(std::move(keys));
      keys.clear();
      CHECK(encoder.empty());
    }
  }
  if (!encoder.empty()) {
    writer.add_block(encoder.take());
    w.block_keys.push_back(std::move(keys));
  }
  writer.commit(std::move(info), rejected);
  return w;
}

//! Every entry of `cursor` from where it is to its end.
std::vector<Entry> drain(DayCheckpointCursor& cursor, std::uint32_t expected_day) {
  std::vector<Entry> out;
  for (; !cursor.done(); cursor.next()) {
    const DayRecord& r = cursor.record();
    CHECK(r.day == expected_day);
    const ShortBytes b(r.contract);
    CHECK(cursor.order_prefix() == b.order_prefix());
    CHECK(cursor.order_suffix() == b.order_suffix());
    out.push_back({std::string(r.contract), r.mask, r.duration});
  }
  return out;
}

std::vector<std::string> keys_of(const std::vector<Entry>& entries) {
  std::vector<std::string> keys;
  for (const Entry& e : entries) keys.push_back(e.key);
  return keys;
}

bool same_entries(const std::vector<Entry>& a, const std::vector<Entry>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].key != b[i].key || a[i].mask != b[i].mask || a[i].duration != b[i].duration) return false;
  return true;
}

//! Keys no tokenizer would like: long ones, ones sharing 8 or 16 bytes and more, bytes >= 0x80,
//! CSV specials, embedded and trailing NULs, and one of the longest size a checkpoint holds.
std::set<std::string> tricky_keys() {
  std::set<std::string> keys = {
      "SGH1",
      "SGH10",
      "SGH100",
      "SGH1000000000000",          // 16 bytes
      "SGH10000000000000",         // 17: shares 16 with the one before
      "SGH100000000000000000001",  // long keys that share their first 20 bytes
      "SGH100000000000000000002",
      "SGH1000000000000000000021",
      "ABCDEFGHIJKLMNO",           // 15
      "ABCDEFGHIJKLMNOP",          // 16
      "ABCDEFGHIJKLMNOPQ",         // 17
      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
      "\xc3\xa9t\xc3\xa9",        // UTF-8
      "\x80",
      "\xff",
      "\xff\xfe\xfd",
      "SGH\x80\x81",
      "a,b",
      "\"quoted\"",
      "x\"y,z\"\"",
      "with space, and comma",
      "\0"s,
      "\0\0"s,
      "S\0G"s,
      "SGH\0"s,
      "SGH1\0"s,
      "ABCDEFGHIJKLMNOP\0"s,       // 17, ends in NUL: equal first 16 bytes with the 16-byte key
      "ABCDEFGHIJKLMNOP\0\0"s,
      "ABCDEFGHIJKLMNOP\0Q"s,
      std::string(kMaxCheckpointKeyBytes, 'L'),
      std::string(kMaxCheckpointKeyBytes - 1, 'L') + "\xff",
  };
  return keys;
}

//! The tricky keys plus `n` pseudo-random ones (some of any bytes, some like real contracts).
std::set<std::string> many_keys(std::size_t n, std::uint32_t seed) {
  std::set<std::string> keys = tricky_keys();
  std::mt19937 rng(seed);
  while (keys.size() < n + tricky_keys().size()) {
    std::string k;
    if (rng() % 3 == 0) {
      const std::size_t len = 1 + rng() % 40;
      for (std::size_t i = 0; i < len; ++i) k += static_cast<char>(rng() % 256);
    } else {
      k = "SGH" + std::to_string(rng() % 10'000'000);
      if (rng() % 5 == 0) k += "-LONG-SUFFIX-" + std::to_string(rng() % 1000);
    }
    keys.insert(k);
  }
  return keys;
}

//! One entry per key, in key order, with a pseudo-random category mask and durations (0 and the
//! largest duration included).
std::vector<Entry> entries_for(const std::set<std::string>& keys, std::uint32_t seed,
                               std::int64_t max_duration = std::int64_t{1} << 40) {
  std::mt19937_64 rng(seed);
  std::vector<Entry> out;
  for (const std::string& k : keys) {
    Entry e;
    e.key = k;
    e.mask = static_cast<std::uint8_t>(1 + rng() % 31);
    for (std::size_t c = 0; c < kCategoryCount; ++c)
      if ((e.mask >> c) & 1u) {
        const auto pick = rng() % 10;
        e.duration[c] = pick == 0 ? 0 : pick == 1 ? max_duration : static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(max_duration));
      }
    out.push_back(std::move(e));
  }
  return out;
}

DayCheckpointInfo sample_info() {
  DayCheckpointInfo info;
  info.settings = "0123abcd-456";
  info.date = Date::parse_iso("2022-04-07");
  info.source = {"20220407.json", 123456789, 1'650'000'000'123'456'789, 0xDEADBEEF};
  info.counters.bytes = 123456789;
  info.counters.lines = 20000;
  info.counters.blank_lines = 21;
  info.counters.records = 17890;
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) info.counters.rejects[i] = 100 * (i + 1) + i;
  for (std::size_t c = 0; c < kCategoryCount; ++c) {
    info.usage.sessions[c] = 1000 + c;
    info.usage.duration[c] = (std::uint64_t{1} << 62) + c; // past 2^53: no double on the way
  }
  return info;
}

//! The footer JSON of a checkpoint file's bytes.
std::string footer_of(const std::string& file) {
  constexpr std::size_t kTrailer = 8 + 4 + 8;
  REQUIRE(file.size() >= kTrailer);
  std::uint64_t footer_bytes = 0;
  std::memcpy(&footer_bytes, file.data() + file.size() - kTrailer, 8);
  REQUIRE(footer_bytes <= file.size() - kTrailer);
  return file.substr(file.size() - kTrailer - footer_bytes, footer_bytes);
}

//! The file with its footer JSON replaced by `footer`, the length and CRC trailer recomputed.
std::string with_footer(const std::string& file, const std::string& footer) {
  constexpr std::size_t kTrailer = 8 + 4 + 8;
  const std::size_t old_bytes = footer_of(file).size();
  std::string out = file.substr(0, file.size() - kTrailer - old_bytes) + footer;
  const std::uint64_t n = footer.size();
  const std::uint32_t crc = crc32_of(footer);
  out.append(reinterpret_cast<const char*>(&n), 8);
  out.append(reinterpret_cast<const char*>(&crc), 4);
  out += "BDACKEND";
  return out;
}

//! `footer` with "version":1 replaced by "version":N (exactly one occurrence).
std::string footer_with_version(const std::string& footer, const std::string& version) {
  const std::string from = "\"version\":" + std::to_string(kCheckpointFormatVersion);
  const auto at = footer.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(footer.find(from, at + 1) == std::string::npos);
  std::string out = footer;
  out.replace(at, from.size(), "\"version\":" + version);
  return out;
}

std::string checkpoint_error_of_info(const fs::path& path) {
  return error_message_of<CheckpointError>([&] { read_day_checkpoint_info(path); });
}

} // namespace

// --- ContractTable::append_row ----------------------------------------------------------------

TEST_CASE("Contract table: rows appended in key order come back from sorted_rows as 0, 1, 2, ...", "[checkpoint]") {
  ContractTable t(3);
  const std::vector<std::string> keys = {"\0"s, "A", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "SGH1", "SGH10", "\xff"};
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::uint32_t row = t.append_row(keys[i]);
    CHECK(row == i);
    t.add_day_record(row, DayRecord{keys[i], static_cast<std::uint32_t>(i % 3), 0b00101, {1, 0, 2, 0, 0}});
  }
  REQUIRE(t.size() == keys.size());
  CHECK(t.sorted_rows() == std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5});
  for (std::size_t i = 0; i < keys.size(); ++i) {
    CHECK(t.key(i) == keys[i]);
    CHECK(t.state(i).duration == Durations{1, 0, 2, 0, 0});
    CHECK(t.date_count(i) == 1);
    CHECK(t.day_mask(i, static_cast<std::uint32_t>(i % 3)) == 0b00101);
    CHECK(t.day_mask(i, static_cast<std::uint32_t>((i + 1) % 3)) == 0);
  }
}

TEST_CASE("Contract table: after append_row, add finds an appended key and gives a new key a new row, "
          "and sorted_rows then really sorts",
          "[checkpoint]") {
  ContractTable t(70);
  const std::string long_key = "LONG-CONTRACT-NAME-0000001";
  REQUIRE(t.append_row("B") == 0);
  REQUIRE(t.append_row("D") == 1);
  REQUIRE(t.append_row(long_key) == 2);
  t.add_day_record(1, DayRecord{"D", 0, 0b00001, {5, 0, 0, 0, 0}});

  t.add("D", Category::Child, 65, 7); // an appended key: its row, not a new one
  t.add(long_key, Category::TV, 3, 9);
  t.add("A", Category::Movie, 1, 11); // new: a new row
  t.add("C", Category::Relax, 2, 13);
  REQUIRE(t.size() == 5);
  CHECK(t.key(1) == "D");
  CHECK(t.state(1).duration == Durations{12, 0, 0, 0, 0});
  CHECK(t.date_count(1) == 2);
  CHECK(t.days(1, Category::Child)[0] == 1);
  CHECK(t.days(1, Category::Child)[1] == std::uint64_t{1} << 1);
  CHECK(t.state(2).duration == Durations{0, 0, 0, 9, 0});
  CHECK(t.key(3) == "A");
  CHECK(t.key(4) == "C");
  // A, B, C, D, LONG...: rows 3, 0, 4, 1, 2
  CHECK(t.sorted_rows() == std::vector<std::uint32_t>{3, 0, 4, 1, 2});

  // Once filled by lookups, the table is not in key order any more: appending is refused.
  CHECK_THROWS_AS(t.append_row("ZZZ"), std::logic_error);
}

TEST_CASE("Contract table: after append_row, add_batch and merge find the appended rows too", "[checkpoint]") {
  ContractTable t(2);
  for (int i = 0; i < 1000; ++i) t.append_row("K" + std::to_string(100000 + i)); // more rows than the first index holds
  std::vector<std::string> keys;
  for (int i = 0; i < 1000; i += 3) keys.push_back("K" + std::to_string(100000 + i));
  std::vector<PendingRecord> batch;
  for (const std::string& k : keys) batch.push_back({k, Category::Sport, 1, 2});
  t.add_batch(batch.data(), batch.size());
  CHECK(t.size() == 1000);
  ContractTable other(2);
  other.add("K100001", Category::TV, 0, 4);
  other.add("NEW", Category::TV, 0, 4);
  t.merge(other);
  CHECK(t.size() == 1001);
  CHECK(t.state(0).duration == Durations{0, 0, 2, 0, 0});
  CHECK(t.state(1).duration == Durations{0, 0, 0, 4, 0});
  const auto rows = t.sorted_rows();
  REQUIRE(rows.size() == 1001);
  CHECK(rows.back() == 1000); // "NEW" sorts after every "K..."
  for (std::size_t i = 0; i < 1000; ++i) CHECK(rows[i] == i);
}

// --- round trip -------------------------------------------------------------------------------

TEST_CASE("Day checkpoint: a written checkpoint reads back its footer, its entries and its rejected lines",
          "[checkpoint]") {
  TempDir dir;
  const fs::path path = day_checkpoint_path(dir.path(), Date::parse_iso("2022-04-07"));
  CHECK(path == dir.path() / "20220407.ckpt");
  const std::vector<Entry> entries = entries_for(many_keys(30000, 7), 11, static_cast<std::int64_t>(DailyUsage::kMaxDuration));
  const std::string rejected = "3\tmalformed_json\t{\"a\":\n9\tunknown_app\t{\"AppName\":\"X\\tY\"}\n";
  const DayCheckpointInfo written = sample_info();
  const Written w = write_checkpoint(path, entries, written, rejected);
  REQUIRE(w.block_keys.size() >= 3); // the encoder filled several blocks

  const DayCheckpointInfo info = read_day_checkpoint_info(path);
  CHECK(info.version == kCheckpointFormatVersion);
  CHECK(info.settings == written.settings);
  CHECK(info.date == written.date);
  CHECK(info.source == written.source);
  CHECK(info.counters.bytes == written.counters.bytes);
  CHECK(info.counters.lines == written.counters.lines);
  CHECK(info.counters.blank_lines == written.counters.blank_lines);
  CHECK(info.counters.records == written.counters.records);
  CHECK(info.counters.rejects == written.counters.rejects);
  for (std::size_t c = 0; c < kCategoryCount; ++c) {
    CHECK(info.usage.sessions[c] == written.usage.sessions[c]);
    CHECK(info.usage.duration[c] == written.usage.duration[c]);
  }
  CHECK(info.contracts == entries.size());
  REQUIRE(info.blocks.size() == w.block_keys.size());
  std::uint64_t entries_in_blocks = 0;
  for (std::size_t b = 0; b < info.blocks.size(); ++b) {
    CHECK(info.blocks[b].first_key == w.block_keys[b].front());
    CHECK(info.blocks[b].entries == w.block_keys[b].size());
    entries_in_blocks += info.blocks[b].entries;
  }
  CHECK(entries_in_blocks == entries.size());
  CHECK(info.rejected_bytes == rejected.size());

  DayCheckpointReader reader(path, info);
  CHECK(reader.rejected_lines() == rejected);
  DayCheckpointCursor cursor(reader, 5, std::nullopt, std::nullopt);
  const std::vector<Entry> read = drain(cursor, 5);
  REQUIRE(read.size() == entries.size());
  CHECK(same_entries(read, entries));
  const std::vector<std::string> read_keys = keys_of(read);
  for (const std::string& k : tricky_keys())
    CHECK(std::find(read_keys.begin(), read_keys.end(), k) != read_keys.end());
}

TEST_CASE("Day checkpoint: the tricky keys alone fit one block and read back byte for byte", "[checkpoint]") {
  TempDir dir;
  const fs::path path = dir.path() / "20220401.ckpt";
  const std::vector<Entry> entries = entries_for(tricky_keys(), 3);
  DayCheckpointInfo info;
  info.date = Date::parse_iso("2022-04-01");
  const Written w = write_checkpoint(path, entries, info);
  REQUIRE(w.block_keys.size() == 1);
  DayCheckpointReader reader(path, read_day_checkpoint_info(path));
  DayCheckpointCursor cursor(reader, 0, std::nullopt, std::nullopt);
  CHECK(same_entries(drain(cursor, 0), entries));
}

TEST_CASE("Day checkpoint: a day without entries or rejected lines reads back empty", "[checkpoint]") {
  TempDir dir;
  const fs::path path = dir.path() / "20220401.ckpt";
  DayCheckpointInfo info;
  info.date = Date::parse_iso("2022-04-01");
  info.counters.lines = 3;
  info.counters.blank_lines = 3;
  write_checkpoint(path, {}, info);
  const DayCheckpointInfo back = read_day_checkpoint_info(path);
  CHECK(back.contracts == 0);
  CHECK(back.blocks.empty());
  CHECK(back.counters.blank_lines == 3);
  DayCheckpointReader reader(path, back);
  CHECK(reader.rejected_lines().empty());
  CHECK(reader.blocks_for(std::nullopt, std::nullopt).empty());
  DayCheckpointCursor cursor(reader, 0, std::nullopt, std::nullopt);
  CHECK(cursor.done());
  ContractTable t(1);
  merge_days({&cursor}, t);
  CHECK(t.size() == 0);
}

// --- key ranges -------------------------------------------------------------------------------

TEST_CASE("Day checkpoint: blocks_for and a cursor's bounds give exactly the keys lo <= k < hi", "[checkpoint]") {
  TempDir dir;
  const fs::path path = dir.path() / "20220401.ckpt";
  const std::vector<Entry> entries = entries_for(many_keys(30000, 21), 5);
  const Written w = write_checkpoint(path, entries);
  REQUIRE(w.block_keys.size() >= 4);
  DayCheckpointReader reader(path, read_day_checkpoint_info(path));
  const auto& blocks = reader.info().blocks;

  using Bound = std::optional<std::string>;
  const auto& b1 = w.block_keys[1];
  const auto& b2 = w.block_keys[2];
  const std::string after_all(kMaxCheckpointKeyBytes + 1, '\xff');
  // A value strictly between two neighbouring keys: the first one and a NUL.
  auto just_after = [](const std::string& k) { return k + '\0'; };
  REQUIRE(just_after(w.block_keys[0].back()) < blocks[1].first_key); // falls between blocks 0 and 1
  REQUIRE(just_after(b2[b2.size() / 2]) < b2[b2.size() / 2 + 1]);    // falls inside block 2
  const std::vector<std::pair<Bound, Bound>> bounds = {
      {std::nullopt, std::nullopt},
      {std::nullopt, blocks[1].first_key},                       // upper bound on a block's first key
      {blocks[1].first_key, std::nullopt},                       // lower bound on a block's first key
      {blocks[1].first_key, blocks[3].first_key},
      {b1[b1.size() / 2], std::nullopt},                         // a key inside a block
      {std::nullopt, b1[b1.size() / 2]},
      {b1[b1.size() / 3], b2[b2.size() / 2]},                    // both inside blocks
      {b1[10], b1[20]},                                          // both inside one block
      {just_after(b2[b2.size() / 2]), just_after(b2[b2.size() / 2 + 5])}, // not keys, inside a block
      {just_after(w.block_keys[0].back()), std::nullopt},        // between blocks 0 and 1
      {std::nullopt, just_after(w.block_keys[0].back())},
      {just_after(w.block_keys[0].back()), just_after(w.block_keys[2].back())},
      {w.block_keys[0].back(), b1.front()},                      // the last key of a block alone
      {std::string(), std::nullopt},                             // before every key
      {std::nullopt, std::string()},                             // nothing is below ""
      {std::nullopt, after_all},
      {after_all, std::nullopt},                                 // after every key
      {b1[5], b1[5]},                                            // empty ranges
      {b2[5], b1[5]},
  };
  for (const auto& bound : bounds) {
    // Named copies, not a structured binding: Clang 14 cannot capture those in a lambda.
    const std::optional<std::string>& lo = bound.first;
    const std::optional<std::string>& hi = bound.second;
    INFO("lo " << (lo ? std::to_string(lo->size()) + " bytes" : "none") << ", hi "
               << (hi ? std::to_string(hi->size()) + " bytes" : "none"));
    std::vector<std::string> expected;
    for (const Entry& e : entries)
      if ((!lo || e.key >= *lo) && (!hi || e.key < *hi)) expected.push_back(e.key);

    // blocks_for: the blocks whose span [first key, next block's first key) meets [lo, hi).
    const std::vector<std::size_t> chosen = reader.blocks_for(lo, hi);
    std::vector<std::size_t> spanning;
    for (std::size_t b = 0; b < blocks.size(); ++b) {
      const bool ends_after_lo = !lo || b + 1 == blocks.size() || blocks[b + 1].first_key > *lo;
      const bool starts_before_hi = !hi || blocks[b].first_key < *hi;
      if (ends_after_lo && starts_before_hi) spanning.push_back(b);
    }
    // Every block with a key in the range is chosen, and no block whose span misses the range.
    for (std::size_t b = 0; b < blocks.size(); ++b) {
      const bool has_key = std::any_of(w.block_keys[b].begin(), w.block_keys[b].end(), [&](const std::string& k) {
        return (!lo || k >= *lo) && (!hi || k < *hi);
      });
      if (has_key) CHECK(std::find(chosen.begin(), chosen.end(), b) != chosen.end());
    }
    for (std::size_t b : chosen) CHECK(std::find(spanning.begin(), spanning.end(), b) != spanning.end());
    CHECK(std::is_sorted(chosen.begin(), chosen.end()));

    DayCheckpointCursor cursor(reader, 2, lo, hi);
    const std::vector<Entry> got = drain(cursor, 2);
    CHECK(got.size() == expected.size());
    CHECK(keys_of(got) == expected);
  }
}

// --- damage -----------------------------------------------------------------------------------

TEST_CASE("Day checkpoint: a truncated file is a CheckpointError at every cut point", "[checkpoint]") {
  TempDir dir;
  const fs::path good = dir.path() / "good.ckpt";
  const fs::path cut = dir.path() / "cut.ckpt";

  SECTION("a small checkpoint, cut after every byte") {
    write_checkpoint(good, entries_for(tricky_keys(), 1), sample_info(), "1\tnot_object\t[]\n");
    const std::string bytes = read_file(good);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      write_bytes(cut, bytes.substr(0, n));
      INFO("cut to " << n << " of " << bytes.size() << " bytes");
      CHECK_FALSE(checkpoint_error_of_info(cut).empty());
    }
  }
  SECTION("a checkpoint of several blocks, cut inside blocks, the rejected lines, the footer and the trailer") {
    const Written w = write_checkpoint(good, entries_for(many_keys(20000, 3), 2), sample_info(), "1\tnot_object\t[]\n");
    REQUIRE(w.block_keys.size() >= 2);
    const std::string bytes = read_file(good);
    const DayCheckpointInfo info = read_day_checkpoint_info(good);
    const std::vector<std::size_t> cuts = {0, 4, 8, 9, 20, static_cast<std::size_t>(info.blocks[1].offset),
                                           static_cast<std::size_t>(info.blocks[1].offset) + 7,
                                           bytes.size() / 2, static_cast<std::size_t>(info.rejected_offset) + 3,
                                           bytes.size() - 40, bytes.size() - 20, bytes.size() - 12, bytes.size() - 8,
                                           bytes.size() - 1};
    for (std::size_t n : cuts) {
      write_bytes(cut, bytes.substr(0, n));
      INFO("cut to " << n << " of " << bytes.size() << " bytes");
      const std::string why = checkpoint_error_of_info(cut);
      CHECK_FALSE(why.empty());
    }
    write_bytes(cut, bytes.substr(0, bytes.size() / 2));
    CHECK_THAT(checkpoint_error_of_info(cut), Contains("truncated"));
  }
}

TEST_CASE("Day checkpoint: a flipped byte in a block fails that block's checksum when it is read", "[checkpoint]") {
  TempDir dir;
  const fs::path path = dir.path() / "20220401.ckpt";
  const Written w = write_checkpoint(path, entries_for(many_keys(20000, 4), 6));
  REQUIRE(w.block_keys.size() >= 3);
  const std::string good = read_file(path);
  const DayCheckpointInfo info = read_day_checkpoint_info(path);

  SECTION("in the payload of the first block: opening a cursor throws") {
    std::string bad = good;
    bad[info.blocks[0].offset + 12 + info.blocks[0].payload_bytes / 2] ^= 0x01;
    write_bytes(path, bad);
    const DayCheckpointInfo still = read_day_checkpoint_info(path); // the footer does not cover the blocks
    DayCheckpointReader reader(path, still);
    CHECK_THAT(error_message_of<CheckpointError>([&] { reader.read_block(0); }), Contains("checksum"));
    CHECK_NOTHROW(reader.read_block(1));
    CHECK_THROWS_AS(DayCheckpointCursor(reader, 0, std::nullopt, std::nullopt), CheckpointError);
  }
  SECTION("in the payload of a later block: the cursor throws on reaching it") {
    std::string bad = good;
    bad[info.blocks[2].offset + 12 + 1] ^= '\x80';
    write_bytes(path, bad);
    DayCheckpointReader reader(path, read_day_checkpoint_info(path));
    CHECK_THROWS_AS(reader.read_block(2), CheckpointError);
    DayCheckpointCursor cursor(reader, 0, std::nullopt, std::nullopt);
    std::size_t seen = 0;
    const std::string why = error_message_of<CheckpointError>([&] {
      for (; !cursor.done(); cursor.next()) ++seen;
    });
    CHECK_THAT(why, Contains("block 2"));
    CHECK(seen == w.block_keys[0].size() + w.block_keys[1].size());
    // A cursor over block 1's keys alone never reads block 2.
    DayCheckpointCursor only_1(reader, 0, w.block_keys[1].front(), w.block_keys[1].back());
    CHECK(drain(only_1, 0).size() == w.block_keys[1].size() - 1);
  }
  SECTION("in a block's header") {
    std::string bad = good;
    bad[info.blocks[1].offset + 4] ^= 0x01; // its entry count
    write_bytes(path, bad);
    DayCheckpointReader reader(path, read_day_checkpoint_info(path));
    CHECK_THAT(error_message_of<CheckpointError>([&] { reader.read_block(1); }), Contains("block 1"));
  }
}

TEST_CASE("Day checkpoint: a flipped byte in the rejected lines fails their checksum", "[checkpoint]") {
  TempDir dir;
  const fs::path path = dir.path() / "20220401.ckpt";
  write_checkpoint(path, entries_for(tricky_keys(), 1), sample_info(), "1\tnot_object\t[]\n2\tnot_object\t[1]\n");
  std::string bytes = read_file(path);
  const DayCheckpointInfo info = read_day_checkpoint_info(path);
  bytes[info.rejected_offset + 5] ^= 0x20;
  write_bytes(path, bytes);
  DayCheckpointReader reader(path, read_day_checkpoint_info(path));
  CHECK_THAT(error_message_of<CheckpointError>([&] { reader.rejected_lines(); }), Contains("rejected lines"));
}

TEST_CASE("Day checkpoint: a flipped byte in the footer or its trailer is a CheckpointError", "[checkpoint]") {
  TempDir dir;
  const fs::path path = dir.path() / "20220401.ckpt";
  write_checkpoint(path, entries_for(many_keys(3000, 8), 1), sample_info(), "1\tnot_object\t[]\n");
  const std::string good = read_file(path);
  const std::size_t footer_bytes = footer_of(good).size();
  const std::size_t footer_at = good.size() - 20 - footer_bytes;
  // Every byte of the footer's first and last 40, and of the trailer (length, CRC, end magic).
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < std::min<std::size_t>(40, footer_bytes); ++i) at.push_back(footer_at + i);
  for (std::size_t i = good.size() - 60; i < good.size(); ++i) at.push_back(i);
  at.push_back(footer_at + footer_bytes / 2);
  for (std::size_t i : at) {
    for (const char flip : {'\x01', '\x80'}) {
      std::string bad = good;
      bad[i] ^= flip;
      write_bytes(path, bad);
      INFO("byte " << i << " of " << good.size() << " xor " << static_cast<int>(static_cast<unsigned char>(flip)));
      CHECK_FALSE(checkpoint_error_of_info(path).empty());
    }
  }
  std::string bad = good;
  bad[footer_at + footer_bytes / 2] ^= 0x01;
  write_bytes(path, bad);
  CHECK_THAT(checkpoint_error_of_info(path), Contains("footer checksum"));
}

TEST_CASE("Day checkpoint: a file without the start magic is not a checkpoint", "[checkpoint]") {
  TempDir dir;
  const fs::path path = dir.path() / "20220401.ckpt";
  write_checkpoint(path, entries_for(tricky_keys(), 1));
  std::string bytes = read_file(path);
  REQUIRE(bytes.substr(0, 8) == "BDACKPT1");
  bytes[7] = '2';
  write_bytes(path, bytes);
  CHECK_THAT(checkpoint_error_of_info(path), Contains("not a checkpoint"));
  write_bytes(path, std::string(4096, 'x'));
  CHECK_FALSE(checkpoint_error_of_info(path).empty());
  write_bytes(path, "");
  CHECK_FALSE(checkpoint_error_of_info(path).empty());
}

TEST_CASE("Day checkpoint: a footer of another format version is a CheckpointError naming the version",
          "[checkpoint]") {
  TempDir dir;
  const fs::path path = dir.path() / "20220401.ckpt";
  const std::vector<Entry> entries = entries_for(tricky_keys(), 1);
  write_checkpoint(path, entries, sample_info());
  const std::string good = read_file(path);
  const std::string footer = footer_of(good);

  // The rewrite itself is sound: the same version, rewritten, still reads.
  write_bytes(path, with_footer(good, footer_with_version(footer, std::to_string(kCheckpointFormatVersion))));
  CHECK(read_day_checkpoint_info(path).contracts == entries.size());

  write_bytes(path, with_footer(good, footer_with_version(footer, "999")));
  const std::string why = checkpoint_error_of_info(path);
  CHECK_THAT(why, Contains("version 999"));
  write_bytes(path, with_footer(good, footer_with_version(footer, "0")));
  CHECK_THAT(checkpoint_error_of_info(path), Contains("version 0"));
  // A footer that is whole JSON but not a checkpoint's.
  write_bytes(path, with_footer(good, "{\"version\":1}"));
  CHECK_FALSE(checkpoint_error_of_info(path).empty());
  write_bytes(path, with_footer(good, "not json"));
  CHECK_FALSE(checkpoint_error_of_info(path).empty());
}

// --- merge ------------------------------------------------------------------------------------

namespace {

struct MergeFixture {
  TempDir dir;
  std::vector<std::uint32_t> day_index = {0, 3, 63, 64, 69};
  std::vector<std::vector<Entry>> days;
  std::vector<std::unique_ptr<DayCheckpointReader>> readers;
  ContractTable reference{70};

  MergeFixture() {
    const std::set<std::string> universe = many_keys(12000, 99);
    std::mt19937 rng(5);
    for (std::size_t d = 0; d < day_index.size(); ++d) {
      std::set<std::string> keys;
      for (const std::string& k : universe)
        if (rng() % 10 < 6) keys.insert(k);
      days.push_back(entries_for(keys, static_cast<std::uint32_t>(100 + d)));
      const fs::path path = dir.path() / ("day" + std::to_string(d) + ".ckpt");
      write_checkpoint(path, days.back());
      readers.push_back(std::make_unique<DayCheckpointReader>(path, read_day_checkpoint_info(path)));
      for (const Entry& e : days.back())
        for (std::size_t c = 0; c < kCategoryCount; ++c)
          if ((e.mask >> c) & 1u) reference.add(e.key, kCanonicalCategories[c], day_index[d], e.duration[c]);
    }
  }

  ContractTable merge(const std::optional<std::string>& lo, const std::optional<std::string>& hi) {
    std::vector<std::unique_ptr<DayCheckpointCursor>> cursors;
    std::vector<DayCheckpointCursor*> heads;
    for (std::size_t d = 0; d < readers.size(); ++d) {
      cursors.push_back(std::make_unique<DayCheckpointCursor>(*readers[d], day_index[d], lo, hi));
      heads.push_back(cursors.back().get());
    }
    ContractTable t(70);
    merge_days(heads, t);
    return t;
  }
};

} // namespace

TEST_CASE("Day checkpoint: merge_days over several days equals adding every record to a table", "[checkpoint]") {
  MergeFixture f;
  REQUIRE(f.readers[0]->info().blocks.size() >= 2);
  const ContractTable merged = f.merge(std::nullopt, std::nullopt);
  CHECK(merged.size() == f.reference.size());
  // The merged rows are in key order already.
  const auto rows = merged.sorted_rows();
  for (std::size_t i = 0; i < rows.size(); ++i) REQUIRE(rows[i] == i);
  for (std::size_t i = 1; i < merged.size(); ++i) REQUIRE(merged.key(i - 1) < merged.key(i));
  const std::string want = dump(f.reference), got = dump(merged);
  CHECK(got.size() == want.size());
  CHECK(got == want);
  // Spot checks of the per-contract figures themselves.
  const auto ref_rows = f.reference.sorted_rows();
  REQUIRE(ref_rows.size() == merged.size());
  for (std::size_t i = 0; i < merged.size(); ++i) {
    const std::uint32_t r = ref_rows[i];
    REQUIRE(merged.key(i) == f.reference.key(r));
    CHECK(merged.state(i).duration == f.reference.state(r).duration);
    CHECK(merged.date_count(i) == f.reference.date_count(r));
    for (Category c : kCanonicalCategories)
      for (std::size_t w = 0; w < merged.words_per_category(); ++w)
        CHECK(merged.days(i, c)[w] == f.reference.days(r, c)[w]);
  }
}

TEST_CASE("Day checkpoint: merge_days over disjoint key ranges partitions the whole merge", "[checkpoint]") {
  MergeFixture f;
  const auto& blocks = f.readers[1]->info().blocks;
  REQUIRE(blocks.size() >= 2);
  // Splitters as a run would pick them: block first keys, a key inside a block, a long key.
  std::vector<std::string> splitters = {"SGH1000000000000", "SGH3", blocks[1].first_key + '\0', "\x80"};
  std::sort(splitters.begin(), splitters.end());
  std::string parts;
  std::size_t rows = 0;
  for (std::size_t i = 0; i <= splitters.size(); ++i) {
    const std::optional<std::string> lo = i == 0 ? std::nullopt : std::optional<std::string>(splitters[i - 1]);
    const std::optional<std::string> hi =
        i == splitters.size() ? std::nullopt : std::optional<std::string>(splitters[i]);
    const ContractTable part = f.merge(lo, hi);
    for (std::size_t r = 0; r < part.size(); ++r) {
      CHECK((!lo || part.key(r) >= *lo));
      CHECK((!hi || part.key(r) < *hi));
    }
    rows += part.size();
    parts += dump(part);
  }
  CHECK(rows == f.reference.size());
  CHECK(parts == dump(f.reference));
}

TEST_CASE("Day checkpoint: merge_days throws CheckpointError when a day's entries are out of key order",
          "[checkpoint]") {
  TempDir dir;
  const Durations one = {1, 0, 0, 0, 0};
  const std::vector<Entry> good = {{"A", 1, one}, {"C", 1, one}, {"E", 1, one}};
  auto merge_with = [&](const std::vector<Entry>& bad) {
    write_checkpoint(dir.path() / "good.ckpt", good);
    write_checkpoint(dir.path() / "bad.ckpt", bad);
    DayCheckpointReader r1(dir.path() / "good.ckpt", read_day_checkpoint_info(dir.path() / "good.ckpt"));
    DayCheckpointReader r2(dir.path() / "bad.ckpt", read_day_checkpoint_info(dir.path() / "bad.ckpt"));
    DayCheckpointCursor c1(r1, 0, std::nullopt, std::nullopt);
    DayCheckpointCursor c2(r2, 1, std::nullopt, std::nullopt);
    ContractTable t(2);
    return error_message_of<CheckpointError>([&] { merge_days({&c1, &c2}, t); });
  };
  SECTION("short keys descending") {
    CHECK_THAT(merge_with({{"B", 1, one}, {"D", 1, one}, {"C", 1, one}}), Contains("out of key order"));
  }
  SECTION("a key given twice") {
    CHECK_THAT(merge_with({{"B", 1, one}, {"B", 1, one}}), Contains("out of key order"));
  }
  SECTION("long keys sharing their first 16 bytes, descending") {
    CHECK_THAT(merge_with({{"ABCDEFGHIJKLMNOPz", 1, one}, {"ABCDEFGHIJKLMNOPa", 1, one}}),
               Contains("out of key order"));
  }
  SECTION("a long key given twice") {
    CHECK_THAT(merge_with({{"ABCDEFGHIJKLMNOPzz", 1, one}, {"ABCDEFGHIJKLMNOPzz", 1, one}}),
               Contains("out of key order"));
  }
  SECTION("a key and a shorter one with equal first bytes") {
    CHECK_THAT(merge_with({{"SGH10", 1, one}, {"SGH1", 1, one}}), Contains("out of key order"));
  }
}

TEST_CASE("Day checkpoint: merge_days needs an empty table", "[checkpoint]") {
  TempDir dir;
  write_checkpoint(dir.path() / "a.ckpt", {{"A", 1, {1, 0, 0, 0, 0}}});
  DayCheckpointReader r(dir.path() / "a.ckpt", read_day_checkpoint_info(dir.path() / "a.ckpt"));
  DayCheckpointCursor c(r, 0, std::nullopt, std::nullopt);
  ContractTable t(1);
  t.add("X", Category::TV, 0, 1);
  CHECK_THROWS_AS(merge_days({&c}, t), std::invalid_argument);
}

// --- settings and identity --------------------------------------------------------------------

TEST_CASE("Checkpoint settings: differ with the mapping or the line limit, equal for equal mappings",
          "[checkpoint]") {
  const ReaderConfig reader;
  const std::string base = checkpoint_settings(CategoryMapping::defaults(), reader);
  CHECK(base == checkpoint_settings(CategoryMapping::defaults(), reader));

  CategoryMapping plus_one = CategoryMapping::defaults();
  plus_one.add("NEWAPP", Category::Relax);
  CHECK(checkpoint_settings(plus_one, reader) != base);

  // One name moved to another category: same size, other meaning.
  CategoryMapping moved;
  for (auto name : {"CHANNEL", "KPLUS", "DSHD"}) moved.add(name, Category::TV);
  for (auto name : {"MOVIE", "VOD", "FIMS", "BHD", "DANET", "FIMS_RES", "BHD_RES"}) moved.add(name, Category::Movie);
  moved.add("VOD_RES", Category::TV);
  moved.add("CHILD", Category::Child);
  moved.add("RELAX", Category::Relax);
  moved.add("SPORT", Category::Sport);
  CHECK(moved.size() == CategoryMapping::defaults().size());
  CHECK(checkpoint_settings(moved, reader) != base);

  ReaderConfig shorter = reader;
  shorter.max_line_bytes = reader.max_line_bytes - 1;
  CHECK(checkpoint_settings(CategoryMapping::defaults(), shorter) != base);
  ReaderConfig other_chunk = reader; // the buffer size does not change what a day parses to
  other_chunk.chunk_bytes = reader.chunk_bytes * 2;
  CHECK(checkpoint_settings(CategoryMapping::defaults(), other_chunk) == base);

  // The default table built in another order, and as JSON with other spellings of the names.
  CategoryMapping reversed;
  reversed.add("SPORT", Category::Sport);
  reversed.add("RELAX", Category::Relax);
  reversed.add("CHILD", Category::Child);
  for (auto name : {"VOD_RES", "BHD_RES", "FIMS_RES", "DANET", "BHD", "FIMS", "VOD", "MOVIE"}) reversed.add(name, Category::Movie);
  for (auto name : {"DSHD", "KPLUS", "CHANNEL"}) reversed.add(name, Category::TV);
  CHECK(checkpoint_settings(reversed, reader) == base);
  const CategoryMapping from_json = CategoryMapping::from_json_text(
      R"({"Sport": ["sport"], "Relax": [" Relax "], "Child": ["CHILD"], "TV": ["dshd", "KPlus", "CHANNEL"],
          "Movie": ["vod_res", "BHD_RES", "FIMS_RES", "DANET", "BHD", "FIMS", "VOD", "MOVIE"]})",
      "test");
  CHECK(checkpoint_settings(from_json, reader) == base);
}

TEST_CASE("Source identity: describe_change names size, modification time, content and name changes",
          "[checkpoint]") {
  const SourceIdentity was{"20220401.json", 314, 1'650'000'000'000'000'001, 0x12345678};
  CHECK(describe_change(was, was).empty());
  SourceIdentity now = was;
  now.size = 315;
  CHECK(describe_change(was, now) == "size 314 -> 315 bytes");
  now = was;
  now.mtime_ns += 1;
  CHECK_THAT(describe_change(was, now), Contains("modification time"));
  now = was;
  now.edge_crc ^= 1;
  CHECK_THAT(describe_change(was, now), Contains("content"));
  now = was;
  now.name = "20220402.json";
  CHECK_THAT(describe_change(was, now), Contains("20220401.json") && Contains("20220402.json"));
}

TEST_CASE("Source identity: identify_day_file notices a changed size, mtime or edge content", "[checkpoint]") {
  TempDir dir;
  const fs::path path = dir.path() / "20220401.json";
  std::string content(200 * 1024, 'a'); // longer than both 64 KiB edges
  write_bytes(path, content);
  DayFile file;
  file.date = Date::parse_iso("2022-04-01");
  file.path = path.string();
  const SourceIdentity first = identify_day_file(file);
  CHECK(first.name == "20220401.json");
  CHECK(first.size == content.size());
  CHECK(identify_day_file(file) == first);

  const auto mtime = fs::last_write_time(path);
  SECTION("same size and mtime, a changed last byte: content changed") {
    content.back() = 'b';
    write_bytes(path, content);
    fs::last_write_time(path, mtime);
    CHECK_THAT(describe_change(first, identify_day_file(file)), Contains("content"));
  }
  SECTION("same size and mtime, a changed first byte: content changed") {
    content.front() = 'b';
    write_bytes(path, content);
    fs::last_write_time(path, mtime);
    CHECK_THAT(describe_change(first, identify_day_file(file)), Contains("content"));
  }
  SECTION("touched only: modification time changed") {
    fs::last_write_time(path, mtime + std::chrono::seconds(1));
    CHECK_THAT(describe_change(first, identify_day_file(file)), Contains("modification time"));
  }
  SECTION("appended to: size") {
    std::ofstream(path, std::ios::binary | std::ios::app) << "more\n";
    CHECK_THAT(describe_change(first, identify_day_file(file)), StartsWith("size "));
  }
  SECTION("a missing file is an InputError naming it") {
    fs::remove(path);
    CHECK_THAT(error_message_of<InputError>([&] { identify_day_file(file); }), Contains("20220401.json"));
  }
}

// --- decide_checkpoint_use --------------------------------------------------------------------

TEST_CASE("Checkpoint use: each day is reused or parsed for the right reason", "[checkpoint]") {
  TempDir lake_dir;
  TempDir ckpt_dir;
  for (int d = 1; d <= 3; ++d)
    lake_dir.write("2022040" + std::to_string(d) + ".json", "{\"day\": " + std::to_string(d) + "}\n");
  const DaySelection days = DaySelection::range(Date::parse_iso("2022-04-01"), Date::parse_iso("2022-04-03"));
  const std::string settings = checkpoint_settings(CategoryMapping::defaults(), ReaderConfig{});
  LakeFiles lake = resolve_lake_files(lake_dir.path(), days, false);
  REQUIRE(lake.files.size() == 3);
  // Checkpoints of days 1 and 2 (none of day 3), built from the files as they are.
  for (int i = 0; i < 2; ++i) {
    DayCheckpointInfo info;
    info.settings = settings;
    info.date = lake.files[i].date;
    info.source = identify_day_file(lake.files[i]);
    write_checkpoint(day_checkpoint_path(ckpt_dir.path(), info.date), entries_for(tricky_keys(), 1), info);
  }
  const fs::path ckpt1 = day_checkpoint_path(ckpt_dir.path(), lake.files[0].date);

  SECTION("a valid checkpoint is reused; a day without one is parsed") {
    const auto d = decide_checkpoint_use(lake, ckpt_dir.path(), settings, false);
    REQUIRE(d.size() == 3);
    for (int i = 0; i < 2; ++i) {
      CHECK(d[i].reuse);
      CHECK(d[i].reason.empty());
      CHECK_FALSE(d[i].damaged);
      CHECK(d[i].source == identify_day_file(lake.files[i]));
    }
    CHECK_FALSE(d[2].reuse);
    CHECK(d[2].reason == "no checkpoint");
    CHECK_FALSE(d[2].damaged);
    CHECK(d[2].source == identify_day_file(lake.files[2]));
  }
  SECTION("a changed day file is parsed: day file changed, naming the change") {
    std::ofstream(lake.files[1].path, std::ios::app) << "{\"more\": 1}\n";
    const auto d = decide_checkpoint_use(lake, ckpt_dir.path(), settings, false);
    CHECK(d[0].reuse);
    CHECK_FALSE(d[1].reuse);
    CHECK_FALSE(d[1].damaged);
    CHECK_THAT(d[1].reason, StartsWith("day file changed: size "));
  }
  SECTION("other settings: every checkpoint is rebuilt") {
    CategoryMapping plus_one = CategoryMapping::defaults();
    plus_one.add("NEWAPP", Category::TV);
    const auto d = decide_checkpoint_use(lake, ckpt_dir.path(), checkpoint_settings(plus_one, ReaderConfig{}), false);
    for (int i = 0; i < 2; ++i) {
      CHECK_FALSE(d[i].reuse);
      CHECK_FALSE(d[i].damaged);
      CHECK_THAT(d[i].reason, StartsWith("settings changed"));
    }
    CHECK(d[2].reason == "no checkpoint");
  }
  SECTION("a corrupt checkpoint is damaged: checkpoint unusable") {
    std::string bytes = read_file(ckpt1);
    write_bytes(ckpt1, bytes.substr(0, bytes.size() - 3));
    auto d = decide_checkpoint_use(lake, ckpt_dir.path(), settings, false);
    CHECK_FALSE(d[0].reuse);
    CHECK(d[0].damaged);
    CHECK_THAT(d[0].reason, StartsWith("checkpoint unusable: "));
    CHECK(d[1].reuse);

    write_bytes(ckpt1, with_footer(bytes, footer_with_version(footer_of(bytes), "999")));
    d = decide_checkpoint_use(lake, ckpt_dir.path(), settings, false);
    CHECK(d[0].damaged);
    CHECK_THAT(d[0].reason, StartsWith("checkpoint unusable: ") && Contains("version 999"));

    write_bytes(ckpt1, "garbage");
    d = decide_checkpoint_use(lake, ckpt_dir.path(), settings, false);
    CHECK(d[0].damaged);
    CHECK_THAT(d[0].reason, StartsWith("checkpoint unusable: "));
  }
  SECTION("a checkpoint of another day in a day's place is not used") {
    fs::copy_file(ckpt1, day_checkpoint_path(ckpt_dir.path(), lake.files[2].date));
    const auto d = decide_checkpoint_use(lake, ckpt_dir.path(), settings, false);
    CHECK_FALSE(d[2].reuse);
    CHECK(d[2].damaged);
    CHECK_THAT(d[2].reason, Contains("another day"));
  }
  SECTION("--refresh-checkpoints parses every day") {
    const auto d = decide_checkpoint_use(lake, ckpt_dir.path(), settings, true);
    for (const DayDecision& x : d) {
      CHECK_FALSE(x.reuse);
      CHECK_FALSE(x.damaged);
      CHECK(x.reason == "--refresh-checkpoints");
    }
  }
  SECTION("a day file that cannot be read is an InputError") {
    fs::remove(lake.files[2].path);
    CHECK_THROWS_AS(decide_checkpoint_use(lake, ckpt_dir.path(), settings, false), InputError);
  }
}

// --- malformed blocks whose checksum is right: a writer's bug, not damage; still never a crash ------

namespace {

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

//! A block of `entries` entries whose payload is a valid first entry ("K1", Child, 5) followed by
//! `rest`, with a correct header and checksum.
std::string block_with(const std::string& rest, std::uint32_t entries) {
  std::string payload;
  put_varint(payload, 0);
  put_varint(payload, 2);
  payload += "K1";
  payload += static_cast<char>(1);
  put_varint(payload, 5);
  payload += rest;
  std::string block;
  const auto put_u32 = [&](std::uint32_t v) { block.append(reinterpret_cast<const char*>(&v), 4); };
  put_u32(static_cast<std::uint32_t>(payload.size()));
  put_u32(entries);
  put_u32(crc32_of(payload));
  return block + payload;
}

//! What reading every entry of a checkpoint made of `block` says: "" or the CheckpointError.
std::string read_all(const fs::path& path, const std::string& block) {
  {
    DayCheckpointWriter writer(path);
    writer.add_block(block);
    writer.commit(DayCheckpointInfo{}, "");
  }
  return error_message_of<CheckpointError>([&] {
    DayCheckpointReader reader(path, read_day_checkpoint_info(path));
    DayCheckpointCursor cursor(reader, 0, std::nullopt, std::nullopt);
    ContractTable table(1);
    merge_days({&cursor}, table);
  });
}

} // namespace

namespace {

//! One encoded entry: shared prefix size, suffix (its size as given, unless `suffix_size` says
//! otherwise), mask, then `tail` (the durations, already encoded).
std::string entry_bytes(std::uint64_t shared, const std::string& suffix, int mask, const std::string& tail,
                        std::optional<std::uint64_t> suffix_size = std::nullopt) {
  std::string e;
  put_varint(e, shared);
  put_varint(e, suffix_size.value_or(suffix.size()));
  e += suffix;
  e += static_cast<char>(mask);
  return e + tail;
}

std::string varint(std::uint64_t v) {
  std::string out;
  put_varint(out, v);
  return out;
}

} // namespace

TEST_CASE("Day checkpoint: a block with a valid checksum but malformed entries is a CheckpointError",
          "[checkpoint]") {
  TempDir dir;
  const fs::path path = dir.path() / "20220401.ckpt";
  const auto read_second = [&](const std::string& entry) { return read_all(path, block_with(entry, 2)); };

  // The reference: "K2" after "K1", Movie 7.
  CHECK(read_second(entry_bytes(1, "2", 2, varint(7))).empty());
  CHECK_THAT(read_second(entry_bytes(3, "x", 1, varint(1))), Contains("malformed key"));  // shares more than "K1"
  CHECK_THAT(read_second(entry_bytes(0, std::string(1025, 'k'), 1, varint(1))), Contains("malformed key"));
  CHECK_THAT(read_second(entry_bytes(0, "short", 1, "", 1000)), Contains("ends inside an entry"));
  for (const int mask : {0, 0x20, 0xFF}) // no category, or a sixth one
    CHECK_THAT(read_second(entry_bytes(0, "K2", mask, varint(1))), Contains("malformed entry"));
  CHECK_THAT(read_second(entry_bytes(0, "K2", 1, varint(std::uint64_t{1} << 63))), Contains("malformed entry"));
  CHECK_THAT(read_second(entry_bytes(0, "K2", 1, std::string(11, '\x80'))), Contains("malformed number"));
  CHECK_THAT(read_all(path, block_with("", 2)), Contains("ends inside an entry"));       // fewer than said
  CHECK_THAT(read_all(path, block_with("junk", 1)), Contains("bytes after its entries"));
  CHECK_THAT(read_second(entry_bytes(2, "", 1, varint(1))), Contains("out of key order")); // "K1" again
}
