#include "bda/warehouse/page_marks.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string_view>

namespace bda::warehouse {

const char* mark_order_name(MarkOrder order) {
  switch (order) {
  case MarkOrder::Total: return "total";
  case MarkOrder::DateCount: return "date_count";
  case MarkOrder::Contract: return "contract";
  }
  return "?";
}

void PageMarks::add(const std::vector<std::string>& fields) {
  if (fields.size() != 10) throw std::invalid_argument("expected 10 fields");
  const std::string& contract = fields[0];
  if (!starts_.empty()) {
    const std::string_view last(contracts_.data() + starts_.back(), contracts_.size() - starts_.back());
    // Byte order (unsigned), as the table's VARBINARY primary key sorts.
    if (!(last < std::string_view(contract))) throw std::invalid_argument("rows are not in Contract order");
  }
  DurationSum total = 0;
  for (std::size_t c = 0; c < kCategoryCount; ++c) total += csv_integer(fields[1 + c], "a duration");
  const std::uint64_t date_count = csv_integer(fields[8], "DateCount");
  if (date_count > UINT16_MAX) throw std::invalid_argument("DateCount out of range");
  starts_.push_back(contracts_.size());
  contracts_ += contract;
  totals_.push_back(total);
  date_counts_.push_back(static_cast<std::uint16_t>(date_count));
}

std::vector<PageMark> PageMarks::marks() const {
  const std::size_t rows = starts_.size();
  auto contract_of = [&](std::size_t row) {
    const std::uint64_t end = row + 1 < rows ? starts_[row + 1] : contracts_.size();
    return contracts_.substr(starts_[row], end - starts_[row]);
  };
  std::vector<PageMark> out;
  // Rows arrive in Contract order, so a stable sort by value keeps ties in Contract order: the
  // list's whole order (value, Contract).
  std::vector<std::uint32_t> by_total(rows);
  std::iota(by_total.begin(), by_total.end(), 0u);
  std::stable_sort(by_total.begin(), by_total.end(), [&](std::uint32_t a, std::uint32_t b) { return totals_[a] < totals_[b]; });
  for (std::size_t p = 0; p < rows; p += kPageMarkStride)
    out.push_back({MarkOrder::Total, p, decimal(totals_[by_total[p]]), contract_of(by_total[p])});
  // DateCount has few values: a counting sort, stable by construction.
  std::vector<std::uint64_t> first(UINT16_MAX + 2, 0);
  for (std::uint16_t d : date_counts_) ++first[static_cast<std::size_t>(d) + 1];
  std::partial_sum(first.begin(), first.end(), first.begin());
  std::vector<std::uint32_t> by_date_count(rows);
  for (std::size_t row = 0; row < rows; ++row) by_date_count[first[date_counts_[row]]++] = static_cast<std::uint32_t>(row);
  for (std::size_t p = 0; p < rows; p += kPageMarkStride)
    out.push_back({MarkOrder::DateCount, p, std::to_string(date_counts_[by_date_count[p]]), contract_of(by_date_count[p])});
  for (std::size_t p = 0; p < rows; p += kPageMarkStride) out.push_back({MarkOrder::Contract, p, "", contract_of(p)});
  return out;
}

} // namespace bda::warehouse
