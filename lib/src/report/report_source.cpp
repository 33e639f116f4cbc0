#include "bda/report/report_source.hpp"

#include "bda/warehouse/connection.hpp"
#include "bda/warehouse/warehouse.hpp"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_connection.h>

#include <chrono>
#include <ctime>

namespace bda::report {
namespace {

using warehouse::WarehouseError;

constexpr std::size_t kCustomerPageRows = 5000; // customers fetched per query by each_customer

constexpr const char* kPeriodFilter = " WHERE period_key = ?";

//! The segment's index in kSegmentNames; throws on a name the schema cannot produce.
std::size_t segment_index(const std::string& name) {
  for (std::size_t i = 0; i < kSegmentCount; ++i)
    if (kSegmentNames[i] == name) return i;
  throw Error("unknown Segment '" + name + "' in v_segment_summary");
}

std::size_t category_index(const std::string& name) {
  const auto c = category_from_name(name);
  if (!c) throw Error("unknown category '" + name + "' in v_category_summary");
  return index_of(*c);
}

//! A non-negative integer column (BIGINT or a DECIMAL sum) that must fit 64 bits.
std::uint64_t get_count(sql::ResultSet& rs, const char* column) {
  if (rs.isNull(column)) return 0;
  const std::string text(rs.getString(column));
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') throw Error(std::string(column) + " is not a non-negative integer: '" + text + "'");
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) throw Error(std::string(column) + " exceeds 64 bits: " + text);
    value = value * 10 + digit;
  }
  return value;
}

Fixed2 get_fixed2(sql::ResultSet& rs, const char* column) {
  if (rs.isNull(column)) return Fixed2{};
  return Fixed2::parse(std::string(rs.getString(column)));
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

CustomerRow read_customer(sql::ResultSet& rs) {
  CustomerRow row;
  row.contract = std::string(rs.getString("Contract"));
  static constexpr std::array<const char*, kCategoryCount> kColumns = {"ChildDuration", "MovieDuration",
                                                                       "SportDuration", "TVDuration", "RelaxDuration"};
  for (std::size_t i = 0; i < kCategoryCount; ++i) row.duration[i] = rs.getInt64(kColumns[i]);
  row.most_watch = rs.isNull("MostWatch") ? std::string() : std::string(rs.getString("MostWatch"));
  row.taste = std::string(rs.getString("Taste"));
  row.date_count = rs.getUInt("DateCount");
  row.activeness = get_fixed2(rs, "Activeness");
  row.segment = std::string(rs.getString("Segment"));
  return row;
}

constexpr const char* kCustomerQuery =
    "SELECT Contract, ChildDuration, MovieDuration, SportDuration, TVDuration, RelaxDuration, MostWatch, Taste, "
    "DateCount, Activeness, Segment, contract_bytes FROM v_customer_segment";

} // namespace

ReportSource::ReportSource(const warehouse::DbOptions& options) : options_(options) {
  try {
    connection_ = warehouse::open_connection(options_);
    // One consistent snapshot for every query: a load committing meanwhile cannot mix two runs.
    std::unique_ptr<sql::Statement> stmt(connection_->createStatement());
    stmt->execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    connection_->setAutoCommit(false);
    warehouse::begin_consistent_read(*connection_);
  } catch (const sql::SQLException& e) {
    throw WarehouseError("cannot connect to the warehouse " + options_.describe() + ": " + e.what());
  }
}

ReportSource::~ReportSource() {
  try {
    if (connection_) connection_->rollback(); // read only: nothing to keep
  } catch (const sql::SQLException&) {
  }
}

bool ReportSource::has_period(const Period& period) {
  try {
    std::unique_ptr<sql::PreparedStatement> ps(
        connection_->prepareStatement(std::string("SELECT customers FROM v_period_metrics") + kPeriodFilter));
    ps->setString(1, period.key());
    std::unique_ptr<sql::ResultSet> rs(ps->executeQuery());
    return rs->next() && get_count(*rs, "customers") > 0;
  } catch (const sql::SQLException& e) {
    throw WarehouseError("reading v_period_metrics on " + options_.describe() + " failed: " + e.what());
  }
}

