// The day-selection options bda-etl and bda-gen share (--month, --from/--to, --date), turned into
// a DaySelection with the same checks and messages in both.
#pragma once

#include "bda/core/date.hpp"
#include "bda/lake/day_selection.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bda {

//! The values given on the command line; absent options are nullopt / empty.
struct DaySelectionArgs {
  std::optional<std::string> month; //!< --month YYYY-MM
  std::optional<std::string> from;  //!< --from YYYY-MM-DD
  std::optional<std::string> to;    //!< --to YYYY-MM-DD
  std::vector<std::string> dates;   //!< every --date YYYY-MM-DD
};

//! Exactly one way: --month, --from with --to, or --date (repeatable). Throws UsageError naming the
//! option at fault, e.g. "--from needs --to" or "--month: ...".
DaySelection day_selection_from(const DaySelectionArgs& args);

//! Parses a YYYY-MM-DD option value, naming the option in the error ("--from: ...").
Date parse_date_option(std::string_view option, const std::string& value);

} // namespace bda
