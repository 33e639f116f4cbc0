// A wall-clock limit for one process: when it expires the process says why and ends itself in
// order (request_termination: temporary outputs removed, the run marked failed), so mpirun ends the job instead of waiting forever
// on a rank that hangs (a stalled file system, a stopped process).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace bda {

class Watchdog {
public:
  //! A zero limit disarms it. `who` prefixes the message, e.g. "rank 1 on node7".
  Watchdog(std::chrono::seconds limit, std::string who);
  //! Disarms and joins the timer thread.
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

private:
  std::mutex mutex_;
  std::condition_variable done_;
  bool finished_ = false;
  std::thread thread_;
};

} // namespace bda
