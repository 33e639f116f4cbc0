#include "warehouse_load.hpp"

#include "bda/core/termination.hpp"
#include "bda/mpi/job_status.hpp"
#include "bda/warehouse/warehouse.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>

namespace bda::apps {
namespace {

warehouse::RunCounts counts_of(const mpi::EtlResult& r) {
  warehouse::RunCounts c;
  c.input_bytes = r.lake.total_bytes();
  c.lines = r.totals.lines;
  c.records = r.totals.records;
  c.rejected = r.totals.rejected();
  nlohmann::ordered_json rejects;
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) rejects[std::string(kRejectReasonNames[i])] = r.totals.rejects[i];
  c.rejects_json = rejects.dump();
  c.contracts = r.contracts;
  return c;
}

} // namespace

void init_warehouse(MPI_Comm comm, const warehouse::DbOptions& db) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  mpi::run_collectively(comm, [&] {
    if (rank != 0) return;
    warehouse::Warehouse wh(db);
    auto applied = wh.apply_migrations();
    if (applied.empty()) std::fprintf(stderr, "bda-etl: the schema of %s is up to date\n", db.describe().c_str());
    for (const auto& m : applied) std::fprintf(stderr, "bda-etl: applied %s\n", m.name.c_str());
  });
}

mpi::EtlResult run_etl_and_load(MPI_Comm comm, const EtlCommandLine& cl) {
  if (!cl.db) return mpi::run_etl_job(comm, cl.options);
  int rank = 0, size = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  const mpi::EtlOptions& o = cl.options;
  const warehouse::RunStart start{o.days.days(), size, mpi::host_name(), cl.month_to_date};

  // Connect and open the run log before reading a byte, so a wrong password fails in a second.
  std::unique_ptr<warehouse::Warehouse> wh;
  std::uint64_t run_id = 0;
  mpi::run_collectively(comm, [&] {
    if (rank != 0) return;
    wh = std::make_unique<warehouse::Warehouse>(*cl.db);
    run_id = wh->begin_run(start);
  });

  // Terminated (mpirun's SIGTERM when another rank died, --timeout, Ctrl-C): say so in the run log.
  struct LastWordGuard {
    int id = -1;
    ~LastWordGuard() {
      if (id >= 0) remove_last_word(id);
    }
  } last_word;
  if (rank == 0)
    last_word.id = add_last_word([db = *cl.db, run_id](int signal) {
      warehouse::Warehouse::mark_failed_now(db, run_id, "terminated by signal " + std::to_string(signal) +
                                                            " (" + strsignal(signal) +
                                                            "): another rank died, --timeout expired or the job was cancelled");
    });

  // The load runs inside the job, on the finished CSV under its temporary name and before any
  // output is published: a load that fails fails the run, and nothing is published (SPEC 2b).
  std::optional<warehouse::RunCounts> counts; // known once the scan is done
  bool committed = false;
  mpi::EtlHooks hooks;
  hooks.before_publish = [&](const mpi::EtlResult& r, const std::filesystem::path& csv_file) {
    counts = counts_of(r);
    const warehouse::PeriodData data{csv_file, &*r.daily, r.lake.days_with_files(), cl.allow_shrink};
    const auto stats = wh->load_period(run_id, start, *counts, data);
    committed = true;
    if (!o.quiet)
      std::fprintf(stderr,
                   "bda-etl: loaded %llu rows (replacing %llu) and %llu daily rows into %s as run %llu in %.3f s "
                   "(transcode %.3f s, prepare %.3f s, LOAD DATA %.3f s, indexes %.3f s, exchange %.3f s, summaries %.3f s, "
                   "commit %.3f s, old rows %.3f s, data mart %.3f s)\n",
                   static_cast<unsigned long long>(stats.rows), static_cast<unsigned long long>(stats.replaced_rows),
                   static_cast<unsigned long long>(stats.daily_rows), cl.db->describe().c_str(),
                   static_cast<unsigned long long>(run_id), stats.seconds, stats.transcode_seconds, stats.prepare_seconds,
                   stats.load_data_seconds, stats.index_seconds, stats.swap_seconds, stats.summary_seconds,
                   stats.commit_seconds, stats.drop_seconds, stats.mart_seconds);
    if (!o.quiet)
      for (const std::string& period : stats.superseded_periods)
        std::fprintf(stderr, "bda-etl: the month-to-date period %s is replaced by %s\n", period.c_str(),
                     start.key().c_str());
    if (!stats.mart_error.empty())
      std::fprintf(stderr,
                   "bda-etl: warning: %s; the period is loaded; the data mart will be refreshed by the daily event "
                   "or CALL refresh_daily_statistics('%s', '%s')\n",
                   stats.mart_error.c_str(), start.first().iso().c_str(), start.last().iso().c_str());
  };

  try {
    mpi::EtlResult result = mpi::run_etl_job(comm, o, hooks);
    // Never a silent "ok" without a load: a job that published without calling the hook fails.
    mpi::run_collectively(comm, [&] {
      if (rank == 0 && !counts)
        throw warehouse::WarehouseError("the ETL job finished without calling its before_publish step, so the "
                                        "period was not loaded into " + cl.db->describe());
    });
    return result;
  } catch (const mpi::JobFailed& e) {
    if (rank == 0) {
      if (committed) // the period and its 'ok' run are committed; only the publishing failed
        wh->add_note(run_id, std::string("the load committed, but the run failed afterwards: ") + e.what());
      else
        wh->mark_failed(run_id, counts.value_or(warehouse::RunCounts{}), e.what());
    }
    throw;
  }
}

} // namespace bda::apps
