// Exact reading of JSON number text: TotalDuration's integrality is decided on the decimal
// number as written (SPEC §2), never on a double rounded from it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bda {

//! True when `text` is exactly one JSON number token (RFC 8259 grammar).
bool is_json_number(std::string_view text);

//! The value of a JSON number token when it is an integer in [0, 2^63-1] ("254", "254.0",
//! "2540e-1", "1E2", "-0", "9223372036854775807.0"), however long its digits or exponent; nullopt
//! when it is fractional, negative, too large, or not a JSON number.
std::optional<std::int64_t> exact_nonnegative_integer(std::string_view number);

//! Copies `json`, replacing every number token outside strings whose magnitude exceeds the double
//! range (e.g. 1e400) with a finite number token of the same sign (1e300, -1e300). RFC 8259 allows
//! such numbers; parsers that read numbers as doubles refuse them, so this lets them validate the
//! rest of the line. A number stays a number: a number used as a key stays invalid, and a field
//! keeps the reason a number has there. Returns false when nothing needed replacing (and leaves
//! `out` unspecified).
bool replace_overflowing_numbers(std::string_view json, std::string& out);

} // namespace bda
