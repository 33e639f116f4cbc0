// The key-range shuffle's partitioning: sample-sort splitters, so that rank r owns the r-th slice of
// the sorted key space and rank 0 can stream the output in rank order.
#pragma once

#include <mpi.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bda::mpi {

struct ShuffleConfig {
  //! Open MPI 4.1 counts in int: records cross in messages of at most this many bytes (and one
  //! record), so a rank's share may exceed 2 GiB.
  static constexpr std::size_t kMaxMessageBytes = std::size_t{1} << 30;
  //! Records for other ranks held before they are sent (all destinations together; as much again may be in flight).
  static constexpr std::size_t kDefaultBufferBytes = std::size_t{4} << 20;
  std::size_t buffer_bytes = kDefaultBufferBytes;          //!< tests force tiny messages
  //! The most a rank's share of the contracts plus its buffers may take; 0 = no limit.
  std::size_t memory_limit_bytes = 0;
};

struct ShuffleStats {
  std::uint64_t bytes_sent = 0;     //!< to other ranks
  std::uint64_t bytes_received = 0; //!< from other ranks
  std::uint64_t messages = 0;       //!< record messages sent
  double seconds = 0; //!< spent sending and merging arrivals, waiting for other ranks included
};

//! Collective. p-1 splitters from every rank's key sample; key k belongs to the number of
//! splitters <= k (owner_of).
std::vector<std::string> choose_splitters(MPI_Comm comm, const std::vector<std::string>& sample);

//! Which rank owns a key: the number of splitters <= key, found on 8-byte order prefixes first
//! (this runs for every record).
class KeyRanges {
public:
  explicit KeyRanges(std::vector<std::string> splitters);
  std::size_t owner_of(std::string_view key) const;
  const std::vector<std::string>& splitters() const { return splitters_; }

private:
  std::vector<std::string> splitters_;
  std::vector<std::uint64_t> prefixes_;
};

} // namespace bda::mpi
