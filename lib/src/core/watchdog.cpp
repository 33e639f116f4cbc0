#include "bda/core/watchdog.hpp"

#include "bda/core/termination.hpp"

#include <cstdio>

namespace bda {

Watchdog::Watchdog(std::chrono::seconds limit, std::string who) {
  if (limit.count() <= 0) return;
  thread_ = std::thread([this, limit, who = std::move(who)] {
    std::unique_lock lock(mutex_);
    if (done_.wait_for(lock, limit, [this] { return finished_; })) return;
    std::fprintf(stderr, "bda-etl: error: %s: the job did not finish within --timeout %llds; ending it\n",
                 who.c_str(), static_cast<long long>(limit.count()));
    std::fflush(stderr);
    request_termination(); // the termination watcher removes temporary outputs, then the process ends
  });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    finished_ = true;
  }
  done_.notify_all();
  if (thread_.joinable()) thread_.join();
}

} // namespace bda
