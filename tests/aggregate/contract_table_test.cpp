// The partial per-Contract aggregate: add, batches, merge, DateCount and byte-order sorting.
#include "bda/aggregate/contract_table.hpp"

#include "bda/core/error.hpp"

#include "support/table_dump.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include <cstring>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

using namespace bda;
using namespace std::string_literals;
using bda::testing::dump;

namespace {

//! The row of `key`, or -1.
long row_of(const ContractTable& t, std::string_view key) {
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t.key(i) == key) return static_cast<long>(i);
  return -1;
}

//! Two tables over `days` days with overlapping contracts and days.
void fill_pair(ContractTable& a, ContractTable& b) {
  a.add("SGH1", Category::TV, 0, 10);
  a.add("SGH1", Category::Movie, 1, 20);
  a.add("SGH2", Category::Sport, 2, 5);
  a.add("ONLY_A", Category::Child, 69, 1);
  b.add("SGH1", Category::TV, 0, 1);
  b.add("SGH1", Category::TV, 65, 2);
  b.add("SGH2", Category::Relax, 2, 3);
  b.add("ONLY_B", Category::Relax, 0, 0);
}

} // namespace

TEST_CASE("Contract table: add sums durations per category and sets day bits", "[aggregate]") {
  ContractTable t(30);
  t.add("SGH1", Category::TV, 0, 100);
  t.add("SGH1", Category::TV, 0, 50);
  t.add("SGH1", Category::Child, 29, 7);
  t.add("SGH2", Category::Relax, 3, 0);
  REQUIRE(t.size() == 2);
  CHECK(t.day_count() == 30);
  CHECK(t.words_per_category() == 1);
  const long r1 = row_of(t, "SGH1"), r2 = row_of(t, "SGH2");
  REQUIRE(r1 >= 0);
  REQUIRE(r2 >= 0);
  CHECK(t.state(static_cast<std::size_t>(r1)).duration == std::array<std::int64_t, 5>{7, 0, 0, 150, 0});
  CHECK(t.state(static_cast<std::size_t>(r2)).duration == std::array<std::int64_t, 5>{0, 0, 0, 0, 0});
  CHECK(t.days(static_cast<std::size_t>(r1), Category::TV)[0] == 1U);
  CHECK(t.days(static_cast<std::size_t>(r1), Category::Child)[0] == (std::uint64_t{1} << 29));
  CHECK(t.days(static_cast<std::size_t>(r1), Category::Movie)[0] == 0U);
  // A zero-duration record still marks its day.
  CHECK(t.days(static_cast<std::size_t>(r2), Category::Relax)[0] == (std::uint64_t{1} << 3));
  CHECK(t.date_count(static_cast<std::size_t>(r1)) == 2);
  CHECK(t.date_count(static_cast<std::size_t>(r2)) == 1);
}

TEST_CASE("Contract table: DateCount counts distinct days across categories", "[aggregate]") {
  ContractTable t(31);
  t.add("C", Category::TV, 4, 1);
  t.add("C", Category::Movie, 4, 1);
  t.add("C", Category::Child, 4, 1);
  t.add("C", Category::Sport, 4, 1);
  t.add("C", Category::Relax, 4, 1);
  CHECK(t.date_count(0) == 1);
  t.add("C", Category::Relax, 5, 1);
  t.add("C", Category::TV, 30, 1);
  t.add("C", Category::TV, 30, 1);
  CHECK(t.date_count(0) == 3);
  for (std::uint32_t day = 0; day < 31; ++day) t.add("C", kCanonicalCategories[day % 5], day, 1);
  CHECK(t.date_count(0) == 31);
}

TEST_CASE("Contract table: days beyond 64 use further bitset words", "[aggregate]") {
  ContractTable t(200);
  CHECK(t.words_per_category() == 4);
  for (std::uint32_t day : {0U, 63U, 64U, 127U, 128U, 199U}) t.add("K", Category::Sport, day, 1);
  t.add("K", Category::Child, 199, 1);
  CHECK(t.date_count(0) == 6);
  const std::uint64_t* bits = t.days(0, Category::Sport);
  CHECK(bits[0] == ((std::uint64_t{1} << 63) | 1U));
  CHECK(bits[1] == ((std::uint64_t{1} << 63) | 1U));
  CHECK(bits[2] == 1U);
  CHECK(bits[3] == (std::uint64_t{1} << 7));
  CHECK(t.days(0, Category::Child)[3] == (std::uint64_t{1} << 7));
  CHECK(t.days(0, Category::Child)[0] == 0U);
}

