#include "bda/mpi/progress.hpp"

#include "bda/mpi/error.hpp"

#include "bda/core/error.hpp"

#include <unistd.h>

#include <cstdio>
#include <numeric>

namespace bda::mpi {
namespace {

constexpr int kUpdateTag = 1;
constexpr int kDoneTag = 2;
constexpr int kBarWidth = 30;

} // namespace

std::string human_bytes(double bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int u = 0;
  while (bytes >= 1000 && u < 4) {
    bytes /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

ProgressStyle parse_progress_style(const std::string& text) {
  if (text == "auto") return ProgressStyle::Auto;
  if (text == "bar") return ProgressStyle::Bar;
  if (text == "lines") return ProgressStyle::Lines;
  if (text == "none") return ProgressStyle::None;
  throw UsageError("--progress '" + text + "' is not one of auto, bar, lines, none");
}

ProgressReporter::ProgressReporter(MPI_Comm comm, std::uint64_t total_bytes, ProgressStyle style, ProgressConfig config)
    : total_(total_bytes), enabled_(style != ProgressStyle::None),
      tty_(style == ProgressStyle::Bar || (style == ProgressStyle::Auto && ::isatty(STDERR_FILENO) == 1)),
      config_(config),
      start_(std::chrono::steady_clock::now()) {
  THROW_IF_MPI_ERROR(MPI_Comm_dup(comm, &comm_)); // progress traffic never meets the job's messages
  THROW_IF_MPI_ERROR(MPI_Comm_rank(comm_, &rank_));
  THROW_IF_MPI_ERROR(MPI_Comm_size(comm_, &size_));
  done_bytes_.assign(static_cast<std::size_t>(size_), 0);
}

ProgressReporter::~ProgressReporter() {
  if (pending_ != MPI_REQUEST_NULL) MPI_Wait(&pending_, MPI_STATUS_IGNORE);
  if (comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
}

double ProgressReporter::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressReporter::update(std::uint64_t my_bytes_done) {
  const double now = elapsed();
  if (rank_ != 0) {
    if (now - last_send_ < config_.send_interval) return;
    int ready = 1;
    if (pending_ != MPI_REQUEST_NULL) THROW_IF_MPI_ERROR(MPI_Test(&pending_, &ready, MPI_STATUS_IGNORE));
    if (!ready) return; // rank 0 is busy; never wait for it
    outgoing_ = my_bytes_done;
    THROW_IF_MPI_ERROR(MPI_Isend(&outgoing_, 1, MPI_UINT64_T, 0, kUpdateTag, comm_, &pending_));
    last_send_ = now;
    return;
  }
  done_bytes_[0] = my_bytes_done;
  poll(false);
  if (now - last_print_ >= (tty_ ? config_.print_interval : config_.line_interval)) print(false);
}

void ProgressReporter::poll(bool blocking) {
  for (;;) {
    int arrived = 1;
    MPI_Status status;
    if (!blocking) THROW_IF_MPI_ERROR(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &arrived, &status));
    if (!arrived) return;
    std::uint64_t bytes = 0;
    THROW_IF_MPI_ERROR(MPI_Recv(&bytes, 1, MPI_UINT64_T, blocking ? MPI_ANY_SOURCE : status.MPI_SOURCE,
                                MPI_ANY_TAG, comm_, &status));
    done_bytes_[static_cast<std::size_t>(status.MPI_SOURCE)] = bytes;
    if (status.MPI_TAG == kDoneTag) ++finished_ranks_;
    if (blocking) return;
  }
}

void ProgressReporter::finish(std::uint64_t my_bytes_done) {
  if (rank_ != 0) {
    if (pending_ != MPI_REQUEST_NULL) THROW_IF_MPI_ERROR(MPI_Wait(&pending_, MPI_STATUS_IGNORE));
    outgoing_ = my_bytes_done;
    THROW_IF_MPI_ERROR(MPI_Send(&outgoing_, 1, MPI_UINT64_T, 0, kDoneTag, comm_));
    return;
  }
  done_bytes_[0] = my_bytes_done;
  while (finished_ranks_ < size_ - 1) {
    poll(true);
    if (elapsed() - last_print_ >= (tty_ ? config_.print_interval : config_.line_interval)) print(false);
  }
  print(true);
}

void ProgressReporter::print(bool final) {
  const double now = elapsed();
  last_print_ = now;
  if (!enabled_ || (now < config_.quiet_start && !printed_)) return;
  const double done = static_cast<double>(std::accumulate(done_bytes_.begin(), done_bytes_.end(), std::uint64_t{0}));
  const double share = total_ ? std::min(1.0, done / static_cast<double>(total_)) : 1.0;
  const std::string rate = human_bytes(now > 0 ? done / now : 0) + "/s";
  if (tty_) {
    const int filled = static_cast<int>(share * kBarWidth);
    std::fprintf(stderr, "\rscan [%-*.*s] %5.1f%%  %s  %.0fs%s", kBarWidth, filled,
                 "##############################", share * 100, rate.c_str(), now, final ? "\n" : "");
  } else {
    std::fprintf(stderr, "bda-etl: scan %.1f%% of %s, %s, %.0fs%s\n", share * 100,
                 human_bytes(static_cast<double>(total_)).c_str(), rate.c_str(), now, final ? " (done)" : "");
  }
  std::fflush(stderr);
  printed_ = true;
}

} // namespace bda::mpi
