#include "plain_line_parser.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstdint>
#include <cstring>

namespace bda::parse_detail {
namespace {

// Deeper lines are rare and go to the general paths, which also apply the SPEC's nesting limit.
constexpr int kMaxDepth = 32;
// Up to 18 digits an integer cannot overflow int64; longer ones go to the general paths.
constexpr int kMaxDigits = 18;

enum class Role : std::uint8_t { Root, Source, Other };

//! The closing quote of a plain string whose text starts at `p`, or null: a backslash, a control
//! character or any non-ASCII byte (which would need UTF-8 validation) leaves the line undecided.
const char* plain_string_end(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
  for (const char* at = p; at < end; at += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at)); // the padding makes this readable
    // Signed bytes: every byte >= 0x80 compares below 0x20 too.
    const __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                      _mm_cmplt_epi8(v, space));
    if (const int mask = _mm_movemask_epi8(stop)) {
      const char* hit = at + __builtin_ctz(static_cast<unsigned>(mask));
      return hit < end && *hit == '"' ? hit : nullptr;
    }
  }
  return nullptr;
#else
  for (const char* at = p; at < end; ++at) {
    const auto c = static_cast<unsigned char>(*at);
    if (c == '"') return at;
    if (c == '\\' || c < 0x20 || c >= 0x80) return nullptr;
  }
  return nullptr;
#endif
}

//! An integer token at `p` (advanced past it). Integers only: a fraction or an exponent is left to
//! the general paths, as are -0 and anything that could overflow.
bool plain_integer(const char*& p, const char* end, std::int64_t& out) {
  const bool negative = p < end && *p == '-';
  if (negative) ++p;
  if (p >= end) return false;
  std::int64_t value = 0;
  if (*p == '0') {
    ++p;
  } else if (*p >= '1' && *p <= '9') {
    int digits = 0;
    while (p < end && *p >= '0' && *p <= '9') {
      if (++digits > kMaxDigits) return false;
      value = value * 10 + (*p++ - '0');
    }
  } else {
    return false;
  }
  if (p < end && (*p == '.' || *p == 'e' || *p == 'E')) return false;
  if (negative && value == 0) return false;
  out = negative ? -value : value;
  return true;
}

//! The export's own line, piece by piece: fixed key text between plain strings and integers.
//! A line of exactly this shape is valid JSON whose fields are unique, so nothing else need be checked.
class ExportShape {
public:
  ExportShape(std::string_view line) : p_(line.data()), end_(line.data() + line.size()) {}
  ExportShape(const char* p, const char* end) : p_(p), end_(end) {}

  //! With `to_newline`, the line ends at the first '\n' after the object (or at end_), which none
  //! of the pieces can hold: the fixed texts have none, plain strings stop at any control byte.
  bool match(Field (&fields)[kFieldCount], bool to_newline = false) {
    std::int64_t score = 0;
    if (!(text("{\"_index\":\"") && string() && text("\",\"_type\":\"") && string() && text("\",\"_id\":\"") &&
          string() && text("\",\"_score\":") && integer(score) && text(",\"_source\":{\"Contract\":\"") &&
          string(&fields[kContract]) && text("\",\"Mac\":\"") && string() && text("\",\"AppName\":\"") &&
          string(&fields[kAppName]) && text("\",\"TotalDuration\":") && integer(fields[kDuration].i) && text("}}")))
      return false;
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r')) ++p_;
    if (p_ != end_ && !(to_newline && *p_ == '\n')) return false;
    fields[kDuration].type = Field::Type::Int;
    return true;
  }
  const char* position() const { return p_; }

private:
  template <std::size_t N>
  bool text(const char (&s)[N]) {
    constexpr std::size_t n = N - 1;
    if (static_cast<std::size_t>(end_ - p_) < n) return false;
    // Word compares against the constant text fold into immediates (a memcmp call per piece otherwise).
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      std::uint64_t a, b;
      std::memcpy(&a, p_ + i, 8);
      std::memcpy(&b, s + i, 8);
      if (a != b) return false;
    }
    if (i < n) {
      std::uint64_t a = 0, b = 0;
      std::memcpy(&a, p_ + i, n - i);
      std::memcpy(&b, s + i, n - i);
      if (a != b) return false;
    }
    p_ += n;
    return true;
  }
  // Up to (not past) the closing quote, which the next piece of fixed text begins with.
  bool string(Field* f = nullptr) {
    const char* close = plain_string_end(p_, end_);
    if (!close) return false;
    if (f) {
      f->type = Field::Type::String;
      f->text = {p_, static_cast<std::size_t>(close - p_)};
    }
    p_ = close;
    return true;
  }
  bool integer(std::int64_t& out) { return plain_integer(p_, end_, out); }

  const char* p_;
  const char* const end_;
};

