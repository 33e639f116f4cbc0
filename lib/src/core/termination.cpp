#include "bda/core/termination.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <map>
#include <mutex>
#include <thread>

namespace bda {
namespace {

std::mutex last_words_mutex;
std::map<int, std::function<void(int)>> last_words;
int next_id = 0;

sigset_t termination_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

[[noreturn]] void watch() {
  const sigset_t set = termination_signals();
  int sig = SIGTERM;
  while (sigwait(&set, &sig) != 0) {
  }
  {
    std::lock_guard lock(last_words_mutex);
    for (auto& [id, word] : last_words) word(sig);
  }
  ::signal(sig, SIG_DFL);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, sig);
  pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
  ::raise(sig);
  ::_exit(128 + sig); // not reached
}

} // namespace

void install_termination_watcher() {
  const sigset_t set = termination_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread(watch).detach();
}

int add_last_word(std::function<void(int)> last_word) {
  std::lock_guard lock(last_words_mutex);
  last_words.emplace(next_id, std::move(last_word));
  return next_id++;
}

void remove_last_word(int id) {
  std::lock_guard lock(last_words_mutex);
  last_words.erase(id);
}

void request_termination() { ::kill(::getpid(), SIGTERM); }

} // namespace bda
