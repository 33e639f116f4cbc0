// A non-negative decimal with exactly two places (a DECIMAL(n, 2) of the views), kept exact.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace bda::report {

struct Fixed2 {
  std::int64_t hundredths = 0;

  //! Parses SQL DECIMAL text such as "1234.5", "1234.56" or "7"; throws bda::Error on anything else
  //! (a sign, a third decimal, more than 18 integer digits).
  static Fixed2 parse(std::string_view text);
  double to_double() const { return static_cast<double>(hundredths) / 100.0; }
  auto operator<=>(const Fixed2&) const = default;
};

} // namespace bda::report
