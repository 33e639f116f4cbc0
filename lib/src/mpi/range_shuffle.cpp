#include "bda/mpi/range_shuffle.hpp"

#include "bda/core/error.hpp"
#include "bda/core/fault_injection.hpp"
#include "bda/mpi/error.hpp"
#include "bda/mpi/job_status.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstring>
#include <numeric>
#include <string_view>

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

//! Every rank's part for every other rank, pair by pair (round k: send to rank+k, receive from rank-k),
//! each pair's bytes in messages of at most `max_message` bytes.
void exchange_in_rounds(MPI_Comm comm, const std::string& send, const std::vector<std::uint64_t>& send_counts,
                        std::string& recv, const std::vector<std::uint64_t>& recv_counts, std::size_t max_message) {
  int rank = 0, size = 1;
  THROW_IF_MPI_ERROR(MPI_Comm_rank(comm, &rank));
  THROW_IF_MPI_ERROR(MPI_Comm_size(comm, &size));
  const std::size_t chunk = std::clamp<std::size_t>(max_message, 1, static_cast<std::size_t>(INT_MAX));
  const std::vector<std::size_t> send_at = offsets(send_counts), recv_at = offsets(recv_counts);
  const auto me = static_cast<std::size_t>(rank);
  std::memcpy(recv.data() + recv_at[me], send.data() + send_at[me], send_counts[me]);
  for (int k = 1; k < size; ++k) {
    const int to = (rank + k) % size, from = (rank - k + size) % size;
    const auto t = static_cast<std::size_t>(to), f = static_cast<std::size_t>(from);
    for (std::uint64_t sent = 0, got = 0; sent < send_counts[t] || got < recv_counts[f];) {
      const auto out = static_cast<int>(std::min<std::uint64_t>(chunk, send_counts[t] - sent));
      const auto in = static_cast<int>(std::min<std::uint64_t>(chunk, recv_counts[f] - got));
      // A side with nothing left talks to MPI_PROC_NULL: both ends of a pair send and expect exactly
      // ceil(bytes / chunk) messages, so none is left unmatched.
      THROW_IF_MPI_ERROR(MPI_Sendrecv(send.data() + send_at[t] + sent, out, MPI_BYTE, out ? to : MPI_PROC_NULL,
                                      kShuffleTag, recv.data() + recv_at[f] + got, in, MPI_BYTE,
                                      in ? from : MPI_PROC_NULL, kShuffleTag, comm, MPI_STATUS_IGNORE));
      sent += static_cast<std::uint64_t>(out);
      got += static_cast<std::uint64_t>(in);
    }
  }
}

} // namespace

std::vector<std::string> choose_splitters(MPI_Comm comm, const ContractTable& local, const ShuffleConfig& config) {
  int size = 1;
  THROW_IF_MPI_ERROR(MPI_Comm_size(comm, &size));
  // Rows are in first-seen order, which is unrelated to key order: an even stride is a fair sample.
  // Every local step is agreed on before the next collective, so a failure never leaves a rank waiting.
  std::string sample;
  int mine = 0;
  run_collectively(comm, [&] {
    const std::size_t n = local.size(), want = std::min(n, config.samples_per_rank);
    for (std::size_t i = 0; i < want; ++i) {
      std::string_view key = local.key(i * n / want);
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

ContractTable reduce_by_key_range(MPI_Comm comm, ContractTable local, ShuffleStats* stats,
                                  const ShuffleConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  int rank = 0, size = 1;
  THROW_IF_MPI_ERROR(MPI_Comm_rank(comm, &rank));
  THROW_IF_MPI_ERROR(MPI_Comm_size(comm, &size));
  if (size == 1) {
    run_collectively(comm, [&] { fault_point("reduce", rank); });
    return local;
  }

  const std::vector<std::string> splitters = choose_splitters(comm, local, config);
  const auto p = static_cast<std::size_t>(size);
  const std::uint32_t day_count = local.day_count();
  // Partitions laid out one after another in `send`; sizes as 64-bit, so no part is limited to 2 GiB.
  std::string send;
  std::vector<std::uint64_t> send_counts(p), recv_counts(p);
  run_collectively(comm, [&] {
    std::vector<std::vector<std::uint32_t>> rows_for(p);
    for (std::uint32_t row = 0; row < local.size(); ++row) {
      auto it = std::upper_bound(splitters.begin(), splitters.end(), local.key(row),
                                 [](std::string_view k, const std::string& s) { return k < std::string_view(s); });
      rows_for[static_cast<std::size_t>(it - splitters.begin())].push_back(row);
    }
    for (std::size_t dest = 0; dest < p; ++dest) {
      const std::size_t before = send.size();
      local.serialize_rows(rows_for[dest], send);
      send_counts[dest] = send.size() - before;
      rows_for[dest] = {};
    }
    local = ContractTable(day_count); // free the partial table before the merge allocates
  });
  THROW_IF_MPI_ERROR(MPI_Alltoall(send_counts.data(), 1, MPI_UINT64_T, recv_counts.data(), 1, MPI_UINT64_T, comm));
  std::string recv;
  run_collectively(comm, [&] {
    recv.assign(std::accumulate(recv_counts.begin(), recv_counts.end(), std::uint64_t{0}), '\0');
  });
  exchange_in_rounds(comm, send, send_counts, recv, recv_counts, config.max_message_bytes);
  if (stats) {
    const auto me = static_cast<std::size_t>(rank);
    stats->bytes_sent = send.size() - send_counts[me];
    stats->bytes_received = recv.size() - recv_counts[me];
  }
  send = {};

  // The merge is where two ranks' partial sums meet (a sum past 2^63-1 shows here): agreed too.
  ContractTable merged(day_count);
  run_collectively(comm, [&] {
    fault_point("reduce", rank);
    merged.merge_serialized(recv);
  });
  if (stats) stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return merged;
}

} // namespace bda::mpi
