#include "bda/lake/day_selection_options.hpp"

#include "bda/core/error.hpp"

namespace bda {

Date parse_date_option(std::string_view option, const std::string& value) {
  try {
    return Date::parse_iso(value);
  } catch (const UsageError& e) {
    throw UsageError("--" + std::string(option) + ": " + e.what());
  }
}

DaySelection day_selection_from(const DaySelectionArgs& args) {
  const bool dates = !args.dates.empty(), from = args.from.has_value(), to = args.to.has_value(),
             month = args.month.has_value();
  const int ways = int{dates} + int{from || to} + int{month};
  if (ways == 0) throw UsageError("choose the days: --month YYYY-MM, --from DATE --to DATE, or --date DATE");
  if (ways > 1) throw UsageError("--date, --from/--to and --month are alternatives; give only one of them");
  if (month)
    try {
      return DaySelection::month(Date::parse_month(*args.month));
    } catch (const UsageError& e) {
      throw UsageError(std::string("--month: ") + e.what());
    }
  if (from != to) throw UsageError(from ? "--from needs --to" : "--to needs --from");
  if (from) return DaySelection::range(parse_date_option("from", *args.from), parse_date_option("to", *args.to));
  std::vector<Date> days;
  for (const auto& d : args.dates) days.push_back(parse_date_option("date", d));
  return DaySelection(std::move(days));
}

} // namespace bda
