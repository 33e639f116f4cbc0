// Resolving selected days to day files in the lake directory (YYYYMMDD.json / .json.gz).
#pragma once

#include "bda/core/date.hpp"
#include "bda/lake/day_selection.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace bda {

struct DayFile {
  Date date;
  std::uint32_t day_index = 0; //!< position of `date` in the DaySelection
  std::string path;
  bool gzip = false;
  std::uint64_t size = 0; //!< bytes on disk (compressed size for .gz)
  //! .gz only: estimated uncompressed bytes (gzip_uncompressed_estimate); 0 when not known.
  std::uint64_t uncompressed_size = 0;

  //! What the shard plan balances: a plain file's bytes, a .gz file's (estimated) uncompressed
  //! bytes, so that both are on one scale; the compressed size when no estimate is known.
  std::uint64_t plan_weight() const { return gzip && uncompressed_size > 0 ? uncompressed_size : size; }
};

struct LakeFiles {
  std::vector<DayFile> files;     //!< in date order
  std::vector<Date> missing_days; //!< selected days without a file (only when allowed)
  std::uint64_t total_bytes() const;       //!< bytes on disk
  std::uint64_t total_plan_weight() const; //!< sum of the files' plan_weight()
  //! (date, day index) of every day that has a file, in date order.
  std::vector<std::pair<Date, std::uint32_t>> days_with_files() const;
};

//! A .gz file inflates to about this many times its size (the generated export: 4.3x at gzip -6).
inline constexpr std::uint64_t kTypicalGzipRatio = 4;

//! The uncompressed size of the .gz file at `path` of `compressed_size` bytes, for planning only:
//! the trailer's ISIZE when it is plausible, else compressed_size x kTypicalGzipRatio. Never
//! throws: a short or unreadable file gets an estimate too, and the reader reports it later.
std::uint64_t gzip_uncompressed_estimate(const std::filesystem::path& path, std::uint64_t compressed_size);

//! Finds the file of every selected day. A day with no file throws InputError naming the date
//! unless `allow_missing`; a day with both .json and .json.gz always throws. A .gz file's
//! uncompressed_size is read from its gzip trailer (done once, on rank 0).
LakeFiles resolve_lake_files(const std::filesystem::path& lake_dir, const DaySelection& days, bool allow_missing);

} // namespace bda
