// SPEC §2 line by line: which lines count, which are blank, and the reason of every other one.
#include "bda/parse/record_parser.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

using namespace bda;
using namespace std::literals;

namespace {

//! One parser for the whole file, reused for every line (as a rank reuses it).
RecordParser& shared_parser() {
  static const CategoryMapping mapping = CategoryMapping::defaults();
  static RecordParser parser(mapping);
  return parser;
}

//! How a line reaches the parser: as it is (the simdjson fast path, unless it needs the slow one),
//! with an integer beyond 64 bits added (which simdjson cannot read, so parse() takes its slow
//! path), or through the fallback-only seam. Every rule must hold on all three.
enum class Path : std::uint8_t { Fast, BigNumber, FallbackOnly };

//! An integer beyond 64 bits for the front of the root object (Path::BigNumber).
constexpr std::string_view kBigIntKey = R"("_big":123456789012345678901234567890,)";

//! `line` itself, or (BigNumber) the same line with kBigIntKey inserted after its opening brace.
std::string variant(std::string_view line, Path path) {
  std::string s(line);
  if (path == Path::BigNumber && s.rfind("{\"", 0) == 0) s.insert(1, kBigIntKey);
  return s;
}

//! "record:<Contract>:<Category>:<duration>", "blank" or "rejected:<reason>", so that a failed
//! check prints what the parser made of the line. The line is copied into a buffer followed by
//! kLinePadding bytes of '"': a parser that read past the line would see them.
std::string outcome(std::string_view line, Path path = Path::Fast) {
  std::string buffer(line);
  buffer.append(kLinePadding, '"');
  Record record;
  const std::string_view padded(buffer.data(), line.size());
  const LineOutcome o = path == Path::FallbackOnly ? shared_parser().parse_with_fallback_only(padded, record)
                                                   : shared_parser().parse(padded, record);
  switch (o.kind) {
  case LineKind::Blank: return "blank";
  case LineKind::Rejected: return "rejected:" + std::string(name_of(o.reason));
  case LineKind::Record:
    return "record:" + std::string(record.contract) + ":" + std::string(name_of(record.category)) + ":" +
           std::to_string(record.duration);
  }
  return "?";
}

//! An Elasticsearch hit whose _source object holds `source` (without braces).
std::string hit(std::string_view source) {
  return R"({"_index":"history","_type":"kplus","_id":"AYAk","_score":0,"_source":{)" + std::string(source) + "}}";
}

//! A hit with a valid _source and `extra` as one more member of the root object.
std::string hit_with_root_member(std::string_view extra) {
  return R"({"_index":"history",)" + std::string(extra) +
         R"(,"_source":{"Contract":"SGH1","AppName":"KPLUS","TotalDuration":10}})";
}

//! A valid hit with `duration` as the TotalDuration text.
std::string hit_with_duration(std::string_view duration) {
  return hit(R"("Contract":"SGH1","AppName":"KPLUS","TotalDuration":)" + std::string(duration));
}

//! A valid hit with `contract` as the Contract value text (JSON, quotes included).
std::string hit_with_contract(std::string_view contract) {
  return hit(R"("Contract":)" + std::string(contract) + R"(,"AppName":"KPLUS","TotalDuration":10)");
}

//! A valid hit with `app` as the AppName value text (JSON, quotes included).
std::string hit_with_app(std::string_view app) {
  return hit(R"("Contract":"SGH1","AppName":)" + std::string(app) + R"(,"TotalDuration":10)");
}

struct Case {
  std::string line;
  std::string expected;
};

void check_cases(const std::vector<Case>& cases, Path path) {
  for (const Case& c : cases) {
    const std::string line = variant(c.line, path);
    INFO("path " << static_cast<int>(path) << ", line: " << line);
    CHECK(outcome(line, path) == c.expected);
  }
}

} // namespace

TEST_CASE("Record parser: the SPEC example hit counts", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases({{R"({"_index":"history","_type":"kplus","_id":"AYAk...","_score":0,"_source":{"Contract":"SGH597377",)"
                R"("Mac":"0C96E6E84A15","AppName":"KPLUS","TotalDuration":6274}})",
                "record:SGH597377:TV:6274"}},
              path);
}

TEST_CASE("Record parser: key order and extra keys anywhere do not matter", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases(
      {
          {R"({"_source":{"TotalDuration":6274,"AppName":"KPLUS","Mac":"0C","Contract":"SGH1"},"_score":0,"_id":"x",)"
           R"("_type":"kplus","_index":"history"})",
           "record:SGH1:TV:6274"},
          {R"({"_source":{"Contract":"SGH1","AppName":"VOD","TotalDuration":5}})", "record:SGH1:Movie:5"},
          {R"({"_id":"x","_source":{"Mac":"A","AppName":"CHILD","Extra":{"a":[1,2,{"b":null}]},"TotalDuration":7,)"
           R"("Contract":"SGH1","Z":true},"_after":[{}]})",
           "record:SGH1:Child:7"},
          // Look-alike fields nested deeper than _source are ignored.
          {R"({"_source":{"Nested":{"Contract":"NOT","AppName":"SPORT","TotalDuration":-1},"Contract":"SGH1",)"
           R"("List":[{"TotalDuration":-1}],"AppName":"RELAX","TotalDuration":3}})",
           "record:SGH1:Relax:3"},
          // Only the root's _source counts.
          {R"({"hit":{"_source":{"Contract":"SGH1","AppName":"KPLUS","TotalDuration":1}}})", "rejected:missing_field"},
          {R"({"Contract":"SGH1","AppName":"KPLUS","TotalDuration":1})", "rejected:missing_field"},
          // Key names are case-sensitive...
          {R"({"_source":{"contract":"SGH1","AppName":"KPLUS","TotalDuration":1}})", "rejected:missing_field"},
          // ...and compared after decoding escapes.
          {R"({"_sourc\u0065":{"\u0043ontract":"SGH1","AppName":"KPLUS","TotalDuration":1}})", "record:SGH1:TV:1"},
          // Whitespace between tokens is JSON whitespace.
          {" {\n\"_source\" :\t{ \"Contract\" : \"SGH1\" ,\r\"AppName\":\"SPORT\",\"TotalDuration\": 4 } } ",
           "record:SGH1:Sport:4"},
      },
      path);
}

