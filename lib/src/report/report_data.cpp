#include "bda/report/report_data.hpp"

#include "bda/warehouse/period_key.hpp"

#include <algorithm>

namespace bda::report {

std::int64_t CustomerRow::total_duration() const {
  std::int64_t sum = 0;
  for (std::int64_t d : duration) sum += d;
  return sum;
}

std::uint64_t ReportData::customers_without_most_watch() const {
  std::uint64_t with = 0;
  for (const CategoryFigures& c : categories) with += c.most_watch_customers;
  return metrics.customers > with ? metrics.customers - with : 0;
}

Period Period::of_key(const std::string& key) {
  std::vector<Date> days = warehouse::period_key_days(key);
  Period p{days.front(), days.back(), {}};
  if (days.size() != p.days()) p.listed = std::move(days);
  return p;
}

std::string Period::key() const {
  if (!listed.empty()) return warehouse::period_key(listed);
  return start.iso() + ".." + end.iso();
}

bool Period::selects(Date d) const {
  if (d < start || end < d) return false;
  return listed.empty() || std::binary_search(listed.begin(), listed.end(), d);
}

std::array<std::uint64_t, 10> ReportData::activeness_histogram() const {
  constexpr std::uint64_t kBinHundredths = 1000; // 10.00 percentage points
  std::array<std::uint64_t, 10> bins{};
  const std::uint64_t days = period.days();
  for (std::uint64_t c = 1; c < date_count_customers.size(); ++c) {
    const std::uint64_t hundredths = (2 * c * 10000 + days) / (2 * days); // c / D x 100, half-up to 0.01
    bins[std::min<std::uint64_t>(hundredths / kBinHundredths, bins.size() - 1)] += date_count_customers[c];
  }
  return bins;
}

std::string activeness_bin_label(std::size_t bin) {
  return std::to_string(bin * 10) + "-" + std::to_string(bin * 10 + 10);
}

} // namespace bda::report
