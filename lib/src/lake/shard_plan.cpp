#include "bda/lake/shard_plan.hpp"

#include <algorithm>

namespace bda {

std::vector<std::vector<FileRange>> plan_shards(const LakeFiles& lake, int ranks) {
  std::vector<std::vector<FileRange>> plan(static_cast<std::size_t>(ranks));
  // One scale for both kinds: a plain file weighs its bytes, a .gz file its uncompressed bytes,
  // since inflating and parsing, not reading the disk, is the work.
  const std::uint64_t total = lake.total_plan_weight();
  const auto n = static_cast<std::uint64_t>(ranks);
  // Rank r owns global weight [r*share, (r+1)*share), share = ceil(total/n).
  auto rank_of = [&](std::uint64_t global) {
    if (total == 0) return std::uint64_t{0};
    return std::min<std::uint64_t>(n - 1, global / ((total + n - 1) / n));
  };
  auto boundary = [&](std::uint64_t r) {
    return r == n ? total : r * ((total + n - 1) / n);
  };

  std::uint64_t offset = 0; // global weight before the current file
  for (std::uint32_t i = 0; i < lake.files.size(); ++i) {
    const DayFile& f = lake.files[i];
    if (f.gzip) {
      plan[rank_of(offset + f.plan_weight() / 2)].push_back(FileRange{i, 0, f.size, true});
    } else if (f.size > 0) {
      for (std::uint64_t r = rank_of(offset); r < n; ++r) {
        const std::uint64_t lo = std::max(boundary(r), offset), hi = std::min(boundary(r + 1), offset + f.size);
        if (lo >= offset + f.size) break;
        if (lo < hi) plan[r].push_back(FileRange{i, lo - offset, hi - offset, false});
      }
    }
    offset += f.plan_weight(); // == f.size for a plain file, so its ranges are byte offsets
  }
  return plan;
}

} // namespace bda
