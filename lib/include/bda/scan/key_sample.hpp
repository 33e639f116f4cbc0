// A sample of the contracts in a rank's ranges, read before the scan, so that the key-range
// owners (the shuffle's splitters) are known while records are still being read.
#pragma once

#include "bda/lake/lake_files.hpp"
#include "bda/lake/shard_plan.hpp"
#include "bda/model/category_mapping.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace bda {

struct KeySampleConfig {
  std::size_t max_keys = 1024;           //!< per rank
  std::size_t windows_per_range = 8;     //!< evenly spaced, so a lake sorted by Contract is sampled fairly
  std::size_t window_bytes = 64 * 1024;  //!< a gzip range (which cannot seek) gives its first window only
};

//! Contracts of counted records from windows spread over `ranges`, at most config.max_keys.
//! Throws InputError as the scan would (an unreadable file).
std::vector<std::string> sample_contracts(const LakeFiles& lake, const std::vector<FileRange>& ranges,
                                          const CategoryMapping& mapping, const KeySampleConfig& config = {});

} // namespace bda
