// The scan with day checkpoints (bda-etl --checkpoints DIR). Days whose checkpoint is valid are
// not parsed; the others are parsed one at a time (scan, reduce-by-key into a day table), each
// leaving its checkpoint. The period is then the k-way merge of the days' checkpoints, every rank
// reading only the blocks of its own key range, so reused days need no shuffle. The table, the
// per-day figures and the counters are those of parsing every day, so the outputs are the same.
#pragma once

#include "bda/checkpoint/checkpoint_use.hpp"
#include "bda/mpi/progress.hpp"
#include "bda/mpi/range_shuffle.hpp"
#include "bda/scan/shard_scanner.hpp"

#include <mpi.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bda::mpi {

//! What a run did with one day file.
struct DayOutcome {
  bool reused = false;
  std::string reason; //!< why it was parsed; empty when reused
};

class CheckpointedScan {
public:
  //! `decisions` (rank 0's, one per lake file) are the same on every rank. `rejected_lines_wanted`:
  //! the run writes a quarantine, so a reused day's rejected lines are checked too.
  CheckpointedScan(MPI_Comm comm, const LakeFiles& lake, std::filesystem::path dir, std::string settings,
                   std::vector<DayDecision> decisions, bool rejected_lines_wanted);
  ~CheckpointedScan();

  //! Collective. Fills `merged` with this rank's key range of every day and `scanner` with the
  //! parsed days' figures; on rank 0 it also adds the reused days' usage to scanner.daily().
  //! Throws JobFailed on every rank when any rank failed.
  void run(ShardScanner& scanner, ContractTable& merged, const CategoryMapping& mapping, const ShuffleConfig& config,
           ProgressStyle progress);

  //! Rank 0: the reused days' counters (the parsed days' are in the scanners).
  const ScanCounters& reused_counters() const { return reused_counters_; }
  //! One per lake file; complete on rank 0.
  const std::vector<DayOutcome>& outcomes() const { return outcomes_; }
  const ShuffleStats& shuffle_stats() const { return stats_; }

  //! Rank 0, after run(): every day's rejected lines as quarantine TSV lines, in day order.
  void replay_rejected_lines(const std::function<void(std::string_view)>& sink) const;

private:
  struct Bounds; // this rank's key range
  void open_reused();
  std::vector<std::string> sample(const CategoryMapping& mapping);
  void verify_reused(const Bounds& bounds);
  void count_reused(ShardScanner& scanner);
  void parse_day(std::uint32_t file, const KeyRanges& ranges, ShardScanner& scanner, ContractTable& day_table,
                 const ShuffleConfig& config, ProgressReporter& progress);
  std::vector<std::vector<FileRange>> day_plan(std::uint32_t file) const;

  MPI_Comm comm_;
  int rank_ = 0, size_ = 1;
  const LakeFiles& lake_;
  std::filesystem::path dir_;
  std::string settings_;
  std::vector<DayDecision> decisions_;
  bool rejected_lines_wanted_;
  std::vector<std::unique_ptr<DayCheckpointReader>> readers_; // per lake file, for reused days
  std::vector<std::string> damage_; // per lake file: why this rank found its checkpoint unusable
  std::vector<DayOutcome> outcomes_;
  ScanCounters reused_counters_;
  ShuffleStats stats_;
};

} // namespace bda::mpi
