// The knobs of the synthetic lake generator, with their defaults in one place.
#pragma once

#include "bda/core/date.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bda {

struct GenConfig {
  static constexpr std::uint64_t kDefaultLinesPerDay = 300'000;
  static constexpr double kDefaultDirtyShare = 0.01;   //!< of the non-blank lines
  static constexpr double kDefaultBlankShare = 0.001;  //!< of all lines
  static constexpr double kDefaultCrlfShare = 0.001;   //!< of the valid lines
  static constexpr double kDefaultTrickyShare = 0.01;  //!< valid lines in an unusual but legal form
  static constexpr double kDefaultReorderShare = 0.05; //!< plain valid lines with a different key order
  static constexpr double kDefaultExtraKeyShare = 0.02; //!< plain valid lines with extra keys
  static constexpr std::uint64_t kDefaultSeed = 42;
  static constexpr int kDefaultGzipLevel = 1; //!< speed over size: the reader's cost is the same
  static constexpr std::uint64_t kCustomersPerLine = 3; //!< default customers = lines_per_day / 3
  static constexpr std::uint64_t kMaxLinesPerDay = 100'000'000; //!< the day's line plan is 4 bytes a line
  static constexpr std::uint64_t kMaxCustomers = 10'000'000; //!< half the contract id space (20 prefixes x 10^6)
  static constexpr std::size_t kWriteBlockBytes = std::size_t{4} << 20;

  std::filesystem::path out_dir;
  std::vector<Date> days; //!< one file per day; LakeGenerator sorts them and drops repeats
  std::uint64_t lines_per_day = kDefaultLinesPerDay;
  std::optional<std::uint64_t> customers; //!< unset: lines_per_day / kCustomersPerLine, at least 1
  double dirty_share = kDefaultDirtyShare;
  double blank_share = kDefaultBlankShare;
  double crlf_share = kDefaultCrlfShare;
  double tricky_share = kDefaultTrickyShare;
  double reorder_share = kDefaultReorderShare;
  double extra_key_share = kDefaultExtraKeyShare;
  std::uint64_t seed = kDefaultSeed;
  bool gzip = false;
  int gzip_level = kDefaultGzipLevel;

  //! Throws UsageError naming the first bad value (the option names match bda-gen's).
  void validate() const;
  std::uint64_t customer_count() const;
  //! "20220401.json" or "20220401.json.gz".
  std::string file_name(Date day) const;
};

} // namespace bda
