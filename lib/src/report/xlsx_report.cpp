#include "bda/report/xlsx_report.hpp"

#include "bda/core/error.hpp"
#include "bda/report/report_format.hpp"

#include <xlsxwriter.h>

#include <string>
#include <vector>

namespace bda::report {
namespace {

constexpr const char* kCountFormat = "#,##0";
constexpr const char* kFixed2Format = "#,##0.00";
constexpr const char* kShareFormat = "0.0%";
constexpr const char* kDateFormat = "yyyy-mm-dd";
constexpr lxw_color_t kHeaderFill = 0xF3F4F6;

//! The workbook, its formats, and checked writes: any libxlsxwriter error becomes an OutputError.
class Book {
public:
  explicit Book(const std::filesystem::path& path) : path_(path) {
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE; // rows go to disk as they are written: bounded memory
    book_ = workbook_new_opt(path.c_str(), &options);
    if (!book_) throw OutputError("cannot create the workbook " + path.string());
    header_ = workbook_add_format(book_);
    format_set_bold(header_);
    format_set_bg_color(header_, kHeaderFill);
    format_set_bottom(header_, LXW_BORDER_THIN);
    count_ = number_format(kCountFormat);
    fixed2_ = number_format(kFixed2Format);
    share_ = number_format(kShareFormat);
    date_ = number_format(kDateFormat);
  }
  ~Book() {
    if (book_) lxw_workbook_free(book_); // only after a failure: frees it without writing anything
  }
  Book(const Book&) = delete;
  Book& operator=(const Book&) = delete;

  lxw_worksheet* sheet(const std::string& name) {
    lxw_worksheet* s = workbook_add_worksheet(book_, name.c_str());
    if (!s) throw OutputError("cannot add the sheet " + name + " to " + path_.string());
    return s;
  }
  lxw_chart* chart(std::uint8_t type) {
    lxw_chart* c = workbook_add_chart(book_, type);
    if (!c) throw OutputError("cannot add a chart to " + path_.string());
    return c;
  }
  void check(lxw_error e, const char* what) const {
    if (e != LXW_NO_ERROR) throw OutputError(std::string(what) + " in " + path_.string() + ": " + lxw_strerror(e));
  }
  void headers(lxw_worksheet* s, const std::vector<std::pair<const char*, double>>& columns) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      check(worksheet_set_column(s, col, col, columns[c].second, nullptr), "setting a column width");
      check(worksheet_write_string(s, 0, col, columns[c].first, header_), "writing a header");
    }
    worksheet_freeze_panes(s, 1, 0);
  }
  void text(lxw_worksheet* s, lxw_row_t r, lxw_col_t c, const std::string& value) {
    check(worksheet_write_string(s, r, c, value.c_str(), nullptr), "writing a cell");
  }
  void number(lxw_worksheet* s, lxw_row_t r, lxw_col_t c, double value, lxw_format* f) {
    check(worksheet_write_number(s, r, c, value, f), "writing a cell");
  }
  void count(lxw_worksheet* s, lxw_row_t r, lxw_col_t c, std::uint64_t value) {
    number(s, r, c, static_cast<double>(value), count_);
  }
  void fixed2(lxw_worksheet* s, lxw_row_t r, lxw_col_t c, Fixed2 value) { number(s, r, c, value.to_double(), fixed2_); }
  void share(lxw_worksheet* s, lxw_row_t r, lxw_col_t c, std::uint64_t part, std::uint64_t whole) {
    // The share rounded half-up to 0.01 % (the cell shows 0.1 %), so the file holds no float noise.
    number(s, r, c, static_cast<double>(share_scaled(part, whole, 2)) / 10000.0, share_);
  }
  void date(lxw_worksheet* s, lxw_row_t r, lxw_col_t c, Date d) {
    const auto ymd = d.ymd();
    lxw_datetime dt{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                    static_cast<int>(static_cast<unsigned>(ymd.day())), 0, 0, 0.0};
    check(worksheet_write_datetime(s, r, c, &dt, date_), "writing a date");
  }
  void insert(lxw_worksheet* s, lxw_row_t r, lxw_col_t c, lxw_chart* chart) {
    lxw_chart_options options{};
    options.x_scale = 1.25;
    options.y_scale = 1.25;
    check(worksheet_insert_chart_opt(s, r, c, chart, &options), "inserting a chart");
  }
  //! Writes the file; after this the destructor has nothing left to do.
  void close() {
    lxw_workbook* b = book_;
    book_ = nullptr;
    check(workbook_close(b), "writing the workbook");
  }
  lxw_workbook* get() { return book_; }

private:
  lxw_format* number_format(const char* code) {
    lxw_format* f = workbook_add_format(book_);
    format_set_num_format(f, code);
    return f;
  }