TEST_CASE("Contract table: merge adds sums and unites day sets", "[aggregate]") {
  ContractTable a(70), b(70);
  fill_pair(a, b);
  a.merge(b);
  CHECK(dump(a) == "[ONLY_A] 1 0 0 0 0 dc=1 Child{69;} Movie{} Sport{} TV{} Relax{}\n"
                   "[ONLY_B] 0 0 0 0 0 dc=1 Child{} Movie{} Sport{} TV{} Relax{0;}\n"
                   "[SGH1] 0 20 0 13 0 dc=3 Child{} Movie{1;} Sport{} TV{0;65;} Relax{}\n"
                   "[SGH2] 0 0 5 0 3 dc=1 Child{} Movie{} Sport{2;} TV{} Relax{2;}\n");
}

TEST_CASE("Contract table: merge is commutative", "[aggregate]") {
  ContractTable a1(70), b1(70), a2(70), b2(70);
  fill_pair(a1, b1);
  fill_pair(a2, b2);
  a1.merge(b1); // a + b
  b2.merge(a2); // b + a
  CHECK(dump(a1) == dump(b2));
  CHECK(a1.size() == 4);
}

TEST_CASE("Contract table: merging tables over different day counts throws", "[aggregate]") {
  ContractTable a(30), b(31);
  b.add("X", Category::TV, 0, 1);
  CHECK_THROWS_AS(a.merge(b), std::invalid_argument);
}

TEST_CASE("Contract table: merging partial tables whose sum passes 2^63-1 throws, naming the contract",
          "[aggregate]") {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  ContractTable a(3), b(3);
  a.add("SGH7", Category::Sport, 0, kMax - 5);
  a.add("SGH8", Category::TV, 0, kMax - 5);
  b.add("SGH8", Category::TV, 2, 5); // exactly 2^63-1: fine
  b.add("SGH7", Category::Sport, 1, 6);
  try {
    a.merge(b);
    FAIL("no error");
  } catch (const DataQualityError& e) {
    CHECK_THAT(std::string(e.what()), Catch::Contains("'SGH7'"));
    CHECK_THAT(std::string(e.what()), Catch::Contains("Sport"));
  }
  CHECK(a.state(static_cast<std::size_t>(row_of(a, "SGH8"))).duration[index_of(Category::TV)] == kMax);
}

TEST_CASE("Contract table: a batch whose sum passes 2^63-1 throws, naming the contract", "[aggregate]") {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  ContractTable t(1);
  const PendingRecord batch[] = {{"SGH1", Category::TV, 0, 1}, {"SGH9", Category::Relax, 0, kMax},
                                 {"SGH9", Category::Relax, 0, 1}};
  CHECK_THROWS_WITH(t.add_batch(batch, 3), Catch::Contains("'SGH9'") && Catch::Contains("Relax"));
  CHECK(t.state(static_cast<std::size_t>(row_of(t, "SGH1"))).duration[index_of(Category::TV)] == 1);
}

TEST_CASE("Contract table: add_batch equals one add per record, repeated keys within a batch included",
          "[aggregate]") {
  ContractTable one(40), batched(40);
  std::vector<std::string> keys;
  for (int i = 0; i < 5000; ++i) keys.push_back("C" + std::to_string(i * 7919 % 1700) + (i % 3 ? "" : "-long-contract-key"));
  std::vector<PendingRecord> records;
  for (int i = 0; i < 5000; ++i) {
    const auto c = static_cast<Category>(i % 5);
    const auto day = static_cast<std::uint32_t>(i % 40);
    one.add(keys[static_cast<std::size_t>(i)], c, day, i);
    records.push_back({keys[static_cast<std::size_t>(i)], c, day, i});
  }
  batched.add_batch(records.data(), records.size());
  CHECK(dump(batched) == dump(one));
}

TEST_CASE("Contract table: sorted_rows orders keys as unsigned bytes", "[aggregate]") {
  ContractTable t(1);
  const std::vector<std::string> keys = {"\xC3\xA9", "a", "Z", "SGH10", "SGH2", "SGH1", "A\0B"s,
                                         "A",        "AB", "\x7F", "0",    " ",    "\xFF",  "A\0"s};
  for (const std::string& k : keys) t.add(k, Category::TV, 0, 1);
  REQUIRE(t.size() == keys.size());
  std::vector<std::string> sorted;
  for (std::uint32_t row : t.sorted_rows()) sorted.emplace_back(t.key(row));
  const std::vector<std::string> expected = {" ",   "0",     "A",    "A\0"s, "A\0B"s,
                                             "AB",  "SGH1",  "SGH10", "SGH2", "Z", "a", "\x7F", "\xC3\xA9", "\xFF"};
  CHECK(sorted == expected);
}