class PlainLine {
public:
  PlainLine(std::string_view line, Field (&fields)[kFieldCount])
      : p_(line.data()), end_(line.data() + line.size()), fields_(fields) {}

  bool run() {
    skip_whitespace();
    if (p_ >= end_ || *p_ != '{') return false; // not an object: the general paths name the reason
    if (!object(1, Role::Root)) return false;
    skip_whitespace();
    return p_ == end_;
  }

private:
  void skip_whitespace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r' || *p_ == '\n')) ++p_;
  }

  // At the opening quote.
  bool string(std::string_view& text) {
    const char* close = plain_string_end(p_ + 1, end_);
    if (!close) return false;
    text = {p_ + 1, static_cast<std::size_t>(close - p_ - 1)};
    p_ = close + 1;
    return true;
  }

  bool number(Field& f) {
    if (!plain_integer(p_, end_, f.i)) return false;
    f.type = Field::Type::Int;
    return true;
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  // One value at the current position; `target` (if any) receives what it was.
  bool value(int depth, Role role_if_object, Field* target) {
    Field f;
    switch (*p_) {
    case '{':
      if (!object(depth + 1, role_if_object)) return false;
      f.type = Field::Type::Other;
      break;
    case '[':
      if (!array(depth + 1)) return false;
      f.type = Field::Type::Other;
      break;
    case '"':
      if (!string(f.text)) return false;
      f.type = Field::Type::String;
      break;
    case 't':
      if (!literal("true")) return false;
      f.type = Field::Type::Other;
      break;
    case 'f':
      if (!literal("false")) return false;
      f.type = Field::Type::Other;
      break;
    case 'n':
      if (!literal("null")) return false;
      f.type = Field::Type::Null;
      break;
    default:
      if (*p_ != '-' && (*p_ < '0' || *p_ > '9')) return false;
      if (!number(f)) return false;
      break;
    }
    if (target) *target = f;
    return true;
  }

  // At '{'. In the root object the first "_source" key's value, if an object, is the Source; in
  // the Source the first of each field counts (as the other paths decide duplicates).
  bool object(int depth, Role role) {
    if (depth > kMaxDepth) return false;
    ++p_;
    skip_whitespace();
    if (p_ < end_ && *p_ == '}') return ++p_, true;
    for (;;) {
      std::string_view key;
      if (p_ >= end_ || *p_ != '"' || !string(key)) return false;
      skip_whitespace();
      if (p_ >= end_ || *p_ != ':') return false;
      ++p_;
      skip_whitespace();
      if (p_ >= end_) return false;
      Role child = Role::Other;
      Field* target = nullptr;
      if (role == Role::Root && !source_seen_ && key == "_source") {
        source_seen_ = true;
        child = Role::Source;
      } else if (role == Role::Source) {
        const std::size_t slot = slot_of(key);
        if (slot < kFieldCount && fields_[slot].type == Field::Type::Absent) target = &fields_[slot];
      }
      if (!value(depth, child, target)) return false;
      skip_whitespace();
      if (p_ >= end_) return false;
      if (*p_ == '}') return ++p_, true;
      if (*p_ != ',') return false;
      ++p_;
      skip_whitespace();
    }
  }

  bool array(int depth) {
    if (depth > kMaxDepth) return false;
    ++p_;
    skip_whitespace();
    if (p_ < end_ && *p_ == ']') return ++p_, true;
    for (;;) {
      if (p_ >= end_ || !value(depth, Role::Other, nullptr)) return false;
      skip_whitespace();
      if (p_ >= end_) return false;
      if (*p_ == ']') return ++p_, true;
      if (*p_ != ',') return false;
      ++p_;
      skip_whitespace();
    }
  }

  const char* p_;
  const char* const end_;
  Field (&fields_)[kFieldCount];
  bool source_seen_ = false;
};

} // namespace

bool match_export_line(const char* p, const char* end, Field (&fields)[kFieldCount], const char** line_end) {
  ExportShape shape(p, end);
  if (!shape.match(fields, /*to_newline=*/true)) return false;
  *line_end = shape.position();
  return true;
}

bool match_export_line(std::string_view line, Field (&fields)[kFieldCount]) { return ExportShape(line).match(fields); }

bool parse_plain_line(std::string_view line, Field (&fields)[kFieldCount]) { return PlainLine(line, fields).run(); }

} // namespace bda::parse_detail
