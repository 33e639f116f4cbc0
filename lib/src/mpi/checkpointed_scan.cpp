#include "bda/mpi/checkpointed_scan.hpp"

#include "bda/core/fault_injection.hpp"
#include "bda/mpi/error.hpp"
#include "bda/mpi/job_status.hpp"
#include "bda/mpi/ordered_gather.hpp"
#include "bda/mpi/record_shuffle.hpp"
#include "bda/mpi/scan_collectives.hpp"
#include "bda/output/quarantine.hpp"
#include "bda/scan/key_sample.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace bda::mpi {
namespace {

constexpr std::size_t kRejectedBlockBytes = std::size_t{1} << 20;
constexpr std::size_t kMaxCheckpointSampleKeys = 1024;

ScanCounters minus(const ScanCounters& after, const ScanCounters& before) {
  ScanCounters d;
  d.bytes = after.bytes - before.bytes;
  d.lines = after.lines - before.lines;
  d.blank_lines = after.blank_lines - before.blank_lines;
  d.records = after.records - before.records;
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) d.rejects[i] = after.rejects[i] - before.rejects[i];
  return d;
}

} // namespace

//! Rank r owns the keys k with lo <= k < hi (KeyRanges: the number of splitters <= k is r).
struct CheckpointedScan::Bounds {
  std::optional<std::string> lo, hi;
  bool empty = false; // fewer splitters than ranks: this rank owns no key

  Bounds(const KeyRanges& ranges, int rank) {
    const auto& s = ranges.splitters();
    const auto r = static_cast<std::size_t>(rank);
    if (r > 0) {
      if (r - 1 >= s.size()) {
        empty = true;
        return;
      }
      lo = s[r - 1];
    }
    if (r < s.size()) hi = s[r];
    if (lo && hi && *lo >= *hi) empty = true;
  }
};

CheckpointedScan::CheckpointedScan(MPI_Comm comm, const LakeFiles& lake, std::filesystem::path dir,
                                   std::string settings, std::vector<DayDecision> decisions, bool rejected_lines_wanted)
    : comm_(comm), lake_(lake), dir_(std::move(dir)), settings_(std::move(settings)), decisions_(std::move(decisions)),
      rejected_lines_wanted_(rejected_lines_wanted), readers_(lake.files.size()), damage_(lake.files.size()),
      outcomes_(lake.files.size()) {
  THROW_IF_MPI_ERROR(MPI_Comm_rank(comm, &rank_));
  THROW_IF_MPI_ERROR(MPI_Comm_size(comm, &size_));
  if (decisions_.size() != lake.files.size()) throw std::invalid_argument("one checkpoint decision per day file");
}

CheckpointedScan::~CheckpointedScan() = default;

void CheckpointedScan::run(ShardScanner& scanner, ContractTable& merged, const CategoryMapping& mapping,
                           const ShuffleConfig& config, ProgressStyle progress_style) {
  std::vector<std::string> keys;
  run_collectively(comm_, [&] {
    open_reused();
    keys = sample(mapping);
  });
  const KeyRanges ranges(choose_splitters(comm_, keys));
  const Bounds bounds(ranges, rank_);
  verify_reused(bounds);
  run_collectively(comm_, [&] { count_reused(scanner); });

  std::uint64_t parse_bytes = 0;
  for (std::uint32_t f = 0; f < lake_.files.size(); ++f)
    if (!decisions_[f].reuse) parse_bytes += lake_.files[f].size;
  {
    ProgressReporter progress(comm_, parse_bytes, rank_ == 0 ? progress_style : ProgressStyle::None);
    ContractTable day_table(merged.day_count()); // one day's share at a time, its memory kept for the next
    try {
      for (std::uint32_t f = 0; f < lake_.files.size(); ++f)
        if (!decisions_[f].reuse) parse_day(f, ranges, scanner, day_table, config, progress);
    } catch (...) {
      progress.finish(scanner.counters().bytes);
      throw;
    }
    progress.finish(scanner.counters().bytes);
  }
  // Every day has its checkpoint now: the period is their k-way merge over this rank's key range.
  run_collectively(comm_, [&] {
    std::vector<std::unique_ptr<DayCheckpointCursor>> cursors;
    std::vector<DayCheckpointCursor*> heads;
    for (std::uint32_t f = 0; f < lake_.files.size(); ++f) {
      if (!readers_[f]) {
        const auto path = day_checkpoint_path(dir_, lake_.files[f].date);
        readers_[f] = std::make_unique<DayCheckpointReader>(path, read_day_checkpoint_info(path));
      }
      if (bounds.empty) continue;
      cursors.push_back(std::make_unique<DayCheckpointCursor>(*readers_[f], lake_.files[f].day_index, bounds.lo, bounds.hi));
      heads.push_back(cursors.back().get());
    }
    fault_point("checkpoint-merge", rank_);
    try {
      merge_days(heads, merged);
    } catch (const CheckpointError& e) {
      throw InputError(std::string("merging the day checkpoints in ") + dir_.string() + ": " + e.what());
    }
  });
  for (std::uint32_t f = 0; f < lake_.files.size(); ++f)
    outcomes_[f] = DayOutcome{decisions_[f].reuse, decisions_[f].reuse ? "" : decisions_[f].reason};
}

