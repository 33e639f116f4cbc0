#include "etl_options.hpp"

#include "../common/command_line.hpp"
#include "../common/day_selection_args.hpp"

#include "bda/core/error.hpp"
#include "bda/warehouse/warehouse.hpp"

#include <boost/program_options.hpp>



namespace bda::apps {
namespace {

constexpr const char* kUsage = R"(Usage: bda-etl --lake DIR (--month YYYY-MM | --from DATE --to DATE | --date DATE...) --out FILE.csv [options]

Reads the day files YYYYMMDD.json / YYYYMMDD.json.gz of the selected days from the lake,
builds one viewing profile per Contract and writes the OLAP CSV (run it under mpirun).

Examples:
  mpirun -np 2 bda-etl --lake lake --month 2022-04 --out out/april.csv --summary out/april.json
  mpirun -np 4 bda-etl --lake lake --from 2022-04-01 --to 2022-04-07 --out week.csv --quarantine week.rejects.tsv
  bda-etl --lake lake --date 2022-04-01 --date 2022-04-15 --out two-days.csv --max-rejects 0
  MYSQL_PWD=... mpirun -np 2 bda-etl --config etl.conf --month 2022-04 --out april.csv
  mpirun -np 2 bda-etl --lake lake --from 2022-04-01 --to 2022-04-17 --checkpoints ckpt --out mtd.csv
  bda-etl --init-db --db-socket /run/bda/mysqld.sock --db-user root

)";

} // namespace

