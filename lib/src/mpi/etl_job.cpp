#include "bda/mpi/etl_job.hpp"

#include "bda/checkpoint/checkpoint_use.hpp"
#include "bda/core/fault_injection.hpp"
#include "bda/core/text_file.hpp"
#include "bda/mpi/error.hpp"
#include "bda/mpi/job_status.hpp"
#include "bda/mpi/ordered_gather.hpp"
#include "bda/mpi/progress.hpp"
#include "bda/mpi/range_shuffle.hpp"
#include "bda/mpi/record_shuffle.hpp"
#include "bda/mpi/run_summary.hpp"
#include "bda/mpi/scan_collectives.hpp"
#include "bda/output/atomic_file.hpp"
#include "bda/output/csv_writer.hpp"
#include "bda/output/output_paths.hpp"
#include "bda/output/quarantine.hpp"
#include "bda/scan/key_sample.hpp"

#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <sstream>

namespace bda::mpi {
namespace {

constexpr std::size_t kRowsPerBlock = 16384;                      // CSV rows formatted per message
constexpr std::size_t kQuarantineBlockBytes = std::size_t{1} << 20; // quarantine text per message
// CSV text a rank formats ahead while rank 0 is busy with the ranks before it: a rank's whole
// share of the real-scale month at 2 ranks (~47 MB), so formatting runs on all ranks at once.
constexpr std::size_t kCsvSendAheadBytes = std::size_t{128} << 20;

class Stopwatch {
public:
  double lap() {
    auto now = std::chrono::steady_clock::now();
    double s = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    return s;
  }
  double total() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), last_ = start_;
};

void broadcast(MPI_Comm comm, std::string& text) {
  std::uint64_t n = text.size();
  THROW_IF_MPI_ERROR(MPI_Bcast(&n, 1, MPI_UINT64_T, 0, comm));
  text.resize(n);
  THROW_IF_MPI_ERROR(MPI_Bcast(text.data(), static_cast<int>(n), MPI_CHAR, 0, comm));
}

std::string lake_to_json(const LakeFiles& lake) {
  nlohmann::json files = nlohmann::json::array(), missing = nlohmann::json::array();
  for (const DayFile& f : lake.files)
    files.push_back({f.date.days_since_epoch(), f.day_index, f.path, f.gzip, f.size, f.uncompressed_size});
  for (const Date& d : lake.missing_days) missing.push_back(d.days_since_epoch());
  return nlohmann::json{{"files", files}, {"missing", missing}}.dump();
}

LakeFiles lake_from_json(const std::string& text) {
  auto doc = nlohmann::json::parse(text);
  LakeFiles lake;
  for (const auto& f : doc["files"]) // [5], uncompressed_size: rank 0 read the gzip trailers
    lake.files.push_back(DayFile{Date::from_days(f[0].get<std::int32_t>()), f[1].get<std::uint32_t>(),
                                 f[2].get<std::string>(), f[3].get<bool>(), f[4].get<std::uint64_t>(),
                                 f[5].get<std::uint64_t>()});
  for (const auto& d : doc["missing"]) lake.missing_days.push_back(Date::from_days(d.get<std::int32_t>()));
  return lake;
}

std::unique_ptr<AtomicFile> open_output(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw OutputError("cannot write " + path.string() + ": it is a directory");
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) throw OutputError("cannot create directory " + path.parent_path().string() + ": " + ec.message());
  }
  return std::make_unique<AtomicFile>(path);
}

std::uint64_t peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss);
}

