// Formatting of Elasticsearch hits: the fast common form and the editable HitSpec.
#include "bda/gen/hit_text.hpp"

#include "bda/gen/rng.hpp"
#include "bda/gen/value_model.hpp"

#include <algorithm>
#include <charconv>

namespace bda {
namespace {

constexpr char kIdAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kIdPrefix = "AX"; // time-based ids of one export share their first chars
constexpr std::string_view kIndex = "history";
constexpr std::size_t kMaxDigits = 20;

void append_uint(std::string& out, std::uint64_t v) {
  char digits[kMaxDigits];
  auto end = std::to_chars(digits, digits + kMaxDigits, v).ptr;
  out.append(digits, end);
}

template <typename Members>
auto find_member(Members& members, std::string_view key) -> decltype(&members.front()) {
  auto it = std::find_if(members.begin(), members.end(), [&](const JsonMember& m) { return m.key == key; });
  return it == members.end() ? nullptr : &*it;
}

void erase_member(std::vector<JsonMember>& members, std::string_view key) {
  std::erase_if(members, [&](const JsonMember& m) { return m.key == key; });
}

void render_object(std::string& out, const std::vector<JsonMember>& members, bool spaced,
                   const std::vector<JsonMember>* source) {
  out += '{';
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) out += spaced ? ", " : ",";
    out += '"';
    out += members[i].key;
    out += spaced ? "\": " : "\":";
    if (source && members[i].key == "_source" && members[i].value.empty())
      render_object(out, *source, spaced, nullptr);
    else
      out += members[i].value;
  }
  out += '}';
}

} // namespace

void draw_hit_id(Rng& rng, std::array<char, HitFields::kIdLength>& id) {
  std::copy(kIdPrefix.begin(), kIdPrefix.end(), id.begin());
  std::uint64_t bits = rng.next();
  int left = 64;
  for (std::size_t i = kIdPrefix.size(); i < id.size(); ++i) {
    if (left < 6) {
      bits = rng.next();
      left = 64;
    }
    id[i] = kIdAlphabet[bits & 63];
    bits >>= 6;
    left -= 6;
  }
}

void append_plain_hit(std::string& out, const HitFields& f) {
  const AppShare& app = kAppMix[f.app];
  out += R"({"_index":"history","_type":")";
  out += app.type;
  out += R"(","_id":")";
  out += f.id_view();
  out += R"(","_score":0,"_source":{"Contract":")";
  out += f.contract;
  out += R"(","Mac":")";
  out += f.mac;
  out += R"(","AppName":")";
  out += app.name;
  out += R"(","TotalDuration":)";
  append_uint(out, f.duration);
  out += "}}";
}

HitSpec HitSpec::from(const HitFields& f) {
  const AppShare& app = kAppMix[f.app];
  HitSpec h;
  h.root = {{"_index", json_quote(kIndex)},
            {"_type", json_quote(app.type)},
            {"_id", json_quote(f.id_view())},
            {"_score", "0"},
            {"_source", ""}};
  h.source = {{"Contract", json_quote(f.contract)},
              {"Mac", json_quote(f.mac)},
              {"AppName", json_quote(app.name)},
              {"TotalDuration", std::to_string(f.duration)}};
  return h;
}

JsonMember* HitSpec::find_root(std::string_view key) { return find_member(root, key); }
JsonMember* HitSpec::find_source(std::string_view key) { return find_member(source, key); }
void HitSpec::erase_root(std::string_view key) { erase_member(root, key); }
void HitSpec::erase_source(std::string_view key) { erase_member(source, key); }

std::string HitSpec::render(bool spaced) const {
  std::string out;
  render_object(out, root, spaced, &source);
  return out;
}

std::string json_quote(std::string_view raw) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() + 2);
  out += '"';
  for (char c : raw) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

} // namespace bda
