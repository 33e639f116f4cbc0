#include "bda/lake/lake_files.hpp"

#include "bda/core/error.hpp"

#include <array>
#include <fstream>

namespace fs = std::filesystem;

namespace bda {

std::uint64_t LakeFiles::total_bytes() const {
  std::uint64_t total = 0;
  for (const auto& f : files) total += f.size;
  return total;
}

std::uint64_t LakeFiles::total_plan_weight() const {
  std::uint64_t total = 0;
  for (const auto& f : files) total += f.plan_weight();
  return total;
}

std::vector<std::pair<Date, std::uint32_t>> LakeFiles::days_with_files() const {
  std::vector<std::pair<Date, std::uint32_t>> days;
  for (const auto& f : files) days.emplace_back(f.date, f.day_index);
  return days;
}

std::uint64_t gzip_uncompressed_estimate(const fs::path& path, std::uint64_t compressed_size) {
  const std::uint64_t guess = compressed_size * kTypicalGzipRatio;
  constexpr std::uint64_t kHeaderAndTrailer = 18; // the smallest gzip member is 10 + 8 bytes (and an empty block)
  if (compressed_size < kHeaderAndTrailer) return compressed_size; // no trailer: corrupt, the reader says so
  std::array<unsigned char, 2> magic{};
  std::array<unsigned char, 4> isize{};
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(magic.data()), magic.size());
  in.seekg(static_cast<std::streamoff>(compressed_size - isize.size()));
  in.read(reinterpret_cast<char*>(isize.data()), isize.size());
  if (!in || magic[0] != 0x1f || magic[1] != 0x8b) return guess; // unreadable, or a zlib stream: no ISIZE
  const std::uint64_t trailer = std::uint64_t{isize[0]} | std::uint64_t{isize[1]} << 8 |
                                std::uint64_t{isize[2]} << 16 | std::uint64_t{isize[3]} << 24;
  // ISIZE is the *last member's* size mod 2^32. Deflate never shrinks data by more than a few
  // bytes, so an ISIZE below the compressed size has wrapped (over 4 GiB) or counts only the last
  // of several members: the typical ratio is the better guess then. A wrap that still leaves ISIZE
  // above the compressed size cannot be seen here; that file is under-weighted, which makes the
  // plan less even but never wrong (each .gz file is read whole by one rank whatever its weight).
  return trailer >= compressed_size ? trailer : guess;
}

LakeFiles resolve_lake_files(const fs::path& lake_dir, const DaySelection& days, bool allow_missing) {
  std::error_code ec;
  if (!fs::is_directory(lake_dir, ec))
    throw InputError("lake directory " + lake_dir.string() + " does not exist or is not a directory");
  LakeFiles lake;
  for (std::uint32_t i = 0; i < days.size(); ++i) {
    const Date day = days.days()[i];
    const fs::path plain = lake_dir / (day.compact() + ".json");
    const fs::path gz = lake_dir / (day.compact() + ".json.gz");
    // symlink_status: a dangling link is a broken day file, not a missing day.
    const bool has_plain = fs::exists(fs::symlink_status(plain, ec)), has_gz = fs::exists(fs::symlink_status(gz, ec));
    if (has_plain && has_gz)
      throw InputError("both " + plain.string() + " and " + gz.string() + " exist for " + day.iso() +
                       "; keep one of them");
    if (!has_plain && !has_gz) {
      if (!allow_missing)
        throw InputError("no day file for " + day.iso() + " in " + lake_dir.string() + " (expected " +
                         plain.filename().string() + " or " + gz.filename().string() +
                         "; --allow-missing-days skips it)");
      lake.missing_days.push_back(day);
      continue;
    }
    const fs::path& path = has_plain ? plain : gz;
    if (!fs::exists(path, ec))
      throw InputError("the day file of " + day.iso() + ", " + path.string() +
                       ", is a symbolic link to a file that does not exist");
    if (!fs::is_regular_file(path, ec))
      throw InputError("the day file of " + day.iso() + ", " + path.string() + ", is not a regular file");
    auto size = fs::file_size(path, ec);
    if (ec) throw InputError("cannot stat " + path.string() + ": " + ec.message());
    const std::uint64_t uncompressed = has_gz ? gzip_uncompressed_estimate(path, size) : 0;
    lake.files.push_back(DayFile{day, i, path.string(), has_gz, size, uncompressed});
  }
  return lake;
}

} // namespace bda
