#include "bda/lake/line_chunk_reader.hpp"

#include "mapped_lines.hpp"

#include "bda/core/blank_line.hpp"
#include "bda/core/error.hpp"

#include <zlib.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

namespace bda {

namespace {

class FileHandle {
public:
  explicit FileHandle(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) throw InputError("cannot open " + path + ": " + errno_text(errno));
  }
  ~FileHandle() { ::close(fd_); }
  FileHandle(const FileHandle&) = delete;
  FileHandle& operator=(const FileHandle&) = delete;
  int fd() const { return fd_; }

private:
  int fd_;
};

} // namespace

//! A whole gzip file (one or more members), inflated.
class GzipSource {
public:
  static constexpr std::size_t kInputBytes = std::size_t{1} << 20;
  static constexpr int kAutoDetectGzip = 15 + 32; // windowBits: max window, gzip or zlib header

  explicit GzipSource(const std::string& path) : path_(path), file_(path), input_(kInputBytes) {
    std::memset(&zs_, 0, sizeof zs_);
    if (inflateInit2(&zs_, kAutoDetectGzip) != Z_OK) throw InputError("cannot initialise zlib for " + path_);
  }
  ~GzipSource() { inflateEnd(&zs_); }

  //! Up to n bytes into dst; 0 means end of data.
  std::size_t read(char* dst, std::size_t n) {
    zs_.next_out = reinterpret_cast<Bytef*>(dst);
    zs_.avail_out = static_cast<uInt>(std::min<std::size_t>(n, std::numeric_limits<uInt>::max()));
    while (zs_.avail_out > 0) {
      if (zs_.avail_in == 0 && !input_eof_) refill();
      if (zs_.avail_in == 0 && input_eof_) {
        if (!member_done_) throw InputError(path_ + ": truncated gzip stream (unexpected end of file)");
        break;
      }
      if (member_done_) { // a further gzip member follows (concatenated .gz files are valid)
        if (inflateReset(&zs_) != Z_OK) throw InputError(path_ + ": zlib reset failed");
        member_done_ = false;
      }
      int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        member_done_ = true;
      } else if (rc == Z_BUF_ERROR && zs_.avail_in == 0) {
        continue; // needs more input
      } else if (rc != Z_OK) {
        throw InputError(path_ + ": corrupt gzip data (" + (zs_.msg ? zs_.msg : "zlib error " + std::to_string(rc)) +
                         ")");
      }
    }
    return n - zs_.avail_out;
  }
  std::uint64_t consumed() const { return consumed_; }

private:
  void refill() {
    for (;;) {
      ssize_t got = ::read(file_.fd(), input_.data(), input_.size());
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) throw InputError("cannot read " + path_ + ": " + errno_text(errno));
      if (got == 0) input_eof_ = true;
      consumed_ += static_cast<std::uint64_t>(got);
      zs_.next_in = reinterpret_cast<Bytef*>(input_.data());
      zs_.avail_in = static_cast<uInt>(got);
      return;
    }
  }

  std::string path_;
  FileHandle file_;
  std::vector<char> input_;
  z_stream zs_;
  std::uint64_t consumed_ = 0;
  bool input_eof_ = false;
  bool member_done_ = false;
};

LineChunkReader::LineChunkReader(const DayFile& file, const FileRange& range, const ReaderConfig& config)
    : config_(config), capacity_(std::min(config.chunk_bytes, config.max_line_bytes)) {
  if (range.whole_gzip || file.gzip) { // a gzip file is one range, read whole
    source_ = std::make_unique<GzipSource>(file.path);
    buffer_.resize(capacity_ + kChunkPadding);
  } else {
    mapped_ = std::make_unique<MappedLines>(file.path, range.begin, range.end, config);
  }
}

LineChunkReader::~LineChunkReader() = default;

std::uint64_t LineChunkReader::bytes_consumed() const {
  if (mapped_) return mapped_->bytes_consumed();
  return source_->consumed();
}

void LineChunkReader::drop_front(std::size_t n) {
  std::memmove(buffer_.data(), buffer_.data() + n, fill_ - n);
  fill_ -= n;
}

bool LineChunkReader::fill() {
  if (eof_) return false;
  // A line of max_line_bytes still needs one byte more for its '\n'.
  const std::size_t limit = config_.max_line_bytes + 1;
  if (fill_ == capacity_) {
    if (capacity_ >= limit) return false;
    capacity_ = std::min(capacity_ * 2, limit);
    buffer_.resize(capacity_ + kChunkPadding);
  }
  std::size_t got = source_->read(buffer_.data() + fill_, capacity_ - fill_);
  if (got == 0) eof_ = true;
  fill_ += got;
  return got > 0;
}

bool LineChunkReader::skip_rest_of_line(bool blank) {
  if (tail_.empty()) tail_.resize(std::min(config_.chunk_bytes, capacity_));
  for (;;) {
    const std::size_t got = source_->read(tail_.data(), tail_.size());
    if (got == 0) {
      eof_ = true;
      return blank;
    }
    const auto* nl = static_cast<const char*>(std::memchr(tail_.data(), '\n', got));
    const std::size_t line_bytes = nl ? static_cast<std::size_t>(nl - tail_.data()) : got;
    blank = blank && is_blank_line(std::string_view(tail_.data(), line_bytes));
    if (!nl) {
      skipped_ += got;
      continue;
    }
    skipped_ += line_bytes + 1;
    carry_.assign(nl + 1, static_cast<const char*>(tail_.data()) + got);
    return blank;
  }
}

bool LineChunkReader::next(LineChunk& chunk) {
  if (mapped_) return mapped_->next(chunk);
  if (yielded_ > 0) {
    drop_front(yielded_);
    yielded_ = 0;
  }
  if (skipped_ > 0 || !carry_.empty()) { // after an oversized line: the buffer is empty now
    skipped_ = 0;
    if (!carry_.empty()) std::memcpy(buffer_.data(), carry_.data(), carry_.size()); // null data() when empty
    fill_ = carry_.size();
    carry_.clear();
  }
  while (!done_) {
    auto* last = static_cast<char*>(::memrchr(buffer_.data(), '\n', fill_));
    if (last) {
      const std::size_t cut = static_cast<std::size_t>(last - buffer_.data()) + 1;
      chunk = LineChunk{std::string_view(buffer_.data(), cut), false};
      yielded_ = cut;
      return true;
    }
    if (fill()) continue;
    if (eof_) {
      done_ = true;
      if (fill_ == 0) break;
      chunk = LineChunk{std::string_view(buffer_.data(), fill_), false}; // last line, no '\n'
      yielded_ = fill_;
      return true;
    }
    // The buffer is full (max_line_bytes + 1) and holds no '\n': hand out the head and skip the
    // rest, noting whether the whole line is blank (then it is no long line at all).
    const bool blank = skip_rest_of_line(is_blank_line(std::string_view(buffer_.data(), fill_)));
    chunk = LineChunk{std::string_view(buffer_.data(), std::min(fill_, config_.max_line_bytes)), true, blank};
    yielded_ = fill_;
    if (eof_) done_ = true;
    return true;
  }
  return false;
}

} // namespace bda