TEST_CASE("Record parser: Contract escapes are decoded and nothing is trimmed", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases(
      {
          {hit_with_contract(R"("\u0053GH1")"), "record:SGH1:TV:10"},
          {hit_with_contract(R"("a,b")"), "record:a,b:TV:10"},
          {hit_with_contract(R"("say \"hi\"")"), "record:say \"hi\":TV:10"},
          {hit_with_contract(R"("line1\nline2")"), "record:line1\nline2:TV:10"},
          {hit_with_contract(R"("cr\rlf\n")"), "record:cr\rlf\n:TV:10"},
          {hit_with_contract(R"("tab\there\\\/")"), "record:tab\there\\/:TV:10"},
          {hit_with_contract(R"(" SGH1 ")"), "record: SGH1 :TV:10"},
          {hit_with_contract(R"(" 0")"), "record: 0:TV:10"},
          {hit_with_contract(R"("00")"), "record:00:TV:10"},
          {hit_with_contract("\"\xC3\xA9t\xC3\xA9\""), "record:\xC3\xA9t\xC3\xA9:TV:10"},
          {hit_with_contract(R"("\u00e9")"), "record:\xC3\xA9:TV:10"},
          {hit_with_contract(R"("\ud83d\ude00")"), "record:\xF0\x9F\x98\x80:TV:10"},
          {hit_with_contract(R"("A\u0000B")"), "record:A\0B:TV:10"s},
      },
      path);
}

TEST_CASE("Record parser: an empty, \"0\" or non-string Contract is bad_contract; null or absent is missing_field",
          "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases(
      {
          {hit_with_contract(R"("0")"), "rejected:bad_contract"},
          {hit_with_contract(R"("\u0030")"), "rejected:bad_contract"},
          {hit_with_contract(R"("")"), "rejected:bad_contract"},
          {hit_with_contract("0"), "rejected:bad_contract"},
          {hit_with_contract("597377"), "rejected:bad_contract"},
          {hit_with_contract("123456789012345678901"), "rejected:bad_contract"},
          {hit_with_contract("1.5"), "rejected:bad_contract"},
          {hit_with_contract("true"), "rejected:bad_contract"},
          {hit_with_contract("false"), "rejected:bad_contract"},
          {hit_with_contract(R"(["SGH1"])"), "rejected:bad_contract"},
          {hit_with_contract(R"({"id":"SGH1"})"), "rejected:bad_contract"},
          {hit_with_contract("null"), "rejected:missing_field"},
          {hit(R"("AppName":"KPLUS","TotalDuration":10)"), "rejected:missing_field"},
      },
      path);
}

TEST_CASE("Record parser: AppName is trimmed and ASCII case-folded", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases(
      {
          {hit_with_app(R"(" sport ")"), "record:SGH1:Sport:10"},
          {hit_with_app(R"("sport")"), "record:SGH1:Sport:10"},
          {hit_with_app(R"("SpOrT")"), "record:SGH1:Sport:10"},
          {hit_with_app(R"("\tKplus\r\n")"), "record:SGH1:TV:10"},
          {hit_with_app(R"("\fchild ")"), "record:SGH1:Child:10"},
          {hit_with_app(R"("\u0020fims_res\u0020")"), "record:SGH1:Movie:10"},
          {hit_with_app(R"("Bhd_Res")"), "record:SGH1:Movie:10"},
          {hit_with_app(R"("dshd")"), "record:SGH1:TV:10"},
          {hit_with_app(R"("relax")"), "record:SGH1:Relax:10"},
      },
      path);
}

TEST_CASE("Record parser: non-ASCII letters are not case-folded and non-ASCII spaces are not trimmed", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases(
      {
          {hit_with_app("\"\xC5\xBFport\""), "rejected:unknown_app"},      // U+017F long s, upper-cases to S
          {hit_with_app(R"("\u017fport")"), "rejected:unknown_app"},
          {hit_with_app("\"ch\xC4\xB1ld\""), "rejected:unknown_app"},      // U+0131 dotless i, upper-cases to I
          {hit_with_app("\"\xEF\xBC\xB3PORT\""), "rejected:unknown_app"}, // U+FF33 fullwidth S
          {hit_with_app(R"("SPORT\u00a0")"), "rejected:unknown_app"},      // no-break space is not ASCII
          {hit_with_app(R"("\u3000SPORT")"), "rejected:unknown_app"},      // ideographic space
      },
      path);
}

