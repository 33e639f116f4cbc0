// What a checkpoint remembers of the day file it was built from, to notice a replaced file.
#pragma once

#include "bda/lake/lake_files.hpp"

#include <cstdint>
#include <string>

namespace bda {

//! A day file as it was: its name, size and modification time, and a checksum of its first and
//! last 64 KiB (a content hash of the whole file would cost the read that reuse saves; a corrected
//! export that keeps name, size and nanosecond mtime and changes only its middle goes unnoticed).
struct SourceIdentity {
  std::string name; //!< file name, without the directory (a lake may move)
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::uint32_t edge_crc = 0;

  bool operator==(const SourceIdentity&) const = default;
};

//! Throws InputError naming the file when it cannot be read.
SourceIdentity identify_day_file(const DayFile& file);

//! Why `now` is not the file `was` describes ("size 314 -> 315 bytes"), or "" when it is.
std::string describe_change(const SourceIdentity& was, const SourceIdentity& now);

} // namespace bda
