#include "bda/parse/json_number.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace bda {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr std::uint64_t kMaxValue = 9223372036854775807ULL; // 2^63 - 1
constexpr long kExponentCap = 100000; // far beyond any value that matters; avoids overflow

} // namespace

bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size() || !is_digit(s[i])) return false;
  if (s[i] == '0') ++i;
  else
    while (i < s.size() && is_digit(s[i])) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i >= s.size() || !is_digit(s[i])) return false;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= s.size() || !is_digit(s[i])) return false;
    while (i < s.size() && is_digit(s[i])) ++i;
  }
  return i == s.size();
}

std::optional<std::int64_t> exact_nonnegative_integer(std::string_view s) {
  std::size_t i = 0;
  const bool negative = i < s.size() && s[i] == '-';
  if (negative) ++i;
  // JSON grammar: int = 0 | [1-9][0-9]*; frac = . [0-9]+; exp = [eE] [+-]? [0-9]+
  std::string digits; // significant digits of integer and fraction parts
  long fraction_digits = 0;
  if (i >= s.size() || !is_digit(s[i])) return std::nullopt;
  if (s[i] == '0') {
    ++i;
  } else {
    while (i < s.size() && is_digit(s[i])) digits += s[i++];
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (i >= s.size() || !is_digit(s[i])) return std::nullopt;
    while (i < s.size() && is_digit(s[i])) {
      digits += s[i++];
      ++fraction_digits;
    }
  }
  long exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
    if (i >= s.size() || !is_digit(s[i])) return std::nullopt;
    while (i < s.size() && is_digit(s[i])) {
      if (exponent < kExponentCap) exponent = exponent * 10 + (s[i] - '0');
      ++i;
    }
    if (exp_negative) exponent = -exponent;
  }
  if (i != s.size()) return std::nullopt;

  // value = digits x 10^(exponent - fraction_digits); normalise away leading and trailing zeros.
  std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 0; // zero, also "-0", "0.000", "0e5"
  if (negative) return std::nullopt;
  std::size_t last = digits.find_last_not_of('0');
  long scale = exponent - fraction_digits + static_cast<long>(digits.size() - 1 - last);
  std::string_view significant(digits.data() + first, last - first + 1);
  if (scale < 0) return std::nullopt;                               // a fraction remains
  if (static_cast<long>(significant.size()) + scale > 19) return std::nullopt; // > 19 digits
  std::uint64_t value = 0;
  for (char c : significant) value = value * 10 + static_cast<std::uint64_t>(c - '0');
  for (long k = 0; k < scale; ++k) {
    if (value > kMaxValue / 10) return std::nullopt;
    value *= 10;
  }
  if (value > kMaxValue) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

bool replace_overflowing_numbers(std::string_view json, std::string& out) {
  out.clear();
  bool replaced = false, in_string = false;
  std::string token;
  for (std::size_t i = 0; i < json.size();) {
    const char c = json[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < json.size()) out += json[++i];
      else if (c == '"') in_string = false;
      ++i;
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      ++i;
      continue;
    }
    if (c == '-' || is_digit(c)) {
      std::size_t end = i;
      while (end < json.size() && (is_digit(json[end]) || json[end] == '-' || json[end] == '+' || json[end] == '.' ||
                                   json[end] == 'e' || json[end] == 'E'))
        ++end;
      token.assign(json.substr(i, end - i));
      errno = 0;
      const double v = std::strtod(token.c_str(), nullptr);
      if (is_json_number(token) && std::isinf(v)) { // an invalid token stays, to be refused
        out += "\"number beyond the double range\"";
        replaced = true;
      } else {
        out += token;
      }
      i = end;
      continue;
    }
    out += c;
    ++i;
  }
  return replaced;
}

} // namespace bda
