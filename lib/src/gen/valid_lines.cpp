// The valid-but-unusual line catalogue and the reshaped common form.
#include "bda/gen/valid_lines.hpp"

#include "bda/gen/rng.hpp"
#include "bda/gen/value_model.hpp"

#include <algorithm>
#include <array>

namespace bda {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";
constexpr char kHexLower[] = "0123456789abcdef";

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// `text` as a JSON string with the ASCII character at `pos` written as a \u escape.
std::string quote_with_escape(std::string_view text, std::size_t pos, Rng& rng) {
  const char* hex = rng.below(2) == 0 ? kHexUpper : kHexLower;
  const auto c = static_cast<unsigned char>(text[pos]);
  std::string out = "\"";
  out += text.substr(0, pos);
  out += "\\u00";
  out += hex[c >> 4];
  out += hex[c & 0xF];
  out += text.substr(pos + 1);
  out += '"';
  return out;
}

std::string_view app_name(const HitFields& f) { return kAppMix[f.app].name; }

void render_with(const HitFields& f, std::string_view key, std::string value, std::string& out) {
  HitSpec hit = HitSpec::from(f);
  hit.find_source(key)->value = std::move(value);
  out += hit.render();
}

// --- AppName: matched after trimming ASCII whitespace, ASCII case-insensitively ---

void app_lower_case(const HitFields& f, Rng& rng, std::string& out, CountedAs&) {
  std::string name = ascii_lower(app_name(f));
  if (rng.below(2) == 0) name[0] = app_name(f)[0]; // "Kplus"
  render_with(f, "AppName", json_quote(name), out);
}

void app_padded(const HitFields& f, Rng& rng, std::string& out, CountedAs&) {
  static constexpr std::string_view kPads[][2] = {{" ", " "}, {"  ", ""}, {"\\t", ""}, {"", "\\r\\n"}, {" ", "\\t "}};
  const auto& pad = pick_one(kPads, rng);
  const std::string name = rng.below(2) == 0 ? ascii_lower(app_name(f)) : std::string(app_name(f));
  render_with(f, "AppName", '"' + std::string(pad[0]) + name + std::string(pad[1]) + '"', out);
}

void app_escaped(const HitFields& f, Rng& rng, std::string& out, CountedAs&) {
  const std::string_view name = app_name(f);
  render_with(f, "AppName", quote_with_escape(name, rng.below(static_cast<std::uint32_t>(name.size())), rng), out);
}

// --- TotalDuration: any JSON number with an integral value ---

void duration_decimal(const HitFields& f, Rng& rng, std::string& out, CountedAs&) {
  static constexpr std::string_view kFractions[] = {".0", ".000", ".0e0"};
  render_with(f, "TotalDuration", std::to_string(f.duration) + std::string(pick_one(kFractions, rng)), out);
}

void duration_exponent(const HitFields& f, Rng& rng, std::string& out, CountedAs& counted) {
  const std::string d = std::to_string(f.duration);
  switch (rng.below(4)) {
  case 0: render_with(f, "TotalDuration", (f.duration == 0 ? "0" : d + "0") + "e-1", out); break; // 2540e-1
  case 1: render_with(f, "TotalDuration", d + "E0", out); break;
  case 2: render_with(f, "TotalDuration", d + "e+0", out); break;
  default: { // 1E2: hundreds only, so the value stays integral
    const std::uint32_t hundreds = rng.between(1, 99);
    counted.duration = hundreds * 100;
    render_with(f, "TotalDuration", std::to_string(hundreds) + "E2", out);
  }
  }
}

void duration_negative_zero(const HitFields& f, Rng& rng, std::string& out, CountedAs& counted) {
  static constexpr std::string_view kZeros[] = {"-0", "-0.0", "0e10", "-0E-3"};
  counted.duration = 0;
  render_with(f, "TotalDuration", std::string(pick_one(kZeros, rng)), out);
}

// --- Contract: escapes decoded, nothing trimmed, any bytes ---

void contract_escaped(const HitFields& f, Rng& rng, std::string& out, CountedAs&) {
  // "\u0053GH597377" is SGH597377: the same customer
  render_with(f, "Contract", quote_with_escape(f.contract, rng.below(3), rng), out);
}

// A few odd contracts of the source system, recurring on many days like any customer (a new
// one per line would inflate the distinct contracts with one-day oddities).
void odd_contract(std::span<const std::string_view> odd, Rng& rng, const HitFields& f, std::string& out,
                  CountedAs& counted) {
  counted.contract = odd[rng.below(static_cast<std::uint32_t>(odd.size()))];
  render_with(f, "Contract", json_quote(counted.contract), out);
}

void contract_with_comma(const HitFields& f, Rng& rng, std::string& out, CountedAs& counted) {
  static constexpr std::string_view kOdd[] = {"SGH,597377", "HNH,579912", "DNH, 1"};
  odd_contract(kOdd, rng, f, out, counted);
}
void contract_with_quote(const HitFields& f, Rng& rng, std::string& out, CountedAs& counted) {
  static constexpr std::string_view kOdd[] = {"SGH\"597377", "HNH579912\"", "\"DNH123456\""};
  odd_contract(kOdd, rng, f, out, counted);
}
void contract_with_newline(const HitFields& f, Rng& rng, std::string& out, CountedAs& counted) {
  static constexpr std::string_view kOdd[] = {"SGH\n597377", "HNH579912\n", "DNH\r\n123456"};
  odd_contract(kOdd, rng, f, out, counted);
}

// --- duplicate keys: the first occurrence wins ---

void duplicate_field(const HitFields& f, Rng& rng, std::string& out, CountedAs&) {
  static constexpr std::string_view kDuplicates[][2] = {
      {"Contract", "\"\""}, {"AppName", "\"NETFLIX\""}, {"TotalDuration", "\"oops\""}, {"TotalDuration", "-1"}};
  const auto& dup = pick_one(kDuplicates, rng);
  HitSpec hit = HitSpec::from(f);
  hit.source.push_back({std::string(dup[0]), std::string(dup[1])});
  out += hit.render();
}

void duplicate_source(const HitFields& f, Rng& rng, std::string& out, CountedAs&) {
  static constexpr std::string_view kSecond[] = {"null", "{}", "{\"Contract\":\"0\"}", "[]"};
  HitSpec hit = HitSpec::from(f);
  hit.root.push_back({"_source", std::string(pick_one(kSecond, rng))});
  out += hit.render();
}

// --- JSON that is merely unusual ---

void spaced(const HitFields& f, Rng& rng, std::string& out, CountedAs&) {
  static constexpr std::string_view kLeading[] = {"", " ", "\t"};
  static constexpr std::string_view kTrailing[] = {"", " ", "\t "};
  out += pick_one(kLeading, rng);
  out += HitSpec::from(f).render(/*spaced=*/true);
  out += pick_one(kTrailing, rng);
}

void unicode_in_ignored(const HitFields& f, Rng& rng, std::string& out, CountedAs&) {
  // An escaped o-umlaut, the raw UTF-8 one, a raw emoji, an escaped surrogate pair.
  static constexpr std::string_view kIndexes[] = {"\"hist\\u00f6ry\"", "\"hist\xc3\xb6ry\"",
                                                  "\"history\xf0\x9f\x93\xba\"", "\"history\\ud83d\\udcfa\""};
  HitSpec hit = HitSpec::from(f);
  hit.find_root("_index")->value = pick_one(kIndexes, rng);
  out += hit.render();
}

void big_ignored_number(const HitFields& f, Rng& rng, std::string& out, CountedAs&) {
  // Beyond 64 bits but legal JSON; a reader must not reject the line for a number it ignores.
  static constexpr std::string_view kNumbers[] = {"123456789012345678901234567890", "-98765432109876543210",
                                                  "1.5e300"};
  HitSpec hit = HitSpec::from(f);
  hit.find_root("_score")->value = pick_one(kNumbers, rng);
  out += hit.render();
}

constexpr std::array<TrickyKind, 15> kTrickyKinds = {{
    {"app_lower_case", 3, app_lower_case},
    {"app_padded", 3, app_padded},
    {"app_escaped", 1, app_escaped},
    {"duration_decimal", 2, duration_decimal},
    {"duration_exponent", 2, duration_exponent},
    {"duration_negative_zero", 1, duration_negative_zero},
    {"contract_escaped", 2, contract_escaped},
    {"contract_with_comma", 1, contract_with_comma},
    {"contract_with_quote", 1, contract_with_quote},
    {"contract_with_newline", 1, contract_with_newline},
    {"duplicate_field", 2, duplicate_field},
    {"duplicate_source", 1, duplicate_source},
    {"spaced", 2, spaced},
    {"unicode_in_ignored", 1, unicode_in_ignored},
    {"big_ignored_number", 1, big_ignored_number},
}};

// Keys the real export sometimes carries; a reader must ignore them (keys are case-sensitive).
constexpr std::string_view kExtraRootKeys[][2] = {
    {"_routing", "\"kplus\""}, {"_version", "1"}, {"sort", "[1648771200000,0]"}, {"found", "true"}, {"fields", "null"}};
constexpr std::string_view kExtraSourceKeys[][2] = {{"Device", "\"ANDROID_TV\""},
                                                    {"Meta", "{\"os\":\"android\",\"tags\":[\"4k\",\"hdr\"]}"},
                                                    {"totalduration", "\"n/a\""},
                                                    {"contract", "null"},
                                                    {"Session", "[]"}};

} // namespace

