// SPEC §3: the default AppName -> category table, lookup normalisation and user mapping files.
#include "bda/model/category_mapping.hpp"

#include "bda/core/error.hpp"

#include "support/temp_dir.hpp"
#include "support/error_message.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace bda;
using bda::testing::error_message_of;

TEST_CASE("Category mapping: the defaults hold exactly the SPEC §3 table", "[transform]") {
  const CategoryMapping m = CategoryMapping::defaults();
  const std::vector<std::pair<std::string, Category>> table = {
      {"CHANNEL", Category::TV},    {"KPLUS", Category::TV},     {"DSHD", Category::TV},
      {"MOVIE", Category::Movie},   {"VOD", Category::Movie},    {"FIMS", Category::Movie},
      {"BHD", Category::Movie},     {"DANET", Category::Movie},  {"FIMS_RES", Category::Movie},
      {"BHD_RES", Category::Movie}, {"VOD_RES", Category::Movie}, {"CHILD", Category::Child},
      {"RELAX", Category::Relax},   {"SPORT", Category::Sport}};
  CHECK(m.size() == table.size());
  for (const auto& [name, category] : table) {
    INFO(name);
    REQUIRE(m.lookup(name).has_value());
    CHECK(*m.lookup(name) == category);
  }
  // (lookup folds case, so "Movie" would find MOVIE.)
  for (std::string_view other : {"TV", "Movies", "NETFLIX", "KPLUS_RES", "VOD RES", "FIMS-RES", "CHANNELS", ""})
    CHECK_FALSE(m.lookup(other).has_value());
}

TEST_CASE("Category mapping: lookup trims ASCII whitespace and folds ASCII case only", "[transform]") {
  const CategoryMapping m = CategoryMapping::defaults();
  CHECK(m.lookup(" sport ") == Category::Sport);
  CHECK(m.lookup("Sport") == Category::Sport);
  CHECK(m.lookup("\t\r\n\f fims_res \n") == Category::Movie);
  CHECK(m.lookup("vOd_ReS") == Category::Movie);
  CHECK_FALSE(m.lookup("S PORT").has_value());
  CHECK_FALSE(m.lookup("   ").has_value());
  CHECK_FALSE(m.lookup("\xC5\xBFPORT").has_value());  // U+017F long s
  CHECK_FALSE(m.lookup("CH\xC4\xB0LD").has_value());  // U+0130 capital I with dot
  CHECK_FALSE(m.lookup("SPORT\xC2\xA0").has_value()); // no-break space
  CHECK_FALSE(m.lookup(std::string_view("SPORT\0", 6)).has_value());
}

TEST_CASE("Category mapping: trim_ascii removes ASCII whitespace at both ends only", "[transform]") {
  CHECK(trim_ascii("  a b \t") == "a b");
  CHECK(trim_ascii("\r\n\f\v\tx\t\v\f\n\r") == "x");
  CHECK(trim_ascii("   ").empty());
  CHECK(trim_ascii("") == "");
  CHECK(trim_ascii("\xC2\xA0x\xC2\xA0") == "\xC2\xA0x\xC2\xA0");
}

TEST_CASE("Category mapping: a user mapping file replaces the defaults", "[transform]") {
  const CategoryMapping m = CategoryMapping::from_json_text(
      R"({"TV": ["channel", " KPLUS "], "Movie": ["Netflix"], "Child": [], "Relax": ["RELAX"]})", "mine.json");
  CHECK(m.size() == 4);
  CHECK(m.lookup("CHANNEL") == Category::TV);
  CHECK(m.lookup("kplus") == Category::TV);
  CHECK(m.lookup("NETFLIX") == Category::Movie);
  CHECK(m.lookup("RELAX") == Category::Relax);
  CHECK_FALSE(m.lookup("SPORT").has_value());
  CHECK_FALSE(m.lookup("VOD").has_value());
}

