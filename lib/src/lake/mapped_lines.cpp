#include "mapped_lines.hpp"

#include "bda/core/blank_line.hpp"
#include "bda/core/error.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bda {
namespace {

// Dropping pages costs a TLB flush, so it is done in steps. (Mapping ahead with
// MADV_POPULATE_READ bought nothing measurable: the kernel's fault-around maps 64 KiB per fault.)
constexpr std::uint64_t kReleaseStep = std::uint64_t{16} << 20;

std::uint64_t page_bytes() {
  static const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  return page;
}
std::uint64_t page_floor(std::uint64_t offset) { return offset / page_bytes() * page_bytes(); }
std::uint64_t page_ceil(std::uint64_t offset) { return page_floor(offset + page_bytes() - 1); }

} // namespace

MappedLines::MappedLines(const std::string& path, std::uint64_t begin, std::uint64_t end,
                         const ReaderConfig& config)
    : path_(path), config_(config), begin_(begin), end_(end) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError("cannot open " + path + ": " + errno_text(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    throw InputError("cannot read " + path + ": " + errno_text(e));
  }
  if (!S_ISREG(st.st_mode)) { // replaced since the lake was listed
    ::close(fd);
    throw InputError("cannot read " + path + ": " + (S_ISDIR(st.st_mode) ? errno_text(EISDIR) : "not a regular file"));
  }
  file_size_ = static_cast<std::uint64_t>(st.st_size);
  const std::uint64_t start = begin == 0 ? 0 : begin - 1; // is the byte before the range a '\n'?
  if (start >= file_size_) {
    ::close(fd);
    done_ = true;
    return;
  }
  map_offset_ = page_floor(start);
  map_bytes_ = static_cast<std::size_t>(page_ceil(file_size_) - map_offset_);
  void* map = ::mmap(nullptr, map_bytes_, PROT_READ, MAP_PRIVATE, fd, static_cast<off_t>(map_offset_));
  const int e = errno;
  ::close(fd); // the mapping keeps the file
  if (map == MAP_FAILED) throw InputError("cannot map " + path + ": " + errno_text(e));
  base_ = static_cast<const char*>(map);
  readable_end_ = map_offset_ + map_bytes_;
  released_ = map_offset_;
  pos_ = begin == 0 ? 0 : find_newline(start, file_size_) + 1;
}

MappedLines::~MappedLines() {
  if (base_) ::munmap(const_cast<char*>(base_), map_bytes_);
}

std::uint64_t MappedLines::bytes_consumed() const {
  return std::min(std::max(pos_, begin_) - begin_, end_ - begin_);
}

std::uint64_t MappedLines::find_newline(std::uint64_t from, std::uint64_t to) const {
  const void* nl = from < to ? std::memchr(at(from), '\n', to - from) : nullptr;
  return nl ? static_cast<std::uint64_t>(static_cast<const char*>(nl) - base_) + map_offset_ : to;
}

std::uint64_t MappedLines::find_last_newline(std::uint64_t from, std::uint64_t to) const {
  const void* nl = from < to ? ::memrchr(at(from), '\n', to - from) : nullptr;
  return nl ? static_cast<std::uint64_t>(static_cast<const char*>(nl) - base_) + map_offset_ : to;
}

void MappedLines::release_before(std::uint64_t offset) {
  const std::uint64_t drop_to = page_floor(offset);
  if (drop_to >= released_ + kReleaseStep) {
    ::madvise(const_cast<char*>(at(released_)), drop_to - released_, MADV_DONTNEED);
    released_ = drop_to;
  }
}

void MappedLines::hand_out(LineChunk& chunk, std::uint64_t from, std::uint64_t to, bool oversized, bool blank) {
  const auto n = static_cast<std::size_t>(to - from);
  if (to + kChunkPadding <= readable_end_) {
    chunk = LineChunk{std::string_view(at(from), n), oversized, blank};
    return;
  }
  copy_.resize(n + kChunkPadding);
  std::memcpy(copy_.data(), at(from), n);
  chunk = LineChunk{std::string_view(copy_.data(), n), oversized, blank};
}

bool MappedLines::next(LineChunk& chunk) {
  if (done_) return false;
  release_before(pos_); // the previous block is no longer in use
  if (pos_ >= end_ || pos_ >= file_size_) { // the next line starts in another rank's range
    done_ = true;
    return false;
  }
  const std::uint64_t from = pos_;
  // A block never spans more than max_line_bytes, so every line in it is short enough.
  const std::uint64_t limit = std::min(from + std::min(config_.chunk_bytes, config_.max_line_bytes), file_size_);
  const std::uint64_t last = find_last_newline(from, limit);
  if (last < limit) {
    std::uint64_t cut = last + 1;
    if (cut > end_) { // stop after the line that crosses end_
      cut = find_newline(end_ - 1, limit) + 1;
      done_ = true;
    }
    hand_out(chunk, from, cut, false, false);
    pos_ = cut;
    return true;
  }
  // No '\n' within a block: one line of more than chunk_bytes, or the file's unterminated end.
  const std::uint64_t max_line = config_.max_line_bytes;
  const std::uint64_t line_limit = std::min(from + max_line + 1, file_size_);
  const std::uint64_t nl = find_newline(limit, line_limit);
  if (nl < line_limit || file_size_ - from <= max_line) {
    const std::uint64_t cut = nl < line_limit ? nl + 1 : file_size_;
    hand_out(chunk, from, cut, false, false);
    pos_ = cut;
    return true;
  }
  // Longer than max_line_bytes: hand out its head, skip the rest a step at a time (dropping the
  // pages behind), noting whether every byte is blank (then it is no long line at all).
  const std::uint64_t head_end = from + max_line;
  bool blank = is_blank_line(std::string_view(at(from), static_cast<std::size_t>(max_line)));
  std::uint64_t at_byte = head_end;
  std::uint64_t line_end = file_size_;
  while (at_byte < file_size_) {
    const std::uint64_t step_end = std::min(page_floor(at_byte) + kReleaseStep, file_size_);
    const std::uint64_t found = find_newline(at_byte, step_end);
    const std::uint64_t stop = std::min(found, step_end);
    blank = blank && is_blank_line(std::string_view(at(at_byte), static_cast<std::size_t>(stop - at_byte)));
    if (found < step_end) {
      line_end = found;
      break;
    }
    const std::uint64_t drop_from = page_ceil(at_byte);
    if (page_floor(step_end) > drop_from)
      ::madvise(const_cast<char*>(at(drop_from)), page_floor(step_end) - drop_from, MADV_DONTNEED);
    at_byte = step_end;
  }
  pos_ = line_end < file_size_ ? line_end + 1 : file_size_;
  if (pos_ >= file_size_) done_ = true;
  hand_out(chunk, from, head_end, true, blank);
  return true;
}

} // namespace bda