std::vector<RankReport> gather_reports(MPI_Comm comm, const RankReport& mine) {
  nlohmann::json j = {mine.rank,          mine.host,          mine.bytes,
                      mine.lines,         mine.records,       mine.rejected,
                      mine.contracts_after_reduce, mine.shuffle_bytes_received, mine.scan_seconds,
                      mine.peak_rss_kb,   mine.shuffle_messages, mine.shuffle_seconds};
  std::vector<RankReport> reports;
  gather_in_rank_order(
      comm, [&](const BlockSink& sink) { sink(j.dump() + "\n"); },
      [&](std::string_view block) {
        std::istringstream lines{std::string(block)};
        for (std::string line; std::getline(lines, line);) {
          auto v = nlohmann::json::parse(line);
          RankReport r;
          r.rank = v[0].get<int>();
          r.host = v[1].get<std::string>();
          r.bytes = v[2].get<std::uint64_t>();
          r.lines = v[3].get<std::uint64_t>();
          r.records = v[4].get<std::uint64_t>();
          r.rejected = v[5].get<std::uint64_t>();
          r.contracts_after_reduce = v[6].get<std::uint64_t>();
          r.shuffle_bytes_received = v[7].get<std::uint64_t>();
          r.scan_seconds = v[8].get<double>();
          r.peak_rss_kb = v[9].get<std::uint64_t>();
          r.shuffle_messages = v[10].get<std::uint64_t>();
          r.shuffle_seconds = v[11].get<double>();
          reports.push_back(std::move(r));
        }
      });
  return reports;
}

//! One run, phase by phase. Every phase ends collectively, so a failure on any rank becomes a
//! JobFailed on all of them (agree_on_failure) instead of a rank left waiting.
class EtlJob {
public:
  EtlJob(MPI_Comm comm, const EtlOptions& options, const EtlHooks& hooks)
      : comm_(comm), options_(options), hooks_(hooks) {
    THROW_IF_MPI_ERROR(MPI_Comm_rank(comm, &rank_));
    THROW_IF_MPI_ERROR(MPI_Comm_size(comm, &size_));
    result_.ranks = size_;
    me_.rank = rank_;
    me_.host = host_name();
  }

  EtlResult run() {
    try {
      plan();
      result_.seconds.plan = clock_.lap();
      scan();
      result_.seconds.scan = clock_.lap();
      if (options_.quarantine_file) write_quarantine();
      result_.seconds.quarantine = clock_.lap();
      check_reject_limit();
      reduce();
      result_.seconds.reduce = clock_.lap();
      write_outputs();
      result_.seconds.write = clock_.lap();
      load();
      me_.peak_rss_kb = peak_rss_kb();
      result_.per_rank = gather_reports(comm_, me_);
      publish();
    } catch (const JobFailed& e) {
      discard_outputs();
      write_failed_summary(e.what());
      throw;
    }
    return std::move(result_);
  }

private:
  // Rank 0 resolves the files and opens the outputs early, so a typo fails before the scan; every
  // rank then derives the same shard plan from the broadcast file list.
  void plan() {
    std::string lake_json, mapping_text;
    run_collectively(comm_, [&] {
      if (rank_ != 0) return fault_point("plan", rank_);
      check_outputs(); // the mapping, config and lake directory: before a missing day can fail the run
      result_.lake = resolve_lake_files(options_.lake, options_.days, options_.allow_missing_days);
      check_outputs(); // and now the day files themselves
      if (options_.mapping_file) mapping_text = read_text_file(*options_.mapping_file, "mapping file");
      csv_ = open_output(options_.out);
      if (options_.quarantine_file) quarantine_out_ = open_output(*options_.quarantine_file);
      if (options_.daily_file) daily_out_ = open_output(*options_.daily_file);
      lake_json = lake_to_json(result_.lake);
      for (const Date& d : result_.lake.missing_days)
        std::fprintf(stderr, "bda-etl: warning: no day file for %s (allowed by --allow-missing-days)\n",
                     d.iso().c_str());
      fault_point("plan", rank_);
    });
    broadcast(comm_, lake_json);
    broadcast(comm_, mapping_text);
    run_collectively(comm_, [&] {
      if (rank_ != 0) result_.lake = lake_from_json(lake_json);
      if (options_.mapping_file)
        mapping_ = CategoryMapping::from_json_text(mapping_text, options_.mapping_file->string());
      plan_ = plan_shards(result_.lake, size_);
    });
    if (options_.checkpoint_dir) plan_checkpoints();
    pause_for_fault_tests(rank_);
  }