TEST_CASE("Category mapping: a bad mapping throws a UsageError naming its origin", "[transform]") {
  struct Bad {
    std::string text;
    std::string says;
  };
  const std::vector<Bad> cases = {
      {R"({"Music": ["SPOTIFY"]})", "Music"},
      {R"({"tv": ["CHANNEL"]})", "tv"},
      {R"({"TV": ["CHANNEL"], "Movie": ["channel"]})", "CHANNEL"},
      {R"({"TV": ["KPLUS", " kplus"]})", "KPLUS"},
      {R"(["TV", "CHANNEL"])", "object"},
      {R"("TV")", "object"},
      {R"({"TV": "CHANNEL"})", "TV"},
      {R"({"TV": [1]})", "TV"},
      {R"({"TV": ["  "]})", "TV"},
      {R"({"TV": ["CHANNEL",]})", "JSON"},
      {R"({"TV": ["CHANNEL"])", "JSON"},
      {R"({})", "no AppName"},
      {R"({"TV": ["CHANNEL"], "TV": ["KPLUS"]})", "category 'TV' is listed twice"},
      {R"({"TV": [], "Movie": ["VOD"], "TV": []})", "category 'TV' is listed twice"},
      {R"({"TV": ["CHANNEL"], "Movie": ["channel"]})", "'CHANNEL' is mapped twice, to TV and to Movie"},
      {R"({"TV": ["KPLUS", " kplus"]})", "'KPLUS' is listed twice under TV"},
      {"", "JSON"},
  };
  for (const Bad& c : cases) {
    INFO("mapping text: " << c.text);
    const std::string message = error_message_of<UsageError>([&] { CategoryMapping::from_json_text(c.text, "conf/my-map.json"); });
    CHECK_THAT(message, Catch::Contains("conf/my-map.json"));
    CHECK_THAT(message, Catch::Contains(c.says));
  }
}

TEST_CASE("Category mapping: add() rejects a name that is already mapped, after normalisation", "[transform]") {
  CategoryMapping m = CategoryMapping::defaults();
  CHECK_THROWS_AS(m.add(" kplus ", Category::Sport), UsageError);
  CHECK_THROWS_AS(m.add("KPLUS", Category::TV), UsageError);
  m.add("netflix", Category::Movie);
  CHECK(m.lookup("NETFLIX") == Category::Movie);
  CHECK(m.size() == 15);
}

TEST_CASE("Category: canonical names and order are Child, Movie, Sport, TV, Relax", "[transform]") {
  CHECK(std::vector<std::string_view>(kCategoryNames.begin(), kCategoryNames.end()) ==
        std::vector<std::string_view>{"Child", "Movie", "Sport", "TV", "Relax"});
  for (std::size_t i = 0; i < kCategoryCount; ++i) {
    CHECK(index_of(kCanonicalCategories[i]) == i);
    CHECK(category_from_name(kCategoryNames[i]) == kCanonicalCategories[i]);
  }
  CHECK_FALSE(category_from_name("tv").has_value());
  CHECK_FALSE(category_from_name("Sports").has_value());
}

TEST_CASE("Category mapping: an unreadable mapping file throws a UsageError naming the file", "[transform]") {
  const std::string message =
      error_message_of<UsageError>([] { CategoryMapping::from_json_file("/nonexistent-bda-test-dir/mapping.json"); });
  CHECK_THAT(message, Catch::Contains("/nonexistent-bda-test-dir/mapping.json"));
}

TEST_CASE("Category mapping: a category given twice in a file is an error naming the key and the file", "[transform]") {
  bda::testing::TempDir dir;
  // A JSON parser keeps the last "TV" and would drop CHANNEL and DSHD without a word.
  dir.write("dup.json", R"({"TV": ["CHANNEL", "DSHD"], "Movie": ["VOD"], "TV": ["KPLUS"]})");
  const std::string path = (dir.path() / "dup.json").string();
  const std::string message = error_message_of<UsageError>([&] { CategoryMapping::from_json_file(path); });
  CHECK_THAT(message, Catch::Contains(path));
  CHECK_THAT(message, Catch::Contains("'TV'"));
  CHECK_THAT(message, Catch::Contains("twice"));
}

TEST_CASE("Category mapping: an AppName spelled like a category is no duplicate category", "[transform]") {
  const CategoryMapping m =
      CategoryMapping::from_json_text(R"({"TV": ["CHANNEL"], "Movie": ["TV"], "Sport": ["MOVIE"]})", "m.json");
  CHECK(m.size() == 3);
  CHECK(m.lookup("TV") == Category::Movie);
  CHECK(m.lookup("MOVIE") == Category::Sport);
}

TEST_CASE("Category mapping: add() names the AppName and both categories", "[transform]") {
  CategoryMapping m = CategoryMapping::defaults();
  CHECK(error_message_of<UsageError>([&] { m.add(" kplus ", Category::Sport); }) ==
        "AppName 'KPLUS' is mapped twice, to TV and to Sport");
  CHECK(error_message_of<UsageError>([&] { m.add("Vod", Category::Movie); }) == "AppName 'VOD' is listed twice under Movie");
}

TEST_CASE("Category mapping: a directory given as the mapping file says it is a directory", "[transform]") {
  bda::testing::TempDir dir;
  const std::string message = error_message_of<UsageError>([&] { CategoryMapping::from_json_file(dir.path()); });
  CHECK_THAT(message, Catch::Contains(dir.path().string() + " is a directory"));
  CHECK_THAT(message, !Catch::Contains("JSON"));
}
