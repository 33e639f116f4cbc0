#include "report_options.hpp"

#include "../common/command_line.hpp"

#include "bda/core/error.hpp"

#include <boost/program_options.hpp>

#include <cstdlib>
#include <fstream>


namespace bda::apps {
namespace {

constexpr const char* kUsage = R"(Usage: bda-report --period KEY --out-dir DIR --db-user USER [options]
       bda-report --period-start DATE --period-end DATE --out-dir DIR --db-user USER [options]

Writes the report of one loaded period from the warehouse, read with the read-only account:
  DIR/report.html  one self-contained page: key figures, a written summary, charts, tables
  DIR/report.pdf   the same page printed by headless Chromium (unless --no-pdf)
  DIR/report.xlsx  sheets Customers, Segments, Categories, Metrics, Daily with Excel charts
The period is the exact set of days one bda-etl run loaded, named by its key: first..last for a
range, first..last/hex-bitmap for a list of days (--date ... --date ...). --period-start and
--period-end name the range. The password comes from --db-password-file or MYSQL_PWD, never from
the command line.

Examples:
  bda-report --period-start 2022-04-01 --period-end 2022-04-30 --out-dir out/report \
      --db-socket /run/bda/mysqld.sock --db-user bda_report --db-password-file report.password
  MYSQL_PWD=... bda-report --config report.conf --period-start 2022-04-01 --period-end 2022-04-30 --out-dir r
  bda-report --period-start 2022-04-01 --period-end 2022-04-07 --out-dir week --no-pdf --db-user bda_report
  bda-report --period 2022-04-01..2022-04-15/8002 --out-dir two-days --no-pdf --db-user bda_report

Exit status: 0 done, 1 the report failed (no data for the period, warehouse, output, Chromium), 2 bad usage.

)";

Date required_date(const po::variables_map& vm, const char* option) {
  if (!vm.count(option)) throw UsageError(std::string("--") + option + " is required (see bda-report --help)");
  return parse_date_option(option, vm[option].as<std::string>());
}

} // namespace

ReportCommandLine parse_report_command_line(int argc, const char* const argv[]) {
  constexpr unsigned kLineLength = kHelpLineLength, kDescriptionLength = kHelpDescriptionLength;
  po::options_description report("Report", kLineLength, kDescriptionLength);
  report.add_options()
    ("period", po::value<std::string>()->value_name("KEY"),
     "the loaded period by its key (etl_run.period_key, GET /api/periods), e.g. 2022-04-01..2022-04-30 or, for "
     "a list of days, 2022-04-01..2022-04-15/8002")
    ("period-start", po::value<std::string>()->value_name("DATE"),
     "with --period-end: the period that is the whole range, e.g. 2022-04-01")
    ("period-end", po::value<std::string>()->value_name("DATE"), "last day of that range, e.g. 2022-04-30")
    ("out-dir", po::value<std::string>()->value_name("DIR"),
     "folder for report.html, report.pdf and report.xlsx (created if missing; files replaced together)")
    ("no-pdf", po::bool_switch(), "skip report.pdf (and remove one left by an earlier run)")
    ("chromium", po::value<std::string>()->value_name("PATH")->default_value("/usr/bin/chromium"),
     "the headless browser that prints the PDF (Debian package chromium)")
    ("pdf-timeout", po::value<unsigned>()->value_name("SECONDS")->default_value(
         static_cast<unsigned>(report::PdfOptions::kDefaultTimeout.count())),
     "stop Chromium and fail if printing takes longer")
    ("quiet", po::bool_switch(), "no closing line on stderr");
  po::options_description database = warehouse_options("Warehouse (the read-only account)", "bda_report");
  const po::options_description general = general_options();
  po::options_description all(kLineLength, kDescriptionLength);
  all.add(report).add(database).add(general);

  const po::variables_map vm = parse_command_line(argc, argv, all, "bda-report");

  ReportCommandLine cl;
  cl.early_exit_text = help_or_version(vm, all, kUsage, "bda-report");
  if (cl.early_exit_text) return cl;
  report::ReportRequest& r = cl.request;
  if (vm.count("period")) {
    if (vm.count("period-start") || vm.count("period-end"))
      throw UsageError("give --period KEY, or --period-start and --period-end, not both");
    try {
      r.period = report::Period::of_key(vm["period"].as<std::string>());
    } catch (const UsageError& e) {
      throw UsageError(std::string("--period: ") + e.what());
    }
  } else {
    r.period.start = required_date(vm, "period-start");
    r.period.end = required_date(vm, "period-end");
    if (r.period.end < r.period.start)
      throw UsageError("--period-end " + r.period.end.iso() + " is before --period-start " + r.period.start.iso());
  }
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
  if (!vm.count("db-user"))
    throw UsageError("--db-user is required, e.g. --db-user bda_report (see bda-report --help)");
  r.db = db_options_from(vm);
  cl.quiet = vm["quiet"].as<bool>();
  return cl;
}

} // namespace bda::apps