  // Rank 0 decides which days come from their checkpoints (every rank checks its blocks again
  // before any is used, CheckpointedScan).
  void plan_checkpoints() {
    const std::string settings = checkpoint_settings(mapping_, options_.reader);
    std::string decisions_json;
    run_collectively(comm_, [&] {
      if (rank_ != 0) return;
      const std::filesystem::path& dir = *options_.checkpoint_dir;
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      if (ec || !std::filesystem::is_directory(dir))
        throw OutputError("cannot use --checkpoints " + dir.string() + ": " +
                          (ec ? ec.message() : std::string("not a directory")));
      const auto decisions = decide_checkpoint_use(result_.lake, dir, settings, options_.refresh_checkpoints);
      nlohmann::json j = nlohmann::json::array();
      for (std::size_t f = 0; f < decisions.size(); ++f) {
        const DayDecision& d = decisions[f];
        if (d.damaged)
          std::fprintf(stderr, "bda-etl: warning: %s: %s; parsing %s again\n",
                       day_checkpoint_path(dir, result_.lake.files[f].date).c_str(), d.reason.c_str(),
                       result_.lake.files[f].path.c_str());
        j.push_back({d.reuse, d.reason, d.damaged, d.source.name, d.source.size, d.source.mtime_ns, d.source.edge_crc});
      }
      decisions_json = j.dump();
    });
    broadcast(comm_, decisions_json);
    run_collectively(comm_, [&] {
      std::vector<DayDecision> decisions;
      for (const auto& d : nlohmann::json::parse(decisions_json))
        decisions.push_back(DayDecision{d[0].get<bool>(), d[1].get<std::string>(), d[2].get<bool>(),
                                        SourceIdentity{d[3].get<std::string>(), d[4].get<std::uint64_t>(),
                                                       d[5].get<std::int64_t>(), d[6].get<std::uint32_t>()}});
      checkpointed_ = std::make_unique<CheckpointedScan>(comm_, result_.lake, *options_.checkpoint_dir, settings,
                                                         std::move(decisions), options_.quarantine_file.has_value());
    });
  }

  // Outputs are checked against the inputs before anything is read (SPEC 2b); a summary that
  // clashes is not written even for the failed run.
  void check_outputs() {
    summary_safe_ = summary_is_safe();
    check_output_paths(named_outputs(), named_inputs(), options_.lake);
  }
  std::vector<NamedPath> named_outputs() const {
    std::vector<NamedPath> out = {{"--out", options_.out}};
    if (options_.summary_file) out.push_back({"--summary", *options_.summary_file});
    if (options_.quarantine_file) out.push_back({"--quarantine", *options_.quarantine_file});
    if (options_.daily_file) out.push_back({"--daily", *options_.daily_file});
    return out;
  }
  bool summary_is_safe() const {
    if (!options_.summary_file) return false;
    std::vector<NamedPath> others = named_inputs();
    for (const NamedPath& out : named_outputs())
      if (out.what != "--summary") others.push_back(out);
    return !output_conflict({"--summary", *options_.summary_file}, others, options_.lake);
  }
  std::vector<NamedPath> named_inputs() const {
    std::vector<NamedPath> in;
    for (const DayFile& f : result_.lake.files) in.push_back({"day file", f.path});
    if (options_.mapping_file) in.push_back({"--mapping", *options_.mapping_file});
    for (const NamedPath& p : options_.other_inputs) in.push_back(p);
    return in;
  }

