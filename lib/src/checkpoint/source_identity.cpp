#include "bda/checkpoint/source_identity.hpp"

#include "bda/core/error.hpp"
#include "bda/core/file_descriptor.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include <filesystem>
#include <vector>

namespace bda {
namespace {

constexpr std::uint64_t kEdgeBytes = 64 * 1024;

std::uint32_t crc_of(int fd, std::uint64_t offset, std::uint64_t bytes, std::uint32_t crc, const std::string& path) {
  std::vector<unsigned char> buffer(bytes);
  std::uint64_t done = 0;
  while (done < bytes) {
    const ssize_t n = ::pread(fd, buffer.data() + done, bytes - done, static_cast<off_t>(offset + done));
    if (n < 0) throw InputError("cannot read " + path + ": " + errno_text(errno));
    if (n == 0) throw InputError("cannot read " + path + ": it became shorter while being read");
    done += static_cast<std::uint64_t>(n);
  }
  return static_cast<std::uint32_t>(::crc32(crc, buffer.data(), static_cast<uInt>(bytes)));
}

} // namespace

SourceIdentity identify_day_file(const DayFile& file) {
  FileDescriptor fd(::open(file.path.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0) throw InputError("cannot read " + file.path + ": " + errno_text(errno));
  SourceIdentity id;
  id.name = std::filesystem::path(file.path).filename().string();
  id.size = static_cast<std::uint64_t>(st.st_size);
  id.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  const std::uint64_t head = std::min(id.size, kEdgeBytes);
  std::uint32_t crc = crc_of(fd.get(), 0, head, static_cast<std::uint32_t>(::crc32(0, nullptr, 0)), file.path);
  if (id.size > head) {
    const std::uint64_t tail = std::min(id.size - head, kEdgeBytes);
    crc = crc_of(fd.get(), id.size - tail, tail, crc, file.path);
  }
  id.edge_crc = crc;
  return id;
}

std::string describe_change(const SourceIdentity& was, const SourceIdentity& now) {
  if (was.name != now.name) return "file name " + was.name + " -> " + now.name;
  if (was.size != now.size) return "size " + std::to_string(was.size) + " -> " + std::to_string(now.size) + " bytes";
  if (was.mtime_ns != now.mtime_ns) return "modification time changed";
  if (was.edge_crc != now.edge_crc) return "content changed";
  return "";
}

} // namespace bda