std::vector<Period> ReportSource::loaded_periods(std::size_t limit) {
  std::vector<Period> out;
  try {
    std::unique_ptr<sql::PreparedStatement> ps(connection_->prepareStatement(
        "SELECT period_key FROM v_period_metrics ORDER BY period_start DESC, period_end DESC, period_key DESC LIMIT ?"));
    ps->setUInt64(1, limit);
    std::unique_ptr<sql::ResultSet> rs(ps->executeQuery());
    while (rs->next()) out.push_back(Period::of_key(std::string(rs->getString(1))));
  } catch (const sql::SQLException& e) {
    throw WarehouseError("reading v_period_metrics on " + options_.describe() + " failed: " + e.what());
  }
  return out;
}

ReportData ReportSource::load(const Period& period) {
  ReportData data;
  data.database = options_.database;
  data.generated_at = utc_now();
  data.period = period;
  const char* step = "v_period_metrics";
  try {
    const auto query_with = [&](const std::string& text, const std::vector<std::string>& params) {
      std::unique_ptr<sql::PreparedStatement> ps(connection_->prepareStatement(text));
      for (std::size_t i = 0; i < params.size(); ++i) ps->setString(static_cast<unsigned>(i + 1), params[i]);
      return std::unique_ptr<sql::ResultSet>(ps->executeQuery());
    };
    const auto query = [&](const std::string& text) { return query_with(text, {period.key()}); };

    auto rs = query(std::string("SELECT customers, total_duration, child_duration, movie_duration, sport_duration, "
                                "tv_duration, relax_duration, avg_duration_per_person_per_month, "
                                "avg_duration_per_person_per_week, avg_duration_per_person_per_day, run_id, "
                                "selected_days, loaded_at FROM v_period_metrics") +
                    kPeriodFilter);
    if (rs->next()) {
      PeriodMetrics& m = data.metrics;
      m.customers = get_count(*rs, "customers");
      m.total_duration = get_count(*rs, "total_duration");
      static constexpr std::array<const char*, kCategoryCount> kColumns = {
          "child_duration", "movie_duration", "sport_duration", "tv_duration", "relax_duration"};
      for (std::size_t i = 0; i < kCategoryCount; ++i) m.category_duration[i] = get_count(*rs, kColumns[i]);
      m.avg_per_month = get_fixed2(*rs, "avg_duration_per_person_per_month");
      m.avg_per_week = get_fixed2(*rs, "avg_duration_per_person_per_week");
      m.avg_per_day = get_fixed2(*rs, "avg_duration_per_person_per_day");
      m.run_id = get_count(*rs, "run_id");
      m.selected_days = rs->isNull("selected_days") ? 0 : rs->getUInt("selected_days");
      m.loaded_at = rs->isNull("loaded_at") ? std::string() : std::string(rs->getString("loaded_at"));
    }

    step = "v_segment_summary";
    rs = query(
        std::string("SELECT Segment, customers, total_duration, avg_duration_per_customer FROM v_segment_summary") +
        kPeriodFilter);
    while (rs->next()) {
      SegmentFigures& s = data.segments[segment_index(std::string(rs->getString("Segment")))];
      s.customers = get_count(*rs, "customers");
      s.total_duration = get_count(*rs, "total_duration");
      s.avg_duration_per_customer = get_fixed2(*rs, "avg_duration_per_customer");
    }

    step = "v_category_summary";
    rs = query(std::string("SELECT category, total_duration, viewers, most_watch_customers FROM v_category_summary") +
               kPeriodFilter);
    while (rs->next()) {
      CategoryFigures& c = data.categories[category_index(std::string(rs->getString("category")))];
      c.total_duration = get_count(*rs, "total_duration");
      c.viewers = get_count(*rs, "viewers");
      c.most_watch_customers = get_count(*rs, "most_watch_customers");
    }

    step = "v_customer_segment (DateCount)";
    rs = query(std::string("SELECT DateCount, COUNT(*) AS customers FROM v_customer_segment") + kPeriodFilter +
               " GROUP BY DateCount ORDER BY DateCount");
    data.date_count_customers.assign(period.days() + 1, 0);
    while (rs->next()) {
      const std::uint32_t c = rs->getUInt("DateCount");
      if (c == 0 || c > period.days()) throw Error("DateCount " + std::to_string(c) + " is outside the period");
      data.date_count_customers[c] = get_count(*rs, "customers");
    }

    step = "v_customer_segment (top customers)";
    rs = query(std::string(kCustomerQuery) + kPeriodFilter + " ORDER BY TotalDuration DESC, contract_bytes LIMIT " +
               std::to_string(kTopCustomers));
    while (rs->next()) data.top_customers.push_back(read_customer(*rs));

    step = "daily_statistics";
    rs = query_with(
        "SELECT stat_date, active_customers, sessions, total_duration, child_duration, movie_duration, "
        "sport_duration, tv_duration, relax_duration, avg_duration_per_active_customer FROM daily_statistics "
        "WHERE stat_date BETWEEN ? AND ? ORDER BY stat_date",
        {period.start.iso(), period.end.iso()});
    while (rs->next()) {
      DailyFigures d;
      d.date = Date::parse_iso(std::string(rs->getString("stat_date")));
      if (!period.selects(d.date)) continue; // a list of days: only the selected ones
      d.active_customers = get_count(*rs, "active_customers");
      d.sessions = get_count(*rs, "sessions");
      d.total_duration = get_count(*rs, "total_duration");
      static constexpr std::array<const char*, kCategoryCount> kColumns = {
          "child_duration", "movie_duration", "sport_duration", "tv_duration", "relax_duration"};
      for (std::size_t i = 0; i < kCategoryCount; ++i) d.category_duration[i] = get_count(*rs, kColumns[i]);
      d.avg_duration_per_active_customer = get_fixed2(*rs, "avg_duration_per_active_customer");
      data.daily.push_back(d);
    }
  } catch (const sql::SQLException& e) {
    throw WarehouseError("reading " + std::string(step) + " on " + options_.describe() + " failed: " + e.what());
  } catch (const Error& e) {
    throw WarehouseError("reading " + std::string(step) + " on " + options_.describe() + ": " + e.what());
  }
  return data;
}

