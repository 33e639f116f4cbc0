// The plain-file path of LineChunkReader: blocks of whole lines straight from a read-only mapping
// of the day file, so the bytes are never copied (read() copies every byte once more, ~7% of a
// scan at real scale).
#pragma once

#include "bda/lake/line_chunk_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bda {

//! Same contract as LineChunkReader::next for one FileRange of a regular plain file. Pages
//! behind the reader are dropped from the mapping as it moves on, so the rank's resident memory
//! does not grow with the file (the page cache keeps them). A block whose padding would reach
//! past the file's last page (the file's end) is copied into a padded buffer instead.
//! The file must not shrink while it is read: a truncated mapping raises SIGBUS.
class MappedLines {
public:
  //! The lines that start in [begin, end) of the regular file at `path`.
  MappedLines(const std::string& path, std::uint64_t begin, std::uint64_t end, const ReaderConfig& config);
  ~MappedLines();
  MappedLines(const MappedLines&) = delete;
  MappedLines& operator=(const MappedLines&) = delete;

  bool next(LineChunk& chunk);
  std::uint64_t bytes_consumed() const;

private:
  //! Offset of the first '\n' in [from, to), or `to`.
  std::uint64_t find_newline(std::uint64_t from, std::uint64_t to) const;
  //! Offset of the last '\n' in [from, to), or `to`.
  std::uint64_t find_last_newline(std::uint64_t from, std::uint64_t to) const;
  //! Hands out [from, to) as the chunk, copying it when its padding would leave the mapping.
  void hand_out(LineChunk& chunk, std::uint64_t from, std::uint64_t to, bool oversized, bool blank);
  //! Drops the mapped pages wholly before `offset` (in steps).
  void release_before(std::uint64_t offset);
  const char* at(std::uint64_t offset) const { return base_ + (offset - map_offset_); }

  std::string path_;
  ReaderConfig config_;
  const char* base_ = nullptr;   // the mapping, starting at file offset map_offset_
  std::size_t map_bytes_ = 0;    // whole pages, covering the file from map_offset_ to its end
  std::uint64_t map_offset_ = 0; // page-aligned
  std::uint64_t file_size_ = 0;
  std::uint64_t readable_end_ = 0; // file offset where the mapping ends (the last page's end)
  std::uint64_t begin_ = 0, end_ = 0;
  std::uint64_t pos_ = 0;        // the next line starts here
  std::uint64_t released_ = 0;   // pages before this offset are dropped
  std::vector<char> copy_;       // the padded copy of a block at the file's end
  bool done_ = false;
};

} // namespace bda
