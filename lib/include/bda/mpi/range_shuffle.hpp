// Reduce-by-key across ranks: a key-range partitioned all-to-all exchange, then a local merge (Thrill's
// ReducePrePhase/PostPhase, with sample-sort splitters instead of a hash so that rank r ends up
// with the r-th slice of the sorted key space and rank 0 can stream the output in rank order).
#pragma once

#include "bda/aggregate/contract_table.hpp"

#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace bda::mpi {

struct ShuffleConfig {
  static constexpr std::size_t kDefaultSamplesPerRank = 256; //!< splitter quality vs. allgather size
  //! Open MPI 4.1 counts in int: partitions cross in messages of at most this many bytes, so a
  //! rank's share may exceed 2 GiB.
  static constexpr std::size_t kDefaultMaxMessageBytes = std::size_t{1} << 30;
  std::size_t samples_per_rank = kDefaultSamplesPerRank;
  std::size_t max_message_bytes = kDefaultMaxMessageBytes; //!< tests force tiny rounds
};

struct ShuffleStats {
  std::uint64_t bytes_sent = 0;     //!< to other ranks
  std::uint64_t bytes_received = 0; //!< from other ranks
  double seconds = 0;
};

//! p-1 splitters from every rank's key sample; key k goes to the number of splitters <= k.
std::vector<std::string> choose_splitters(MPI_Comm comm, const ContractTable& local, const ShuffleConfig& config);

//! Collective. Consumes the rank-local partial table and returns this rank's merged key range:
//! every key that any rank saw lands, fully merged, on exactly one rank. A failure on any rank (a
//! sum past 2^63-1 when partials meet, a message over the MPI count limit, memory) is agreed on:
//! every rank throws JobFailed, none is left in a collective.
ContractTable reduce_by_key_range(MPI_Comm comm, ContractTable local, ShuffleStats* stats = nullptr,
                                  const ShuffleConfig& config = {});

} // namespace bda::mpi
