#include "bda/mpi/range_shuffle.hpp"

#include "bda/core/error.hpp"
#include "bda/core/short_bytes.hpp"
#include "bda/mpi/error.hpp"
#include "bda/mpi/job_status.hpp"

#include <algorithm>
#include <climits>
#include <cstring>
#include <string_view>
#include <utility>

namespace bda::mpi {
namespace {

int checked_count(std::size_t n, const char* what) {
  if (n > static_cast<std::size_t>(INT_MAX))
    throw Error(std::string("reduce-by-key: ") + what + " exceeds 2 GiB in one message; run with more ranks");
  return static_cast<int>(n);
}

std::vector<int> displacements(const std::vector<int>& counts) {
  std::vector<int> displs(counts.size(), 0);
  std::size_t total = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    displs[i] = checked_count(total, "a shuffle buffer");
    total += static_cast<std::size_t>(counts[i]);
  }
  checked_count(total, "a shuffle buffer");
  return displs;
}

} // namespace

KeyRanges::KeyRanges(std::vector<std::string> splitters) : splitters_(std::move(splitters)) {
  for (const std::string& s : splitters_) prefixes_.push_back(ShortBytes(s).order_prefix());
}

std::size_t KeyRanges::owner_of(std::string_view key) const {
  // The owner is the number of splitters <= key. Counted on the 8-byte prefixes without branches
  // first (which side of a splitter a key falls is a coin flip the CPU would mispredict); only a
  // key whose prefix equals a splitter's needs the string comparison.
  const std::uint64_t prefix = ShortBytes(key).order_prefix();
  const std::uint64_t* first = prefixes_.data();
  std::size_t n = prefixes_.size();
  if (n == 0) return 0;
  while (n > 1) { // first[0, n) holds the first prefix >= key's, or its end
    const std::size_t half = n / 2;
    first = first[half - 1] < prefix ? first + half : first;
    n -= half;
  }
  std::size_t below = static_cast<std::size_t>(first - prefixes_.data()) + (*first < prefix ? 1 : 0);
  while (below < prefixes_.size() && prefixes_[below] == prefix && std::string_view(splitters_[below]) <= key) ++below;
  return below;
}

std::vector<std::string> choose_splitters(MPI_Comm comm, const std::vector<std::string>& keys_here) {
  int size = 1;
  THROW_IF_MPI_ERROR(MPI_Comm_size(comm, &size));
  // Every local step is agreed on before the next collective, so a failure never leaves a rank waiting.
  std::string sample;
  int mine = 0;
  run_collectively(comm, [&] {
    for (const std::string& key : keys_here) {
      const auto len = static_cast<std::uint32_t>(key.size());
      sample.append(reinterpret_cast<const char*>(&len), sizeof len);
      sample.append(key);
    }
    mine = checked_count(sample.size(), "the key sample");
  });
  std::vector<int> counts(static_cast<std::size_t>(size));
  THROW_IF_MPI_ERROR(MPI_Allgather(&mine, 1, MPI_INT, counts.data(), 1, MPI_INT, comm));
  std::vector<int> displs;
  std::string all;
  run_collectively(comm, [&] {
    displs = displacements(counts);
    all.assign(static_cast<std::size_t>(displs.back() + counts.back()), '\0');
  });
  THROW_IF_MPI_ERROR(
      MPI_Allgatherv(sample.data(), mine, MPI_BYTE, all.data(), counts.data(), displs.data(), MPI_BYTE, comm));

  std::vector<std::string> splitters;
  run_collectively(comm, [&] {
    std::vector<std::string> keys;
    for (std::size_t pos = 0; pos < all.size();) {
      std::uint32_t len = 0;
      std::memcpy(&len, all.data() + pos, sizeof len);
      keys.emplace_back(all.data() + pos + sizeof len, len);
      pos += sizeof len + len;
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (int r = 1; r < size && !keys.empty(); ++r)
      splitters.push_back(keys[keys.size() * static_cast<std::size_t>(r) / static_cast<std::size_t>(size)]);
  });
  return splitters;
}

} // namespace bda::mpi