// Every rank reads the footers itself: the blocks it needs depend on its key range.
void CheckpointedScan::open_reused() {
  for (std::uint32_t f = 0; f < lake_.files.size(); ++f) {
    if (!decisions_[f].reuse) continue;
    const auto path = day_checkpoint_path(dir_, lake_.files[f].date);
    try {
      DayCheckpointInfo info = read_day_checkpoint_info(path);
      if (info.settings != settings_ || info.source != decisions_[f].source) throw CheckpointError("changed during the run");
      readers_[f] = std::make_unique<DayCheckpointReader>(path, std::move(info));
    } catch (const Error& e) { // CheckpointError or InputError: rebuilt, not fatal
      damage_[f] = e.what();
    }
  }
}

// The splitters balance the parsed days' records (sampled as a plain run does) and the reused
// days' contracts (rank 0 adds the first keys of their blocks, spread evenly).
std::vector<std::string> CheckpointedScan::sample(const CategoryMapping& mapping) {
  std::vector<FileRange> mine;
  for (std::uint32_t f = 0; f < lake_.files.size(); ++f)
    if (!decisions_[f].reuse) {
      const auto plan = day_plan(f);
      const auto& ranges = plan[static_cast<std::size_t>(rank_)];
      mine.insert(mine.end(), ranges.begin(), ranges.end());
    }
  std::vector<std::string> keys = sample_contracts(lake_, mine, mapping);
  if (rank_ != 0) return keys;
  std::vector<const std::string*> firsts;
  for (const auto& reader : readers_)
    if (reader)
      for (const CheckpointBlock& b : reader->info().blocks) firsts.push_back(&b.first_key);
  const std::size_t step = std::max<std::size_t>(1, firsts.size() / kMaxCheckpointSampleKeys);
  for (std::size_t i = 0; i < firsts.size(); i += step) keys.push_back(*firsts[i]);
  return keys;
}

