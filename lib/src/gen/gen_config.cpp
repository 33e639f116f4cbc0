// Validation and derived values of the generator config.
#include "bda/gen/gen_config.hpp"

#include "bda/core/error.hpp"

#include <algorithm>
#include <string>

namespace bda {
namespace {

void check_share(double value, const char* option) {
  if (!(value >= 0.0 && value <= 1.0)) // also rejects NaN
    throw UsageError(std::string(option) + " must be between 0 and 1, got " + std::to_string(value));
}

} // namespace

void GenConfig::validate() const {
  if (out_dir.empty()) throw UsageError("--out is required");
  if (days.empty()) throw UsageError("no days selected (use --month, --from/--to or --date)");
  if (lines_per_day < 1 || lines_per_day > kMaxLinesPerDay)
    throw UsageError("--lines-per-day must be between 1 and " + std::to_string(kMaxLinesPerDay));
  if (customers && (*customers < 1 || *customers > kMaxCustomers))
    throw UsageError("--customers must be between 1 and " + std::to_string(kMaxCustomers));
  check_share(dirty_share, "--dirty-share");
  check_share(blank_share, "--blank-share");
  check_share(crlf_share, "--crlf-share");
  check_share(tricky_share, "tricky share");
  check_share(reorder_share, "reorder share");
  check_share(extra_key_share, "extra-key share");
  if (gzip_level < 1 || gzip_level > 9) throw UsageError("gzip level must be between 1 and 9");
}

std::uint64_t GenConfig::customer_count() const {
  if (customers) return *customers;
  return std::clamp<std::uint64_t>(lines_per_day / kCustomersPerLine, 1, kMaxCustomers);
}

std::string GenConfig::file_name(Date day) const { return day.compact() + (gzip ? ".json.gz" : ".json"); }

} // namespace bda
