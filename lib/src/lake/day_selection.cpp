#include "bda/lake/day_selection.hpp"

#include "bda/core/error.hpp"

#include <algorithm>

namespace bda {

DaySelection::DaySelection(std::vector<Date> days) : days_(std::move(days)) {
  std::sort(days_.begin(), days_.end());
  days_.erase(std::unique(days_.begin(), days_.end()), days_.end());
}

DaySelection DaySelection::range(Date from, Date to) {
  if (to < from) throw UsageError("--to " + to.iso() + " is before --from " + from.iso());
  std::vector<Date> days;
  for (Date d = from; d <= to; d = d.next()) days.push_back(d);
  return DaySelection(std::move(days));
}

DaySelection DaySelection::month(Date any_day_of_month) {
  Date first = Date::parse_month(any_day_of_month.iso().substr(0, 7));
  return range(first, first.last_of_month());
}

std::string DaySelection::describe() const {
  if (days_.empty()) return "no days";
  std::string span = days_.size() == 1 ? first().iso() : first().iso() + ".." + last().iso();
  return span + " (" + std::to_string(days_.size()) + (days_.size() == 1 ? " day)" : " days)");
}

} // namespace bda
