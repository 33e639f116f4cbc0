#include "bda/core/text_file.hpp"

#include "bda/core/error.hpp"
#include "bda/core/file_descriptor.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace bda {
std::string read_text_file(const std::filesystem::path& path, const char* what) {
  auto fail = [&](const std::string& reason) {
    return UsageError(std::string("cannot read ") + what + " " + path.string() + ": " + reason);
  };
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw fail(errno_text(errno));
  // A directory opens fine for reading and then fails with EISDIR: say what it is, rather than
  // hand the caller an empty text to call "not valid JSON".
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw fail(errno_text(errno));
  if (S_ISDIR(st.st_mode)) throw fail(path.string() + " is a directory");
  std::string text;
  char block[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd.get(), block, sizeof block);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw fail(errno_text(errno));
    if (got == 0) break;
    text.append(block, static_cast<std::size_t>(got));
  }
  return text;
}

} // namespace bda