  // Extract and transform this rank's byte ranges, each record going on to the rank that owns its
  // key range as it is read (RecordShuffle), reporting progress to rank 0.
  void scan() {
    if (checkpointed_) return scan_with_checkpoints();
    std::vector<std::string> sample;
    run_collectively(comm_, [&] {
      scanner_ = std::make_unique<ShardScanner>(result_.lake, mapping_, selected_days(), options_.reader);
      merged_ = std::make_unique<ContractTable>(selected_days());
      sample = sample_contracts(result_.lake, my_ranges(), mapping_);
    });
    shuffle_ = std::make_unique<RecordShuffle>(comm_, KeyRanges(choose_splitters(comm_, sample)), *merged_, shuffle_config());
    {
      ProgressReporter progress(comm_, result_.lake.total_bytes(),
                                rank_ == 0 ? options_.progress : ProgressStyle::None);
      std::exception_ptr scan_error, agreed;
      Stopwatch scan_clock;
      try {
        if (options_.quarantine_file) spool_ = std::make_unique<QuarantineSpool>();
        fault_point("scan", rank_);
        scanner_->scan(my_ranges(), *shuffle_, spool_.get(), [&](std::uint64_t done) { progress.update(done); });
      } catch (const ScanStopped&) { // another rank failed: its message is the one to agree on
      } catch (...) {
        scan_error = std::current_exception();
      }
      try {
        shuffle_->finish(scan_error);
      } catch (const JobFailed&) {
        agreed = std::current_exception();
      }
      me_.scan_seconds = scan_clock.total();
      progress.finish(scanner_->counters().bytes);
      if (agreed) std::rethrow_exception(agreed);
    }
    shuffle_stats_ = shuffle_->stats();
    shuffle_.reset();
    count_scanned();
  }

  void scan_with_checkpoints() {
    run_collectively(comm_, [&] {
      scanner_ = std::make_unique<ShardScanner>(result_.lake, mapping_, selected_days(), options_.reader);
      merged_ = std::make_unique<ContractTable>(selected_days());
    });
    Stopwatch scan_clock;
    try {
      checkpointed_->run(*scanner_, *merged_, mapping_, shuffle_config(), options_.progress);
    } catch (const JobFailed&) {
      me_.scan_seconds = scan_clock.total();
      throw;
    }
    me_.scan_seconds = scan_clock.total();
    shuffle_stats_ = checkpointed_->shuffle_stats();
    result_.day_outcomes = checkpointed_->outcomes();
    count_scanned();
  }

  // The totals over all ranks, the reused days' counters (held by rank 0) included.
  void count_scanned() {
    const ScanCounters& mine = scanner_->counters();
    ScanCounters counted = mine;
    if (checkpointed_ && rank_ == 0) counted += checkpointed_->reused_counters();
    result_.totals = sum_counters(comm_, counted);
    me_.bytes = mine.bytes;
    me_.lines = mine.lines;
    me_.records = mine.records;
    me_.rejected = mine.rejected();
  }

  // --memory-mb, or by default 80% of this host's memory shared by the ranks on it.
  ShuffleConfig shuffle_config() {
    ShuffleConfig config;
    if (options_.memory_mb > 0) {
      config.memory_limit_bytes = options_.memory_mb << 20;
    } else {
      MPI_Comm local = MPI_COMM_NULL;
      THROW_IF_MPI_ERROR(MPI_Comm_split_type(comm_, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local));
      int ranks_here = 1;
      THROW_IF_MPI_ERROR(MPI_Comm_size(local, &ranks_here));
      MPI_Comm_free(&local);
      const auto host_bytes = static_cast<std::size_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
      config.memory_limit_bytes = host_bytes / 10 * 8 / static_cast<std::size_t>(ranks_here);
    }
    config.buffer_bytes = std::min(config.buffer_bytes, std::max<std::size_t>(config.memory_limit_bytes / 16, 64 << 10));
    return config;
  }

