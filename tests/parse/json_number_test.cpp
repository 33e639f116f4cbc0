// Exact reading of JSON number text (SPEC §2 TotalDuration) and the slow path's number rewrite.
#include "bda/parse/json_number.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace bda;

namespace {

std::string zeros(std::size_t n) { return std::string(n, '0'); }

//! `json` after replace_overflowing_numbers, or `json` itself when nothing was replaced.
std::string rewritten(const std::string& json) {
  std::string out;
  return replace_overflowing_numbers(json, out) ? out : json;
}

} // namespace

TEST_CASE("Exact integer: integral values in [0, 2^63-1] in every notation", "[parse]") {
  CHECK(exact_nonnegative_integer("254") == 254);
  CHECK(exact_nonnegative_integer("254.000") == 254);
  CHECK(exact_nonnegative_integer("2540e-1") == 254);
  CHECK(exact_nonnegative_integer("2.54E+2") == 254);
  CHECK(exact_nonnegative_integer("-0") == 0);
  CHECK(exact_nonnegative_integer("-0.0e-7") == 0);
  CHECK(exact_nonnegative_integer("9223372036854775807") == 9223372036854775807);
  CHECK(exact_nonnegative_integer("9.223372036854775807e18") == 9223372036854775807);
  CHECK(exact_nonnegative_integer("92233720368547758070e-1") == 9223372036854775807);
  CHECK(exact_nonnegative_integer("0.00000000000000000000000001e26") == 1);
  CHECK(exact_nonnegative_integer("9223372036854775808") == std::nullopt);
  CHECK(exact_nonnegative_integer("922337203685477580.8e1") == std::nullopt);
  CHECK(exact_nonnegative_integer("1e19") == std::nullopt);
  CHECK(exact_nonnegative_integer("254.5") == std::nullopt);
  CHECK(exact_nonnegative_integer("-1") == std::nullopt);
  CHECK(exact_nonnegative_integer("-1e-400") == std::nullopt);
}

TEST_CASE("Exact integer: not a JSON number is no value", "[parse]") {
  for (const char* text : {"", "-", "01", "1.", ".5", "+1", "1e", "1e+", "0x10", "1 ", " 1", "NaN", "1e5.0"}) {
    INFO("text '" << text << "'");
    CHECK(exact_nonnegative_integer(text) == std::nullopt);
    CHECK_FALSE(is_json_number(text));
  }
}

// SPEC §2: "however long its digits or exponent"; a capped exponent decides wrongly once the
// digits outnumber the cap.
TEST_CASE("Exact integer: exponents of any length are decided exactly", "[parse]") {
  CHECK(exact_nonnegative_integer("1" + zeros(100000) + "e-1000001") == std::nullopt);   // 10^-900001
  CHECK(exact_nonnegative_integer("1" + zeros(1000001) + "e-1000001") == 1);            // exactly 1
  CHECK(exact_nonnegative_integer("25" + zeros(1000001) + "e-1000002") == std::nullopt); // 2.5
  CHECK(exact_nonnegative_integer("0." + zeros(1000000) + "7e1000001") == 7);
  CHECK(exact_nonnegative_integer("1e-99999999999999999999999999999") == std::nullopt);
  CHECK(exact_nonnegative_integer("1e99999999999999999999999999999") == std::nullopt);
  CHECK(exact_nonnegative_integer("1e-9223372036854775808") == std::nullopt);
  CHECK(exact_nonnegative_integer("1e18446744073709551617") == std::nullopt);
  CHECK(exact_nonnegative_integer("0e99999999999999999999999999999") == 0);
  CHECK(exact_nonnegative_integer("0.000e-99999999999999999999999999999") == 0);
  CHECK(exact_nonnegative_integer("1e+" + zeros(100000) + "2") == 100);
  CHECK(exact_nonnegative_integer("100e-" + zeros(100000) + "2") == 1);
}

// A replaced number must stay a number: as a key it is still invalid JSON, as a field still the
// field's wrong type, never a string that looks like a Contract or an AppName.
TEST_CASE("Number rewrite: numbers beyond the double range become finite numbers of the same sign", "[parse]") {
  std::string out;
  CHECK(replace_overflowing_numbers(R"({"a":1e400,"b":[-1E+400,2],"c":"1e400"})", out));
  CHECK(out == R"({"a":1e300,"b":[-1e300,2],"c":"1e400"})");
  CHECK(rewritten(R"({1e400:0})") == R"({1e300:0})");
  CHECK(rewritten(R"(["\"1e400",1e400])") == R"(["\"1e400",1e300])");
  // Invalid tokens, tiny numbers and numbers within the range are left as they are.
  CHECK_FALSE(replace_overflowing_numbers(R"([1e400.5,01e400,1e-400,1e308,123456789012345678901234567890])", out));
}
