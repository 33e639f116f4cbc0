#include "fuzz/reference_record_parser.hpp"

#include <optional>

namespace bda::fuzz {
namespace {

constexpr std::size_t kMaxLevels = 1024;       // SPEC §2: root object = level 1
constexpr std::size_t kMaxContractBytes = 1024; // SPEC §2: once decoded
constexpr std::string_view kMaxInt64 = "9223372036854775807";

//! A _source field as the reference saw it: its JSON type and its decoded string or number token.
struct Value {
  enum class Type : std::uint8_t { Absent, Null, String, Number, Other };
  Type type = Type::Absent;
  std::string text;
};

enum Slot : std::size_t { kContract, kAppName, kDuration, kSlots };

std::size_t slot_of(const std::string& key) {
  if (key == "Contract") return kContract;
  if (key == "AppName") return kAppName;
  if (key == "TotalDuration") return kDuration;
  return kSlots;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

//! Strict RFC 8259 reader of one line that keeps the root's first "_source" object's first
//! Contract, AppName and TotalDuration.
class Reader {
public:
  explicit Reader(std::string_view s) : s_(s) {}

  //! False when the line is not exactly one JSON value (with optional whitespace around it).
  bool document() {
    ws();
    if (!value(0, nullptr, /*is_root=*/true, /*is_source=*/false)) return false;
    ws();
    return i_ == s_.size();
  }

  bool root_is_object = false;
  Value fields[kSlots];

private:
  bool at_end() const { return i_ >= s_.size(); }
  unsigned char peek() const { return static_cast<unsigned char>(s_[i_]); }

  void ws() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++i_;
  }

  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  // `parent_level`: levels of the containers around this value (0 for the root).
  bool value(std::size_t parent_level, Value* capture, bool is_root, bool is_source) {
    if (at_end()) return false;
    Value v;
    switch (peek()) {
    case '{':
      if (parent_level + 1 > kMaxLevels) return false;
      if (is_root) root_is_object = true;
      if (!object(parent_level + 1, is_root, is_source)) return false;
      v.type = Value::Type::Other;
      break;
    case '[':
      if (parent_level + 1 > kMaxLevels) return false;
      if (!array(parent_level + 1)) return false;
      v.type = Value::Type::Other;
      break;
    case '"':
      if (!string(v.text)) return false;
      v.type = Value::Type::String;
      break;
    case 't':
    case 'f':
      if (!literal("true") && !literal("false")) return false;
      v.type = Value::Type::Other;
      break;
    case 'n':
      if (!literal("null")) return false;
      v.type = Value::Type::Null;
      break;
    default:
      if (!number(v.text)) return false;
      v.type = Value::Type::Number;
      break;
    }
    if (capture) *capture = std::move(v);
    return true;
  }

  bool object(std::size_t level, bool is_root, bool is_source) {
    ++i_; // '{'
    ws();
    if (!at_end() && peek() == '}') return ++i_, true;
    for (;;) {
      ws();
      std::string key;
      if (at_end() || peek() != '"' || !string(key)) return false;
      ws();
      if (at_end() || peek() != ':') return false;
      ++i_;
      ws();
      const bool child_is_source = is_root && !source_seen_ && key == "_source";
      if (child_is_source) source_seen_ = true;
      Value* capture = nullptr;
      if (is_source) {
        const std::size_t slot = slot_of(key);
        if (slot < kSlots && !field_seen_[slot]) { // the first duplicate wins
          field_seen_[slot] = true;
          capture = &fields[slot];
        }
      }
      if (!value(level, capture, false, child_is_source)) return false;
      ws();
      if (at_end()) return false;
      if (peek() == '}') return ++i_, true;
      if (peek() != ',') return false;
      ++i_;
    }
  }

  bool array(std::size_t level) {
    ++i_; // '['
    ws();
    if (!at_end() && peek() == ']') return ++i_, true;
    for (;;) {
      ws();
      if (!value(level, nullptr, false, false)) return false;
      ws();
      if (at_end()) return false;
      if (peek() == ']') return ++i_, true;
      if (peek() != ',') return false;
      ++i_;
    }
  }

  bool hex4(std::uint32_t& cp) {
    if (s_.size() - i_ < 4) return false;
    cp = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      std::uint32_t d = 0;
      if (c >= '0' && c <= '9') d = static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') d = static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') d = static_cast<std::uint32_t>(c - 'A' + 10);
      else return false;
      cp = cp * 16 + d;
    }
    return true;
  }

  bool escape(std::string& out) {
    if (at_end()) return false;
    const char c = s_[i_++];
    switch (c) {
    case '"': out += '"'; return true;
    case '\\': out += '\\'; return true;
    case '/': out += '/'; return true;
    case 'b': out += '\b'; return true;
    case 'f': out += '\f'; return true;
    case 'n': out += '\n'; return true;
    case 'r': out += '\r'; return true;
    case 't': out += '\t'; return true;
    case 'u': break;
    default: return false;
    }
    std::uint32_t cp = 0;
    if (!hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false; // a low surrogate without its high one
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      std::uint32_t low = 0;
      if (s_.substr(i_, 2) != "\\u") return false;
      i_ += 2;
      if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, cp);
    return true;
  }