TEST_CASE("Record parser: an unknown or non-string AppName is unknown_app; null or absent is missing_field",
          "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases(
      {
          {hit_with_app(R"("NETFLIX")"), "rejected:unknown_app"},
          {hit_with_app(R"("SPORTS")"), "rejected:unknown_app"},
          {hit_with_app(R"("SP ORT")"), "rejected:unknown_app"},
          {hit_with_app(R"("")"), "rejected:unknown_app"},
          {hit_with_app(R"("   ")"), "rejected:unknown_app"},
          {hit_with_app(R"("Sport")"), "record:SGH1:Sport:10"},
          {hit_with_app("5"), "rejected:unknown_app"},
          {hit_with_app("true"), "rejected:unknown_app"},
          {hit_with_app(R"(["SPORT"])"), "rejected:unknown_app"},
          {hit_with_app(R"({"name":"SPORT"})"), "rejected:unknown_app"},
          {hit_with_app("null"), "rejected:missing_field"},
          {hit(R"("Contract":"SGH1","TotalDuration":10)"), "rejected:missing_field"},
      },
      path);
}

TEST_CASE("Record parser: TotalDuration counts when it is an integral number from 0 to 2^63-1", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases(
      {
          {hit_with_duration("254"), "record:SGH1:TV:254"},
          {hit_with_duration("254.0"), "record:SGH1:TV:254"},
          {hit_with_duration("2540e-1"), "record:SGH1:TV:254"},
          {hit_with_duration("2.54E+2"), "record:SGH1:TV:254"},
          {hit_with_duration("1E2"), "record:SGH1:TV:100"},
          {hit_with_duration("1e2"), "record:SGH1:TV:100"},
          {hit_with_duration("-0"), "record:SGH1:TV:0"},
          {hit_with_duration("-0.0"), "record:SGH1:TV:0"},
          {hit_with_duration("0"), "record:SGH1:TV:0"},
          {hit_with_duration("0e5"), "record:SGH1:TV:0"},
          {hit_with_duration("100e-2"), "record:SGH1:TV:1"},
          {hit_with_duration("9223372036854775807"), "record:SGH1:TV:9223372036854775807"},
          {hit_with_duration("4611686018427387904"), "record:SGH1:TV:4611686018427387904"},
      },
      path);
}

TEST_CASE("Record parser: a fractional, negative, out-of-range or non-number TotalDuration is bad_duration",
          "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases(
      {
          {hit_with_duration("254.5"), "rejected:bad_duration"},
          {hit_with_duration("25e-1"), "rejected:bad_duration"},
          {hit_with_duration("0.1"), "rejected:bad_duration"},
          {hit_with_duration("-3"), "rejected:bad_duration"},
          {hit_with_duration("-1e2"), "rejected:bad_duration"},
          {hit_with_duration("-9223372036854775808"), "rejected:bad_duration"},
          {hit_with_duration("9223372036854775808"), "rejected:bad_duration"},
          {hit_with_duration("18446744073709551615"), "rejected:bad_duration"},
          {hit_with_duration("1e19"), "rejected:bad_duration"},
          {hit_with_duration("9.3e18"), "rejected:bad_duration"},
          {hit_with_duration("123456789012345678901"), "rejected:bad_duration"},
          {hit_with_duration("-123456789012345678901"), "rejected:bad_duration"},
          {hit_with_duration(R"("254")"), "rejected:bad_duration"},
          {hit_with_duration(R"("")"), "rejected:bad_duration"},
          {hit_with_duration("true"), "rejected:bad_duration"},
          {hit_with_duration("false"), "rejected:bad_duration"},
          {hit_with_duration("[254]"), "rejected:bad_duration"},
          {hit_with_duration(R"({"v":254})"), "rejected:bad_duration"},
          {hit_with_duration("null"), "rejected:missing_field"},
          {hit(R"("Contract":"SGH1","AppName":"KPLUS")"), "rejected:missing_field"},
      },
      path);
}

// SPEC §2 asks for "a JSON number with an integral value"; deciding that on a double rounded from
// the text makes non-integral numbers count and changes the value of exact ones.
TEST_CASE("Record parser: TotalDuration integrality is decided on the exact number, not on a rounded double",
          "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases(
      {
          {hit_with_duration("254.00000000000000001"), "rejected:bad_duration"},
          {hit_with_duration("1e-400"), "rejected:bad_duration"},
          {hit_with_duration("9007199254740993.0"), "record:SGH1:TV:9007199254740993"},
          {hit_with_duration("9223372036854775807.0"), "record:SGH1:TV:9223372036854775807"},
      },
      path);
}

TEST_CASE("Record parser: the first failing field names the reason, in the order Contract, AppName, TotalDuration",
          "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases(
      {
          {hit(R"("Contract":"0","AppName":"NETFLIX","TotalDuration":-1)"), "rejected:bad_contract"},
          {hit(R"("AppName":"NETFLIX","TotalDuration":-1)"), "rejected:missing_field"},
          {hit(R"("Contract":"SGH1","AppName":"NETFLIX","TotalDuration":-1)"), "rejected:unknown_app"},
          {hit(R"("Contract":"SGH1","TotalDuration":-1)"), "rejected:missing_field"},
          {hit(R"("Contract":"SGH1","AppName":"KPLUS","TotalDuration":-1)"), "rejected:bad_duration"},
          {hit(""), "rejected:missing_field"},
      },
      path);
}

