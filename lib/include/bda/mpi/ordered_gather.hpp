// Streams every rank's bytes to rank 0 in rank order, in bounded blocks (CSV rows, quarantine).
#pragma once

#include <mpi.h>

#include <cstdint>
#include <functional>
#include <string_view>

namespace bda::mpi {

//! Hands each produced block to the sink.
using BlockSink = std::function<void(std::string_view)>;

//! Collective. Every rank calls `produce(sink)`, which emits its blocks in order; on rank 0 the
//! blocks of rank 0, then rank 1, ... reach `consume`. Rank 0 holds one block at a time, so its
//! memory does not grow with the number of ranks. Returns the bytes rank 0 received from others.
std::uint64_t gather_in_rank_order(MPI_Comm comm, const std::function<void(const BlockSink&)>& produce,
                                   const BlockSink& consume);

} // namespace bda::mpi
