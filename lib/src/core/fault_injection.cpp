#include "bda/core/fault_injection.hpp"

#include "bda/core/error.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <string>
#include <thread>

namespace bda {

#ifdef BDA_FAULT_INJECTION

void fault_point(std::string_view phase, int rank) {
  const char* spec = std::getenv("BDA_TEST_FAULT");
  if (!spec) return;
  const std::string_view s(spec);
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || s.substr(0, colon) != phase) return;
  std::string_view rest = s.substr(colon + 1), kind = "throw";
  if (const auto second = rest.find(':'); second != std::string_view::npos) {
    kind = rest.substr(second + 1);
    rest = rest.substr(0, second);
  }
  if (rest != std::to_string(rank)) return;
  if (kind == "oom") throw std::bad_alloc();
  if (kind == "exit") std::_Exit(3);
  if (kind == "hang")
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
  throw Error("injected fault in the " + std::string(phase) + " phase");
}

void pause_for_fault_tests(int rank) {
  const char* dir = std::getenv("BDA_TEST_PAUSE_AFTER_PLAN");
  if (!dir) return;
  const std::filesystem::path d(dir);
  std::ofstream(d / ("planned." + std::to_string(rank))) << ::getpid() << "\n";
  for (int i = 0; i < 600 && !std::filesystem::exists(d / "go"); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

#else

void fault_point(std::string_view, int) {}
void pause_for_fault_tests(int) {}

#endif

} // namespace bda
