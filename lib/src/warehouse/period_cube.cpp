#include "bda/warehouse/period_cube.hpp"

#include "bda/aggregate/segment_bands.hpp"

#include <charconv>
#include <stdexcept>

namespace bda::warehouse {

void PeriodCube::add(const std::vector<std::string>& fields) {
  if (fields.size() != 10) throw std::invalid_argument("expected 10 fields");
  const auto date_count = static_cast<std::uint32_t>(csv_integer(fields[8], "DateCount"));
  if (date_count == 0 || date_count > UINT16_MAX) throw std::invalid_argument("DateCount out of range");
  Sums& cell = cells_[{fields[7], fields[6], date_count}];
  if (cell.customers == 0) {
    cell.activeness = fields[9];
  } else if (cell.activeness != fields[9]) { // Activeness follows from DateCount within a period
    throw std::invalid_argument("Activeness " + fields[9] + " differs from " + cell.activeness +
                                " for the same DateCount");
  }
  ++cell.customers;
  ++customers_;
  for (std::size_t c = 0; c < kCategoryCount; ++c) cell.durations[c] += csv_integer(fields[1 + c], "a duration");
}

std::vector<CubeCell> PeriodCube::cells() const {
  std::vector<CubeCell> out;
  out.reserve(cells_.size());
  for (const auto& [key, sums] : cells_) {
    const auto& [taste, most_watch, date_count] = key;
    out.push_back(CubeCell{taste, most_watch, date_count, std::string(band_of_date_count(date_count).name),
                           sums.activeness, sums.customers, sums.durations});
  }
  return out;
}

std::uint64_t csv_integer(const std::string& field, const char* what) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
  if (ec != std::errc() || end != field.data() + field.size() || field.empty())
    throw std::invalid_argument(std::string(what) + " '" + field + "' is not a non-negative integer");
  return v;
}

std::string decimal(DurationSum value) {
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  } while (value != 0);
  return digits;
}

} // namespace bda::warehouse