void ReportSource::each_customer(const Period& period, const std::function<void(const CustomerRow&)>& visit) {
  // Connector/C++ 1.1 buffers a prepared statement's whole result, so the rows come in pages by
  // key (the primary key's Contract bytes): memory stays bounded for any number of customers.
  try {
    std::unique_ptr<sql::PreparedStatement> first(connection_->prepareStatement(
        std::string(kCustomerQuery) + kPeriodFilter + " ORDER BY contract_bytes LIMIT ?"));
    std::unique_ptr<sql::PreparedStatement> next(
        connection_->prepareStatement(std::string(kCustomerQuery) + kPeriodFilter +
                                      " AND contract_bytes > CAST(? AS BINARY) ORDER BY contract_bytes LIMIT ?"));
    std::string last;
    for (bool more = true, start = true; more; start = false) {
      sql::PreparedStatement& ps = start ? *first : *next;
      ps.setString(1, period.key());
      if (!start) ps.setString(2, sql::SQLString(last));
      ps.setUInt64(start ? 2 : 3, kCustomerPageRows);
      std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
      std::size_t rows = 0;
      while (rs->next()) {
        visit(read_customer(*rs));
        last = std::string(rs->getString("contract_bytes"));
        ++rows;
      }
      more = rows == kCustomerPageRows;
    }
  } catch (const sql::SQLException& e) {
    throw WarehouseError("reading v_customer_segment on " + options_.describe() + " failed: " + e.what());
  }
}

} // namespace bda::report
