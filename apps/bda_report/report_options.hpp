// bda-report's command line (Boost.Program_options) -> bda::report::ReportRequest.
#pragma once

#include "bda/report/report_job.hpp"

#include <optional>
#include <string>

namespace bda::apps {

struct ReportCommandLine {
  std::optional<std::string> early_exit_text; //!< --help / --version output: print it and exit 0
  report::ReportRequest request;
  bool quiet = false;
};

//! Throws UsageError with a message that names the offending option.
ReportCommandLine parse_report_command_line(int argc, const char* const argv[]);

} // namespace bda::apps