std::span<const TrickyKind> tricky_kinds() { return kTrickyKinds; }

const TrickyKind& append_tricky_hit(const HitFields& f, Rng& rng, std::string& out, CountedAs& counted) {
  const TrickyKind& kind = pick_weighted(tricky_kinds(), rng);
  kind.make(f, rng, out, counted);
  return kind;
}

void append_reshaped_hit(const HitFields& f, bool reorder, bool extra_keys, Rng& rng, std::string& out) {
  HitSpec hit = HitSpec::from(f);
  if (extra_keys) {
    const auto& root_key = pick_one(kExtraRootKeys, rng);
    hit.root.insert(hit.root.begin() + rng.below(static_cast<std::uint32_t>(hit.root.size() + 1)),
                    {std::string(root_key[0]), std::string(root_key[1])});
    const auto& source_key = pick_one(kExtraSourceKeys, rng);
    hit.source.insert(hit.source.begin() + rng.below(static_cast<std::uint32_t>(hit.source.size() + 1)),
                      {std::string(source_key[0]), std::string(source_key[1])});
  }
  if (reorder) {
    switch (rng.below(3)) {
    case 0: { // _source first
      auto source = std::find_if(hit.root.begin(), hit.root.end(), [](const JsonMember& m) { return m.key == "_source"; });
      std::rotate(hit.root.begin(), source, source + 1);
      break;
    }
    case 1: shuffle_in_place(hit.source, rng); break;
    default:
      shuffle_in_place(hit.root, rng);
      shuffle_in_place(hit.source, rng);
      break;
    }
  }
  out += hit.render();
}

} // namespace bda
