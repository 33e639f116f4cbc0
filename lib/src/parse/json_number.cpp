#include "bda/parse/json_number.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace bda {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr std::uint64_t kMaxValue = 9223372036854775807ULL; // 2^63 - 1
constexpr int kMaxDigits = 19;            // 2^63 - 1 has 19 digits
constexpr std::int64_t kExponentLimit = std::int64_t{1} << 61; // saturation; no overflow in the scale sums

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
  if (!is_json_number(s)) return std::nullopt;
  // JSON grammar: -? int frac? exp?; value = digits x 10^(exponent - fraction digits).
  const bool negative = s[0] == '-';
  const std::size_t mantissa_begin = negative ? 1 : 0;
  const std::size_t exp_pos = s.find_first_of("eE");
  const std::string_view mantissa =
      s.substr(mantissa_begin, exp_pos == std::string_view::npos ? s.npos : exp_pos - mantissa_begin);
  const std::size_t point = mantissa.find('.');
  const std::int64_t fraction_digits =
      point == std::string_view::npos ? 0 : static_cast<std::int64_t>(mantissa.size() - point - 1);

  // The exponent saturates at +-kExponentLimit: digits are bounded by the line length (far below it),
  // so a saturated exponent leaves a value either far above 2^63-1 or with a fraction, as the true one.
  std::int64_t exponent = 0;
  if (exp_pos != std::string_view::npos) {
    std::size_t i = exp_pos + 1;
    bool exp_negative = false;
    if (s[i] == '+' || s[i] == '-') exp_negative = s[i++] == '-';
    for (; i < s.size(); ++i) {
      const int digit = s[i] - '0';
      exponent = exponent > kExponentLimit / 10 ? kExponentLimit : std::min(kExponentLimit, exponent * 10 + digit);
    }
    if (exp_negative) exponent = -exponent;
  }

  // Significant digits: from the first non-zero to the last non-zero, skipping the point.
  const std::size_t first = mantissa.find_first_not_of("0.");
  if (first == std::string_view::npos) return 0; // zero, also "-0", "0.000", "0e5"
  if (negative) return std::nullopt;
  const std::size_t last = mantissa.find_last_not_of("0.");
  // The mantissa's digits read as one integer are significant x 10^trailing_zeros.
  std::int64_t trailing_zeros = 0;
  for (std::size_t k = last + 1; k < mantissa.size(); ++k)
    if (mantissa[k] == '0') ++trailing_zeros;
  const std::int64_t scale = exponent - fraction_digits + trailing_zeros;
  if (scale < 0) return std::nullopt; // a fraction remains
  std::int64_t significant_digits = static_cast<std::int64_t>(last - first + 1);
  if (point != std::string_view::npos && first < point && point < last) --significant_digits;
  if (significant_digits + scale > kMaxDigits) return std::nullopt;
  std::uint64_t value = 0;
  for (std::size_t k = first; k <= last; ++k)
    if (mantissa[k] != '.') value = value * 10 + static_cast<std::uint64_t>(mantissa[k] - '0');
  for (std::int64_t k = 0; k < scale; ++k) {
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
        out += token[0] == '-' ? "-1e300" : "1e300"; // still a number, of the same sign
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
