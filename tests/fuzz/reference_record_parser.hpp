// An independent, deliberately plain reading of SPEC §2 for the differential fuzzer: a strict
// RFC 8259 recursive-descent parser of its own (no simdjson, no nlohmann, no json_number.cpp).
#pragma once

#include "bda/model/reject_reason.hpp"
#include "bda/model/category.hpp"
#include "bda/model/category_mapping.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace bda::fuzz {

//! What SPEC §2 says of one line: blank, rejected with a reason, or a record.
struct ReferenceOutcome {
  enum class Kind : std::uint8_t { Record, Blank, Rejected };
  Kind kind = Kind::Blank;
  RejectReason reason = RejectReason::MalformedJson; //!< when kind == Rejected
  std::string contract;                              //!< decoded bytes, when kind == Record
  Category category = Category::Child;               //!< when kind == Record
  std::int64_t duration = 0;                         //!< when kind == Record
};

//! Longest line the reference decides. Its exact-integer rule relies on digit counts far below
//! the exponents it clamps (see reference_record_parser.cpp).
inline constexpr std::size_t kReferenceMaxLine = std::size_t{1} << 20;

//! The SPEC §2 verdict on `line` (without its '\n'); `line.size()` must not exceed kReferenceMaxLine.
ReferenceOutcome reference_parse(std::string_view line, const CategoryMapping& mapping);

} // namespace bda::fuzz