  std::filesystem::path path_;
  lxw_workbook* book_ = nullptr;
  lxw_format* header_ = nullptr;
  lxw_format* count_ = nullptr;
  lxw_format* fixed2_ = nullptr;
  lxw_format* share_ = nullptr;
  lxw_format* date_ = nullptr;
};

//! "=Sheet!$A$2:$A$5": a column range of a sheet for a chart series (rows 0-based, inclusive).
std::string range(const char* sheet, char column, std::size_t first_row, std::size_t last_row) {
  return std::string("=") + sheet + "!$" + column + "$" + std::to_string(first_row + 1) + ":$" + column + "$" +
         std::to_string(last_row + 1);
}

constexpr std::array<const char*, kCategoryCount> kDurationColumns = {"ChildDuration", "MovieDuration", "SportDuration",
                                                                      "TVDuration", "RelaxDuration"};

//! Customers, Customers 2, ...: one row per customer in Contract order.
std::uint64_t customer_sheets(Book& book, const std::vector<lxw_worksheet*>& sheets, const CustomerStream& stream,
                              std::uint32_t per_sheet) {
  constexpr lxw_col_t kColumns = 11;
  std::uint64_t written = 0;
  lxw_row_t row = 0;
  std::size_t sheet = 0;
  stream([&](const CustomerRow& c) {
    if (row == per_sheet) {
      if (++sheet == sheets.size()) throw OutputError("more customers than the period's count; was it reloaded?");
      row = 0;
    }
    lxw_worksheet* s = sheets[sheet];
    ++row;
    book.text(s, row, 0, visible_contract(c.contract));
    for (std::size_t i = 0; i < kCategoryCount; ++i)
      book.count(s, row, static_cast<lxw_col_t>(1 + i), static_cast<std::uint64_t>(c.duration[i]));
    if (!c.most_watch.empty()) book.text(s, row, 6, c.most_watch);
    if (!c.taste.empty()) book.text(s, row, 7, c.taste);
    book.count(s, row, 8, c.date_count);
    book.fixed2(s, row, 9, c.activeness);
    book.text(s, row, 10, c.segment);
    ++written;
  });
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    const lxw_row_t last = i < sheet ? per_sheet : (i == sheet ? row : 0);
    if (last > 0) book.check(worksheet_autofilter(sheets[i], 0, 0, last, kColumns - 1), "setting a filter");
  }
  return written;
}

void segments_sheet(Book& book, lxw_worksheet* s, const ReportData& d) {
  book.headers(s, {{"Segment", 26}, {"DateCount", 11}, {"Customers", 12}, {"Share", 9}, {"Total duration (s)", 20},
                   {"Avg duration per customer (s)", 28}});
  for (std::size_t i = 0; i < kSegmentCount; ++i) {
    const auto r = static_cast<lxw_row_t>(i + 1);
    const SegmentFigures& f = d.segments[i];
    book.text(s, r, 0, std::string(kSegmentNames[i]));
    book.text(s, r, 1, date_count_label(kSegmentBands[i]));
    book.count(s, r, 2, f.customers);
    book.share(s, r, 3, f.customers, d.metrics.customers);
    book.count(s, r, 4, f.total_duration);
    book.fixed2(s, r, 5, f.avg_duration_per_customer);
  }
  lxw_chart* pie = book.chart(LXW_CHART_PIE);
  lxw_chart_series* series = chart_add_series(pie, range("Segments", 'A', 1, kSegmentCount).c_str(),
                                              range("Segments", 'C', 1, kSegmentCount).c_str());
  chart_series_set_name(series, "Customers");
  chart_series_set_labels_options(series, LXW_FALSE, LXW_FALSE, LXW_TRUE);
  chart_series_set_labels_percentage(series);
  chart_title_set_name(pie, "Customers per segment");
  book.insert(s, 6, 0, pie);
}

