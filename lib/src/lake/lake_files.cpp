#include "bda/lake/lake_files.hpp"

#include "bda/core/error.hpp"

namespace fs = std::filesystem;

namespace bda {

std::uint64_t LakeFiles::total_bytes() const {
  std::uint64_t total = 0;
  for (const auto& f : files) total += f.size;
  return total;
}

std::vector<std::pair<Date, std::uint32_t>> LakeFiles::days_with_files() const {
  std::vector<std::pair<Date, std::uint32_t>> days;
  for (const auto& f : files) days.emplace_back(f.date, f.day_index);
  return days;
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
    lake.files.push_back(DayFile{day, i, path.string(), has_gz, size});
  }
  return lake;
}

} // namespace bda
