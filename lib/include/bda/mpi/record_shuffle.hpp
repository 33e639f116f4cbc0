// Reduce-by-key during the scan: each counted record goes to the rank that owns its contract's key
// range, so a rank holds its share of the key space plus bounded buffers, never the whole of it.
// Records for other ranks are buffered per owner and exchanged in rounds (every rank takes part in
// each) whenever one owner's buffer is full: Thrill's pre-phase flush, with raw records (about 25
// bytes) instead of partial states (about 90 bytes), since a bounded table meets most contracts
// only once or twice between flushes.
#pragma once

#include "bda/aggregate/contract_table.hpp"
#include "bda/mpi/range_shuffle.hpp"
#include "bda/transform/record_sink.hpp"

#include <mpi.h>

#include <exception>
#include <string>
#include <vector>

namespace bda::mpi {

class RecordShuffle final : public RecordSink {
public:
  //! `owned` receives every record of this rank's key range (ranges.owner_of(key) == rank).
  RecordShuffle(MPI_Comm comm, KeyRanges ranges, ContractTable& owned, const ShuffleConfig& config);
  ~RecordShuffle() override;

  void add(std::string_view contract, Category category, std::uint32_t day, std::int64_t duration) override;
  //! Adds the batch pending for this rank's own table (what a scan's end calls).
  void flush() override;

  //! Collective: takes part in rounds until every rank's records are delivered. A non-null
  //! `local_error` (this rank's scan failed) is agreed on: every rank throws JobFailed, as every
  //! rank does when any rank fails in a round.
  void finish(std::exception_ptr local_error);

  const ShuffleStats& stats() const { return stats_; }

private:
  //! One round of exchange; true when every rank had finished before it.
  bool round(bool done, const std::exception_ptr& local_error);
  void merge_received(const std::string& bytes);
  void check_memory();

  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
  KeyRanges ranges_;
  ContractTable& owned_;
  TableSink own_sink_;
  ShuffleConfig config_;
  std::size_t buffer_cap_ = 0; //!< per destination
  std::vector<std::string> out_;
  std::string in_; // kept between rounds: no fresh pages to clear each time
  std::size_t next_memory_check_ = 0;
  ShuffleStats stats_;
};

} // namespace bda::mpi
