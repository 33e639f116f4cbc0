#include "bda/report/fixed2.hpp"

#include "bda/core/error.hpp"

#include <cstddef>

namespace bda::report {

Fixed2 Fixed2::parse(std::string_view text) {
  constexpr std::size_t kMaxIntegerDigits = 16; // hundredths stay below 2^63
  const auto bad = [&] { return Error("'" + std::string(text) + "' is not a non-negative decimal with 2 places"); };
  const std::size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction = point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  if (whole.empty() || whole.size() > kMaxIntegerDigits || fraction.size() > 2 ||
      (point != std::string_view::npos && fraction.empty()))
    throw bad();
  std::int64_t value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') throw bad();
    value = value * 10 + (c - '0');
  }
  for (std::size_t i = 0; i < 2; ++i) {
    const char c = i < fraction.size() ? fraction[i] : '0';
    if (c < '0' || c > '9') throw bad();
    value = value * 10 + (c - '0');
  }
  return Fixed2{value};
}

} // namespace bda::report