// Each rank checks the blocks it will read; together they check every block. A damaged day is
// parsed instead, on every rank, before any checkpoint's entries are used.
void CheckpointedScan::verify_reused(const Bounds& bounds) {
  run_collectively(comm_, [&] {
    for (std::uint32_t f = 0; f < lake_.files.size(); ++f) {
      if (!readers_[f]) continue;
      try {
        if (!bounds.empty)
          for (std::size_t b : readers_[f]->blocks_for(bounds.lo, bounds.hi)) readers_[f]->read_block(b);
        if (rank_ == 0 && rejected_lines_wanted_) readers_[f]->rejected_lines();
      } catch (const Error& e) {
        damage_[f] = e.what();
        readers_[f].reset();
      }
    }
  });
  std::string damaged; // "file\tmessage\n" per damaged day of each rank, gathered on rank 0
  run_collectively(comm_, [&] {
    gather_in_rank_order(
        comm_,
        [&](const BlockSink& sink) {
          std::string lines;
          for (std::uint32_t f = 0; f < lake_.files.size(); ++f)
            if (decisions_[f].reuse && !damage_[f].empty())
              lines += std::to_string(f) + '\t' + std::to_string(rank_) + '\t' + damage_[f] + '\n';
          if (!lines.empty()) sink(lines);
        },
        [&](std::string_view block) { damaged += block; });
  });
  std::vector<char> parse(lake_.files.size(), 0);
  if (rank_ == 0) {
    std::istringstream in(damaged);
    for (std::string line; std::getline(in, line);) {
      const auto tab1 = line.find('\t'), tab2 = line.find('\t', tab1 + 1);
      const auto f = static_cast<std::uint32_t>(std::stoul(line.substr(0, tab1)));
      if (parse[f]) continue; // the lowest rank's message is enough
      parse[f] = 1;
      const std::string path = day_checkpoint_path(dir_, lake_.files[f].date).string();
      std::string why = "checkpoint damaged: " + line.substr(tab2 + 1);
      if (size_ > 1) why += " (found by rank " + line.substr(tab1 + 1, tab2 - tab1 - 1) + ")";
      std::fprintf(stderr, "bda-etl: warning: %s: %s; parsing %s again\n", path.c_str(), why.c_str(),
                   lake_.files[f].path.c_str());
      decisions_[f].reuse = false;
      decisions_[f].damaged = true;
      decisions_[f].reason = why;
    }
  }
  THROW_IF_MPI_ERROR(MPI_Bcast(parse.data(), static_cast<int>(parse.size()), MPI_CHAR, 0, comm_));
  for (std::uint32_t f = 0; f < lake_.files.size(); ++f)
    if (parse[f]) {
      decisions_[f].reuse = false;
      readers_[f].reset();
    }
}

void CheckpointedScan::count_reused(ShardScanner& scanner) {
  if (rank_ != 0) return;
  for (std::uint32_t f = 0; f < lake_.files.size(); ++f) {
    if (!decisions_[f].reuse) continue;
    reused_counters_ += readers_[f]->info().counters;
    scanner.daily().add_day(lake_.files[f].day_index, readers_[f]->info().usage);
  }
}

std::vector<std::vector<FileRange>> CheckpointedScan::day_plan(std::uint32_t file) const {
  LakeFiles one;
  one.files.push_back(lake_.files[file]);
  auto plan = plan_shards(one, size_);
  for (auto& ranges : plan)
    for (FileRange& r : ranges) r.file = file;
  return plan;
}

