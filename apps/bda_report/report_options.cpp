#include "report_options.hpp"

#include "bda/core/error.hpp"
#include "bda/core/version.hpp"

#include <boost/program_options.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace po = boost::program_options;

namespace bda::apps {
namespace {

constexpr const char* kUsage = R"(Usage: bda-report --period-start DATE --period-end DATE --out-dir DIR --db-user USER
                  [options]

Writes the report of one loaded period from the warehouse, read with the read-only account:
  DIR/report.html  one self-contained page: key figures, a written summary, charts, tables
  DIR/report.pdf   the same page printed by headless Chromium (unless --no-pdf)
  DIR/report.xlsx  sheets Customers, Segments, Categories, Metrics, Daily with Excel charts
The period is the one a bda-etl run loaded (its first and last selected day). The password comes
from --db-password-file or MYSQL_PWD, never from the command line.

Examples:
  bda-report --period-start 2022-04-01 --period-end 2022-04-30 --out-dir out/report \
      --db-socket /run/bda/mysqld.sock --db-user bda_report --db-password-file report.password
  MYSQL_PWD=... bda-report --config report.conf --period-start 2022-04-01 --period-end 2022-04-30 --out-dir r
  bda-report --period-start 2022-04-01 --period-end 2022-04-07 --out-dir week --no-pdf --db-user bda_report

Exit status: 0 done, 1 the report failed (no data for the period, warehouse, output, Chromium), 2 bad usage.

)";

Date parse_date_option(const po::variables_map& vm, const char* option) {
  if (!vm.count(option)) throw UsageError(std::string("--") + option + " is required (see bda-report --help)");
  try {
    return Date::parse_iso(vm[option].as<std::string>());
  } catch (const UsageError& e) {
    throw UsageError(std::string("--") + option + ": " + e.what());
  }
}

warehouse::DbOptions db_options(const po::variables_map& vm) {
  if (!vm.count("db-user"))
    throw UsageError("--db-user is required, e.g. --db-user bda_report (see bda-report --help)");
  warehouse::DbOptions db;
  db.host = vm["db-host"].as<std::string>();
  const unsigned port = vm["db-port"].as<unsigned>();
  if (port == 0 || port > 65535) throw UsageError("--db-port must be between 1 and 65535");
  db.port = static_cast<std::uint16_t>(port);
  if (vm.count("db-socket")) db.socket = vm["db-socket"].as<std::string>();
  db.user = vm["db-user"].as<std::string>();
  db.database = vm["db-name"].as<std::string>();
  if (vm.count("db-password-file")) {
    db.password = warehouse::read_password_file(vm["db-password-file"].as<std::string>());
  } else if (const char* env = std::getenv("MYSQL_PWD")) {
    db.password = env;
  }
  return db;
}

} // namespace

ReportCommandLine parse_report_command_line(int argc, const char* const argv[]) {
  constexpr unsigned kLineLength = 110, kDescriptionLength = 60;
  po::options_description report("Report", kLineLength, kDescriptionLength);
  report.add_options()
    ("period-start", po::value<std::string>()->value_name("DATE"), "first day of the loaded period, e.g. 2022-04-01")
    ("period-end", po::value<std::string>()->value_name("DATE"), "last day of the loaded period, e.g. 2022-04-30")
    ("out-dir", po::value<std::string>()->value_name("DIR"),
     "folder for report.html, report.pdf and report.xlsx (created if missing; files replaced together)")
    ("no-pdf", po::bool_switch(), "skip report.pdf (and remove one left by an earlier run)")
    ("chromium", po::value<std::string>()->value_name("PATH")->default_value("/usr/bin/chromium"),
     "the headless browser that prints the PDF (Debian package chromium)")
    ("pdf-timeout", po::value<unsigned>()->value_name("SECONDS")->default_value(
         static_cast<unsigned>(report::PdfOptions::kDefaultTimeout.count())),
     "stop Chromium and fail if printing takes longer")
    ("quiet", po::bool_switch(), "no closing line on stderr");
  po::options_description database("Warehouse (the read-only account, e.g. bda_report)", kLineLength,
                                   kDescriptionLength);
  database.add_options()
    ("db-host", po::value<std::string>()->value_name("HOST")->default_value("127.0.0.1"), "MySQL/MariaDB host")
    ("db-port", po::value<unsigned>()->value_name("PORT")->default_value(warehouse::DbOptions::kDefaultPort), "port")
    ("db-socket", po::value<std::string>()->value_name("PATH"), "unix socket (instead of host and port)")
    ("db-user", po::value<std::string>()->value_name("USER"), "account, e.g. bda_report")
    ("db-name", po::value<std::string>()->value_name("NAME")->default_value("bda"), "schema")
    ("db-password-file", po::value<std::string>()->value_name("FILE"),
     "file whose first line is the password (otherwise MYSQL_PWD; never on the command line)")
    ("config", po::value<std::string>()->value_name("FILE"),
     "read options from FILE, one 'name = value' per line (e.g. db-user = bda_report); the command line wins");
  po::options_description general("General", kLineLength, kDescriptionLength);
  general.add_options()
    ("help,h", "show this help")
    ("version", "print the version");
  po::options_description all(kLineLength, kDescriptionLength);
  all.add(report).add(database).add(general);

  po::variables_map vm;
  try {
    // No abbreviations: "--db-password x" must be an unknown option, not --db-password-file.
    const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(argc, argv).options(all).style(style).run(), vm);
    if (vm.count("config")) {
      const std::string path = vm["config"].as<std::string>();
      std::ifstream file(path);
      if (!file) throw UsageError("cannot read --config " + path);
      po::store(po::parse_config_file(file, all), vm);
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see bda-report --help)");
  }

  ReportCommandLine cl;
  if (vm.count("help")) {
    std::ostringstream text;
    text << kUsage << all;
    cl.early_exit_text = text.str();
    return cl;
  }
  if (vm.count("version")) {
    cl.early_exit_text = "bda-report " + std::string(version()) + "\n";
    return cl;
  }
  report::ReportRequest& r = cl.request;
  r.period.start = parse_date_option(vm, "period-start");
  r.period.end = parse_date_option(vm, "period-end");
  if (r.period.end < r.period.start)
    throw UsageError("--period-end " + r.period.end.iso() + " is before --period-start " + r.period.start.iso());
  if (!vm.count("out-dir")) throw UsageError("--out-dir is required (see bda-report --help)");
  r.out_dir = vm["out-dir"].as<std::string>();
  if (r.out_dir.empty()) throw UsageError("--out-dir must not be empty");
  if (!vm["no-pdf"].as<bool>()) {
    report::PdfOptions pdf;
    pdf.chromium = vm["chromium"].as<std::string>();
    const unsigned timeout = vm["pdf-timeout"].as<unsigned>();
    if (timeout == 0) throw UsageError("--pdf-timeout must be at least 1 second");
    pdf.timeout = std::chrono::seconds(timeout);
    r.pdf = pdf;
  }
  r.db = db_options(vm);
  cl.quiet = vm["quiet"].as<bool>();
  return cl;
}

} // namespace bda::apps
