// --max-rejects: how many rejected lines a run may have before it fails and publishes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bda {

class RejectLimit {
public:
  //! No limit (the default).
  RejectLimit() = default;
  //! "N" (a count; 0 is Spark's FAILFAST) or "P%" (a share of non-blank lines, 0-100).
  //! Throws UsageError naming --max-rejects otherwise.
  static RejectLimit parse(std::string_view text);

  bool unlimited() const { return kind_ == Kind::None; }
  //! True when `rejected` lines out of `non_blank` break the limit.
  bool exceeded(std::uint64_t rejected, std::uint64_t non_blank) const;
  std::string describe() const; //!< "100", "0.5%", "none"

private:
  enum class Kind : std::uint8_t { None, Count, Percent };
  Kind kind_ = Kind::None;
  std::uint64_t count_ = 0;
  double percent_ = 0;
};

} // namespace bda
