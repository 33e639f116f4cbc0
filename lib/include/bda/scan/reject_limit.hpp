// --max-rejects: how many rejected lines a run may have before it fails and publishes nothing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bda {

class RejectLimit {
public:
  //! The share of non-blank lines a run may reject when --max-rejects is not given, in percent.
  static constexpr double kDefaultPercent = 10;

  //! No limit (what "none" parses to).
  RejectLimit() = default;
  //! The --max-rejects default: kDefaultPercent % of the non-blank lines ("10%").
  static RejectLimit default_limit();
  //! "N" (a count; 0 is Spark's FAILFAST), "P%" (a share of non-blank lines, 0-100) or "none"
  //! (no limit). Throws UsageError naming --max-rejects otherwise.
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