  // One UTF-8 encoded character (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
  bool utf8(std::string& out) {
    const unsigned char b0 = peek();
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF; // range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) length = 2;
    else if (b0 >= 0xE0 && b0 <= 0xEF) {
      length = 3;
      if (b0 == 0xE0) low = 0xA0;
      if (b0 == 0xED) high = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      length = 4;
      if (b0 == 0xF0) low = 0x90;
      if (b0 == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (s_.size() - i_ < length) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto b = static_cast<unsigned char>(s_[i_ + k]);
      const unsigned char lo = k == 1 ? low : 0x80, hi = k == 1 ? high : 0xBF;
      if (b < lo || b > hi) return false;
    }
    out.append(s_.substr(i_, length));
    i_ += length;
    return true;
  }

  bool string(std::string& out) {
    ++i_; // '"'
    for (;;) {
      if (at_end()) return false;
      const unsigned char c = peek();
      if (c == '"') return ++i_, true;
      if (c == '\\') {
        ++i_;
        if (!escape(out)) return false;
      } else if (c < 0x20) {
        return false;
      } else if (c < 0x80) {
        out += static_cast<char>(c);
        ++i_;
      } else if (!utf8(out)) {
        return false;
      }
    }
  }

  bool digits() {
    const std::size_t start = i_;
    while (!at_end() && peek() >= '0' && peek() <= '9') ++i_;
    return i_ > start;
  }

  bool number(std::string& token) {
    const std::size_t start = i_;
    if (!at_end() && peek() == '-') ++i_;
    if (at_end()) return false;
    if (peek() == '0') ++i_;
    else if (!digits()) return false;
    if (!at_end() && peek() == '.') {
      ++i_;
      if (!digits()) return false;
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++i_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++i_;
      if (!digits()) return false;
    }
    token.assign(s_.substr(start, i_ - start));
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  bool source_seen_ = false;
  bool field_seen_[kSlots] = {false, false, false};
};

//! The value of a valid JSON number token when it is an integer in [0, 2^63-1], by decimal-string
//! arithmetic: shift the digits by the exponent, then compare with "9223372036854775807".
std::optional<std::int64_t> integral_value(const std::string& token) {
  const bool negative = token[0] == '-';
  const std::size_t int_begin = negative ? 1 : 0;
  const std::size_t e = token.find_first_of("eE");
  const std::string mantissa = token.substr(int_begin, e == std::string::npos ? std::string::npos : e - int_begin);
  const std::size_t point = mantissa.find('.');
  const std::string int_part = mantissa.substr(0, point);
  const std::string frac_part = point == std::string::npos ? "" : mantissa.substr(point + 1);

  std::string digits = int_part + frac_part;
  digits.erase(0, digits.find_first_not_of('0'));
  if (digits.empty()) return 0; // any zero, whatever its sign or exponent
  if (negative) return std::nullopt;

  long long exponent = 0;
  if (e != std::string::npos) {
    std::string exp_text = token.substr(e + 1);
    bool exp_negative = false;
    if (exp_text[0] == '+' || exp_text[0] == '-') {
      exp_negative = exp_text[0] == '-';
      exp_text.erase(0, 1);
    }
    exp_text.erase(0, exp_text.find_first_not_of('0'));
    // |exponent| >= 10^9 dwarfs the digits of any line this reference takes (kReferenceMaxLine):
    // a non-zero value is then far above 2^63-1, or a fraction.
    if (exp_text.size() > 9) return std::nullopt;
    if (!exp_text.empty()) exponent = std::stoll(exp_text);
    if (exp_negative) exponent = -exponent;
  }
  const long long shift = exponent - static_cast<long long>(frac_part.size());
  if (shift >= 0) {
    if (static_cast<long long>(digits.size()) + shift > 19) return std::nullopt;
    digits.append(static_cast<std::size_t>(shift), '0');
  } else {
    const auto cut = static_cast<std::size_t>(-shift);
    if (cut >= digits.size()) return std::nullopt; // digits[0] is not zero: a fraction
    if (digits.find_first_not_of('0', digits.size() - cut) != std::string::npos) return std::nullopt;
    digits.resize(digits.size() - cut);
  }
  if (digits.size() > kMaxInt64.size() || (digits.size() == kMaxInt64.size() && digits > kMaxInt64))
    return std::nullopt;
  return std::stoll(digits);
}

ReferenceOutcome rejected(RejectReason reason) {
  ReferenceOutcome o;
  o.kind = ReferenceOutcome::Kind::Rejected;
  o.reason = reason;
  return o;
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(std::string_view(" \t\r")) == std::string_view::npos;
}

} // namespace

ReferenceOutcome reference_parse(std::string_view line, const CategoryMapping& mapping) {
  if (is_blank(line)) return ReferenceOutcome{};
  Reader reader(line);
  if (!reader.document()) return rejected(RejectReason::MalformedJson);
  if (!reader.root_is_object) return rejected(RejectReason::NotObject);

  auto missing = [](const Value& v) { return v.type == Value::Type::Absent || v.type == Value::Type::Null; };
  const Value& contract = reader.fields[kContract];
  if (missing(contract)) return rejected(RejectReason::MissingField);
  if (contract.type != Value::Type::String || contract.text.empty() || contract.text == "0" ||
      contract.text.size() > kMaxContractBytes)
    return rejected(RejectReason::BadContract);

  const Value& app = reader.fields[kAppName];
  if (missing(app)) return rejected(RejectReason::MissingField);
  if (app.type != Value::Type::String) return rejected(RejectReason::UnknownApp);
  const std::optional<Category> category = mapping.lookup(app.text);
  if (!category) return rejected(RejectReason::UnknownApp);

  const Value& duration = reader.fields[kDuration];
  if (missing(duration)) return rejected(RejectReason::MissingField);
  if (duration.type != Value::Type::Number) return rejected(RejectReason::BadDuration);
  const std::optional<std::int64_t> value = integral_value(duration.text);
  if (!value) return rejected(RejectReason::BadDuration);

  ReferenceOutcome o;
  o.kind = ReferenceOutcome::Kind::Record;
  o.contract = contract.text;
  o.category = *category;
  o.duration = *value;
  return o;
}

} // namespace bda::fuzz
