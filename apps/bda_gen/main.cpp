// bda-gen: writes a synthetic, deterministic data lake (and its exact ground truth) for testing bda-etl.
#include "../common/day_selection_args.hpp"

#include "bda/core/error.hpp"
#include "bda/core/version.hpp"
#include "bda/gen/lake_generator.hpp"
#include "bda/lake/day_selection.hpp"

#include <boost/program_options.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

namespace po = boost::program_options;

namespace {

constexpr const char* kUsage = "Usage: bda-gen --out DIR (--month YYYY-MM | --from YYYY-MM-DD --to YYYY-MM-DD | "
                               "--date YYYY-MM-DD ...) [options]";

constexpr const char* kDescription = R"(
Writes one JSON-Lines file per selected day, DIR/YYYYMMDD.json (or .json.gz), each with exactly
--lines-per-day lines ('\n' line ends; blank lines included in the count). Every line is an
Elasticsearch hit like the real export; a share of them is blank, unusual but valid (other key
orders, extra and duplicate keys, " sport ", 254.0, 1E2, -0, "\u0053GH123456", contracts with
',' '"' or a newline, CRLF ends) or invalid with exactly one defect per line (malformed_json,
not_object, missing_field, bad_contract, unknown_app, bad_duration). The same options and seed
give byte-identical files; a day's file does not depend on which other days are selected.
A day file of the other format (.json vs .json.gz) is removed, since a lake may hold only one.

The manifest (--manifest) is the exact ground truth a correct ETL run must report:
  {"generator", "seed", "days": ["2022-04-01", ...], "files": ["20220401.json", ...],
   "lines", "blank_lines", "records" (lines that count), "rejected",
   "rejects": {"malformed_json": n, "not_object": n, "missing_field": n, "bad_contract": n,
               "unknown_app": n, "bad_duration": n, "line_too_long": 0},
   "contracts" (distinct contracts of counted records), "total_duration" (their sum),
   "duration_by_category": {"Child": n, "Movie": n, "Sport": n, "TV": n, "Relax": n},
   "date_count_histogram": {"1": contracts with DateCount 1, ..., "D": ...},
   "tricky_records", "crlf_lines", "options": {...}}

Examples:
  bda-gen --out lake --month 2022-04                      # 30 files x 300000 lines
  bda-gen --out lake --from 2022-04-01 --to 2022-04-07 --lines-per-day 2000 --gzip
  bda-gen --out lake --date 2022-04-01 --date 2022-04-15 --dirty-share 0.2 --manifest truth.json
  bda-gen --out lake --month 2022-04 --dirty-share 0 --blank-share 0 --crlf-share 0   # all valid

Exit status: 0 done, 1 an output could not be written, 2 bad usage.

Options)";

std::uint64_t parse_count(const std::string& option, const std::string& text) {
  std::uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty())
    throw bda::UsageError("--" + option + " expects a non-negative integer, got '" + text + "'");
  return value;
}

double parse_share(const std::string& option, const std::string& text) {
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty() || !(value >= 0.0 && value <= 1.0))
    throw bda::UsageError("--" + option + " expects a share between 0 and 1 (e.g. 0.01), got '" + text + "'");
  return value;
}

std::string megabytes(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return buf;
}

