// --max-rejects: parsing "N", "P%" and "none", the 10% default, and when a run breaks the limit.
#include "bda/scan/reject_limit.hpp"

#include "bda/core/error.hpp"

#include <catch2/catch.hpp>

using namespace bda;

TEST_CASE("Reject limit: counts and percentages parse", "[transform]") {
  CHECK(RejectLimit::parse("0").describe() == "0");
  CHECK(RejectLimit::parse("100").describe() == "100");
  CHECK(RejectLimit::parse("18446744073709551615").describe() == "18446744073709551615");
  CHECK(RejectLimit::parse("0.5%").describe() == "0.5%");
  CHECK(RejectLimit::parse("100%").describe() == "100%");
  CHECK(RejectLimit::parse("0%").describe() == "0%");
  CHECK_FALSE(RejectLimit::parse("0").unlimited());
  CHECK(RejectLimit().unlimited());
  CHECK(RejectLimit().describe() == "none");
}

TEST_CASE("Reject limit: anything else is a UsageError naming --max-rejects", "[transform]") {
  for (std::string_view bad : {"-1", "abc", "101%", "%", "", " 1", "1 ", "1.5", "+1", "1e3", "0x10", "5%%", "-1%",
                               "1.2.3%", "nan%", "inf%", "18446744073709551616", "None", "NONE", " none", "none ",
                               "no", "none%", "nonenone"}) {
    INFO("'" << bad << "'");
    try {
      RejectLimit::parse(bad);
      FAIL("accepted");
    } catch (const UsageError& e) {
      CHECK_THAT(std::string(e.what()), Catch::Contains("--max-rejects"));
    }
  }
}

TEST_CASE("Reject limit: a count is exceeded by more rejected lines than it allows", "[transform]") {
  const RejectLimit zero = RejectLimit::parse("0");
  CHECK_FALSE(zero.exceeded(0, 1000));
  CHECK(zero.exceeded(1, 1000));
  const RejectLimit hundred = RejectLimit::parse("100");
  CHECK_FALSE(hundred.exceeded(100, 100));
  CHECK(hundred.exceeded(101, 1000));
  CHECK_FALSE(RejectLimit().exceeded(1000000, 1000000));
}

TEST_CASE("Reject limit: a percentage is a share of the non-blank lines", "[transform]") {
  const RejectLimit half = RejectLimit::parse("0.5%");
  CHECK_FALSE(half.exceeded(5, 1000));
  CHECK(half.exceeded(6, 1000));
  CHECK_FALSE(half.exceeded(0, 0));
  const RejectLimit all = RejectLimit::parse("100%");
  CHECK_FALSE(all.exceeded(10, 10));
  const RejectLimit none = RejectLimit::parse("0%");
  CHECK_FALSE(none.exceeded(0, 10));
  CHECK(none.exceeded(1, 10));
  const RejectLimit ten = RejectLimit::parse("10%");
  CHECK_FALSE(ten.exceeded(1, 10));
  CHECK(ten.exceeded(2, 10));
}

TEST_CASE("Reject limit: 'none' turns the limit off", "[transform]") {
  const RejectLimit off = RejectLimit::parse("none");
  CHECK(off.unlimited());
  CHECK(off.describe() == "none");
  CHECK_FALSE(off.exceeded(1000000, 1000000));
  CHECK_FALSE(off.exceeded(std::uint64_t{1} << 63, 1));
}

TEST_CASE("Reject limit: the default allows 10% of the non-blank lines", "[transform]") {
  const RejectLimit d = RejectLimit::default_limit();
  CHECK_FALSE(d.unlimited());
  CHECK(d.describe() == "10%");
  CHECK(d.describe() == RejectLimit::parse("10%").describe());
  CHECK_FALSE(d.exceeded(0, 0));
  CHECK_FALSE(d.exceeded(100, 1000));
  CHECK(d.exceeded(101, 1000));
  CHECK_FALSE(d.exceeded(1, 10));
  CHECK(d.exceeded(2, 10));
  CHECK(d.exceeded(1, 9)); // 11.1 %
  CHECK_FALSE(d.exceeded(200000, 2000000));
  CHECK(d.exceeded(200001, 2000000));
}