// One day through scan and reduce-by-key into a day table, then its checkpoint: each rank encodes
// its key range, rank 0 writes the blocks in rank order, which is key order.
void CheckpointedScan::parse_day(std::uint32_t file, const KeyRanges& ranges, ShardScanner& scanner,
                                 ContractTable& day_table, const ShuffleConfig& config, ProgressReporter& progress) {
  const DayFile& day = lake_.files[file];
  const auto plan = day_plan(file);
  const auto& mine = plan[static_cast<std::size_t>(rank_)];
  day_table.clear();
  std::unique_ptr<QuarantineSpool> spool;
  run_collectively(comm_, [&] { spool = std::make_unique<QuarantineSpool>(); });
  const ScanCounters before = scanner.counters();
  {
    RecordShuffle shuffle(comm_, ranges, day_table, config);
    std::exception_ptr scan_error, agreed;
    try {
      scanner.scan(mine, shuffle, spool.get(), [&](std::uint64_t done) { progress.update(done); });
    } catch (const ScanStopped&) {
    } catch (...) {
      scan_error = std::current_exception();
    }
    try {
      shuffle.finish(scan_error);
    } catch (const JobFailed&) {
      agreed = std::current_exception();
    }
    const ShuffleStats& s = shuffle.stats();
    stats_.bytes_sent += s.bytes_sent;
    stats_.bytes_received += s.bytes_received;
    stats_.messages += s.messages;
    stats_.seconds += s.seconds;
    if (agreed) std::rethrow_exception(agreed);
  }
  DayCheckpointInfo info;
  info.settings = settings_;
  info.date = day.date;
  info.source = decisions_[file].source;
  info.counters = sum_counters(comm_, minus(scanner.counters(), before));

  // The day's sessions and durations, summed on rank 0 with the usual overflow checks.
  std::vector<std::uint64_t> words;
  for (std::size_t c = 0; c < kCategoryCount; ++c) {
    words.push_back(scanner.daily().days()[day.day_index].sessions[c]);
    words.push_back(scanner.daily().days()[day.day_index].duration[c]);
  }
  std::vector<std::uint64_t> all(rank_ == 0 ? words.size() * static_cast<std::size_t>(size_) : 0);
  THROW_IF_MPI_ERROR(MPI_Gather(words.data(), static_cast<int>(words.size()), MPI_UINT64_T, all.data(),
                                static_cast<int>(words.size()), MPI_UINT64_T, 0, comm_));
  const auto firsts = first_lines(comm_, plan, rank_, scanner.lines_in_range());
  std::string rejected; // rank 0: quarantine lines without their file column
  run_collectively(comm_, [&] {
    if (rank_ == 0) {
      DailyUsage sum(1);
      for (int r = 0; r < size_; ++r) {
        DayUsage u;
        for (std::size_t c = 0; c < kCategoryCount; ++c) {
          u.sessions[c] = all[static_cast<std::size_t>(r) * words.size() + 2 * c];
          u.duration[c] = all[static_cast<std::size_t>(r) * words.size() + 2 * c + 1];
        }
        sum.add_day(0, u);
      }
      info.usage = sum.days()[0];
    }
    gather_in_rank_order(
        comm_,
        [&](const BlockSink& sink) {
          spool->replay([](std::uint32_t) { return std::string(); }, [&](std::uint32_t r) { return firsts[r]; },
                        kRejectedBlockBytes, sink);
        },
        [&](std::string_view block) { rejected += block; });
  });
  spool.reset();
  run_collectively(comm_, [&] {
    std::unique_ptr<DayCheckpointWriter> writer;
    if (rank_ == 0) writer = std::make_unique<DayCheckpointWriter>(day_checkpoint_path(dir_, day.date));
    gather_in_rank_order(
        comm_,
        [&](const BlockSink& sink) {
          DayBlockEncoder encoder;
          const std::vector<std::uint32_t> rows = day_table.sorted_rows();
          constexpr std::size_t kPrefetchAhead = 16; // rows in key order are scattered in memory
          for (std::size_t i = 0; i < rows.size(); ++i) {
            if (i + kPrefetchAhead < rows.size()) day_table.prefetch(rows[i + kPrefetchAhead]);
            const std::uint32_t row = rows[i];
            encoder.add(day_table.key(row), day_table.day_mask(row, day.day_index), day_table.state(row).duration);
            if (encoder.full()) sink(encoder.take());
          }
          if (!encoder.empty()) sink(encoder.take());
        },
        [&](std::string_view block) { writer->add_block(block); });
    fault_point("checkpoint-write", rank_);
    if (writer) writer->commit(std::move(info), rejected);
  });
}

void CheckpointedScan::replay_rejected_lines(const std::function<void(std::string_view)>& sink) const {
  std::string block;
  for (const DayFile& day : lake_.files) {
    const auto path = day_checkpoint_path(dir_, day.date);
    DayCheckpointReader reader(path, read_day_checkpoint_info(path));
    const std::string lines = reader.rejected_lines();
    for (std::size_t at = 0; at < lines.size();) {
      const std::size_t nl = lines.find('\n', at);
      if (nl == std::string::npos) throw CheckpointError("rejected lines end without a newline");
      block += day.path;
      block.append(lines, at, nl + 1 - at);
      at = nl + 1;
      if (block.size() >= kRejectedBlockBytes) {
        sink(block);
        block.clear();
      }
    }
  }
  if (!block.empty()) sink(block);
}

} // namespace bda::mpi
