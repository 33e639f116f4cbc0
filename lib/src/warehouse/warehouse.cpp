#include "bda/warehouse/warehouse.hpp"

#include "bda/warehouse/connection.hpp"
#include "bda/warehouse/load_file.hpp"
#include "bda/warehouse/page_marks.hpp"
#include "bda/warehouse/period_cube.hpp"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_connection.h>
#include <mysql_driver.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <optional>
#include <set>
#include <thread>

namespace bda::warehouse {
namespace {

std::string sql_date(Date d) { return "'" + d.iso() + "'"; } // formatted by us, never user text
//! A period key as an SQL literal: period_key() writes only digits, '-', '.', '/' and a-f.
std::string sql_key(const std::string& key) { return "'" + key + "'"; }

//! A temporary file removed on scope exit.
class TempFile {
public:
  explicit TempFile(const std::string& stem) {
    const char* dir = std::getenv("TMPDIR");
    std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/" + stem + "-XXXXXX";
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw OutputError("cannot create a temporary file in " + pattern + ": " + errno_text(errno));
    ::close(fd);
    path_ = pattern;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
};

std::string quote_path(const std::filesystem::path& p) {
  std::string out = "'";
  for (char c : p.string()) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

} // namespace

Warehouse::Warehouse(const DbOptions& options) : options_(options) { connect(); }
Warehouse::~Warehouse() = default;

void Warehouse::connect() {
  try {
    connection_ = open_connection(options_);
    // Strict: a bad value is an error, not a warning that turns into a silent truncation.
    execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO'",
            "setting strict mode");
  } catch (const sql::SQLException& e) {
    throw WarehouseError("cannot connect to the warehouse " + options_.describe() + ": " + e.what());
  }
}

void Warehouse::execute(const std::string& statement, const char* what) {
  try {
    std::unique_ptr<sql::Statement> stmt(connection_->createStatement());
    stmt->execute(statement);
    while (stmt->getMoreResults()) {
    }
  } catch (const sql::SQLException& e) {
    throw WarehouseError(std::string(what) + " failed on " + options_.describe() + ": " + e.what());
  }
}

std::vector<Migration> Warehouse::apply_migrations() {
  execute("CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY, name VARCHAR(200) NOT NULL, "
          "applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB",
          "creating schema_version");
  std::set<int> applied;
  try {
    std::unique_ptr<sql::Statement> stmt(connection_->createStatement());
    std::unique_ptr<sql::ResultSet> rs(stmt->executeQuery("SELECT version FROM schema_version"));
    while (rs->next()) applied.insert(rs->getInt(1));
  } catch (const sql::SQLException& e) {
    throw WarehouseError("reading schema_version on " + options_.describe() + " failed: " + e.what());
  }
  std::vector<Migration> done;
  for (const Migration& m : embedded_migrations()) {
    if (applied.count(m.version)) continue;
    for (const std::string& statement : split_sql_statements(m.script))
      execute(statement, ("migration " + m.name).c_str());
    try {
      std::unique_ptr<sql::PreparedStatement> ps(
          connection_->prepareStatement("INSERT INTO schema_version (version, name) VALUES (?, ?)"));
      ps->setInt(1, m.version);
      ps->setString(2, m.name);
      ps->execute();
    } catch (const sql::SQLException& e) {
      throw WarehouseError("recording migration " + m.name + " failed: " + e.what());
    }
    done.push_back(m);
  }
  return done;
}

std::uint64_t Warehouse::begin_run(const RunStart& run) {
  const std::string key = run.key(); // before any write: a day list too long to key fails here
  std::string dates;
  for (Date d : run.days) dates += (dates.empty() ? "" : ",") + d.iso();
  try {
    execute("CALL close_abandoned_runs()", "closing abandoned runs");
    std::unique_ptr<sql::PreparedStatement> ps(connection_->prepareStatement(
        "INSERT INTO etl_run (period_start, period_end, period_key, selected_days, selected_dates, started_at, "
        "status, ranks, host, connection_id) VALUES (?, ?, ?, ?, ?, NOW(3), 'running', ?, ?, CONNECTION_ID())"));
    ps->setString(1, run.first().iso());
    ps->setString(2, run.last().iso());
    ps->setString(3, key);
    ps->setUInt(4, static_cast<std::uint32_t>(run.days.size()));
    ps->setString(5, dates);
    ps->setInt(6, run.ranks);
    ps->setString(7, run.host);
    ps->execute();
    std::unique_ptr<sql::Statement> stmt(connection_->createStatement());
    std::unique_ptr<sql::ResultSet> rs(stmt->executeQuery("SELECT LAST_INSERT_ID()"));
    rs->next();
    return rs->getUInt64(1);
  } catch (const sql::SQLException& e) {
    throw WarehouseError("starting the run log on " + options_.describe() + " failed: " + e.what());
  }
}

namespace {

//! The named lock that makes loads of one schema take turns: a load changes the partitions of
//! customer_behavior and shares its staging table. Held by the connection; the server releases it
//! when the connection ends, however the loader ends.
class LoadLock {
public:
  LoadLock(sql::Connection& c, const std::string& where) : connection_(c) {
    std::unique_ptr<sql::Statement> stmt(c.createStatement());
    std::unique_ptr<sql::ResultSet> rs(stmt->executeQuery(
        "SELECT GET_LOCK(" + std::string(kName) + ", " + std::to_string(kWaitSeconds) + ")"));
    if (!rs->next() || rs->isNull(1) || rs->getInt(1) != 1)
      throw WarehouseError("another load into " + where + " held the load lock for " + std::to_string(kWaitSeconds) +
                           " s; nothing was changed");
  }
  ~LoadLock() {
    try {
      std::unique_ptr<sql::Statement> stmt(connection_.createStatement());
      std::unique_ptr<sql::ResultSet> rs(stmt->executeQuery("SELECT RELEASE_LOCK(" + std::string(kName) + ")"));
    } catch (const sql::SQLException&) { // the connection is gone, and the lock with it
    }
  }
  LoadLock(const LoadLock&) = delete;
  LoadLock& operator=(const LoadLock&) = delete;

private:
  static constexpr int kWaitSeconds = 600;
  static constexpr const char* kName = "CONCAT('bda.load.', DATABASE())"; // server-wide: one per schema
  sql::Connection& connection_;
};

//! LOAD DATA of one load file into the staging table; returns the rows it added. Every warning
//! fails it: LOAD DATA LOCAL downgrades errors to warnings (it implies IGNORE).
std::uint64_t load_stream(sql::Connection& c, const std::filesystem::path& file, std::uint64_t rows,
                          const std::string& set_clause, const std::string& csv) {
  std::unique_ptr<sql::Statement> stmt(c.createStatement());
  stmt->execute("LOAD DATA LOCAL INFILE " + quote_path(file) +
                " INTO TABLE customer_behavior_load CHARACTER SET binary"
                " FIELDS TERMINATED BY '\\t' ESCAPED BY '' LINES TERMINATED BY '\\n'"
                " (@contract, ChildDuration, MovieDuration, SportDuration, TVDuration, RelaxDuration, @most_watch,"
                " Taste, DateCount, Activeness) SET " + set_clause);
  const auto loaded = static_cast<std::uint64_t>(stmt->getUpdateCount());
  std::unique_ptr<sql::ResultSet> warnings(stmt->executeQuery("SHOW COUNT(*) WARNINGS"));
  warnings->next();
  const auto warning_count = warnings->getUInt64(1);
  if (warning_count != 0 || loaded != rows) {
    std::string detail;
    std::unique_ptr<sql::ResultSet> w(stmt->executeQuery("SHOW WARNINGS LIMIT 3"));
    while (w->next()) detail += "; " + std::string(w->getString(3));
    throw WarehouseError("loading " + csv + " into customer_behavior: " + std::to_string(loaded) + " of " +
                         std::to_string(rows) + " rows of a load stream loaded with " +
                         std::to_string(warning_count) + " warnings" + detail + "; nothing was changed");
  }
  return loaded;
}

void call(sql::Connection& c, const std::string& statement) {
  std::unique_ptr<sql::Statement> stmt(c.createStatement());
  stmt->execute(statement);
  while (stmt->getMoreResults()) {
  }
}

} // namespace

LoadStats Warehouse::load_period(std::uint64_t run_id, const RunStart& run, const RunCounts& counts,
                                 const PeriodData& data) {
  auto start = std::chrono::steady_clock::now(), lap = start;
  auto seconds_since_lap = [&lap] {
    const auto now = std::chrono::steady_clock::now();
    const double s = std::chrono::duration<double>(now - lap).count();
    lap = now;
    return s;
  };
  LoadStats stats;
  // LOAD DATA is one thread of the server per statement: two streams into the staging table keep
  // two cores busy (the job's ranks are done by now).
  constexpr std::size_t kStreams = 2;
  std::vector<std::unique_ptr<TempFile>> files;
  std::vector<std::filesystem::path> paths;
  for (std::size_t i = 0; i < kStreams; ++i) {
    files.push_back(std::make_unique<TempFile>("bda-load"));
    paths.push_back(files.back()->path());
  }
  PeriodCube cube;
  PageMarks marks;
  const std::vector<std::uint64_t> file_rows = write_customer_load_files(data.olap_csv, paths, &cube, &marks);
  std::uint64_t csv_rows = 0;
  for (std::uint64_t r : file_rows) csv_rows += r;
  // Sorting for the marks overlaps the server's work below.
  std::future<std::vector<PageMark>> page_marks = std::async(std::launch::async, [&marks] { return marks.marks(); });
  stats.transcode_seconds = seconds_since_lap();
  const std::string key = run.key();
  const std::string set_clause = "period_start = " + sql_date(run.first()) + ", period_end = " + sql_date(run.last()) +
                                 ", period_key = " + sql_key(key) +
                                 ", Contract = UNHEX(@contract), MostWatch = NULLIF(@most_watch, ''), run_id = " +
                                 std::to_string(run_id);
  bool swapped = false;
  std::optional<std::uint64_t> old_run;
  try {
    LoadLock lock(*connection_, options_.describe());
    // DDL waits for readers of customer_behavior; a dashboard request lasts at most seconds.
    call(*connection_, "SET SESSION lock_wait_timeout = 120");
    // The shrink guard: what the period holds now. The lock keeps it so until this load ends: a
    // second loader of the same period waits above and then counts what this one committed.
    {
      std::unique_ptr<sql::PreparedStatement> ps(
          connection_->prepareStatement("SELECT run_id, customers FROM loaded_period WHERE period_key = ?"));
      ps->setString(1, key);
      std::unique_ptr<sql::ResultSet> held(ps->executeQuery());
      if (held->next()) {
        old_run = held->getUInt64(1);
        stats.replaced_rows = held->getUInt64(2);
      }
    }
    if (!data.allow_shrink && csv_rows * 2 < stats.replaced_rows)
      throw ShrinkRefused("period " + key + " holds " + std::to_string(stats.replaced_rows) + " rows; this run has " +
                          std::to_string(csv_rows) + ", fewer than half; nothing was changed. If the smaller "
                          "result is right (e.g. after fixing the input), run again with --allow-shrink");
    call(*connection_, "CALL load_table_prepare()");
    stats.prepare_seconds = seconds_since_lap();

    fill_staging_table(paths, file_rows, set_clause, data.olap_csv.string());
    stats.rows = csv_rows;
    stats.load_data_seconds = seconds_since_lap();
    call(*connection_, "CALL load_table_index()");
    stats.index_seconds = seconds_since_lap();
    // The rows enter as the run's own partition; no reader sees them before loaded_period names
    // the run (v_customer_segment), which the transaction below does with the summaries.
    call(*connection_, "CALL load_table_swap(" + std::to_string(run_id) + ")");
    swapped = true;
    stats.swap_seconds = seconds_since_lap();

    connection_->setAutoCommit(false);
    const auto superseded = supersede_month_to_date(run);
    write_summaries(key, run, run_id, cube, page_marks.get());
    stats.summary_seconds = seconds_since_lap();
    stats.daily_rows = write_daily_usage(run_id, data);
    mark_run_ok(run_id, counts, stats.rows);
    connection_->commit();
    connection_->setAutoCommit(true);
    stats.commit_seconds += seconds_since_lap();
    // The old rows are no period's any more: one DROP PARTITION (a DELETE for rows loaded before
    // 010). Left behind if this fails; the next load's load_table_prepare drops them.
    std::vector<std::pair<std::string, std::uint64_t>> old_rows = superseded;
    if (old_run) old_rows.emplace_back(key, *old_run);
    for (const auto& [period, old] : old_rows) {
      try {
        call(*connection_, "CALL drop_run_rows(" + std::to_string(old) + ")");
      } catch (const sql::SQLException& e) {
        std::fprintf(stderr, "bda-etl: warning: the previous rows of period %s (run %llu) stay until the next load: %s\n",
                     period.c_str(), static_cast<unsigned long long>(old), e.what());
      }
    }
    for (const auto& entry : superseded) stats.superseded_periods.push_back(entry.first);
    stats.drop_seconds = seconds_since_lap();
  } catch (...) {
    try {
      connection_->rollback();
      connection_->setAutoCommit(true);
      // Not committed: the run's partition is no period's, its rows were never visible.
      if (swapped) call(*connection_, "CALL drop_run_rows(" + std::to_string(run_id) + ")");
    } catch (const sql::SQLException&) { // the server may be gone: the next load cleans up
    }
    try {
      throw;
    } catch (const sql::SQLException& e) {
      throw WarehouseError("loading the period into " + options_.describe() + " failed: " + e.what() +
                           "; the previous data of the period is unchanged");
    }
  }
  // The period is committed: a failing refresh must not turn it into a failed run. The daily event
  // (or a manual CALL) brings the mart up to date later.
  try {
    refresh_daily_statistics(run.first(), run.last());
  } catch (const WarehouseError& e) {
    stats.mart_error = e.what();
    add_note(run_id, stats.mart_error);
  }
  stats.mart_seconds = seconds_since_lap();
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

void Warehouse::fill_staging_table(const std::vector<std::filesystem::path>& files,
                                   const std::vector<std::uint64_t>& file_rows, const std::string& set_clause,
                                   const std::string& csv) {
  // This connection takes the first file, one more connection each of the others, in parallel.
  std::vector<std::unique_ptr<sql::Connection>> extra;
  for (std::size_t i = 1; i < files.size(); ++i) {
    extra.push_back(open_connection(options_));
    call(*extra.back(), "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO'");
  }
  std::vector<std::exception_ptr> failures(files.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < files.size(); ++i)
    threads.emplace_back([&, i] {
      sql::mysql::get_mysql_driver_instance()->threadInit();
      try {
        load_stream(*extra[i - 1], files[i], file_rows[i], set_clause, csv);
      } catch (...) {
        failures[i] = std::current_exception();
      }
      sql::mysql::get_mysql_driver_instance()->threadEnd();
    });
  try {
    load_stream(*connection_, files[0], file_rows[0], set_clause, csv);
  } catch (...) {
    failures[0] = std::current_exception();
  }
  for (std::thread& t : threads) t.join();
  for (const std::exception_ptr& failure : failures)
    if (failure) std::rethrow_exception(failure);
}

std::uint64_t Warehouse::write_daily_usage(std::uint64_t run_id, const PeriodData& data) {
  if (!data.daily || data.days_with_files.empty()) return 0;
  std::string days;
  for (const auto& [date, index] : data.days_with_files) days += (days.empty() ? "" : ", ") + sql_date(date);
  call(*connection_, "DELETE FROM daily_usage WHERE stat_date IN (" + days + ")");
  std::unique_ptr<sql::PreparedStatement> ps(connection_->prepareStatement(
      "INSERT INTO daily_usage (stat_date, category, sessions, total_duration, customers, run_id) "
      "VALUES (?, ?, ?, ?, ?, ?)"));
  std::uint64_t rows = 0;
  for (const auto& [date, index] : data.days_with_files) {
    const DayUsage& d = data.daily->days()[index];
    for (std::size_t slot = 0; slot <= kCategoryCount; ++slot) {
      ps->setString(1, date.iso());
      ps->setString(2, slot == kAllCategories ? std::string("All") : std::string(kCategoryNames[slot]));
      ps->setUInt64(3, d.sessions[slot]);
      ps->setUInt64(4, d.duration[slot]);
      ps->setUInt64(5, d.customers[slot]);
      ps->setUInt64(6, run_id);
      ps->execute();
      ++rows;
    }
  }
  return rows;
}

void Warehouse::mark_run_ok(std::uint64_t run_id, const RunCounts& counts, std::uint64_t rows) {
  std::unique_ptr<sql::PreparedStatement> done(connection_->prepareStatement(
      "UPDATE etl_run SET status = 'ok', finished_at = NOW(3), input_bytes = ?, lines_read = ?, records = ?, "
      "rejected = ?, rejects = ?, contracts = ?, rows_loaded = ? WHERE run_id = ?"));
  done->setUInt64(1, counts.input_bytes);
  done->setUInt64(2, counts.lines);
  done->setUInt64(3, counts.records);
  done->setUInt64(4, counts.rejected);
  done->setString(5, counts.rejects_json);
  done->setUInt64(6, counts.contracts);
  done->setUInt64(7, rows);
  done->setUInt64(8, run_id);
  done->execute();
}

bool is_month_to_date(const std::vector<Date>& days) {
  if (days.empty()) return false;
  const std::string first = days.front().iso(), last = days.back().iso();
  const auto span = days.back().days_since_epoch() - days.front().days_since_epoch() + 1;
  return first.substr(8) == "01" && first.substr(0, 7) == last.substr(0, 7) &&
         static_cast<std::size_t>(span) == days.size();
}

std::vector<std::pair<std::string, std::uint64_t>> Warehouse::supersede_month_to_date(const RunStart& run) {
  std::vector<std::pair<std::string, std::uint64_t>> superseded;
  if (!run.month_to_date) return superseded;
  if (!is_month_to_date(run.days))
    throw WarehouseError("the period " + run.key() + " is not a month so far (the 1st to a later day of one month)");
  {
    std::unique_ptr<sql::PreparedStatement> ps(connection_->prepareStatement(
        "SELECT period_key, run_id FROM loaded_period WHERE month_to_date AND period_start = ? AND period_end < ? "
        "ORDER BY period_end"));
    ps->setString(1, run.first().iso());
    ps->setString(2, run.last().iso());
    std::unique_ptr<sql::ResultSet> rs(ps->executeQuery());
    while (rs->next()) superseded.emplace_back(rs->getString(1), rs->getUInt64(2));
  }
  for (const auto& [key, old_run] : superseded) delete_period_summaries(key);
  return superseded;
}

void Warehouse::delete_period_summaries(const std::string& key) {
  std::unique_ptr<sql::Statement> stmt(connection_->createStatement());
  stmt->execute("DELETE FROM customer_page_mark WHERE period_key = " + sql_key(key));
  stmt->execute("DELETE FROM customer_cube WHERE period_key = " + sql_key(key));
  stmt->execute("DELETE FROM loaded_period WHERE period_key = " + sql_key(key));
}

void Warehouse::write_summaries(const std::string& key, const RunStart& run, std::uint64_t run_id,
                                const PeriodCube& cube, const std::vector<PageMark>& marks) {
  delete_period_summaries(key);
  if (cube.customers() == 0) return; // a period without customers is not listed
  std::unique_ptr<sql::Statement> stmt(connection_->createStatement());
  // A few thousand cells: multi-row INSERTs of bound values, kRowsPerInsert at a time.
  constexpr std::size_t kColumns = 13, kRowsPerInsert = 200;
  const std::vector<CubeCell> cells = cube.cells();
  auto insert_for = [&](std::size_t rows) {
    std::string sql = "INSERT INTO customer_cube (period_key, Taste, MostWatch, DateCount, Segment, Activeness, "
                      "customers, child_duration, movie_duration, sport_duration, tv_duration, relax_duration, "
                      "run_id) VALUES ";
    for (std::size_t r = 0; r < rows; ++r) sql += std::string(r ? ", " : "") + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    return std::unique_ptr<sql::PreparedStatement>(connection_->prepareStatement(sql));
  };
  for (std::size_t at = 0; at < cells.size(); at += kRowsPerInsert) {
    const std::size_t rows = std::min(kRowsPerInsert, cells.size() - at);
    auto ps = insert_for(rows);
    for (std::size_t r = 0; r < rows; ++r) {
      const CubeCell& c = cells[at + r];
      const auto base = static_cast<unsigned>(r * kColumns);
      ps->setString(base + 1, key);
      ps->setString(base + 2, c.taste);
      ps->setString(base + 3, c.most_watch);
      ps->setUInt(base + 4, c.date_count);
      ps->setString(base + 5, c.segment);
      ps->setString(base + 6, c.activeness);
      ps->setUInt64(base + 7, c.customers);
      for (std::size_t k = 0; k < kCategoryCount; ++k) ps->setString(base + 8 + static_cast<unsigned>(k), decimal(c.durations[k]));
      ps->setUInt64(base + 13, run_id);
    }
    ps->execute();
  }
  std::unique_ptr<sql::PreparedStatement> period(connection_->prepareStatement(
      "INSERT INTO loaded_period (period_key, period_start, period_end, customers, run_id, month_to_date) "
      "VALUES (?, ?, ?, ?, ?, ?)"));
  period->setString(1, key);
  period->setString(2, run.first().iso());
  period->setString(3, run.last().iso());
  period->setUInt64(4, cube.customers());
  period->setUInt64(5, run_id);
  period->setBoolean(6, run.month_to_date);
  period->execute();
  // The marks: Contract as hex, so any bytes arrive unchanged.
  constexpr std::size_t kMarkColumns = 6;
  for (std::size_t at = 0; at < marks.size(); at += kRowsPerInsert) {
    const std::size_t rows = std::min(kRowsPerInsert, marks.size() - at);
    std::string sql = "INSERT INTO customer_page_mark (period_key, sort_key, position, sort_value, Contract, run_id) VALUES ";
    for (std::size_t r = 0; r < rows; ++r) sql += std::string(r ? ", " : "") + "(?, ?, ?, CAST(NULLIF(?, '') AS DECIMAL(21, 0)), UNHEX(?), ?)";
    std::unique_ptr<sql::PreparedStatement> ps(connection_->prepareStatement(sql));
    for (std::size_t r = 0; r < rows; ++r) {
      const PageMark& m = marks[at + r];
      const auto base = static_cast<unsigned>(r * kMarkColumns);
      ps->setString(base + 1, key);
      ps->setString(base + 2, mark_order_name(m.order));
      ps->setUInt64(base + 3, m.position);
      ps->setString(base + 4, m.value);
      std::string contract_hex;
      append_hex(contract_hex, m.contract);
      ps->setString(base + 5, contract_hex);
      ps->setUInt64(base + 6, run_id);
    }
    ps->execute();
  }
}

void Warehouse::refresh_daily_statistics(Date from, Date to) {
  try {
    std::unique_ptr<sql::PreparedStatement> ps(connection_->prepareStatement("CALL refresh_daily_statistics(?, ?)"));
    ps->setString(1, from.iso());
    ps->setString(2, to.iso());
    ps->execute();
    while (ps->getMoreResults()) {
    }
  } catch (const sql::SQLException& e) {
    throw WarehouseError("refreshing the data mart (refresh_daily_statistics) on " + options_.describe() +
                         " failed: " + e.what());
  }
}

void Warehouse::mark_failed_now(const DbOptions& options, std::uint64_t run_id, const std::string& message) noexcept {
  constexpr int kSeconds = 2; // mpirun follows its SIGTERM with a SIGKILL soon after
  try {
    auto connection = open_connection(options, ConnectionTimeouts{kSeconds, kSeconds});
    std::unique_ptr<sql::Statement> stmt(connection->createStatement());
    stmt->execute("SET SESSION innodb_lock_wait_timeout = " + std::to_string(kSeconds));
    std::unique_ptr<sql::PreparedStatement> ps(connection->prepareStatement(
        "UPDATE etl_run SET status = 'failed', finished_at = NOW(3), message = ? "
        "WHERE run_id = ? AND status = 'running'"));
    ps->setString(1, message);
    ps->setUInt64(2, run_id);
    ps->execute();
  } catch (const std::exception&) { // the next run's close_abandoned_runs() will do it
  }
}

void Warehouse::update_best_effort(const std::string& what,
                                   const std::function<void(sql::Connection&)>& update) noexcept {
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      if (attempt > 0 || !connection_ || connection_->isClosed()) connect();
      connection_->setAutoCommit(true);
      update(*connection_);
      return;
    } catch (const std::exception& e) {
      if (attempt == 1) std::fprintf(stderr, "bda-etl: warning: could not %s: %s\n", what.c_str(), e.what());
    }
  }
}

void Warehouse::add_note(std::uint64_t run_id, const std::string& note) noexcept {
  update_best_effort("add a note to run " + std::to_string(run_id), [&](sql::Connection& c) {
    std::unique_ptr<sql::PreparedStatement> ps(
        c.prepareStatement("UPDATE etl_run SET note = CONCAT_WS('; ', note, ?) WHERE run_id = ?"));
    ps->setString(1, note.substr(0, 60000));
    ps->setUInt64(2, run_id);
    ps->execute();
  });
}

void Warehouse::mark_failed(std::uint64_t run_id, const RunCounts& counts, const std::string& message) noexcept {
  update_best_effort("mark run " + std::to_string(run_id) + " failed", [&](sql::Connection& c) {
    std::unique_ptr<sql::PreparedStatement> ps(c.prepareStatement(
        "UPDATE etl_run SET status = 'failed', finished_at = NOW(3), message = ?, input_bytes = ?, "
        "lines_read = ?, records = ?, rejected = ?, rejects = ? WHERE run_id = ?"));
    ps->setString(1, message.substr(0, 60000));
    ps->setUInt64(2, counts.input_bytes);
    ps->setUInt64(3, counts.lines);
    ps->setUInt64(4, counts.records);
    ps->setUInt64(5, counts.rejected);
    ps->setString(6, counts.rejects_json);
    ps->setUInt64(7, run_id);
    ps->execute();
  });
}

} // namespace bda::warehouse
