// The MySQL/MariaDB warehouse as the loader sees it (Connector/C++ 1.1): schema, run log, load.
#pragma once

#include "bda/aggregate/daily_usage.hpp"
#include "bda/core/date.hpp"
#include "bda/core/error.hpp"
#include "bda/warehouse/db_options.hpp"
#include "bda/warehouse/page_marks.hpp"
#include "bda/warehouse/period_cube.hpp"
#include "bda/warehouse/migrations.hpp"
#include "bda/warehouse/period_key.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sql {
class Connection;
}

namespace bda::warehouse {

//! A database call failed; the message names the server and what was being done.
class WarehouseError : public Error {
public:
  using Error::Error;
};

//! The load would replace a period by a result with fewer than half its rows (no --allow-shrink).
class ShrinkRefused : public WarehouseError {
public:
  using WarehouseError::WarehouseError;
};

//! The run-log facts known when a run starts.
//! The days from the 1st of a month to a later day of the same month, contiguous: what a daily
//! month-to-date run selects (the whole month is the last of them).
bool is_month_to_date(const std::vector<Date>& days);

struct RunStart {
  std::vector<Date> days; //!< the selected days: sorted, distinct, not empty (DaySelection::days())
  int ranks = 1;
  std::string host;
  //! A daily run's month so far (is_month_to_date(days)): its load replaces the month's shorter
  //! month-to-date periods, so the warehouse keeps one per month (migration 012).
  bool month_to_date = false;

  Date first() const { return days.front(); }
  Date last() const { return days.back(); }
  //! The period's identity (period_key.hpp); throws UsageError for a list spanning too many days.
  std::string key() const { return period_key(days); }
};

//! The run-log facts known when the scan is done.
struct RunCounts {
  std::uint64_t input_bytes = 0;
  std::uint64_t lines = 0;
  std::uint64_t records = 0;
  std::uint64_t rejected = 0;
  std::string rejects_json = "{}"; //!< {"malformed_json": n, ...}
  std::uint64_t contracts = 0;
};

//! What a period load replaces: the period's customer rows and the per-day rows of its days.
struct PeriodData {
  std::filesystem::path olap_csv;
  const DailyUsage* daily = nullptr;
  std::vector<std::pair<Date, std::uint32_t>> days_with_files; //!< (date, index into daily)
  bool allow_shrink = false; //!< may replace a period by fewer than half its rows (--allow-shrink)
};

struct LoadStats {
  std::uint64_t rows = 0;
  std::uint64_t daily_rows = 0;
  double transcode_seconds = 0; //!< CSV -> load files
  double prepare_seconds = 0;   //!< load lock, shrink guard, emptying the staging table
  double load_data_seconds = 0; //!< the LOAD DATA streams into the staging table
  double index_seconds = 0;     //!< building the staging table's secondary indexes
  double swap_seconds = 0;      //!< adding the run's partition and exchanging the staging table into it
  double summary_seconds = 0;   //!< the period's loaded_period and customer_cube rows
  double commit_seconds = 0;    //!< per-day rows, run log, COMMIT (the new rows become the period's)
  double drop_seconds = 0;      //!< dropping the period's previous rows (their partition)
  double mart_seconds = 0;      //!< refresh_daily_statistics
  double seconds = 0;           //!< all of it
  std::uint64_t replaced_rows = 0; //!< rows the period held before
  //! Month-to-date periods of the same month this load replaced (RunStart::month_to_date).
  std::vector<std::string> superseded_periods;
  //! Why the data mart refresh after the commit failed (empty: it did not). The load itself stands.
  std::string mart_error;
};

class Warehouse {
public:
  //! Connects (LOAD DATA LOCAL enabled, binary-safe session); throws WarehouseError.
  explicit Warehouse(const DbOptions& options);
  ~Warehouse();
  Warehouse(const Warehouse&) = delete;
  Warehouse& operator=(const Warehouse&) = delete;

  //! Applies the embedded migrations newer than schema_version; returns those applied.
  std::vector<Migration> apply_migrations();
  //! Marks runs whose loader died as 'failed', then inserts a 'running' etl_run row carrying this
  //! connection's id; returns its run_id.
  std::uint64_t begin_run(const RunStart& run);
  //! Replaces the period (by its key) in one transaction, marks the run 'ok' in the same
  //! transaction, then refreshes the data mart for the period's days. Nothing half-loaded is ever
  //! visible: on any failure (server error, warning, row count mismatch) the transaction rolls back
  //! and this throws; ShrinkRefused when the period would keep fewer than half its rows and
  //! data.allow_shrink is false. A failed refresh after the commit does not throw: it is returned
  //! in LoadStats::mart_error and recorded in etl_run.note.
  LoadStats load_period(std::uint64_t run_id, const RunStart& run, const RunCounts& counts, const PeriodData& data);
  //! Best effort: marks the run 'failed' with a message (reconnects if needed; never throws).
  void mark_failed(std::uint64_t run_id, const RunCounts& counts, const std::string& message) noexcept;
  //! Best effort: appends a note to a run (etl_run.note) without changing its status; never throws.
  void add_note(std::uint64_t run_id, const std::string& note) noexcept;
  //! For a process being terminated, from any thread: on a connection of its own, with a short
  //! lock wait, marks the run 'failed' if it is still 'running'. Never throws.
  static void mark_failed_now(const DbOptions& options, std::uint64_t run_id, const std::string& message) noexcept;
  //! CALL refresh_daily_statistics(from, to).
  void refresh_daily_statistics(Date from, Date to);

private:
  void connect();
  void execute(const std::string& statement, const char* what);
  //! LOAD DATA of the load files into the staging table, one connection each, in parallel; throws
  //! the first stream's error after all have ended.
  void fill_staging_table(const std::vector<std::filesystem::path>& files, const std::vector<std::uint64_t>& file_rows,
                          const std::string& set_clause, const std::string& csv);
  //! Replaces the per-day rows of the days with a file (inside the load's transaction); returns them.
  std::uint64_t write_daily_usage(std::uint64_t run_id, const PeriodData& data);
  //! The run log's closing row of a successful load (inside the load's transaction).
  void mark_run_ok(std::uint64_t run_id, const RunCounts& counts, std::uint64_t rows);
  //! Replaces the period's loaded_period, customer_cube and customer_page_mark rows (inside the
  //! load's transaction).
  //! Within the load's transaction: removes the month's shorter month-to-date periods (their
  //! summaries and loaded_period rows); returns their keys and runs, whose rows go after the commit.
  std::vector<std::pair<std::string, std::uint64_t>> supersede_month_to_date(const RunStart& run);
  void delete_period_summaries(const std::string& key);
  void write_summaries(const std::string& key, const RunStart& run, std::uint64_t run_id, const PeriodCube& cube,
                       const std::vector<PageMark>& marks);
  //! Runs `update` in autocommit mode, reconnecting and trying once more if it fails; never throws:
  //! a second failure is printed as a warning that it "could not `what`".
  void update_best_effort(const std::string& what, const std::function<void(sql::Connection&)>& update) noexcept;

  DbOptions options_;
  std::unique_ptr<sql::Connection> connection_;
};

} // namespace bda::warehouse