int run(int argc, char** argv) {
  po::options_description opts(std::string(kUsage) + "\n" + kDescription);
  // clang-format off
  opts.add_options()
    ("help,h", "show this help and exit")
    ("version", "print the version and exit")
    ("out", po::value<std::string>()->value_name("DIR"), "output directory, created if needed (required); e.g. --out /data/lake")
    ("month", po::value<std::string>()->value_name("YYYY-MM"), "every day of a month; e.g. --month 2022-04")
    ("from", po::value<std::string>()->value_name("YYYY-MM-DD"), "first day of an inclusive range, with --to; e.g. --from 2022-04-01")
    ("to", po::value<std::string>()->value_name("YYYY-MM-DD"), "last day of the range; e.g. --to 2022-04-07")
    ("date", po::value<std::vector<std::string>>()->value_name("YYYY-MM-DD"), "one day; repeat for a list; e.g. --date 2022-04-01 --date 2022-04-15")
    ("lines-per-day", po::value<std::string>()->value_name("N")->default_value(std::to_string(bda::GenConfig::kDefaultLinesPerDay)), "lines in each day file, blank ones included; e.g. --lines-per-day 2000")
    ("customers", po::value<std::string>()->value_name("N"), "distinct customers in the pool (default: lines-per-day/3, at least 1); e.g. --customers 50000")
    ("dirty-share", po::value<std::string>()->value_name("F")->default_value("0.01"), "share of the non-blank lines that are invalid, 0 allowed; e.g. --dirty-share 0.2")
    ("blank-share", po::value<std::string>()->value_name("F")->default_value("0.001"), "share of all lines that are blank; e.g. --blank-share 0")
    ("crlf-share", po::value<std::string>()->value_name("F")->default_value("0.001"), "chance of a valid line to end in \\r\\n; e.g. --crlf-share 0.05")
    ("seed", po::value<std::string>()->value_name("S")->default_value(std::to_string(bda::GenConfig::kDefaultSeed)), "PRNG seed: same seed and options, same bytes; e.g. --seed 7")
    ("gzip", "write YYYYMMDD.json.gz instead of YYYYMMDD.json; e.g. --gzip")
    ("manifest", po::value<std::string>()->value_name("FILE.json"), "write the ground truth (format above); e.g. --manifest lake/truth.json")
    ("quiet,q", "print nothing but errors");
  // clang-format on

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(opts).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw bda::UsageError(e.what());
  }
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return 0;
  }
  if (vm.count("version")) {
    std::cout << "bda-gen " << bda::version() << "\n";
    return 0;
  }
  if (!vm.count("out")) throw bda::UsageError("--out DIR is required (see --help)");

  bda::GenConfig config;
  config.out_dir = vm["out"].as<std::string>();
  config.days = bda::apps::selected_days(vm).days();
  config.lines_per_day = parse_count("lines-per-day", vm["lines-per-day"].as<std::string>());
  if (vm.count("customers")) config.customers = parse_count("customers", vm["customers"].as<std::string>());
  config.dirty_share = parse_share("dirty-share", vm["dirty-share"].as<std::string>());
  config.blank_share = parse_share("blank-share", vm["blank-share"].as<std::string>());
  config.crlf_share = parse_share("crlf-share", vm["crlf-share"].as<std::string>());
  config.seed = parse_count("seed", vm["seed"].as<std::string>());
  config.gzip = vm.count("gzip") > 0;
  const bool quiet = vm.count("quiet") > 0;

  const auto start = std::chrono::steady_clock::now();
  bda::LakeGenerator generator(std::move(config));
  const bda::GenConfig& cfg = generator.config();
  if (!quiet)
    std::cout << "bda-gen: " << bda::DaySelection(cfg.days).describe() << ", " << cfg.lines_per_day
              << " lines/day, " << cfg.customer_count() << " customers, seed " << cfg.seed << " -> "
              << cfg.out_dir.string() << std::endl;

  std::uint64_t bytes = 0;
  const bda::GroundTruth truth = generator.run([&](const bda::DayReport& day) {
    bytes += day.file_bytes;
    if (quiet) return;
    std::cout << "  " << day.path.filename().string() << ": " << day.lines << " lines, " << day.records
              << " records, " << day.rejected << " rejects, " << day.blank_lines << " blank, "
              << megabytes(day.file_bytes)
              << (day.replaced_other_format ? " (removed the day's file of the other format)" : "") << std::endl;
  });
  if (vm.count("manifest")) bda::write_manifest(vm["manifest"].as<std::string>(), cfg, truth);

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!quiet) {
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.1f s (%.2f M lines/s)", seconds,
                  static_cast<double>(truth.lines) / 1e6 / (seconds > 0 ? seconds : 1e-9));
    std::cout << "bda-gen: wrote " << truth.files.size() << " files, " << truth.lines << " lines ("
              << truth.records << " records, " << truth.rejected() << " rejects, " << truth.blank_lines
              << " blank; " << truth.contracts << " contracts), " << megabytes(bytes) << " in " << rate << "\n";
    if (vm.count("manifest")) std::cout << "bda-gen: manifest " << vm["manifest"].as<std::string>() << "\n";
  }
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const bda::UsageError& e) {
    std::cerr << "bda-gen: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "bda-gen: error: " << e.what() << "\n";
    return 1;
  }
}
