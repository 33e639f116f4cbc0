// Why a non-blank line was not counted (SPEC §2); names are stable: summaries and quarantine use them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace bda {

enum class RejectReason : std::uint8_t {
  MalformedJson = 0, //!< not strict RFC 8259 JSON, anywhere in the line
  NotObject,         //!< valid JSON whose root is not an object
  MissingField,      //!< Contract, AppName or TotalDuration absent or null (or _source absent/not an object)
  BadContract,       //!< Contract not a string, empty, or "0"
  UnknownApp,        //!< AppName not a string, or not in the category mapping
  BadDuration,       //!< TotalDuration not an integral JSON number in [0, 2^63-1]
  LineTooLong,       //!< longer than the reader's line limit; never parsed
};

inline constexpr std::size_t kRejectReasonCount = 7;

inline constexpr std::array<std::string_view, kRejectReasonCount> kRejectReasonNames = {
    "malformed_json", "not_object", "missing_field", "bad_contract", "unknown_app", "bad_duration", "line_too_long"};

constexpr std::string_view name_of(RejectReason r) { return kRejectReasonNames[static_cast<std::size_t>(r)]; }

std::optional<RejectReason> reject_reason_from_name(std::string_view name);

} // namespace bda