TEST_CASE("Record parser: _source absent, null or not an object is missing_field", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases(
      {
          {R"({"_index":"history","_id":"x"})", "rejected:missing_field"},
          {"{}", "rejected:missing_field"},
          {R"({"_source":null})", "rejected:missing_field"},
          {R"({"_source":"Contract"})", "rejected:missing_field"},
          {R"({"_source":1})", "rejected:missing_field"},
          {R"({"_source":[]})", "rejected:missing_field"},
          {R"({"_source":[{"Contract":"SGH1","AppName":"KPLUS","TotalDuration":1}]})", "rejected:missing_field"},
          {R"({"_source":{}})", "rejected:missing_field"},
      },
      path);
}

TEST_CASE("Record parser: a duplicate key keeps its first value", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases(
      {
          {hit(R"("Contract":"A","Contract":"B","AppName":"KPLUS","TotalDuration":1)"), "record:A:TV:1"},
          {hit(R"("Contract":"A","AppName":"SPORT","AppName":"KPLUS","TotalDuration":1)"), "record:A:Sport:1"},
          {hit(R"("Contract":"A","AppName":"KPLUS","TotalDuration":5,"TotalDuration":-1)"), "record:A:TV:5"},
          {hit(R"("Contract":"A","AppName":"KPLUS","TotalDuration":-1,"TotalDuration":5)"), "rejected:bad_duration"},
          {hit(R"("Contract":null,"Contract":"B","AppName":"KPLUS","TotalDuration":1)"), "rejected:missing_field"},
          {hit(R"("Contract":"0","Contract":"B","AppName":"KPLUS","TotalDuration":1)"), "rejected:bad_contract"},
          {hit(R"("Contract":{"x":1},"Contract":"B","AppName":"KPLUS","TotalDuration":1)"), "rejected:bad_contract"},
          {hit(R"("AppName":"NETFLIX","Contract":"A","AppName":"KPLUS","TotalDuration":1)"), "rejected:unknown_app"},
          // The first _source wins too, even when only a later one would count.
          {R"({"_source":{"Contract":"A","AppName":"KPLUS","TotalDuration":1},)"
           R"("_source":{"Contract":"B","AppName":"SPORT","TotalDuration":2}})",
           "record:A:TV:1"},
          {R"({"_source":null,"_source":{"Contract":"B","AppName":"SPORT","TotalDuration":2}})",
           "rejected:missing_field"},
          {R"({"_source":[],"_source":{"Contract":"B","AppName":"SPORT","TotalDuration":2}})",
           "rejected:missing_field"},
      },
      path);
}

TEST_CASE("Record parser: a root that is not an object is not_object", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases(
      {
          {"[]", "rejected:not_object"},
          {R"([{"_source":{"Contract":"SGH1","AppName":"KPLUS","TotalDuration":1}}])", "rejected:not_object"},
          {R"("SGH1")", "rejected:not_object"},
          {"1", "rejected:not_object"},
          {"-0.5", "rejected:not_object"},
          {"null", "rejected:not_object"},
          {"true", "rejected:not_object"},
          {"  [1, 2]\r", "rejected:not_object"},
          {"123456789012345678901", "rejected:not_object"},
      },
      path);
}

TEST_CASE("Record parser: malformed JSON in ignored keys makes the line malformed_json", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  std::vector<Case> cases;
  const std::vector<std::string_view> extras = {
           R"("_score":NaN)", R"("_score":nan)", R"("_score":Infinity)", R"("_score":-Infinity)",
           R"("_score":01)", R"("_score":-01)", R"("_score":00)", R"("_score":1.)", R"("_score":.5)",
           R"("_score":+1)", R"("_score":0x10)", R"("_score":1e)", R"("_score":1e+)", R"("_score":--1)",
           R"("_score":[1,2,])", R"("_score":{"a":1,})", R"("_score":[,1])", R"("_score":True)", R"("_score":nul)",
           R"("_score":undefined)", R"('_id':"x")", R"("_id":'x')", R"(_id:"x")", R"("_id" "x")", R"("_id":"x",)",
           R"("_id":"x"/*c*/)", "\"_id\":\"x\" // comment", R"(/*c*/"_id":"x")", R"("_id":"\x41")",
           R"("_id":"\u12")", R"("_id":"\u12G4")", R"("_id":"\a")", R"("_id":"x""y")",
           "\"_id\":\"a\tb\"", "\"_id\":\"a\x01" "b\"", "\"_id\":\"a\x1f" "b\"", "\"_id\":\"a\0b\""sv,
           "\"_id\":\"\xff\"", "\"_id\":\"\xc3\"", "\"_id\":\"\xc3(\"", "\"_id\":\"\xc0\xaf\"",
           "\"_id\":\"\xe0\x80\xaf\"", "\"_id\":\"\xed\xa0\x80\"", "\"_id\":\"\xf4\x90\x80\x80\"",
           "\"_id\":\"\xf8\x88\x80\x80\x80\"", "\"\xff\":1", "\"_score\":\xff"};
  for (std::string_view extra : extras) {
    cases.push_back({hit_with_root_member(extra), "rejected:malformed_json"});
  }
  // The same faults inside _source, next to the fields that count.
  for (std::string_view source : {R"("Mac":NaN,"Contract":"SGH1","AppName":"KPLUS","TotalDuration":1)",
                                   R"("Contract":"SGH1","AppName":"KPLUS","TotalDuration":1,)",
                                   R"("Contract":'SGH1',"AppName":"KPLUS","TotalDuration":1)",
                                   R"("Contract":"SGH1","AppName":"KPLUS","TotalDuration":0254)",
                                   R"("Contract":"SGH1","AppName":"KPLUS","TotalDuration":Infinity)",
                                   "\"Contract\":\"SG\nH1\",\"AppName\":\"KPLUS\",\"TotalDuration\":1",
                                   "\"Contract\":\"SGH\xff\",\"AppName\":\"KPLUS\",\"TotalDuration\":1"}) {
    cases.push_back({hit(source), "rejected:malformed_json"});
  }
  check_cases(cases, path);
}

