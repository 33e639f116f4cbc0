#include "bda/output/atomic_file.hpp"

#include "bda/core/error.hpp"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>

namespace bda {
namespace {

// Temporary paths to unlink when the process is terminated: fixed slots, no allocation, so that
// even a signal handler could do it.
constexpr int kTempSlots = 16;
char temp_paths[kTempSlots][PATH_MAX];
std::atomic<bool> slot_used[kTempSlots];

int register_temp(const std::filesystem::path& p) {
  if (p.native().size() >= PATH_MAX) return -1;
  for (int i = 0; i < kTempSlots; ++i) {
    bool expected = false;
    if (slot_used[i].compare_exchange_strong(expected, true)) {
      std::strcpy(temp_paths[i], p.c_str());
      return i;
    }
  }
  return -1; // more than kTempSlots open at once: the destructor still cleans up normally
}

void unregister_temp(int slot) {
  if (slot >= 0) slot_used[slot].store(false);
}

} // namespace

void remove_temporary_files() {
  for (int i = 0; i < kTempSlots; ++i)
    if (slot_used[i].load()) ::unlink(temp_paths[i]);
}

AtomicFile::AtomicFile(std::filesystem::path path) : path_(std::move(path)) {
  const auto dir = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
  temp_ = dir / ("." + path_.filename().string() + ".tmp-" + std::to_string(::getpid()));
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_) throw OutputError("cannot write " + path_.string() + ": " + errno_text(errno));
  signal_slot_ = register_temp(temp_);
}

AtomicFile::~AtomicFile() {
  if (file_) std::fclose(file_);
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
  unregister_temp(signal_slot_);
}

void AtomicFile::write(std::string_view bytes) {
  if (bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    throw OutputError("cannot write " + path_.string() + ": " + errno_text(errno));
}

void AtomicFile::flush() {
  if (!file_) return;
  if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0)
    throw OutputError("cannot write " + path_.string() + ": " + errno_text(errno));
}

void AtomicFile::commit() {
  flush();
  int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) throw OutputError("cannot write " + path_.string() + ": " + errno_text(errno));
  std::error_code ec;
  std::filesystem::rename(temp_, path_, ec);
  if (ec) throw OutputError("cannot rename " + temp_.string() + " to " + path_.string() + ": " + ec.message());
  committed_ = true;
  unregister_temp(signal_slot_);
  signal_slot_ = -1;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
  AtomicFile f(path);
  f.write(bytes);
  f.commit();
}

} // namespace bda
