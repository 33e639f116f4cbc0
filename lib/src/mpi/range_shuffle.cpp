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

constexpr int kShuffleTag = 7302;

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

std::vector<std::size_t> offsets(const std::vector<std::uint64_t>& counts) {
  std::vector<std::size_t> at(counts.size(), 0);
  for (std::size_t i = 1; i < counts.size(); ++i) at[i] = at[i - 1] + counts[i - 1];
  return at;
}

} // namespace

void exchange_partitions(MPI_Comm comm, const std::vector<std::string>& out, std::size_t max_message_bytes,
                         std::string& recv) {
  int rank = 0, size = 1;
  THROW_IF_MPI_ERROR(MPI_Comm_rank(comm, &rank));
  THROW_IF_MPI_ERROR(MPI_Comm_size(comm, &size));
  const auto p = static_cast<std::size_t>(size), me = static_cast<std::size_t>(rank);
  std::vector<std::uint64_t> send_counts(p), recv_counts(p);
  for (std::size_t r = 0; r < p; ++r) send_counts[r] = r == me ? 0 : out[r].size();
  THROW_IF_MPI_ERROR(MPI_Alltoall(send_counts.data(), 1, MPI_UINT64_T, recv_counts.data(), 1, MPI_UINT64_T, comm));
  recv_counts[me] = out[me].size();
  const std::vector<std::size_t> recv_at = offsets(recv_counts);
  run_collectively(comm, [&] { recv.resize(recv_at.back() + recv_counts.back()); });
  std::memcpy(recv.data() + recv_at[me], out[me].data(), out[me].size());

  // Pair by pair (round k: send to rank+k, receive from rank-k), each pair's bytes in messages of at
  // most `chunk` bytes.
  const std::size_t chunk = std::clamp<std::size_t>(max_message_bytes, 1, static_cast<std::size_t>(INT_MAX));
  for (int k = 1; k < size; ++k) {
    const int to = (rank + k) % size, source = (rank - k + size) % size;
    const auto t = static_cast<std::size_t>(to), f = static_cast<std::size_t>(source);
    for (std::uint64_t sent = 0, got = 0; sent < send_counts[t] || got < recv_counts[f];) {
      const auto n_out = static_cast<int>(std::min<std::uint64_t>(chunk, send_counts[t] - sent));
      const auto n_in = static_cast<int>(std::min<std::uint64_t>(chunk, recv_counts[f] - got));
      // A side with nothing left talks to MPI_PROC_NULL: both ends of a pair send and expect exactly
      // ceil(bytes / chunk) messages, so none is left unmatched.
      THROW_IF_MPI_ERROR(MPI_Sendrecv(out[t].data() + sent, n_out, MPI_BYTE, n_out ? to : MPI_PROC_NULL, kShuffleTag,
                                      recv.data() + recv_at[f] + got, n_in, MPI_BYTE, n_in ? source : MPI_PROC_NULL,
                                      kShuffleTag, comm, MPI_STATUS_IGNORE));
      sent += static_cast<std::uint64_t>(n_out);
      got += static_cast<std::uint64_t>(n_in);
    }
  }
}

KeyRanges::KeyRanges(std::vector<std::string> splitters) : splitters_(std::move(splitters)) {
  for (const std::string& s : splitters_) prefixes_.push_back(ShortBytes(s).order_prefix());
}

std::size_t KeyRanges::owner_of(std::string_view key) const {
  const std::uint64_t prefix = ShortBytes(key).order_prefix();
  std::size_t lo = 0, hi = splitters_.size(); // splitters [0, lo) are <= key, [hi, end) are > key
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    const bool at_most_key = prefixes_[mid] != prefix ? prefixes_[mid] < prefix : std::string_view(splitters_[mid]) <= key;
    if (at_most_key)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
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