EtlCommandLine parse_etl_command_line(int argc, const char* const argv[]) {
  constexpr unsigned kLineLength = kHelpLineLength, kDescriptionLength = kHelpDescriptionLength;
  po::options_description input("Input", kLineLength, kDescriptionLength);
  input.add_options()
    ("lake", po::value<std::string>()->value_name("DIR"), "directory of day files YYYYMMDD.json[.gz]")
    ("month", po::value<std::string>()->value_name("YYYY-MM"), "every day of one month, e.g. --month 2022-04")
    ("from", po::value<std::string>()->value_name("DATE"), "first day of an inclusive range, e.g. --from 2022-04-01")
    ("to", po::value<std::string>()->value_name("DATE"), "last day of the range, e.g. --to 2022-04-30")
    ("date", po::value<std::vector<std::string>>()->value_name("DATE"),
     "one day; repeat for a list, e.g. --date 2022-04-01 --date 2022-04-15")
    ("allow-missing-days", po::bool_switch(), "warn about a selected day without a file instead of failing "
                                              "(the day still counts in Activeness)")
    ("mapping", po::value<std::string>()->value_name("FILE.json"),
     R"(AppName -> category mapping replacing the default, e.g. {"TV": ["CHANNEL","KPLUS"], "Movie": ["VOD"]})");
  po::options_description output("Output", kLineLength, kDescriptionLength);
  output.add_options()
    ("out", po::value<std::string>()->value_name("FILE.csv"), "the OLAP CSV (written atomically), e.g. out/april.csv")
    ("summary", po::value<std::string>()->value_name("FILE.json"),
     "run summary: days, files, lines, records, rejects per reason, contracts, timings, per-rank hosts")
    ("quarantine", po::value<std::string>()->value_name("FILE.tsv"),
     "every rejected line as file<TAB>line<TAB>reason<TAB>text, e.g. out/april.rejects.tsv")
    ("daily", po::value<std::string>()->value_name("FILE.csv"),
     "the per-day table: stat_date,category,sessions,total_duration,customers (All + each category)")
    ("max-rejects", po::value<std::string>()->value_name("N|P%|none")->default_value("10%"),
     "fail and publish no CSV if more lines are rejected: a count (0 = fail fast), a share of the non-blank "
     "lines, e.g. 0.5%, or none (no limit)")
    ("progress", po::value<std::string>()->value_name("STYLE")->default_value("auto"),
     "auto (a bar on a terminal, else a line every 5 s), bar (also under mpirun, which pipes stderr), lines, none")
    ("quiet", po::bool_switch(), "no progress and no closing summary line on stderr");
  po::options_description daily("Daily runs", kLineLength, kDescriptionLength);
  daily.add_options()
    ("checkpoints", po::value<std::string>()->value_name("DIR"),
     "keep a checkpoint of every day parsed (DIR/YYYYMMDD.ckpt) and take the days that have a valid one "
     "from it instead of parsing the day file again; the outputs are the same as without")
    ("refresh-checkpoints", po::bool_switch(), "parse every selected day and rewrite its checkpoint")
    ("month-to-date", po::bool_switch(),
     "the selection is the month so far (the 1st to a later day of one month, as scripts/daily.sh runs it): "
     "its warehouse load replaces the month's shorter month-to-date period, so one is kept per month");
  po::options_description database =
      warehouse_options("Warehouse (load after the CSV when --db-user is given)", "bda_loader");
  database.add_options()
    ("init-db", po::bool_switch(), "apply the missing schema migrations (sql/migrations) and exit")
    ("allow-shrink", po::bool_switch(),
     "let a load replace a loaded period by a result with under half its rows (refused by default)");
  po::options_description tuning("Tuning", kLineLength, kDescriptionLength);
  tuning.add_options()
    ("read-buffer-mb", po::value<std::size_t>()->value_name("N")->default_value(ReaderConfig::kDefaultChunkBytes >> 20),
     "read buffer per rank in MiB")
    ("max-line-mb", po::value<std::size_t>()->value_name("N")->default_value(ReaderConfig::kDefaultMaxLineBytes >> 20),
     "longer lines are rejected as line_too_long")
    ("memory-mb", po::value<std::size_t>()->value_name("N"),
     "the most memory in MiB a rank's share of the contracts and its shuffle buffers may take; a rank "
     "whose share does not fit stops the job with a message instead of being killed (default: 80% of the "
     "host's memory divided by the ranks on it)");
  tuning.add_options()
    ("timeout", po::value<unsigned>()->value_name("SECONDS")->default_value(0),
     "end the whole job with an error if it has not finished after this long (0: no limit); a hung rank "
     "otherwise keeps every other rank waiting");
  const po::options_description general = general_options();
  po::options_description all(kLineLength, kDescriptionLength);
  all.add(input).add(output).add(daily).add(database).add(tuning).add(general);

  const po::variables_map vm = parse_command_line(argc, argv, all, "bda-etl");

  EtlCommandLine cl;
  cl.early_exit_text = help_or_version(vm, all, kUsage, "bda-etl");
  if (cl.early_exit_text) return cl;
  if (vm.count("db-user")) cl.db = db_options_from(vm);
  cl.init_db = vm["init-db"].as<bool>();
  cl.allow_shrink = vm["allow-shrink"].as<bool>();
  cl.timeout_seconds = vm["timeout"].as<unsigned>();
  if (cl.init_db) {
    if (!cl.db) throw UsageError("--init-db needs the connection options (--db-user and --db-socket or --db-host)");
    return cl;
  }
  for (const char* required : {"lake", "out"})
    if (!vm.count(required)) throw UsageError(std::string("--") + required + " is required (see bda-etl --help)");

  mpi::EtlOptions& o = cl.options;
  o.lake = vm["lake"].as<std::string>();
  o.days = selected_days(vm);
  o.allow_missing_days = vm["allow-missing-days"].as<bool>();
  o.out = vm["out"].as<std::string>();
  if (vm.count("mapping")) o.mapping_file = vm["mapping"].as<std::string>();
  if (vm.count("summary")) o.summary_file = vm["summary"].as<std::string>();
  if (vm.count("quarantine")) o.quarantine_file = vm["quarantine"].as<std::string>();
  if (vm.count("daily")) o.daily_file = vm["daily"].as<std::string>();
  if (vm.count("checkpoints")) o.checkpoint_dir = vm["checkpoints"].as<std::string>();
  o.refresh_checkpoints = vm["refresh-checkpoints"].as<bool>();
  cl.month_to_date = vm["month-to-date"].as<bool>();
  if (cl.month_to_date && !warehouse::is_month_to_date(o.days.days()))
    throw UsageError("--month-to-date needs a selection from the 1st of a month to a later day of the same month, not " +
                     o.days.describe());
  if (o.refresh_checkpoints && !o.checkpoint_dir) throw UsageError("--refresh-checkpoints needs --checkpoints DIR");
  o.max_rejects = RejectLimit::parse(vm["max-rejects"].as<std::string>());
  if (vm.count("config")) o.other_inputs.push_back({"--config", vm["config"].as<std::string>()});
  if (vm.count("db-password-file")) o.other_inputs.push_back({"--db-password-file", vm["db-password-file"].as<std::string>()});
  o.quiet = vm["quiet"].as<bool>();
  o.progress = o.quiet ? mpi::ProgressStyle::None : mpi::parse_progress_style(vm["progress"].as<std::string>());
  const std::size_t buffer_mb = vm["read-buffer-mb"].as<std::size_t>(), line_mb = vm["max-line-mb"].as<std::size_t>();
  if (buffer_mb == 0 || buffer_mb > 1024) throw UsageError("--read-buffer-mb must be between 1 and 1024");
  if (line_mb == 0 || line_mb > 4096) throw UsageError("--max-line-mb must be between 1 and 4096");
  o.reader.chunk_bytes = buffer_mb << 20;
  if (vm.count("memory-mb")) {
    o.memory_mb = vm["memory-mb"].as<std::size_t>();
    if (o.memory_mb < 16 || o.memory_mb > (std::size_t{1} << 30))
      throw UsageError("--memory-mb must be at least 16 (MiB)");
  }
  o.reader.max_line_bytes = line_mb << 20;
  return cl;
}

} // namespace bda::apps