TEST_CASE("Record parser: anything after the root object, or a cut-off line, is malformed_json", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  const std::string good = hit(R"("Contract":"SGH1","AppName":"KPLUS","TotalDuration":1)");
  check_cases(
      {
          {good + " x", "rejected:malformed_json"},
          {good + good, "rejected:malformed_json"},
          {good + "\r" + good, "rejected:malformed_json"},
          {good + ",", "rejected:malformed_json"},
          {good + "]", "rejected:malformed_json"},
          {good + "}", "rejected:malformed_json"},
          {good + " // comment", "rejected:malformed_json"},
          {good + std::string(1, '\0'), "rejected:malformed_json"},
          {good + "\f", "rejected:malformed_json"},
          {good + "\v", "rejected:malformed_json"},
          {good.substr(0, good.size() - 1), "rejected:malformed_json"},
          {good.substr(0, good.size() / 2), "rejected:malformed_json"},
          {"{", "rejected:malformed_json"},
          {"}", "rejected:malformed_json"},
          {"x", "rejected:malformed_json"},
          {"\f", "rejected:malformed_json"},
          {std::string(1, '\0'), "rejected:malformed_json"},
          {R"({"_source":{"Contract":"SGH1")", "rejected:malformed_json"},
          {R"({"_source":{"Contract":"SGH1","AppName":"KPLUS","TotalDuration":1})", "rejected:malformed_json"},
      },
      path);
}

TEST_CASE("Record parser: valid but unusual JSON in ignored keys does not reject the line", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  std::vector<Case> cases;
  const std::vector<std::string_view> extras = {
           R"("_score":-0.0e-0)", R"("_score":1E+308)", R"("_score":[[[[[[[[[[]]]]]]]]]])", R"("_id":"\ud83d\ude00")",
           "\"_id\":\"\xF0\x9F\x98\x80 \xC3\xA9 \xE2\x82\xAC\"", "\"_id\":\"del\x7f\"", R"("_id":"\"\\\/\b\f\n\r\t")",
           R"("_id":null)", R"("":"")", R"("_score":1.5e-300)", R"("_score":1e-400)"};
  for (std::string_view extra : extras) {
    cases.push_back({hit_with_root_member(extra), "record:SGH1:TV:10"});
  }
  check_cases(cases, path);
}

TEST_CASE("Record parser: a very large integer in an ignored key does not reject the line (slow path)", "[parse]") {
  check_cases(
      {
          {hit_with_root_member(R"("_score":123456789012345678901)"), "record:SGH1:TV:10"},
          {hit_with_root_member(R"("_score":-123456789012345678901)"), "record:SGH1:TV:10"},
          {hit_with_root_member(R"("_score":[1,123456789012345678901234567890,{"x":99999999999999999999999}])"),
           "record:SGH1:TV:10"},
          {hit(R"("Mac":123456789012345678901234567890,"Contract":"\u0053GH2","AppName":" vod ","TotalDuration":7)"),
           "record:SGH2:Movie:7"},
          {hit(R"("Contract":"SGH3","AppName":"SPORT","TotalDuration":2540e-1,"Z":123456789012345678901)"),
           "record:SGH3:Sport:254"},
          // The slow path is exactly as strict as the fast one.
          {hit_with_root_member(R"("_score":123456789012345678901,"_x":NaN)"), "rejected:malformed_json"},
          {hit_with_root_member(R"("_score":123456789012345678901,"_x":01)"), "rejected:malformed_json"},
          {hit_with_root_member("\"_score\":123456789012345678901,\"_x\":\"\xff\""), "rejected:malformed_json"},
          {hit_with_root_member(R"("_score":123456789012345678901,)"), "rejected:malformed_json"},
          {"[123456789012345678901]", "rejected:not_object"},
      },
      Path::Fast);
}

// RFC 8259 allows exponents beyond the double range; such a number is valid JSON, so in a key the
// program ignores it must not reject the line, and as TotalDuration it is bad_duration, not
// malformed_json (SPEC §2: only non-RFC 8259 JSON is malformed).
TEST_CASE("Record parser: a number beyond the double range is valid JSON", "[parse]") {
  check_cases(
      {
          {hit_with_root_member(R"("_score":1e400)"), "record:SGH1:TV:10"},
          {hit_with_root_member(R"("_score":-1e400)"), "record:SGH1:TV:10"},
          {hit_with_duration("1e400"), "rejected:bad_duration"},
      },
      Path::Fast);
}

TEST_CASE("Record parser: empty lines and lines of spaces, tabs and CRs are blank", "[parse]") {
  for (std::string_view line : {"", " ", "\t", "\r", "  \t \r", "\r\r", "\t\t\t\t"}) {
    INFO("line of " << line.size() << " bytes");
    CHECK(outcome(line) == "blank");
    CHECK(is_blank_line(line));
  }
  // Other whitespace is not blank (and not JSON whitespace either).
  for (std::string_view line : {"\f", "\v", " \f ", "\t\v"}) {
    INFO("line of " << line.size() << " bytes");
    CHECK_FALSE(is_blank_line(line));
    CHECK(outcome(line) == "rejected:malformed_json");
  }
  CHECK_FALSE(is_blank_line(std::string_view("\0", 1)));
}

