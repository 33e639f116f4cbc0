// The whole bda-etl batch job across MPI ranks: plan, scan, reduce-by-key, write (SPEC §1-4).
#pragma once

#include "bda/lake/day_selection.hpp"
#include "bda/mpi/checkpointed_scan.hpp"
#include "bda/mpi/progress.hpp"
#include "bda/lake/lake_files.hpp"
#include "bda/lake/line_chunk_reader.hpp"
#include "bda/output/output_paths.hpp"
#include "bda/scan/reject_limit.hpp"
#include "bda/scan/shard_scanner.hpp"

#include <mpi.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace bda::mpi {

//! Everything a run needs to know; filled from the command line by apps/bda_etl.
struct EtlOptions {
  std::filesystem::path lake;
  DaySelection days;
  bool allow_missing_days = false;
  std::filesystem::path out;
  std::optional<std::filesystem::path> mapping_file;
  std::optional<std::filesystem::path> summary_file;
  std::optional<std::filesystem::path> quarantine_file;
  std::optional<std::filesystem::path> daily_file; //!< the per-day table as CSV
  //! --checkpoints: where day checkpoints are read and written (none: every day is parsed, none kept)
  std::optional<std::filesystem::path> checkpoint_dir;
  bool refresh_checkpoints = false; //!< parse every day even where its checkpoint is valid
  RejectLimit max_rejects = RejectLimit::default_limit(); //!< 10% of the non-blank lines
  bool quiet = false;              //!< no closing line on stderr
  ProgressStyle progress = ProgressStyle::Auto;
  ReaderConfig reader;
  //! --memory-mb: the most a rank's share of the contracts and its shuffle buffers may take;
  //! 0 = 80% of the host's memory divided by the ranks on it.
  std::size_t memory_mb = 0;
  std::vector<NamedPath> other_inputs; //!< files read besides the lake (--config, --db-password-file): never outputs
};

//! What one rank did, for the run summary.
struct RankReport {
  int rank = 0;
  std::string host;
  std::uint64_t bytes = 0;
  std::uint64_t lines = 0;
  std::uint64_t records = 0;
  std::uint64_t rejected = 0;
  std::uint64_t contracts_after_reduce = 0;
  std::uint64_t shuffle_bytes_received = 0;
  std::uint64_t shuffle_messages = 0;
  double scan_seconds = 0;
  double shuffle_seconds = 0; //!< of scan_seconds: sending and merging arrivals, waiting for other ranks included
  std::uint64_t peak_rss_kb = 0;
};

struct PhaseSeconds {
  double plan = 0, scan = 0, quarantine = 0, reduce = 0, write = 0, total = 0;
};

//! The outcome, complete on rank 0 (other ranks hold their own parts).
struct EtlResult {
  int ranks = 1;
  LakeFiles lake;
  ScanCounters totals;
  std::uint64_t contracts = 0;
  std::optional<DailyUsage> daily; //!< rank 0 only: per day and category, customers exact
  std::uint64_t rank0_bytes_received = 0; //!< shuffle + gathered output rows, from other ranks
  PhaseSeconds seconds;
  //! With --checkpoints: per lake file, whether it was taken from its checkpoint or parsed, and why.
  std::vector<DayOutcome> day_outcomes;
  std::vector<RankReport> per_rank;
  std::optional<std::string> error; //!< set when the run failed
};

//! Steps a caller adds to the job (the warehouse load).
struct EtlHooks {
  //! Rank 0 only, after every output is complete under its temporary name and before any is
  //! published: `csv_file` is the finished CSV's temporary path. A throw fails the run like any
  //! other phase (nothing is published); once it returns, the outputs are renamed into place.
  std::function<void(const EtlResult& result, const std::filesystem::path& csv_file)> before_publish;
};

//! Collective. Runs the job and, on rank 0, writes --out, --quarantine, --daily and --summary. Throws
//! JobFailed on every rank if any rank failed (then no output is published, see SPEC 2b); the summary
//! (if asked for) still records the failure.
EtlResult run_etl_job(MPI_Comm comm, const EtlOptions& options, const EtlHooks& hooks = {});

} // namespace bda::mpi
