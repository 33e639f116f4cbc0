// Streams every rank's bytes to rank 0 in rank order, in bounded blocks (CSV rows, quarantine).
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

namespace bda::mpi {

//! Hands each produced block to the sink.
using BlockSink = std::function<void(std::string_view)>;

//! Collective. Every rank calls `produce(sink)`, which emits its blocks in order; on rank 0 the
//! blocks of rank 0, then rank 1, ... reach `consume`. Rank 0 holds one block at a time, so its
//! memory does not grow with the number of ranks. Returns the bytes rank 0 received from others.
//!
//! A rank other than 0 keeps up to `send_ahead_bytes` of its blocks in flight (non-blocking sends
//! rank 0 has not received yet), so it can go on producing while rank 0 is still busy with the
//! ranks before it; 0 sends one block at a time.
std::uint64_t gather_in_rank_order(MPI_Comm comm, const std::function<void(const BlockSink&)>& produce,
                                   const BlockSink& consume, std::size_t send_ahead_bytes = 0);

} // namespace bda::mpi
