#include "dashboard_options.hpp"

#include "../common/command_line.hpp"

#include "bda/core/error.hpp"

#include <boost/program_options.hpp>

#include <cstdlib>
#include <fstream>


namespace bda::apps {
namespace {

constexpr unsigned kMaxRefreshSeconds = 7 * 86400;

constexpr const char* kUsage = R"(Usage: bda-dashboard --db-user USER (--db-socket PATH | --db-host HOST) [options]

Serves the customer-behaviour dashboard (an overview page, a detailed analysis page and a JSON API)
from the warehouse, querying it live on every request with a read-only account. Everything it
serves, ECharts included, is inside the binary: no internet access is needed.

Examples:
  bda-dashboard --db-socket /run/bda/mysqld.sock --db-user bda_report --db-password-file report.password
  MYSQL_PWD=... bda-dashboard --db-host db1 --db-port 3306 --db-user bda_report --port 8080
  bda-dashboard --config dashboard.conf --refresh-seconds 3600

)";

} // namespace

DashboardCommandLine parse_dashboard_command_line(int argc, const char* const argv[]) {
  constexpr unsigned kLineLength = kHelpLineLength, kDescriptionLength = kHelpDescriptionLength;
  po::options_description http("HTTP", kLineLength, kDescriptionLength);
  http.add_options()
    ("port", po::value<unsigned>()->value_name("PORT")->default_value(dashboard::ServerConfig::kDefaultPort),
     "port to listen on (0: any free port; the chosen one is printed)")
    ("bind", po::value<std::string>()->value_name("ADDRESS")->default_value("127.0.0.1"),
     "address to listen on; any other than loopback (e.g. 0.0.0.0) needs --users-file or "
     "--allow-unauthenticated")
    ("users-file", po::value<std::string>()->value_name("FILE"),
     "require HTTP Basic authentication with one of the accounts in FILE, one name:password a line "
     "(mode 600); use TLS in front of it (a reverse proxy, see docs/dashboard.md)")
    ("allow-unauthenticated", po::bool_switch(),
     "listen on a non-loopback address without --users-file (another layer, e.g. a proxy, authenticates)")
    ("allowed-host", po::value<std::vector<std::string>>()->value_name("NAME"),
     "a Host header name to answer besides localhost, 127.0.0.1, ::1, this host's name and --bind; "
     "repeat for more (others get 421: DNS rebinding)")
    ("refresh-seconds",
     po::value<unsigned>()->value_name("N")->default_value(dashboard::ApiSettings::kDefaultRefreshSeconds),
     "how often an open page reloads its data (0: only with its refresh button)")
    ("access-log", po::bool_switch(), "print one line per request on stderr");
  po::options_description database = warehouse_options("Warehouse (the read-only report account)", "bda_report");
  const po::options_description general = general_options();
  po::options_description all(kLineLength, kDescriptionLength);
  all.add(http).add(database).add(general);

  const po::variables_map vm = parse_command_line(argc, argv, all, "bda-dashboard");

  DashboardCommandLine cl;
  cl.early_exit_text = help_or_version(vm, all, kUsage, "bda-dashboard");
  if (cl.early_exit_text) return cl;
  if (!vm.count("db-user")) throw UsageError("--db-user is required (the read-only account, e.g. bda_report)");
  cl.db = db_options_from(vm);
  const unsigned port = vm["port"].as<unsigned>();
  if (port > 65535) throw UsageError("--port must be between 0 and 65535");
  cl.server.port = static_cast<int>(port);
  cl.server.bind_address = vm["bind"].as<std::string>();
  if (cl.server.bind_address.empty()) throw UsageError("--bind needs an address, e.g. 127.0.0.1");
  cl.server.access_log = vm["access-log"].as<bool>();
  if (vm.count("users-file")) cl.server.users = dashboard::Users::from_file(vm["users-file"].as<std::string>());
  if (vm.count("allowed-host")) cl.server.allowed_hosts = vm["allowed-host"].as<std::vector<std::string>>();
  if (!dashboard::is_loopback_address(cl.server.bind_address) && !cl.server.users &&
      !vm["allow-unauthenticated"].as<bool>())
    throw UsageError("--bind " + cl.server.bind_address +
                     " would let anyone on the network in without a login: give --users-file FILE, or "
                     "--allow-unauthenticated when a proxy in front authenticates");
  cl.api.refresh_seconds = vm["refresh-seconds"].as<unsigned>();
  if (cl.api.refresh_seconds > kMaxRefreshSeconds)
    throw UsageError("--refresh-seconds must be at most " + std::to_string(kMaxRefreshSeconds) + " (a week)");
  return cl;
}

} // namespace bda::apps
