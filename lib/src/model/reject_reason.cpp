#include "bda/model/reject_reason.hpp"

namespace bda {

std::optional<RejectReason> reject_reason_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kRejectReasonCount; ++i)
    if (kRejectReasonNames[i] == name) return static_cast<RejectReason>(i);
  return std::nullopt;
}

} // namespace bda
