// The days a run covers: one date, an inclusive range, a month, or a list (SPEC §1).
#pragma once

#include "bda/core/date.hpp"

#include <string>
#include <vector>

namespace bda {

//! Sorted, de-duplicated selected days. D in Activeness = days().size().
class DaySelection {
public:
  DaySelection() = default;
  explicit DaySelection(std::vector<Date> days);

  static DaySelection range(Date from, Date to); //!< inclusive; throws UsageError if to < from
  static DaySelection month(Date any_day_of_month);

  const std::vector<Date>& days() const { return days_; }
  std::size_t size() const { return days_.size(); }
  bool empty() const { return days_.empty(); }
  Date first() const { return days_.front(); }
  Date last() const { return days_.back(); }
  std::string describe() const; //!< "2022-04-01..2022-04-30 (30 days)"

private:
  std::vector<Date> days_;
};

} // namespace bda