  // Every rejected line with its file, line number and reason, in input order.
  void write_quarantine() {
    if (checkpointed_) { // every day's rejected lines are in its checkpoint now, in day order
      run_collectively(comm_, [&] {
        if (rank_ != 0) return;
        quarantine_out_->write(kQuarantineHeader);
        checkpointed_->replay_rejected_lines([&](std::string_view block) { quarantine_out_->write(block); });
        quarantine_out_->flush();
      });
      return;
    }
    const auto firsts = first_lines(comm_, plan_, rank_, scanner_->lines_in_range());
    run_collectively(comm_, [&] {
      gather_in_rank_order(
          comm_,
          [&](const BlockSink& sink) {
            if (rank_ == 0) sink(kQuarantineHeader);
            spool_->replay([&](std::uint32_t r) { return result_.lake.files[my_ranges()[r].file].path; },
                           [&](std::uint32_t r) { return firsts[r]; }, kQuarantineBlockBytes, sink);
          },
          [&](std::string_view block) { quarantine_out_->write(block); });
      if (rank_ == 0) quarantine_out_->flush();
    });
    spool_.reset();
  }

  // The same decision on every rank: the totals are global.
  // A run stopped here keeps its complete quarantine (SPEC 2b): it shows why.
  void check_reject_limit() {
    const ScanCounters& t = result_.totals;
    const std::uint64_t non_blank = t.lines - t.blank_lines;
    if (!options_.max_rejects.exceeded(t.rejected(), non_blank)) return;
    run_collectively(comm_, [&] {
      if (rank_ == 0 && quarantine_out_) quarantine_out_->commit();
    });
    throw JobFailed(std::to_string(t.rejected()) + " of " + std::to_string(non_blank) +
                        " non-blank lines were rejected, more than --max-rejects " + options_.max_rejects.describe() +
                        "; no CSV was published" +
                        (options_.quarantine_file ? " (see " + options_.quarantine_file->string() + ")" : ""),
                    1);
  }

  // Rank r ends with the r-th key range, fully merged; then the per-day distinct customers, exact
  // because each contract now lives on one rank.
  void reduce() {
    run_collectively(comm_, [&] { fault_point("reduce", rank_); });
    me_.contracts_after_reduce = merged_->size();
    me_.shuffle_bytes_received = shuffle_stats_.bytes_received;
    me_.shuffle_messages = shuffle_stats_.messages;
    me_.shuffle_seconds = shuffle_stats_.seconds;
    std::uint64_t contracts = merged_->size();
    THROW_IF_MPI_ERROR(MPI_Allreduce(&contracts, &result_.contracts, 1, MPI_UINT64_T, MPI_SUM, comm_));

    // Per-day sums are added on rank 0 with overflow checks (an MPI_SUM would wrap past 2^63-1).
    std::vector<std::uint64_t> mine;
    run_collectively(comm_, [&] {
      DailyUsage& daily = scanner_->daily();
      daily.count_customers(*merged_);
      mine = daily.to_words();
    });
    const auto n = static_cast<int>(mine.size());
    std::vector<std::uint64_t> all(rank_ == 0 ? mine.size() * static_cast<std::size_t>(size_) : 0);
    THROW_IF_MPI_ERROR(MPI_Gather(mine.data(), n, MPI_UINT64_T, all.data(), n, MPI_UINT64_T, 0, comm_));
    run_collectively(comm_, [&] {
      if (rank_ != 0) return;
      DailyUsage sum(options_.days.days()); // with the dates, so an overflow names its day
      for (int r = 0; r < size_; ++r) {
        const auto at = all.begin() + static_cast<std::ptrdiff_t>(mine.size()) * r;
        sum += DailyUsage::from_words(std::vector<std::uint64_t>(at, at + n), options_.days.days());
      }
      sum.total_categories();
      result_.daily = std::move(sum);
    });
  }

