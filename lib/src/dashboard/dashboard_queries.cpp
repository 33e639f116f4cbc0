#include "bda/dashboard/dashboard_queries.hpp"

#include "bda/dashboard/dimensions.hpp"
#include "bda/dashboard/sql_json.hpp"
#include "bda/model/category.hpp"
#include "bda/warehouse/page_marks.hpp"
#include "bda/warehouse/period_key.hpp"

#include <cppconn/connection.h>

#include <string>

namespace bda::dashboard {
namespace {

using nlohmann::json;

// The customer facts: one row per period and Contract (SPEC §4 and §5). Only the customer list
// and a customer's history read them (by index); every aggregate reads the cube.
constexpr const char* kFacts = " FROM v_customer_segment WHERE ";

// The period's customers counted and summed per Taste, MostWatch and DateCount (migration 007):
// a few thousand cells per period, so any filtered aggregate is a sum over a few thousand rows.
constexpr const char* kCube = " FROM v_customer_cube WHERE ";

//! The customers of the selected cells.
constexpr const char* kCustomers = "SUM(customers)";

//! Their total duration, added like v_period_metrics does (DECIMAL, no overflow).
constexpr const char* kTotal =
    "(SUM(child_duration) + SUM(movie_duration) + SUM(sport_duration) + SUM(tv_duration) + SUM(relax_duration))";

//! The columns of one customer as /api/customers and /api/customer return them.
constexpr const char* kCustomerColumns =
    "Contract AS contract, HEX(contract_bytes) AS contract_hex, ChildDuration AS child_duration, "
    "MovieDuration AS movie_duration, SportDuration AS sport_duration, TVDuration AS tv_duration, "
    "RelaxDuration AS relax_duration, TotalDuration AS total_duration, MostWatch AS most_watch, Taste AS taste, "
    "DateCount AS date_count, Activeness AS activeness, Segment AS segment";

//! "child" for "Child": the prefix of a category's columns in the responses.
std::string lower(std::string_view name) {
  std::string out(name);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

//! A loaded period: its key, first and last day, and D (the number of selected days).
struct LoadedPeriod {
  std::string key;
  Date start;
  Date end;
  std::uint32_t days = 0;
};

LoadedPeriod loaded_period(const std::string& key) {
  const std::vector<Date> days = warehouse::period_key_days(key);
  return {key, days.front(), days.back(), static_cast<std::uint32_t>(days.size())};
}

json period_json(const LoadedPeriod& p) {
  return {{"period_key", p.key}, {"period_start", p.start.iso()}, {"period_end", p.end.iso()}, {"days", p.days}};
}

json period_json(const Period& p) {
  return {{"period_start", p.start.iso()}, {"period_end", p.end.iso()}, {"days", p.days()}};
}

json filters_json(const CustomerFilter& f) {
  auto opt = [](const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); };
  return {{"segment", opt(f.segment)}, {"most_watch", opt(f.most_watch)}, {"taste", opt(f.taste)}};
}

//! The requested period if it is loaded (NotFound otherwise), or the latest loaded period.
LoadedPeriod resolve_period(sql::Connection& c, const std::optional<std::string>& requested) {
  if (requested) {
    const json found = query_row(c, "SELECT 1 AS found FROM v_loaded_period WHERE period_key = ?", {*requested});
    if (found.is_null())
      throw NotFound("no customers are loaded for the period " + *requested +
                     "; GET /api/periods lists the loaded periods");
    return loaded_period(*requested);
  }
  const json latest = query_row(c,
                                "SELECT period_key FROM v_loaded_period "
                                "ORDER BY period_start DESC, period_end DESC, period_key DESC LIMIT 1",
                                {});
  if (latest.is_null()) throw NotFound("the warehouse holds no customers yet: load a period with bda-etl");
  return loaded_period(latest["period_key"].get<std::string>());
}

//! The WHERE clause selecting the period's customers (or cube cells) that pass the filters. In
//! the cube a customer without viewing time has MostWatch '' instead of NULL.
enum class Source { Rows, Cube };
SqlPart customer_where(const LoadedPeriod& p, const CustomerFilter& f, Source source = Source::Rows) {
  SqlPart w{"period_key = ?", {p.key}};
  if (f.segment) {
    w.sql += " AND Segment = ?";
    w.params.emplace_back(*f.segment);
  }
  if (f.most_watch) {
    if (*f.most_watch == kNone) {
      w.sql += source == Source::Cube ? " AND MostWatch = ''" : " AND MostWatch IS NULL";
    } else {
      w.sql += " AND MostWatch = ?";
      w.params.emplace_back(*f.most_watch);
    }
  }
  if (f.taste) {
    w.sql += " AND Taste = ?";
    w.params.emplace_back(*f.taste == kNone ? std::string() : *f.taste);
  }
  return w;
}

//! The period and filters every customer-level response starts with.
json context(const LoadedPeriod& p, const CustomerFilter& f) {
  return {{"period", period_json(p)}, {"filters", filters_json(f)}};
}

//! "contract LIKE pattern" for a prefix: its wildcards match themselves.
std::string like_prefix(const std::string& search) {
  std::string out;
  for (char c : search) {
    if (c == '!' || c == '%' || c == '_') out += '!';
    out += c;
  }
  return out + "%";
}

std::string ascii_upper(std::string text) {
  for (char& c : text) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return text;
}

} // namespace

json DashboardQueries::health() {
  json out;
  pool_.run([&](sql::Connection& c) {
    out = query_row(c, "SELECT 'ok' AS status, DATE_FORMAT(NOW(3), '%Y-%m-%d %H:%i:%s.%f') AS server_time, "
                       "VERSION() AS server_version", {});
  });
  return out;
}

json DashboardQueries::periods() {
  json out;
  pool_.run([&](sql::Connection& c) {
    json rows = query_rows(c,
                           "SELECT period_key, customers FROM v_loaded_period "
                           "ORDER BY period_start DESC, period_end DESC, period_key DESC",
                           {});
    for (json& row : rows) {
      json p = period_json(loaded_period(row["period_key"].get<std::string>()));
      p["customers"] = row["customers"];
      row = std::move(p);
    }
    out = {{"latest", rows.empty() ? json(nullptr) : rows[0]}, {"periods", std::move(rows)}};
  });
  return out;
}

json DashboardQueries::last_load() {
  json row;
  pool_.run([&](sql::Connection& c) {
    row = query_row(c,
                    "SELECT run_id, period_key, period_start, period_end, selected_days, "
                    "DATE_FORMAT(started_at, '%Y-%m-%d %H:%i:%s') AS started_at, "
                    "DATE_FORMAT(finished_at, '%Y-%m-%d %H:%i:%s') AS finished_at, "
                    "UNIX_TIMESTAMP(finished_at) AS finished_at_epoch, duration_seconds, ranks, host, input_bytes, "
                    "lines_read, records, rejected, rejects, contracts, rows_loaded FROM v_last_load",
                    {});
  });
  if (row.is_object() && row["rejects"].is_string()) {
    json parsed = json::parse(row["rejects"].get<std::string>(), nullptr, false);
    if (!parsed.is_discarded()) row["rejects"] = std::move(parsed);
  }
  return {{"last_load", row}};
}

json DashboardQueries::overview(const CustomerQuery& q) {
  json out;
  pool_.run([&](sql::Connection& c) {
    const LoadedPeriod period = resolve_period(c, q.period);
    const SqlPart where = customer_where(period, q.filter, Source::Cube);
    const std::string n = kCustomers;
    std::string sql = "SELECT COALESCE(" + n + ", 0) AS customers, COALESCE(" + kTotal + ", 0) AS total_duration";
    for (std::string_view name : kCategoryNames)
      sql += ", COALESCE(SUM(" + lower(name) + "_duration), 0) AS " + lower(name) + "_duration";
    // SPEC §6 exactly as v_period_metrics: the exact quotient of the total, rounded once, half-up.
    sql += std::string(", ROUND(") + kTotal + " / NULLIF(" + n + ", 0), 2) AS avg_duration_per_person_per_month" +
           ", ROUND(" + kTotal + " / NULLIF(" + n + " * 4, 0), 2) AS avg_duration_per_person_per_week" +
           ", ROUND(" + kTotal + " / NULLIF(" + n + " * 28, 0), 2) AS avg_duration_per_person_per_day";
    out = context(period, q.filter);
    out.update(query_row(c, sql + kCube + where.sql, where.params));
  });
  return out;
}

json DashboardQueries::segments(const CustomerQuery& q) {
  json out;
  pool_.run([&](sql::Connection& c) {
    const LoadedPeriod period = resolve_period(c, q.period);
    const SqlPart where = customer_where(period, q.filter, Source::Cube);
    const std::string n = kCustomers;
    const json rows = query_rows(c,
                                 "SELECT Segment AS segment, " + n + " AS customers, " + kTotal +
                                     " AS total_duration, "
                                     "ROUND(" + n + " / SUM(" + n + ") OVER (), 4) AS customer_share, "
                                     "ROUND(" + kTotal + " / " + n + ", 2) AS avg_duration_per_customer, "
                                     "MIN(DateCount) AS min_date_count, MAX(DateCount) AS max_date_count" +
                                     kCube + where.sql + " GROUP BY Segment",
                                 where.params);
    json list = json::array();
    for (std::size_t i = 0; i < kSegments.size(); ++i) {
      json row = {{"segment", kSegments[i]}, {"segment_rank", i + 1}, {"customers", 0}, {"total_duration", 0},
                  {"customer_share", 0}, {"avg_duration_per_customer", nullptr}, {"min_date_count", nullptr},
                  {"max_date_count", nullptr}};
      for (const json& r : rows)
        if (r["segment"] == kSegments[i]) row.update(r);
      row["date_count_from"] = kSegmentDateCounts[i].from;
      row["date_count_to"] = kSegmentDateCounts[i].to;
      list.push_back(std::move(row));
    }
    out = context(period, q.filter);
    out["segments"] = std::move(list);
  });
  return out;
}

json DashboardQueries::categories(const CustomerQuery& q) {
  json out;
  pool_.run([&](sql::Connection& c) {
    const LoadedPeriod period = resolve_period(c, q.period);
    const SqlPart where = customer_where(period, q.filter, Source::Cube);
    std::string sql = "SELECT COALESCE(" + std::string(kTotal) + ", 0) AS total_duration, "
                      "COALESCE(SUM(CASE WHEN MostWatch = '' THEN customers ELSE 0 END), 0) AS no_most_watch";
    for (std::string_view name : kCategoryNames) {
      const std::string key = lower(name), column = key + "_duration";
      sql += ", COALESCE(SUM(" + column + "), 0) AS " + key + "_duration";
      // Share as v_category_summary: the exact quotient rounded once to 4 decimals.
      sql += ", ROUND(SUM(" + column + ") / NULLIF(" + kTotal + ", 0), 4) AS " + key + "_share"; // NULL: no time
      // A cell's category sum is > 0 exactly when its Taste names the category, i.e. when every
      // customer in it watched that category.
      sql += ", COALESCE(SUM(CASE WHEN " + column + " > 0 THEN customers ELSE 0 END), 0) AS " + key + "_viewers";
      sql += ", COALESCE(SUM(CASE WHEN MostWatch = '" + std::string(name) + "' THEN customers ELSE 0 END), 0) AS " +
             key + "_most_watch";
    }
    const json row = query_row(c, sql + kCube + where.sql, where.params);
    json list = json::array();
    for (std::size_t i = 0; i < kCategoryNames.size(); ++i) {
      const std::string key = lower(kCategoryNames[i]);
      list.push_back({{"category", kCategoryNames[i]}, {"category_rank", i + 1},
                      {"total_duration", row[key + "_duration"]}, {"share_of_total", row[key + "_share"]},
                      {"viewers", row[key + "_viewers"]}, {"most_watch_customers", row[key + "_most_watch"]}});
    }
    out = context(period, q.filter);
    out["total_duration"] = row["total_duration"];
    out["categories"] = std::move(list);
    out["no_most_watch_customers"] = row["no_most_watch"];
  });
  return out;
}

json DashboardQueries::tastes(const CustomerQuery& q) {
  json out;
  pool_.run([&](sql::Connection& c) {
    const LoadedPeriod period = resolve_period(c, q.period);
    const SqlPart where = customer_where(period, q.filter, Source::Cube);
    json rows = query_rows(c,
                           std::string("SELECT Taste AS taste, ") + kCustomers + " AS customers, " + kTotal +
                               " AS total_duration" + kCube + where.sql +
                               " GROUP BY Taste ORDER BY customers DESC, taste",
                           where.params);
    for (json& r : rows)
      if (r["taste"] == "") r["taste"] = kNone;
    out = context(period, q.filter);
    out["tastes"] = std::move(rows);
  });
  return out;
}

json DashboardQueries::daily(const std::optional<std::string>& period, const std::optional<Period>& days) {
  if (period && days) throw BadRequest("give a period, or period_start and period_end, not both");
  if (days && days->days() > kMaxDailyDays)
    throw BadRequest("the day range has " + std::to_string(days->days()) + " days; at most " +
                     std::to_string(kMaxDailyDays) + " are allowed");
  json out;
  pool_.run([&](sql::Connection& c) {
    json range_json;
    Period range;
    if (days) {
      range = *days;
      range_json = period_json(range);
    } else {
      const LoadedPeriod p = resolve_period(c, period);
      range = {p.start, p.end};
      range_json = period_json(p);
    }
    std::string sql = "SELECT stat_date, active_customers, sessions, total_duration";
    for (std::string_view name : kCategoryNames) {
      const std::string key = lower(name);
      sql += ", " + key + "_duration, " + key + "_sessions, " + key + "_customers";
    }
    sql += ", avg_duration_per_active_customer, period_customers, active_share_of_period "
           "FROM v_daily_statistics WHERE stat_date BETWEEN ? AND ? ORDER BY stat_date";
    out = {{"period", std::move(range_json)}, {"days", query_rows(c, sql, {range.start.iso(), range.end.iso()})}};
  });
  return out;
}

json DashboardQueries::activeness_histogram(const CustomerQuery& q, unsigned bins) {
  json out;
  pool_.run([&](sql::Connection& c) {
    const LoadedPeriod period = resolve_period(c, q.period);
    SqlPart where = customer_where(period, q.filter, Source::Cube);
    std::vector<SqlParam> params = {std::uint64_t{bins}, std::uint64_t{bins}};
    params.insert(params.end(), where.params.begin(), where.params.end());
    // Bin i holds [i, i + 1) * 100 / bins; 100 % falls in the last bin.
    const json rows = query_rows(c,
                                 "SELECT LEAST(FLOOR(Activeness * ? / 100), ? - 1) AS bin, " + std::string(kCustomers) +
                                     " AS customers" + kCube + where.sql + " GROUP BY bin ORDER BY bin",
                                 params);
    json list = json::array();
    for (unsigned i = 0; i < bins; ++i) {
      json row = {{"bin", i}, {"from", 100.0 * i / bins}, {"to", 100.0 * (i + 1) / bins}, {"customers", 0}};
      for (const json& r : rows)
        if (r["bin"] == i) row["customers"] = r["customers"];
      list.push_back(std::move(row));
    }
    out = context(period, q.filter);
    out["bin_width"] = 100.0 / bins;
    out["bins"] = std::move(list);
  });
  return out;
}

json DashboardQueries::segment_mostwatch(const CustomerQuery& q) {
  json out;
  pool_.run([&](sql::Connection& c) {
    const LoadedPeriod period = resolve_period(c, q.period);
    const SqlPart where = customer_where(period, q.filter, Source::Cube);
    const json rows = query_rows(c,
                                 "SELECT Segment AS segment, MostWatch AS most_watch, " + std::string(kCustomers) +
                                     " AS customers" + kCube + where.sql + " GROUP BY Segment, MostWatch",
                                 where.params);
    std::vector<std::string> columns(kCategoryNames.begin(), kCategoryNames.end());
    columns.emplace_back(kNone);
    json matrix = json::array(), cells = json::array();
    for (std::string_view segment : kSegments) {
      json line = json::array();
      for (const std::string& column : columns) {
        json n = 0;
        for (const json& r : rows) {
          const std::string mw = r["most_watch"] == "" ? std::string(kNone) : r["most_watch"].get<std::string>();
          if (r["segment"] == segment && mw == column) n = r["customers"];
        }
        cells.push_back({{"segment", segment}, {"most_watch", column}, {"customers", n}});
        line.push_back(n);
      }
      matrix.push_back(std::move(line));
    }
    out = context(period, q.filter);
    out["segments"] = kSegments;
    out["most_watch"] = columns;
    out["matrix"] = std::move(matrix);
    out["cells"] = std::move(cells);
  });
  return out;
}

json DashboardQueries::customers(const CustomerQuery& q, const PageRequest& page) {
  json out;
  pool_.run([&](sql::Connection& c) {
    const LoadedPeriod period = resolve_period(c, q.period);
    SqlPart where = customer_where(period, q.filter);
    if (!page.search.empty()) {
      // A prefix of the Contract bytes, as typed or in ASCII upper case (contracts are upper case):
      // two range reads of the primary key. The text is a bound value, never SQL.
      where.sql += " AND (contract_bytes LIKE ? ESCAPE '!' OR contract_bytes LIKE ? ESCAPE '!')";
      where.params.emplace_back(like_prefix(page.search));
      where.params.emplace_back(like_prefix(ascii_upper(page.search)));
    }
    // Without a search the count is a sum over the cube; a search counts its (index-read) rows.
    json total;
    if (page.search.empty()) {
      const SqlPart cells = customer_where(period, q.filter, Source::Cube);
      total = query_row(c, "SELECT COALESCE(" + std::string(kCustomers) + ", 0) AS total" + kCube + cells.sql,
                        cells.params);
    } else {
      total = query_row(c, "SELECT COUNT(*) AS total" + std::string(kFacts) + where.sql, where.params);
    }
    const SortColumn* sort = find_sort_column(page.sort);
    if (!sort) throw BadRequest("unknown sort column '" + page.sort + "'");
    // Ties go by Contract in the same direction, so that an index on (period, column) serves the
    // whole order; the page's keys are found on the index alone (a deferred join), then its rows.
    const std::uint64_t count = total["total"].get<std::uint64_t>();
    const std::uint64_t offset = (page.page - 1) * page.page_size;
    const bool ascending = page.order == SortOrder::Asc;
    auto direction = [&](bool reversed) { return ascending != reversed ? " ASC" : " DESC"; };
    auto order = [&](bool reversed) {
      return " ORDER BY " + std::string(sort->sql) + direction(reversed) + ", contract_bytes" + direction(reversed);
    };
    std::string keys; // the SELECT of the page's keys
    std::vector<SqlParam> params;
    const bool unfiltered = page.search.empty() && !q.filter.segment && !q.filter.most_watch && !q.filter.taste;
    if (unfiltered && !sort->mark.empty() && offset < count) {
      // The page's places in the ascending (value, Contract) order, and the page mark (011) at or
      // before the first: a range read of the index from the mark's key, skipping < 1024 keys.
      const std::uint64_t last = ascending ? std::min(offset + page.page_size, count) - 1 : count - 1 - offset;
      const std::uint64_t first = ascending ? offset : (last + 1 > page.page_size ? last + 1 - page.page_size : 0);
      const std::uint64_t at = first / warehouse::kPageMarkStride * warehouse::kPageMarkStride;
      const json mark = query_row(c,
                                  "SELECT CAST(sort_value AS CHAR) AS sort_value, HEX(contract_bytes) AS contract_hex "
                                  "FROM v_customer_page_mark WHERE period_key = ? AND sort_key = ? AND position = ?",
                                  {period.key, std::string(sort->mark), at});
      if (!mark.is_null()) {
        const std::string column(sort->sql);
        std::string from_mark = " AND contract_bytes >= UNHEX(?)";
        params = where.params;
        if (!mark["sort_value"].is_null()) {
          from_mark = " AND (" + column + " > CAST(? AS DECIMAL(21, 0)) OR (" + column +
                      " = CAST(? AS DECIMAL(21, 0)) AND contract_bytes >= UNHEX(?)))";
          params.emplace_back(mark["sort_value"].get<std::string>());
          params.emplace_back(mark["sort_value"].get<std::string>());
        }
        params.emplace_back(mark["contract_hex"].get<std::string>());
        params.emplace_back(last - first + 1);
        params.emplace_back(first - at);
        keys = "SELECT contract_bytes AS page_key" + std::string(kFacts) + where.sql + from_mark + " ORDER BY " + column +
               " ASC, contract_bytes ASC LIMIT ? OFFSET ?";
      }
    }
    if (keys.empty()) {
      // No mark (a filter, a search, an order without marks, a period loaded before 011): an
      // OFFSET, and a page in the second half is read from the other end in the opposite order,
      // so an index read walks at most half of the keys.
      const bool from_end = offset < count && offset > count / 2;
      const std::uint64_t limit = from_end ? std::min<std::uint64_t>(page.page_size, count - offset) : page.page_size;
      params = where.params;
      params.emplace_back(limit);
      params.emplace_back(from_end ? count - offset - limit : offset);
      keys = "SELECT contract_bytes AS page_key" + std::string(kFacts) + where.sql + order(from_end) + " LIMIT ? OFFSET ?";
    }
    params.emplace_back(period.key);
    // A page past the end has no rows; the count is exact, so no index is walked to find that out.
    json rows = offset >= count ? json::array()
                                : query_rows(c,
                                             "SELECT " + std::string(kCustomerColumns) + " FROM (" + keys +
                                                 ") AS page JOIN v_customer_segment ON period_key = ? AND "
                                                 "contract_bytes = page.page_key" + order(false),
                                             params);
    out = context(period, q.filter);
    out.update({{"search", page.search}, {"sort", page.sort}, {"order", page.order == SortOrder::Asc ? "asc" : "desc"},
                {"page", page.page}, {"page_size", page.page_size}, {"total", count},
                {"pages", (count + page.page_size - 1) / page.page_size}, {"rows", std::move(rows)}});
  });
  return out;
}

json DashboardQueries::customer(const ContractKey& key, const std::optional<std::string>& period) {
  json out;
  pool_.run([&](sql::Connection& c) {
    // One primary-key lookup per loaded period instead of a scan of every period's rows.
    const std::string match = key.hex ? "UNHEX(?)" : "CAST(? AS BINARY)";
    json history = query_rows(c,
                              "SELECT v.period_key, v.period_start, v.period_end, " + std::string(kCustomerColumns) +
                                  " FROM v_loaded_period AS p "
                                  "JOIN v_customer_segment AS v ON v.period_key = p.period_key AND "
                                  "v.contract_bytes = " + match +
                                  " ORDER BY v.period_start DESC, v.period_end DESC, v.period_key DESC",
                              {key.value});
    if (history.empty())
      throw NotFound("no customer " + std::string(key.hex ? "with contract_hex " : "") + key.value +
                     " in any loaded period");
    for (json& row : history) row["days"] = loaded_period(row["period_key"].get<std::string>()).days;
    json profile = nullptr;
    for (const json& row : history)
      if (!period || row["period_key"] == *period) {
        profile = row;
        break;
      }
    out = {{"contract", history[0]["contract"]}, {"contract_hex", history[0]["contract_hex"]},
           {"profile", std::move(profile)}, {"history", std::move(history)}};
  });
  return out;
}

} // namespace bda::dashboard