TEST_CASE("Record parser: a CRLF line end and surrounding whitespace are not errors", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  const std::string good = hit(R"("Contract":"SGH1","AppName":"KPLUS","TotalDuration":1)");
  check_cases(
      {
          {good + "\r", "record:SGH1:TV:1"},
          {"  " + good + " \t\r", "record:SGH1:TV:1"},
          {"\t" + good, "record:SGH1:TV:1"},
      },
      path);
}

TEST_CASE("Record parser: one parser handles long lines and keeps working after every kind of line", "[parse]") {
  const std::string long_line =
      hit_with_root_member(R"("_id":")" + std::string(300000, 'x') + R"(")");
  const std::string slow_line = hit_with_root_member(R"("_score":123456789012345678901)");
  const std::string source_a = hit(R"("Contract":"A","AppName":"CHILD","TotalDuration":1)");
  const std::string source_b = hit(R"("Contract":"B","AppName":"RELAX","TotalDuration":2)");
  for (int round = 0; round < 3; ++round) {
    CHECK(outcome(source_a) == "record:A:Child:1");
    CHECK(outcome(long_line) == "record:SGH1:TV:10");
    CHECK(outcome(source_b) == "record:B:Relax:2");
    CHECK(outcome(slow_line) == "record:SGH1:TV:10");
    CHECK(outcome("{") == "rejected:malformed_json");
    CHECK(outcome(source_a) == "record:A:Child:1");
    CHECK(outcome("") == "blank");
    CHECK(outcome("[]") == "rejected:not_object");
    CHECK(outcome(source_b) == "record:B:Relax:2");
  }
}

TEST_CASE("Record parser: a user mapping replaces the default categories", "[parse]") {
  const CategoryMapping mapping =
      CategoryMapping::from_json_text(R"({"Sport":["KPLUS"],"Child":["NETFLIX"]})", "test");
  RecordParser parser(mapping);
  auto parse = [&](const std::string& line) {
    std::string buffer = line + std::string(kLinePadding, ' ');
    Record record;
    const LineOutcome o = parser.parse(std::string_view(buffer.data(), line.size()), record);
    return o.kind == LineKind::Record ? std::string(name_of(record.category)) : std::string(name_of(o.reason));
  };
  CHECK(parse(hit_with_app(R"("KPLUS")")) == "Sport");
  CHECK(parse(hit_with_app(R"(" netflix ")")) == "Child");
  CHECK(parse(hit_with_app(R"("SPORT")")) == "unknown_app");
}

// The verdict on deep nesting must not depend on which path reads the line (an unrelated integer
// elsewhere in it sends it to the slow path).
TEST_CASE("Record parser: deep nesting in an ignored key gets one verdict on both paths", "[parse]") {
  for (std::size_t depth : {std::size_t{1000}, std::size_t{1100}, std::size_t{5000}}) {
    const std::string line = hit_with_root_member("\"_x\":" + std::string(depth, '[') + std::string(depth, ']'));
    INFO("depth " << depth);
    CHECK(outcome(line) == outcome(variant(line, Path::BigNumber)));
    CHECK(outcome(line) == outcome(line, Path::FallbackOnly));
  }
}

// The slow path reads numbers beyond the double range after rewriting them; the rewrite must not
// turn a number key into a valid one, nor a number field into a string that counts.
TEST_CASE("Record parser: a number beyond the double range keeps structural errors and its field's reason",
          "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases(
      {
          {R"({"a":1e400,1e400:0,"_source":{"Contract":"SGH1","AppName":"KPLUS","TotalDuration":10}})",
           "rejected:malformed_json"},
          {R"({1e400:0,"_source":{"Contract":"SGH1","AppName":"KPLUS","TotalDuration":10}})",
           "rejected:malformed_json"},
          {hit(R"("Contract":"SGH1",-1e400:"x","AppName":"KPLUS","TotalDuration":10)"), "rejected:malformed_json"},
          {hit_with_root_member(R"("_score":1e400e1)"), "rejected:malformed_json"},
          {hit_with_root_member(R"("_score":1e400.5)"), "rejected:malformed_json"},
          {hit_with_root_member(R"("_score":01e400)"), "rejected:malformed_json"},
          {hit_with_root_member(R"("_score":[1e400,-1E+400,1e400])"), "record:SGH1:TV:10"},
          {hit_with_contract("1e400"), "rejected:bad_contract"},
          {hit_with_contract("-1e400"), "rejected:bad_contract"},
          {hit_with_app("1e400"), "rejected:unknown_app"},
          {hit_with_duration("1e400"), "rejected:bad_duration"},
          {hit_with_duration("-1e400"), "rejected:bad_duration"},
          {R"({"_source":1e400})", "rejected:missing_field"},
          {"1e400", "rejected:not_object"},
      },
      path);
}

// nlohmann's lexer takes a NUL byte for the end of the input; RFC 8259 has no place for a raw NUL.
TEST_CASE("Record parser: a raw NUL byte anywhere makes the line malformed_json", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  const std::string good = hit(R"("Contract":"SGH1","AppName":"KPLUS","TotalDuration":1)");
  check_cases(
      {
          {good + "\0}"s, "rejected:malformed_json"},
          {good + "\0 x"s, "rejected:malformed_json"},
          {good + "\0"s + good, "rejected:malformed_json"},
          {good + " \0"s, "rejected:malformed_json"},
          {hit_with_duration("2540e-1") + "\0}"s, "rejected:malformed_json"},
          {hit_with_root_member("\"_score\":1e400") + "\0}"s, "rejected:malformed_json"},
          {hit_with_contract("\"SG\0H1\""s), "rejected:malformed_json"},
          {"\0"s + good, "rejected:malformed_json"},
      },
      path);
}