TEST_CASE("Contract table: sorted_rows orders keys that share their first 8 or 16 bytes", "[aggregate]") {
  // Ties on the first words are decided by the size (a key of at most 16 bytes, zero-padded) or
  // by the whole key; std::string's order (unsigned bytes) is the reference.
  std::vector<std::string> keys = {"DNH56185",         "DNH561856",         "DNH561855",        "DNH5618",
                                   "DNH561856\0"s,     "DNH5618561234567",  "DNH5618561234567A", "DNH5618561234567",
                                   "DNH56185612345678", "DNH5618561234567\0"s, "DNH561856123456\0"s,
                                   "DNH561856123456\0\0"s, "DNH5618561234567\xFF", "DNH5618561234567B"};
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end()); // the repeated one is one contract
  ContractTable t(1);
  for (const std::string& k : keys) t.add(k, Category::TV, 0, 1);
  std::vector<std::string> expected = keys;
  std::sort(expected.begin(), expected.end());
  expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
  REQUIRE(t.size() == expected.size());
  std::vector<std::string> sorted;
  for (std::uint32_t row : t.sorted_rows()) sorted.emplace_back(t.key(row));
  CHECK(sorted == expected);
}

TEST_CASE("Contract table: keys differing only after an embedded NUL are distinct contracts", "[aggregate]") {
  ContractTable t(1);
  t.add(std::string_view("K\0a", 3), Category::TV, 0, 1);
  t.add(std::string_view("K\0b", 3), Category::TV, 0, 2);
  t.add(std::string_view("K", 1), Category::TV, 0, 4);
  CHECK(t.size() == 3);
  CHECK(dump(t) == "[K] 0 0 0 4 0 dc=1 Child{} Movie{} Sport{} TV{0;} Relax{}\n"
                   "[K\0a] 0 0 0 1 0 dc=1 Child{} Movie{} Sport{} TV{0;} Relax{}\n"
                   "[K\0b] 0 0 0 2 0 dc=1 Child{} Movie{} Sport{} TV{0;} Relax{}\n"s);
}

TEST_CASE("Contract table: keys stay valid as the table grows and after a move", "[aggregate]") {
  ContractTable t(3);
  std::map<std::string, std::int64_t> expected;
  for (int i = 0; i < 50000; ++i) {
    std::string key = "CONTRACT-" + std::to_string(i * 7919 % 50000);
    t.add(key, Category::Movie, static_cast<std::uint32_t>(i % 3), i);
    expected[key] += i;
  }
  ContractTable moved(std::move(t));
  REQUIRE(moved.size() == expected.size());
  auto it = expected.begin();
  for (std::uint32_t row : moved.sorted_rows()) {
    REQUIRE(it != expected.end());
    CHECK(moved.key(row) == it->first);
    CHECK(moved.state(row).duration[index_of(Category::Movie)] == it->second);
    ++it;
  }
}

TEST_CASE("Contract table: a cleared table is empty and refills exactly like a new one", "[aggregate]") {
  const std::string long_key(40, 'L');
  auto fill = [&](ContractTable& t, int salt) {
    for (int i = 0; i < 5000; ++i) {
      const std::string key = (i % 7 == 0 ? long_key : "C") + std::to_string((i * 37 + salt) % 3000);
      t.add(key, kCanonicalCategories[static_cast<std::size_t>(i) % kCategoryCount], static_cast<std::uint32_t>(i % 3), i);
    }
  };
  ContractTable reused(3);
  fill(reused, 1);
  REQUIRE(reused.size() > 0);
  reused.clear();
  CHECK(reused.size() == 0);
  CHECK(dump(reused).empty());
  fill(reused, 2);
  ContractTable fresh(3);
  fill(fresh, 2);
  CHECK(dump(reused) == dump(fresh));

  // After clear() a table may be built in key order again (append_row), as a new one can.
  reused.clear();
  const std::uint32_t row = reused.append_row("A");
  CHECK(reused.key(row) == "A");
  CHECK(reused.sorted_rows() == std::vector<std::uint32_t>{0});
}