  // Rank 0 streams the CSV in key order, one rank's range after another, then the per-day table.
  void write_outputs() {
    std::uint64_t rows_received = 0;
    run_collectively(comm_, [&] {
      rows_received = gather_in_rank_order(
          comm_,
          [&](const BlockSink& sink) {
            fault_point("gather", rank_);
            if (rank_ == 0) sink(kOlapCsvHeader);
            const std::vector<std::uint32_t> rows = merged_->sorted_rows();
            std::string block;
            std::vector<std::uint32_t> slice;
            for (std::size_t at = 0; at < rows.size(); at += kRowsPerBlock) {
              const auto end = std::min(rows.size(), at + kRowsPerBlock);
              slice.assign(rows.begin() + static_cast<std::ptrdiff_t>(at), rows.begin() + static_cast<std::ptrdiff_t>(end));
              block.clear();
              append_profile_rows(block, *merged_, slice, selected_days());
              sink(block);
            }
          },
          [&](std::string_view block) {
            fault_point("write", rank_);
            csv_->write(block);
          },
          kCsvSendAheadBytes);
      if (rank_ != 0) return fault_point("write", rank_); // rank 0's is in the writing itself
      csv_->flush();
      if (daily_out_) {
        std::string text(kDailyUsageCsvHeader);
        append_daily_usage_rows(text, *result_.daily, result_.lake.days_with_files());
        daily_out_->write(text);
        daily_out_->flush();
      }
    });
    result_.rank0_bytes_received = shuffle_stats_.bytes_received + rows_received;
  }

  // The caller's step on the complete, still unpublished outputs (the warehouse load).
  void load() {
    // Agreed first: the load commits on rank 0, so nothing may fail on another rank after it.
    run_collectively(comm_, [&] { fault_point("load", rank_); });
    run_alone_collectively(comm_, [&] {
      if (rank_ == 0 && hooks_.before_publish) hooks_.before_publish(result_, csv_->temp_path());
    });
  }

  // Every output is complete and synced: renames are all that is left, so a failure here is a
  // vanishing directory rather than a full disk.
  void publish() {
    run_collectively(comm_, [&] {
      if (rank_ != 0) return;
      result_.seconds.total = clock_.total();
      std::unique_ptr<AtomicFile> summary;
      if (options_.summary_file) {
        summary = open_output(*options_.summary_file);
        summary->write(run_summary_json(options_, result_));
        summary->flush();
      }
      if (quarantine_out_) quarantine_out_->commit();
      if (daily_out_) daily_out_->commit();
      csv_->commit();
      if (summary) summary->commit();
    });
  }

  // A failed run publishes nothing (the reject limit's quarantine, committed before, stays).
  void discard_outputs() {
    csv_.reset();
    quarantine_out_.reset();
    daily_out_.reset();
  }

  // Rank 0 writes the summary of a failed run too, unless its path is the problem.
  void write_failed_summary(const std::string& error) {
    result_.error = error;
    result_.seconds.total = clock_.total();
    if (rank_ != 0 || !options_.summary_file || !summary_safe_) return;
    try {
      write_file_atomically(*options_.summary_file, run_summary_json(options_, result_));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bda-etl: warning: %s\n", e.what());
    }
  }

  std::uint32_t selected_days() const { return static_cast<std::uint32_t>(options_.days.size()); }
  const std::vector<FileRange>& my_ranges() const { return plan_[static_cast<std::size_t>(rank_)]; }

  MPI_Comm comm_;
  const EtlOptions& options_;
  const EtlHooks& hooks_;
  int rank_ = 0;
  int size_ = 1;
  Stopwatch clock_;
  bool summary_safe_ = false; // rank 0: --summary names no input and no other output
  EtlResult result_;
  RankReport me_;
  CategoryMapping mapping_ = CategoryMapping::defaults();
  std::vector<std::vector<FileRange>> plan_;
  std::unique_ptr<AtomicFile> csv_, quarantine_out_, daily_out_; // rank 0 only
  std::unique_ptr<ShardScanner> scanner_;
  std::unique_ptr<QuarantineSpool> spool_;
  std::unique_ptr<ContractTable> merged_; // this rank's key range, filled during the scan
  std::unique_ptr<RecordShuffle> shuffle_;
  std::unique_ptr<CheckpointedScan> checkpointed_; // with --checkpoints
  ShuffleStats shuffle_stats_;
};

} // namespace

EtlResult run_etl_job(MPI_Comm comm, const EtlOptions& options, const EtlHooks& hooks) {
  return EtlJob(comm, options, hooks).run();
}

} // namespace bda::mpi