// nlohmann skips a UTF-8 BOM at the start of its input; SPEC §2 makes such a line malformed.
TEST_CASE("Record parser: a UTF-8 BOM before the object is malformed_json on both paths", "[parse]") {
  const std::string bom = "\xEF\xBB\xBF";
  for (const std::string& line :
       {bom + hit(R"("Contract":"SGH1","AppName":"KPLUS","TotalDuration":1)"),
        bom + hit(R"("Contract":"SGH1","AppName":"KPLUS","TotalDuration":2540e-1)"),
        bom + hit_with_root_member(R"("_score":123456789012345678901234567890)"),
        bom + hit_with_root_member(R"("_score":1e400)"), " " + bom + hit_with_root_member(R"("_score":1e400)")}) {
    INFO("line: " << line);
    CHECK(outcome(line) == "rejected:malformed_json");
    CHECK(outcome(line, Path::FallbackOnly) == "rejected:malformed_json");
  }
}

TEST_CASE("Record parser: an escaped lone surrogate is malformed_json on both paths", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  std::vector<Case> cases;
  for (std::string_view id : {R"("\ud800")", R"("\udbff")", R"("\udc00")", R"("\udfff")", R"("\ud800\u0041")",
                              R"("\ud800\ud800")", R"("\udc00\ud800")", R"("x\ud83d")", R"("\ud83dx\ude00")"}) {
    cases.push_back({hit_with_root_member("\"_id\":" + std::string(id)), "rejected:malformed_json"});
    cases.push_back({hit_with_contract(id), "rejected:malformed_json"});
  }
  cases.push_back({hit_with_contract(R"("\uD83D\uDE00")"), "record:\xF0\x9F\x98\x80:TV:10"});
  cases.push_back({hit_with_contract(R"("\udbff\udfff")"), "record:\xF4\x8F\xBF\xBF:TV:10"});
  check_cases(cases, path);
}

// SPEC §2: "however long its digits or exponent".
TEST_CASE("Record parser: a TotalDuration with a very long exponent is decided exactly", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  const std::string zeros_100000(100000, '0'), zeros_1000001(1000001, '0');
  check_cases(
      {
          {hit_with_duration("1" + zeros_100000 + "e-1000001"), "rejected:bad_duration"},
          {hit_with_duration("1" + zeros_1000001 + "e-1000001"), "record:SGH1:TV:1"},
          {hit_with_duration("7e-99999999999999999999999999"), "rejected:bad_duration"},
          {hit_with_duration("7e+99999999999999999999999999"), "rejected:bad_duration"},
          {hit_with_duration("0e99999999999999999999999999"), "record:SGH1:TV:0"},
          {hit_with_duration("3e" + zeros_100000 + "1"), "record:SGH1:TV:30"},
      },
      path);
}

// SPEC §2: at most 1024 bytes once decoded; the warehouse keys on it.
TEST_CASE("Record parser: a Contract of more than 1024 bytes once decoded is bad_contract", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  std::string escaped_1024, escaped_1025;
  for (int i = 0; i < 1024; ++i) escaped_1024 += "\\u0041";
  escaped_1025 = escaped_1024 + "B";
  std::string e_acute_512;
  for (int i = 0; i < 512; ++i) e_acute_512 += "\xC3\xA9";
  check_cases(
      {
          {hit_with_contract("\"" + std::string(1024, 'c') + "\""), "record:" + std::string(1024, 'c') + ":TV:10"},
          {hit_with_contract("\"" + std::string(1025, 'c') + "\""), "rejected:bad_contract"},
          {hit_with_contract("\"" + std::string(100000, 'c') + "\""), "rejected:bad_contract"},
          {hit_with_contract("\"" + escaped_1024 + "\""), "record:" + std::string(1024, 'A') + ":TV:10"},
          {hit_with_contract("\"" + escaped_1025 + "\""), "rejected:bad_contract"},
          {hit_with_contract("\"" + e_acute_512 + "\""), "record:" + e_acute_512 + ":TV:10"},
          {hit_with_contract("\"" + e_acute_512 + "x\""), "rejected:bad_contract"},
          // The Contract is judged first: a long one is bad_contract whatever the other fields.
          {hit(R"("Contract":")" + std::string(1025, 'c') + R"(","AppName":"NETFLIX","TotalDuration":-1)"),
           "rejected:bad_contract"},
          // A long Contract after a good one is an ignored duplicate.
          {hit(R"("Contract":"A","Contract":")" + std::string(1025, 'c') + R"(","AppName":"KPLUS","TotalDuration":1)"),
           "record:A:TV:1"},
      },
      path);
}

//! A valid hit whose root also holds `"_x":` followed by arrays nested to reach `level` in total.
std::string hit_nested_to(std::size_t level) {
  const std::size_t arrays = level - 1; // the root object is level 1
  return hit_with_root_member("\"_x\":" + std::string(arrays, '[') + std::string(arrays, ']'));
}

