// Byte-range sharding of the selected files across ranks (Thrill's ReadLines split).
#pragma once

#include "bda/lake/lake_files.hpp"

#include <cstdint>
#include <vector>

namespace bda {

//! A piece of one day file. A rank reads the lines that *start* in [begin, end): it skips the
//! partial line at `begin` (unless begin is 0) and finishes the line that crosses `end`.
struct FileRange {
  std::uint32_t file = 0; //!< index into LakeFiles::files
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  bool whole_gzip = false; //!< a .gz file is never split
};

//! ranges[r] is rank r's work, in file order. The plan balances DayFile::plan_weight (uncompressed
//! bytes): plain files are split so every rank gets an even share of the total weight; each .gz
//! file goes whole to the rank whose share holds its weight's midpoint.
std::vector<std::vector<FileRange>> plan_shards(const LakeFiles& lake, int ranks);

} // namespace bda
