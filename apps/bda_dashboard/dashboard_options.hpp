// bda-dashboard's command line (Boost.Program_options) -> server, API and warehouse settings.
#pragma once

#include "bda/dashboard/api.hpp"
#include "bda/dashboard/http_server.hpp"
#include "bda/warehouse/db_options.hpp"

#include <optional>
#include <string>

namespace bda::apps {

struct DashboardCommandLine {
  std::optional<std::string> early_exit_text; //!< --help / --version output: print it and exit 0
  warehouse::DbOptions db;
  dashboard::ServerConfig server;
  dashboard::ApiSettings api;
};

//! Throws UsageError with a message that names the offending option.
DashboardCommandLine parse_dashboard_command_line(int argc, const char* const argv[]);

} // namespace bda::apps
