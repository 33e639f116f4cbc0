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
};

struct LakeFiles {
  std::vector<DayFile> files;     //!< in date order
  std::vector<Date> missing_days; //!< selected days without a file (only when allowed)
  std::uint64_t total_bytes() const;
  //! (date, day index) of every day that has a file, in date order.
  std::vector<std::pair<Date, std::uint32_t>> days_with_files() const;
};

//! Finds the file of every selected day. A day with no file throws InputError naming the date
//! unless `allow_missing`; a day with both .json and .json.gz always throws.
LakeFiles resolve_lake_files(const std::filesystem::path& lake_dir, const DaySelection& days, bool allow_missing);

} // namespace bda
