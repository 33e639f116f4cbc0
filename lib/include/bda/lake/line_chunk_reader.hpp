// Streams one FileRange as blocks of whole lines, from a plain (mapped) or gzip (inflated) day file.
#pragma once

#include "bda/lake/lake_files.hpp"
#include "bda/lake/shard_plan.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace bda {

//! Reader tuning knobs, in one place.
struct ReaderConfig {
  static constexpr std::size_t kDefaultChunkBytes = std::size_t{4} << 20;    //!< first buffer size
  static constexpr std::size_t kDefaultMaxLineBytes = std::size_t{64} << 20; //!< longer lines are rejected
  std::size_t chunk_bytes = kDefaultChunkBytes;
  std::size_t max_line_bytes = kDefaultMaxLineBytes;
};

//! Readable bytes (of any content) after every block, so that parsers may read ahead of a line's
//! end in wide loads (simdjson needs 64; the scan checks that this covers its parser's need).
inline constexpr std::size_t kChunkPadding = 64;

//! A block of the range's lines. `lines` holds whole '\n'-terminated lines, except that the
//! range's very last line may lack its '\n' (end of file). When `oversized` is set, `lines` is
//! the first max_line_bytes of a single line that was too long; the rest of it is skipped, never
//! buffered. Every block is followed by kChunkPadding readable bytes.
struct LineChunk {
  std::string_view lines;
  bool oversized = false;
  //! Oversized only: every byte of the line is a space, tab or CR, so it is a blank line (SPEC §2:
  //! skipped and counted, never rejected), however long.
  bool blank = false;
};

class GzipSource;
class MappedLines;

//! Reads exactly the lines that start inside a FileRange (Thrill's InputLineIterator rules).
//! Plain files are mapped (blocks point into the mapping; the file must not shrink while it is
//! read); gzip files are inflated into a buffer.
//! Throws InputError naming the file on read errors and corrupt or truncated gzip data.
class LineChunkReader {
public:
  LineChunkReader(const DayFile& file, const FileRange& range, const ReaderConfig& config = {});
  ~LineChunkReader();
  LineChunkReader(const LineChunkReader&) = delete;
  LineChunkReader& operator=(const LineChunkReader&) = delete;

  //! The next block; false at the end of the range. The previous block is invalidated.
  bool next(LineChunk& chunk);
  //! Input bytes consumed so far (compressed bytes for gzip), for progress reports.
  std::uint64_t bytes_consumed() const;

private:
  bool fill();
  void drop_front(std::size_t n);
  //! Reads past the '\n' that ends the current (oversized) line, keeping what follows it in
  //! carry_; true if every byte skipped is blank and `blank` was true.
  bool skip_rest_of_line(bool blank);

  std::unique_ptr<MappedLines> mapped_; // plain files: read through a mapping, no copy
  std::unique_ptr<GzipSource> source_;  // gzip files: inflated into buffer_
  ReaderConfig config_;
  std::vector<char> buffer_; // capacity + padding
  std::vector<char> tail_;   // the rest of an oversized line passes through here
  std::vector<char> carry_;  // bytes read after an oversized line, for the next block
  std::uint64_t skipped_ = 0; // bytes of the oversized line after the buffer, its '\n' included
  std::size_t capacity_ = 0;
  std::size_t fill_ = 0;
  std::size_t yielded_ = 0;
  bool eof_ = false;
  bool done_ = false;
};

} // namespace bda
