#include "bda/output/atomic_file.hpp"

#include "bda/core/error.hpp"

#include <unistd.h>

#include <cerrno>

namespace bda {

AtomicFile::AtomicFile(std::filesystem::path path) : path_(std::move(path)) {
  const auto dir = path_.has_parent_path() ? path_.parent_path() : std::filesystem::path(".");
  temp_ = dir / ("." + path_.filename().string() + ".tmp-" + std::to_string(::getpid()));
  file_ = std::fopen(temp_.c_str(), "wb");
  if (!file_) throw OutputError("cannot write " + path_.string() + ": " + errno_text(errno));
}

AtomicFile::~AtomicFile() {
  if (file_) std::fclose(file_);
  if (!committed_) {
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

void AtomicFile::write(std::string_view bytes) {
  if (bytes.empty()) return;
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size())
    throw OutputError("cannot write " + path_.string() + ": " + errno_text(errno));
}

void AtomicFile::commit() {
  if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0)
    throw OutputError("cannot write " + path_.string() + ": " + errno_text(errno));
  int rc = std::fclose(file_);
  file_ = nullptr;
  if (rc != 0) throw OutputError("cannot write " + path_.string() + ": " + errno_text(errno));
  std::error_code ec;
  std::filesystem::rename(temp_, path_, ec);
  if (ec) throw OutputError("cannot rename " + temp_.string() + " to " + path_.string() + ": " + ec.message());
  committed_ = true;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
  AtomicFile f(path);
  f.write(bytes);
  f.commit();
}

} // namespace bda
