// SPEC §5's segment bands: the C++ table (bda/aggregate/segment_bands.hpp) and every copy of the
// bands in the warehouse's SQL (the embedded sql/migrations) must agree; this test fails when they
// drift apart. (The SQL is not generated: applied migrations are never edited, so a change of the
// bands means a new migration, and this test says which CASE still has the old ones.)
#include "bda/aggregate/profile.hpp"
#include "bda/aggregate/segment_bands.hpp"
#include "bda/warehouse/migrations.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>

using namespace bda;

namespace {

std::string band_names_text() {
  std::string text;
  for (const SegmentBand& b : kSegmentBands) text += std::string(b.name) + "; ";
  return text;
}

} // namespace

TEST_CASE("Segment bands: segment_of follows the table for every DateCount", "[aggregate]") {
  for (std::uint32_t dc = 1; dc <= 400; ++dc) {
    const SegmentBand& b = band_of(segment_of(dc));
    INFO("DateCount " << dc);
    CHECK(b.first <= dc);
    CHECK(dc <= b.last);
    CHECK(name_of(segment_of(dc)) == b.name);
  }
  CHECK(date_count_label(kSegmentBands[0]) == "1-6");
  CHECK(date_count_label(kSegmentBands[3]) == "21+");
}

TEST_CASE("Segment bands: the warehouse's generated Segment column has the same bands", "[aggregate][sql]") {
  // CASE WHEN DateCount <= 6 THEN 'At Risk Customer' ... ELSE 'Loyal Customer' END
  const std::regex case_re(R"(CASE((?:\s+WHEN\s+DateCount\s*<=\s*\d+\s+THEN\s+'[^']*')+)\s+ELSE\s+'([^']*)'\s+END)",
                           std::regex::icase);
  const std::regex when_re(R"(WHEN\s+DateCount\s*<=\s*(\d+)\s+THEN\s+'([^']*)')", std::regex::icase);
  int cases = 0;
  for (const auto& m : warehouse::embedded_migrations()) {
    const std::string script(m.script);
    for (std::sregex_iterator it(script.begin(), script.end(), case_re), end; it != end; ++it, ++cases) {
      INFO(m.name << ": " << it->str());
      const std::string whens = (*it)[1].str();
      std::size_t i = 0;
      for (std::sregex_iterator w(whens.begin(), whens.end(), when_re); w != end; ++w, ++i) {
        REQUIRE(i + 1 < kSegmentCount);
        CHECK(std::stoul((*w)[1].str()) == kSegmentBands[i].last);
        CHECK((*w)[2].str() == kSegmentBands[i].name);
      }
      CHECK(i + 1 == kSegmentCount);
      CHECK((*it)[2].str() == kSegmentBands.back().name);
    }
  }
  CHECK(cases >= 1); // the pattern still finds the column: a rewrite of it must update this test
}

TEST_CASE("Segment bands: the views' segment_rank and the mart's counts name the same segments", "[aggregate][sql]") {
  // CASE cb.Segment WHEN 'At Risk Customer' THEN 1 ... ELSE 4 END
  const std::regex rank_re(R"(CASE\s+\w+\.Segment((?:\s+WHEN\s+'[^']*'\s+THEN\s+\d+)+)\s+ELSE\s+(\d+)\s+END)",
                           std::regex::icase);
  const std::regex when_re(R"(WHEN\s+'([^']*)'\s+THEN\s+(\d+))", std::regex::icase);
  const std::regex compare_re(R"(Segment\s*=\s*'([^']*)')", std::regex::icase);
  constexpr auto names = segment_names();
  const std::set<std::string> known(names.begin(), names.end());
  std::set<std::string> compared;
  int ranks = 0;
  for (const auto& m : warehouse::embedded_migrations()) {
    const std::string script(m.script);
    for (std::sregex_iterator it(script.begin(), script.end(), rank_re), end; it != end; ++it, ++ranks) {
      INFO(m.name << ": " << it->str());
      const std::string whens = (*it)[1].str();
      std::size_t i = 0;
      for (std::sregex_iterator w(whens.begin(), whens.end(), when_re); w != end; ++w, ++i) {
        REQUIRE(i + 1 < kSegmentCount);
        CHECK((*w)[1].str() == kSegmentBands[i].name);
        CHECK(std::stoul((*w)[2].str()) == i + 1);
      }
      CHECK(i + 1 == kSegmentCount);
      CHECK(std::stoul((*it)[2].str()) == kSegmentCount);
    }
    for (std::sregex_iterator it(script.begin(), script.end(), compare_re), end; it != end; ++it) {
      INFO(m.name << ": " << it->str() << " (the segments: " << band_names_text() << ")");
      CHECK(known.count((*it)[1].str()) == 1);
      compared.insert((*it)[1].str());
    }
  }
  CHECK(ranks >= 1);
  CHECK(compared == known); // the mart counts every segment
}
