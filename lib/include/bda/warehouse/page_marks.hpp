// Every kPageMarkStride-th customer of a period in each indexed list order (customer_page_mark,
// migration 011), gathered while the loader re-encodes the OLAP CSV: the dashboard reaches any
// page by seeking to the mark before it in the index and skipping fewer than kPageMarkStride keys,
// instead of an OFFSET that walks up to half the period.
#pragma once

#include "bda/warehouse/period_cube.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace bda::warehouse {

inline constexpr std::uint64_t kPageMarkStride = 1024;

//! The list orders that have marks, named as in customer_page_mark.sort_key. Each is ascending
//! by (value, Contract); a descending list is the same order read from the other end.
enum class MarkOrder { Total, DateCount, Contract };
const char* mark_order_name(MarkOrder order);

struct PageMark {
  MarkOrder order = MarkOrder::Contract;
  std::uint64_t position = 0; //!< 0-based place in the ascending order, a multiple of the stride
  std::string value;          //!< TotalDuration or DateCount as decimal digits; empty for Contract
  std::string contract;       //!< the Contract bytes at that place
};

class PageMarks {
public:
  //! One OLAP CSV row's fields, in the CSV's order (sorted by Contract bytes, SPEC §4). Throws
  //! std::invalid_argument on a row out of Contract order or a field that is not a number.
  void add(const std::vector<std::string>& fields);
  //! The marks of every order, by order and position.
  std::vector<PageMark> marks() const;

private:
  std::string contracts_;              //!< every row's Contract bytes, back to back
  std::vector<std::uint64_t> starts_;  //!< where each row's Contract starts in contracts_
  std::vector<DurationSum> totals_;
  std::vector<std::uint16_t> date_counts_;
};

} // namespace bda::warehouse