void categories_sheet(Book& book, lxw_worksheet* s, const ReportData& d) {
  book.headers(s, {{"Category", 12}, {"Total duration (s)", 20}, {"Share of total", 14}, {"Viewers", 12},
                   {"MostWatch customers", 20}});
  for (std::size_t i = 0; i < kCategoryCount; ++i) {
    const auto r = static_cast<lxw_row_t>(i + 1);
    const CategoryFigures& f = d.categories[i];
    book.text(s, r, 0, std::string(kCategoryNames[i]));
    book.count(s, r, 1, f.total_duration);
    book.share(s, r, 2, f.total_duration, d.metrics.total_duration);
    book.count(s, r, 3, f.viewers);
    book.count(s, r, 4, f.most_watch_customers);
  }
  lxw_chart* column = book.chart(LXW_CHART_COLUMN);
  lxw_chart_series* series = chart_add_series(column, range("Categories", 'A', 1, kCategoryCount).c_str(),
                                              range("Categories", 'B', 1, kCategoryCount).c_str());
  chart_series_set_name(series, "Total duration (s)");
  chart_title_set_name(column, "Viewing time per category (s)");
  chart_legend_set_position(column, LXW_CHART_LEGEND_NONE);
  chart_axis_set_num_format(column->y_axis, kCountFormat);
  book.insert(s, 7, 0, column);
}

void metrics_sheet(Book& book, lxw_worksheet* s, const ReportData& d) {
  book.headers(s, {{"Metric", 36}, {"Value", 22}, {"Definition", 60}});
  const PeriodMetrics& m = d.metrics;
  lxw_row_t r = 0;
  const auto label = [&](const char* name, const char* definition) {
    ++r;
    book.text(s, r, 0, name);
    book.text(s, r, 2, definition);
  };
  label("Period start", "first day of the period");
  book.date(s, r, 1, d.period.start);
  label("Period end", "last day of the period");
  book.date(s, r, 1, d.period.end);
  label("Days", "days of the period (D of Activeness)");
  book.count(s, r, 1, d.period.days());
  label("Customers", "contracts with a counted record in the period");
  book.count(s, r, 1, m.customers);
  label("Total duration (s)", "sum of all durations");
  book.count(s, r, 1, m.total_duration);
  label("Avg duration per person per month (s)", "total duration / customers");
  book.fixed2(s, r, 1, m.avg_per_month);
  label("Avg duration per person per week (s)", "per month / 4");
  book.fixed2(s, r, 1, m.avg_per_week);
  label("Avg duration per person per day (s)", "per week / 7");
  book.fixed2(s, r, 1, m.avg_per_day);
  for (std::size_t i = 0; i < kCategoryCount; ++i) {
    const std::string name = std::string(kCategoryNames[i]) + " duration (s)";
    ++r;
    book.text(s, r, 0, name);
    book.count(s, r, 1, m.category_duration[i]);
    book.text(s, r, 2, "sum of " + std::string(kDurationColumns[i]));
  }
  label("ETL run", "etl_run.run_id that loaded the period");
  book.count(s, r, 1, m.run_id);
  label("Loaded at", "when that run finished (server time)");
  book.text(s, r, 1, m.loaded_at.substr(0, 19));
  label("Database", "the warehouse schema");
  book.text(s, r, 1, d.database);
  label("Generated at", "when bda-report wrote this workbook");
  book.text(s, r, 1, d.generated_at);
}