// SPEC §2: the root object is level 1, each array or object inside adds one; deeper than 1024 is
// malformed_json.
TEST_CASE("Record parser: nesting of 1024 levels is allowed and 1025 is malformed_json on both paths", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  std::string source_1024 = "\"Z\":" + std::string(1022, '[') + std::string(1022, ']'); // _source is level 2
  std::string contract_1024 = std::string(1022, '[') + std::string(1022, ']');
  std::string objects_1024;
  for (int i = 0; i < 1023; ++i) objects_1024 += "{\"k\":";
  objects_1024 += "0" + std::string(1023, '}');
  check_cases(
      {
          {hit_nested_to(1024), "record:SGH1:TV:10"},
          {hit_nested_to(1025), "rejected:malformed_json"},
          {hit_nested_to(1026), "rejected:malformed_json"},
          {hit(source_1024 + R"(,"Contract":"SGH1","AppName":"KPLUS","TotalDuration":10)"), "record:SGH1:TV:10"},
          {hit("\"Z\":[" + source_1024.substr(4) + R"(],"Contract":"SGH1","AppName":"KPLUS","TotalDuration":10)"),
           "rejected:malformed_json"},
          {hit_with_contract(contract_1024), "rejected:bad_contract"},
          {hit_with_contract("[" + contract_1024 + "]"), "rejected:malformed_json"},
          {hit_with_duration("2540e-1,\"Z\":[" + contract_1024 + "]"), "rejected:malformed_json"},
          {hit_with_duration("2540e-1,\"Z\":" + contract_1024), "record:SGH1:TV:254"},
          {hit_with_root_member("\"_o\":" + objects_1024), "record:SGH1:TV:10"},
          {hit_with_root_member("\"_o\":{\"k\":" + objects_1024 + "}"), "rejected:malformed_json"},
      },
      path);
}

// Lines that take the slow path for their TotalDuration or for a number elsewhere keep the
// order Contract, AppName, TotalDuration.
TEST_CASE("Record parser: the reason order holds on lines that need the exact TotalDuration", "[parse]") {
  const Path path = GENERATE(Path::Fast, Path::BigNumber, Path::FallbackOnly);
  check_cases(
      {
          {hit(R"("Contract":"0","AppName":"NETFLIX","TotalDuration":1.5)"), "rejected:bad_contract"},
          {hit(R"("Contract":1e400,"AppName":"NETFLIX","TotalDuration":1.5)"), "rejected:bad_contract"},
          {hit(R"("Contract":12345678901234567890123,"AppName":null,"TotalDuration":1.5)"), "rejected:bad_contract"},
          {hit(R"("AppName":"NETFLIX","TotalDuration":1.5)"), "rejected:missing_field"},
          {hit(R"("Contract":"SGH1","AppName":"NETFLIX","TotalDuration":1.5)"), "rejected:unknown_app"},
          {hit(R"("Contract":"SGH1","AppName":1e400,"TotalDuration":1.5)"), "rejected:unknown_app"},
          {hit(R"("Contract":"SGH1","TotalDuration":1.5)"), "rejected:missing_field"},
          {hit(R"("Contract":"SGH1","AppName":"KPLUS","TotalDuration":1.5)"), "rejected:bad_duration"},
          {hit(R"("Contract":"SGH1","AppName":"KPLUS","TotalDuration":1.5e400)"), "rejected:bad_duration"},
          {hit(R"("Contract":"SGH1","AppName":"KPLUS","TotalDuration":1.0)"), "record:SGH1:TV:1"},
      },
      path);
}

TEST_CASE("Record parser: parse_next finds each line's end and decides it as parse() does", "[parse]") {
  const std::string hit = R"({"_index":"history","_type":"kplus","_id":"AX1","_score":0,"_source":)"
                          R"({"Contract":"HNH579912","Mac":"0C96E62FC55C","AppName":"KPLUS","TotalDuration":254}})";
  // The export's line (delimited by its own parse), with CRLF and trailing blanks, a blank line,
  // a line cut off by the next one's newline, trailing junk, a line the fast shape does not cover
  // (key order), and a last line without a newline.
  const std::vector<std::string> lines = {
      hit, hit + "\r", hit + " \t", "", "  ", hit.substr(0, 60), hit + "x", hit.substr(0, hit.size() - 1) + " }",
      R"({"_source":{"AppName":"KPLUS","Contract":"A1","TotalDuration":7}})", "[1]", hit};
  std::string text;
  for (std::size_t i = 0; i < lines.size(); ++i) text += lines[i] + (i + 1 < lines.size() ? "\n" : "");
  const std::size_t size = text.size();
  text.append(kLinePadding, '"');
  const char* p = text.data();
  const char* const end = text.data() + size;
  const CategoryMapping mapping = CategoryMapping::defaults(); // the parser keeps a reference
  RecordParser next_parser(mapping);
  for (const std::string& line : lines) {
    REQUIRE(p <= end);
    Record by_next, by_parse;
    const char* line_end = nullptr;
    const LineOutcome a = next_parser.parse_next(p, end, by_next, &line_end);
    CHECK(std::string(p, line_end) == line);
    std::string padded = line + std::string(kLinePadding, '"');
    const LineOutcome b = shared_parser().parse(std::string_view(padded.data(), line.size()), by_parse);
    CHECK(a.kind == b.kind);
    CHECK(a.reason == b.reason);
    if (a.kind == LineKind::Record) {
      CHECK(by_next.contract == by_parse.contract);
      CHECK(by_next.duration == by_parse.duration);
      CHECK(by_next.category == by_parse.category);
    }
    p = line_end + 1;
  }
}
