// Reduce-by-key during the scan: each counted record goes to the rank that owns its contract's key
// range, so a rank holds its share of the key space plus bounded buffers, never the whole of it.
// Records for other ranks are buffered per owner and sent on, without waiting, whenever an owner's
// buffer is full: Thrill's pre-phase flush, with raw records (about 25 bytes) instead of partial
// states (about 90 bytes), since a bounded table meets most contracts only once or twice between
// flushes. Arriving records are merged between reads; no rank waits for another until the end.
#pragma once

#include "bda/aggregate/contract_table.hpp"
#include "bda/mpi/range_shuffle.hpp"
#include "bda/scan/record_sink.hpp"

#include <mpi.h>

#include <exception>
#include <string>
#include <vector>

namespace bda::mpi {

//! Thrown by RecordShuffle::add() when another rank has failed: this rank stops scanning and calls
//! finish() without an error of its own, so the failing rank's message is the one reported.
struct ScanStopped {};

class RecordShuffle final : public RecordSink {
public:
  //! Collective. `owned` receives every record of this rank's key range (ranges.owner_of(key) == rank).
  RecordShuffle(MPI_Comm comm, KeyRanges ranges, ContractTable& owned, const ShuffleConfig& config);
  ~RecordShuffle() override;
  RecordShuffle(const RecordShuffle&) = delete;
  RecordShuffle& operator=(const RecordShuffle&) = delete;

  //! Throws when this rank cannot go on (its share is over the memory limit, records that arrived
  //! could not be merged): the caller then ends its scan with finish(error). Throws ScanStopped
  //! when another rank has failed.
  void add(std::string_view contract, Category category, std::uint32_t day, std::int64_t duration) override;
  //! Merges the records pending for this rank's own table (what a scan's end calls).
  void flush() override;

  //! Collective: delivers what is left, waits for every other rank's last records, then agrees on
  //! failure. A non-null `local_error` (this rank's scan failed) or a failure while merging makes
  //! every rank throw JobFailed with the message of the lowest failing rank.
  void finish(std::exception_ptr local_error);

  const ShuffleStats& stats() const { return stats_; }

private:
  struct Outbox;

  //! Sends the filled buffer for `owner` (after its previous send completed) with `tag`.
  void send(std::size_t owner, int tag);
  //! Receives and merges whatever has arrived; failures are kept in error_, never thrown.
  void poll();
  void merge_received(const std::string& bytes);
  //! Merges this rank's own buffered records into the table.
  void merge_own();
  void check_memory();

  MPI_Comm comm_ = MPI_COMM_NULL; // a duplicate: shuffle traffic never meets other messages
  int rank_ = 0;
  int size_ = 1;
  KeyRanges ranges_;
  ContractTable& owned_;
  ShuffleConfig config_;
  std::size_t buffer_cap_ = 0; //!< per destination
  std::vector<Outbox> out_;
  std::string in_;
  int ends_received_ = 0;
  bool peer_failed_ = false;
  std::size_t adds_since_poll_ = 0;
  std::size_t next_memory_check_ = 0;
  std::exception_ptr error_;
  ShuffleStats stats_;
};

} // namespace bda::mpi
