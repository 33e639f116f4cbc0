// The dirty-line catalogue: one defect per line, grouped by the reason it must get.
#include "bda/gen/dirty_lines.hpp"

#include "bda/gen/rng.hpp"

#include <algorithm>
#include <array>

namespace bda {
namespace {

using Reason = RejectReason;

std::string quoted_id_with(const HitFields& f, std::string_view inserted, Rng& rng) {
  std::string id(f.id_view());
  id.insert(rng.below(static_cast<std::uint32_t>(id.size() + 1)), inserted);
  return '"' + id + '"';
}

// The contract's digits as a JSON number (no leading zeros: that would be malformed, not bad_contract).
std::string contract_number(std::string_view contract) {
  std::uint64_t n = 0;
  for (char c : contract)
    if (c >= '0' && c <= '9') n = n * 10 + static_cast<std::uint64_t>(c - '0');
  return std::to_string(n);
}

// --- malformed_json: the defect is in the JSON text, often in a value nobody reads ---

void truncated(const HitFields& f, Rng& rng, std::string& out) {
  std::string line = HitSpec::from(f).render();
  line.resize(rng.between(1, static_cast<std::uint32_t>(line.size() - 1))); // any proper prefix is open
  out += line;
}

void trailing_comma(const HitFields& f, Rng& rng, std::string& out) {
  HitSpec hit = HitSpec::from(f);
  switch (rng.below(3)) {
  case 0: hit.source.back().value += ','; break;                     // ...,"TotalDuration":6274,}}
  case 1: hit.root.push_back({"_x", "1,"}); break;                 // ...,"_x":1,}
  default: hit.root.insert(hit.root.begin(), {"sort", "[1648771200000,0,]"}); break;
  }
  out += hit.render();
}

void nan_or_infinity(const HitFields& f, Rng& rng, std::string& out) {
  static constexpr std::string_view kValues[] = {"NaN", "Infinity", "-Infinity", "nan"};
  HitSpec hit = HitSpec::from(f);
  hit.find_root("_score")->value = pick_one(kValues, rng);
  out += hit.render();
}

void single_quotes(const HitFields& f, Rng&, std::string& out) {
  std::string line = HitSpec::from(f).render();
  std::replace(line.begin(), line.end(), '"', '\'');
  out += line;
}

void comment(const HitFields& f, Rng& rng, std::string& out) {
  std::string line = HitSpec::from(f).render();
  if (rng.below(2) == 0)
    out += "{/* exported */" + line.substr(1);
  else
    out += line + " // exported";
}

void control_char(const HitFields& f, Rng& rng, std::string& out) {
  static constexpr std::string_view kControls[] = {"\x01", "\t", "\x1b", "\x1f"};
  HitSpec hit = HitSpec::from(f);
  hit.find_root("_id")->value = quoted_id_with(f, pick_one(kControls, rng), rng);
  out += hit.render();
}

void invalid_utf8(const HitFields& f, Rng& rng, std::string& out) {
  // 0xFF never occurs in UTF-8; C0 AF is overlong; 80 is a stray continuation; E2 82 is cut short.
  static constexpr std::string_view kBad[] = {"\xff", "\xc0\xaf", "\x80", "\xe2\x82"};
  HitSpec hit = HitSpec::from(f);
  hit.find_root("_index")->value = "\"hist" + std::string(pick_one(kBad, rng)) + "ory\"";
  out += hit.render();
}

void trailing_garbage(const HitFields& f, Rng& rng, std::string& out) {
  static constexpr std::string_view kTails[] = {" x", "]", "}", ",", " 0"};
  const std::string line = HitSpec::from(f).render();
  out += line;
  if (rng.below(3) == 0)
    out += line; // two objects on one line
  else
    out += pick_one(kTails, rng);
}

void bad_number_syntax(const HitFields& f, Rng& rng, std::string& out) {
  static constexpr std::string_view kNumbers[] = {"01", "-01", "00", "+1", ".5", "1.", "1e", "0x1F"};
  HitSpec hit = HitSpec::from(f);
  hit.find_root("_score")->value = pick_one(kNumbers, rng);
  out += hit.render();
}

void bad_escape(const HitFields& f, Rng& rng, std::string& out) {
  static constexpr std::string_view kEscapes[] = {"\\x41", "\\'", "\\U0041", "\\a"};
  HitSpec hit = HitSpec::from(f);
  hit.find_root("_id")->value = quoted_id_with(f, pick_one(kEscapes, rng), rng);
  out += hit.render();
}

void unquoted_key(const HitFields& f, Rng&, std::string& out) {
  std::string line = HitSpec::from(f).render();
  out += "{_index" + line.substr(std::string_view(R"({"_index")").size());
}

// --- not_object: valid JSON whose root is something else ---

void array_root(const HitFields& f, Rng& rng, std::string& out) {
  out += rng.below(4) == 0 ? "[]" : '[' + HitSpec::from(f).render() + ']';
}

void number_root(const HitFields& f, Rng& rng, std::string& out) {
  static constexpr std::string_view kNumbers[] = {"0", "-1.5e3", "1648771200"};
  out += rng.below(2) == 0 ? std::to_string(f.duration) : std::string(pick_one(kNumbers, rng));
}

void string_root(const HitFields& f, Rng&, std::string& out) { out += json_quote(f.contract); }

void literal_root(const HitFields&, Rng& rng, std::string& out) {
  static constexpr std::string_view kLiterals[] = {"null", "true", "false"};
  out += pick_one(kLiterals, rng);
}

// --- missing_field: a field (or _source itself) absent or null; the fields checked before it are fine ---

void no_source(const HitFields& f, Rng&, std::string& out) {
  HitSpec hit = HitSpec::from(f);
  hit.erase_root("_source");
  out += hit.render();
}

// _source null, of another type, or an object without the fields.
void bad_source(const HitFields& f, Rng& rng, std::string& out) {
  HitSpec hit = HitSpec::from(f);
  const std::string values[] = {"null", json_quote(f.contract), "[]", "0", "{}", '[' + HitSpec::from(f).render() + ']'};
  hit.find_root("_source")->value = pick_one(values, rng);
  out += hit.render();
}

void without(const HitFields& f, Rng& rng, std::string& out, std::string_view key) {
  HitSpec hit = HitSpec::from(f);
  if (rng.below(2) == 0)
    hit.erase_source(key);
  else
    hit.find_source(key)->value = "null";
  out += hit.render();
}

void contract_missing(const HitFields& f, Rng& rng, std::string& out) { without(f, rng, out, "Contract"); }
void app_missing(const HitFields& f, Rng& rng, std::string& out) { without(f, rng, out, "AppName"); }
void duration_missing(const HitFields& f, Rng& rng, std::string& out) { without(f, rng, out, "TotalDuration"); }

// --- bad_contract, unknown_app, bad_duration: present, not null, but unusable ---

void with_value(const HitFields& f, std::string_view key, std::string_view value, std::string& out) {
  HitSpec hit = HitSpec::from(f);
  hit.find_source(key)->value = value;
  out += hit.render();
}

void bad_contract(const HitFields& f, Rng& rng, std::string& out) {
  const std::string values[] = {"\"\"", "\"0\"", contract_number(f.contract), "0", "true",
                                '[' + json_quote(f.contract) + ']', "{}"};
  with_value(f, "Contract", pick_one(values, rng), out);
}

void unknown_app(const HitFields& f, Rng& rng, std::string& out) {
  static constexpr std::string_view kValues[] = {
      "\"NETFLIX\"", "\"YOUTUBE\"", "\"KPLUS2\"", "\"CHANNEL_X\"", "\"\"", "\"   \"", "3", "false", "[\"KPLUS\"]"};
  with_value(f, "AppName", pick_one(kValues, rng), out);
}

void bad_duration(const HitFields& f, Rng& rng, std::string& out) {
  const std::string d = std::to_string(std::max<std::uint32_t>(f.duration, 3));
  const std::string values[] = {"-" + d,
                                d + ".5",
                                "0.25",
                                '"' + d + '"',
                                "true",
                                "false",
                                "1e19",
                                "9223372036854775808",  // 2^63: one past the largest int64
                                "18446744073709551616", // 2^64: past any 64-bit integer
                                "-1e2",
                                "[" + d + "]",
                                "{}"};
  with_value(f, "TotalDuration", pick_one(values, rng), out);
}

constexpr std::array<DirtyKind, 23> kDirtyKinds = {{
    {"truncated", Reason::MalformedJson, 6, truncated},
    {"trailing_comma", Reason::MalformedJson, 3, trailing_comma},
    {"nan_or_infinity", Reason::MalformedJson, 3, nan_or_infinity},
    {"single_quotes", Reason::MalformedJson, 2, single_quotes},
    {"comment", Reason::MalformedJson, 2, comment},
    {"control_char", Reason::MalformedJson, 3, control_char},
    {"invalid_utf8", Reason::MalformedJson, 3, invalid_utf8},
    {"trailing_garbage", Reason::MalformedJson, 3, trailing_garbage},
    {"bad_number_syntax", Reason::MalformedJson, 2, bad_number_syntax},
    {"bad_escape", Reason::MalformedJson, 2, bad_escape},
    {"unquoted_key", Reason::MalformedJson, 1, unquoted_key},
    {"array_root", Reason::NotObject, 4, array_root},
    {"number_root", Reason::NotObject, 2, number_root},
    {"string_root", Reason::NotObject, 2, string_root},
    {"literal_root", Reason::NotObject, 2, literal_root},
    {"no_source", Reason::MissingField, 4, no_source},
    {"bad_source", Reason::MissingField, 3, bad_source},
    {"contract_missing", Reason::MissingField, 4, contract_missing},
    {"app_missing", Reason::MissingField, 4, app_missing},
    {"duration_missing", Reason::MissingField, 4, duration_missing},
    {"bad_contract", Reason::BadContract, 12, bad_contract},
    {"unknown_app", Reason::UnknownApp, 12, unknown_app},
    {"bad_duration", Reason::BadDuration, 12, bad_duration},
}};

} // namespace

std::span<const DirtyKind> dirty_kinds() { return kDirtyKinds; }

const DirtyKind& append_dirty_line(const HitFields& f, Rng& rng, std::string& out) {
  const DirtyKind& kind = pick_weighted(dirty_kinds(), rng);
  kind.make(f, rng, out);
  return kind;
}

std::string_view draw_blank_line(Rng& rng) {
  static constexpr std::string_view kBlanks[] = {"", "", " ", "   ", "\t", "\r", " \t\r"};
  return pick_one(kBlanks, rng);
}

} // namespace bda
