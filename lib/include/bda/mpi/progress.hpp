// Live progress of the scan on rank 0's stderr, fed by small non-blocking messages from the ranks.
#pragma once

#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace bda::mpi {

//! Auto: a live bar when stderr is a terminal, whole lines otherwise. Under mpirun stderr is
//! always a pipe (Open MPI forwards it), so Bar forces the bar for an interactive mpirun.
enum class ProgressStyle : std::uint8_t { Auto, Bar, Lines, None };

//! "auto", "bar", "lines", "none"; throws UsageError naming --progress otherwise.
ProgressStyle parse_progress_style(const std::string& text);

struct ProgressConfig {
  static constexpr double kDefaultSendInterval = 0.25;  //!< seconds between a rank's reports
  static constexpr double kDefaultPrintInterval = 0.5;  //!< seconds between redraws on a terminal
  static constexpr double kDefaultLineInterval = 5.0;   //!< seconds between lines when not a terminal
  static constexpr double kDefaultQuietStart = 2.0;     //!< short runs print nothing
  double send_interval = kDefaultSendInterval;
  double print_interval = kDefaultPrintInterval;
  double line_interval = kDefaultLineInterval;
  double quiet_start = kDefaultQuietStart;
};

//! Every rank calls update() as it reads and finish() when its scan ends (also after a failure).
//! Ranks > 0 send their byte counts to rank 0 at most every send_interval, never waiting on it;
//! rank 0 folds them in whenever it calls update() itself, and in finish() until all ranks are done.
class ProgressReporter {
public:
  //! Collective (duplicates `comm`). `total_bytes` and `style` matter on rank 0 only.
  ProgressReporter(MPI_Comm comm, std::uint64_t total_bytes, ProgressStyle style, ProgressConfig config = {});
  ~ProgressReporter();
  ProgressReporter(const ProgressReporter&) = delete;
  ProgressReporter& operator=(const ProgressReporter&) = delete;

  void update(std::uint64_t my_bytes_done);
  //! Collective: returns on rank 0 when every rank has finished.
  void finish(std::uint64_t my_bytes_done);

private:
  double elapsed() const;
  void poll(bool blocking);
  void print(bool final);

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0;
  int size_ = 1;
  std::uint64_t total_ = 0;
  bool enabled_ = false;
  bool tty_ = false;
  ProgressConfig config_;
  std::chrono::steady_clock::time_point start_;
  double last_send_ = -1e9;
  double last_print_ = 0;
  bool printed_ = false;
  std::uint64_t outgoing_ = 0;
  MPI_Request pending_ = MPI_REQUEST_NULL;
  std::vector<std::uint64_t> done_bytes_; // rank 0: latest count per rank
  int finished_ranks_ = 0;
};

//! "1.23 GB", "456.7 MB" style sizes for messages.
std::string human_bytes(double bytes);

} // namespace bda::mpi
