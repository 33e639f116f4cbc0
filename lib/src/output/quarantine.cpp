#include "bda/output/quarantine.hpp"

#include "bda/core/error.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace bda {
namespace {

struct RecordHeader {
  std::uint32_t range;
  std::uint32_t reason;
  std::uint64_t line;
  std::uint64_t length;
};

} // namespace

std::filesystem::path QuarantineSpool::default_directory() {
  const char* dir = std::getenv("TMPDIR");
  return dir && *dir ? std::filesystem::path(dir) : std::filesystem::path("/tmp");
}

// std::tmpfile() ignores TMPDIR, which is where a cluster job's scratch space is.
QuarantineSpool::QuarantineSpool(const std::filesystem::path& directory) : directory_(directory.string()) {
  auto fail = [&](const std::string& what, int err) {
    return OutputError(what + " the quarantine spool in " + directory_ + " (TMPDIR): " + errno_text(err));
  };
  std::string name = (directory / "bda-quarantine-XXXXXX").string();
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) throw fail("cannot create", errno);
  if (::unlink(name.c_str()) != 0) {
    const int err = errno;
    ::close(fd);
    throw fail("cannot unlink", err);
  }
  file_ = ::fdopen(fd, "w+b");
  if (!file_) {
    const int err = errno;
    ::close(fd);
    throw fail("cannot open", err);
  }
}

QuarantineSpool::~QuarantineSpool() { std::fclose(file_); }

void QuarantineSpool::add(std::uint32_t range, std::uint64_t line_in_range, RejectReason reason,
                          std::string_view text) {
  RecordHeader h{range, static_cast<std::uint32_t>(reason), line_in_range, text.size()};
  if (std::fwrite(&h, sizeof h, 1, file_) != 1 || std::fwrite(text.data(), 1, text.size(), file_) != text.size())
    throw OutputError("cannot write the quarantine spool in " + directory_ + ": " + errno_text(errno));
  ++count_;
}

void QuarantineSpool::replay(const std::function<std::string(std::uint32_t)>& file_of,
                             const std::function<std::uint64_t(std::uint32_t)>& first_line, std::size_t block_bytes,
                             const std::function<void(std::string_view)>& sink) {
  if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0)
    throw OutputError("cannot rewind the quarantine spool in " + directory_ + ": " + errno_text(errno));
  std::string block, text;
  RecordHeader h{};
  for (std::uint64_t i = 0; i < count_; ++i) {
    text.resize(0);
    if (std::fread(&h, sizeof h, 1, file_) != 1) throw OutputError("quarantine spool is truncated");
    text.resize(h.length);
    if (h.length > 0 && std::fread(text.data(), 1, h.length, file_) != h.length)
      throw OutputError("quarantine spool is truncated");
    block += file_of(h.range);
    block += '\t';
    block += std::to_string(first_line(h.range) + h.line - 1);
    block += '\t';
    block += name_of(static_cast<RejectReason>(h.reason));
    block += '\t';
    block += text;
    block += '\n';
    if (block.size() >= block_bytes) {
      sink(block);
      block.clear();
    }
  }
  if (!block.empty()) sink(block);
}

} // namespace bda
