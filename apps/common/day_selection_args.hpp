// The parsed --month/--from/--to/--date options as bda::DaySelectionArgs (header-only: bda-gen
// shares it without linking the warehouse options of command_line.hpp).
#pragma once

#include "bda/lake/day_selection_options.hpp"

#include <boost/program_options.hpp>

#include <string>
#include <vector>

namespace bda::apps {

inline DaySelection selected_days(const boost::program_options::variables_map& vm) {
  DaySelectionArgs args;
  if (vm.count("month")) args.month = vm["month"].as<std::string>();
  if (vm.count("from")) args.from = vm["from"].as<std::string>();
  if (vm.count("to")) args.to = vm["to"].as<std::string>();
  if (vm.count("date")) args.dates = vm["date"].as<std::vector<std::string>>();
  return day_selection_from(args);
}

} // namespace bda::apps
