// The three _source fields as a parser saw them: shared by the plain-line, simdjson and nlohmann paths,
// so that one classify() applies the SPEC §2 rules to all of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace bda::parse_detail {

struct Field {
  // Decimal: a number that is not a plain int64 (a fraction or an exponent); `text` holds its token.
  enum class Type : std::uint8_t { Absent, Null, String, Int, Uint, Decimal, Other };
  Type type = Type::Absent;
  std::string_view text;
  std::int64_t i = 0;
  static Field of(Type t) {
    Field f;
    f.type = t;
    return f;
  }
};

enum FieldSlot : std::size_t { kContract = 0, kAppName = 1, kDuration = 2, kFieldCount = 3 };

// Fixed-size compares after a length switch: these run for every key of every line.
inline std::size_t slot_of(std::string_view key) {
  switch (key.size()) {
  case 8: return std::memcmp(key.data(), "Contract", 8) == 0 ? kContract : kFieldCount;
  case 7: return std::memcmp(key.data(), "AppName", 7) == 0 ? kAppName : kFieldCount;
  case 13: return std::memcmp(key.data(), "TotalDuration", 13) == 0 ? kDuration : kFieldCount;
  default: return kFieldCount;
  }
}

} // namespace bda::parse_detail