void daily_sheet(Book& book, lxw_worksheet* s, const ReportData& d) {
  std::vector<std::pair<const char*, double>> columns = {
      {"Date", 12}, {"Day", 6}, {"Active customers", 17}, {"Sessions", 12}, {"Total duration (s)", 18}};
  static constexpr std::array<const char*, kCategoryCount> kNames = {"Child (s)", "Movie (s)", "Sport (s)", "TV (s)",
                                                                     "Relax (s)"};
  for (const char* name : kNames) columns.emplace_back(name, 14);
  columns.emplace_back("Avg duration per active customer (s)", 32);
  book.headers(s, columns);
  lxw_row_t r = 0;
  for (const DailyFigures& f : d.daily) {
    ++r;
    book.date(s, r, 0, f.date);
    book.text(s, r, 1, std::string(short_weekday(f.date)));
    book.count(s, r, 2, f.active_customers);
    book.count(s, r, 3, f.sessions);
    book.count(s, r, 4, f.total_duration);
    for (std::size_t i = 0; i < kCategoryCount; ++i)
      book.count(s, r, static_cast<lxw_col_t>(5 + i), f.category_duration[i]);
    book.fixed2(s, r, 10, f.avg_duration_per_active_customer);
  }
  if (d.daily.empty()) return;
  lxw_chart* line = book.chart(LXW_CHART_LINE);
  lxw_chart_series* series = chart_add_series(line, range("Daily", 'A', 1, d.daily.size()).c_str(),
                                              range("Daily", 'C', 1, d.daily.size()).c_str());
  chart_series_set_name(series, "Active customers");
  chart_title_set_name(line, "Active customers per day");
  chart_legend_set_position(line, LXW_CHART_LEGEND_NONE);
  chart_axis_set_num_format(line->x_axis, "mm-dd");
  chart_axis_set_num_format(line->y_axis, kCountFormat);
  book.insert(s, r + 2, 0, line);
}

} // namespace

std::uint64_t write_xlsx_report(const std::filesystem::path& path, const ReportData& data,
                                const CustomerStream& customers, const XlsxOptions& options) {
  if (options.customers_per_sheet == 0 || options.customers_per_sheet >= LXW_ROW_MAX)
    throw UsageError("customers_per_sheet must be between 1 and " + std::to_string(LXW_ROW_MAX - 1));
  Book book(path);
  const std::uint64_t per_sheet = options.customers_per_sheet;
  const std::uint64_t sheet_count =
      data.metrics.customers == 0 ? 1 : (data.metrics.customers + per_sheet - 1) / per_sheet;
  std::vector<lxw_worksheet*> customer_sheets_list;
  for (std::uint64_t i = 0; i < sheet_count; ++i) {
    lxw_worksheet* s = book.sheet(i == 0 ? "Customers" : "Customers " + std::to_string(i + 1));
    std::vector<std::pair<const char*, double>> columns = {{"Contract", 24}};
    for (const char* name : kDurationColumns) columns.emplace_back(name, 15);
    for (const auto& c : std::initializer_list<std::pair<const char*, double>>{
             {"MostWatch", 11}, {"Taste", 26}, {"DateCount", 10}, {"Activeness", 11}, {"Segment", 24}})
      columns.push_back(c);
    book.headers(s, columns);
    customer_sheets_list.push_back(s);
  }
  lxw_worksheet* segments = book.sheet("Segments");
  lxw_worksheet* categories = book.sheet("Categories");
  lxw_worksheet* metrics = book.sheet("Metrics");
  lxw_worksheet* daily = book.sheet("Daily");

  std::string title = "Customer behaviour report " + data.period.start.iso() + " to " + data.period.end.iso();
  lxw_doc_properties properties{};
  properties.title = title.data();
  std::string comments = "Written by bda-report from the warehouse views";
  properties.comments = comments.data();
  book.check(workbook_set_properties(book.get(), &properties), "setting the document properties");

  const std::uint64_t written = customer_sheets(book, customer_sheets_list, customers, options.customers_per_sheet);
  segments_sheet(book, segments, data);
  categories_sheet(book, categories, data);
  metrics_sheet(book, metrics, data);
  daily_sheet(book, daily, data);
  worksheet_activate(metrics);
  book.close();
  return written;
}

} // namespace bda::report
