#include "bda/report/html_report.hpp"

#include "bda/core/version.hpp"
#include "bda/report/assets.hpp"
#include "bda/report/report_format.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <initializer_list>

namespace bda::report {
namespace {

//! Builds the page as a string; every value from the database goes through html_escape.
class Page {
public:
  Page& raw(std::string_view s) {
    out_ += s;
    return *this;
  }
  Page& text(std::string_view s) { return raw(html_escape(s)); }
  Page& cell(std::string_view s, bool number = false) {
    return raw(number ? "<td class=\"num\">" : "<td>").text(s).raw("</td>");
  }
  Page& head_row(std::initializer_list<std::pair<std::string_view, bool>> columns) {
    raw("<thead><tr>");
    for (const auto& [name, number] : columns) raw(number ? "<th class=\"num\">" : "<th>").text(name).raw("</th>");
    return raw("</tr></thead>");
  }
  std::string take() { return std::move(out_); }

private:
  std::string out_;
};

double hours1(std::uint64_t seconds) {
  constexpr double kSecondsPerHour = 3600.0;
  return std::round(static_cast<double>(seconds) / kSecondsPerHour * 10.0) / 10.0;
}

//! The charts' input, read by report.js.
nlohmann::json chart_data(const ReportData& d) {
  nlohmann::json j;
  j["segments"] = nlohmann::json::array();
  for (std::size_t i = 0; i < kSegmentCount; ++i)
    j["segments"].push_back({{"name", kSegmentNames[i]}, {"customers", d.segments[i].customers}});
  j["categories"] = nlohmann::json::array();
  j["mostWatch"] = nlohmann::json::array();
  for (std::size_t i = 0; i < kCategoryCount; ++i) {
    j["categories"].push_back({{"name", kCategoryNames[i]}, {"duration", d.categories[i].total_duration}});
    j["mostWatch"].push_back({{"name", kCategoryNames[i]}, {"customers", d.categories[i].most_watch_customers}});
  }
  if (const std::uint64_t none = d.customers_without_most_watch(); none > 0)
    j["mostWatch"].push_back({{"name", "none"}, {"customers", none}});
  const auto bins = d.activeness_histogram();
  j["activeness"]["bins"] = nlohmann::json::array();
  j["activeness"]["customers"] = nlohmann::json::array();
  for (std::size_t b = 0; b < bins.size(); ++b) {
    j["activeness"]["bins"].push_back(activeness_bin_label(b));
    j["activeness"]["customers"].push_back(bins[b]);
  }
  auto& daily = j["daily"];
  daily["dates"] = nlohmann::json::array();
  daily["active"] = nlohmann::json::array();
  for (std::size_t i = 0; i < kCategoryCount; ++i)
    daily["hours"][std::string(kCategoryNames[i])] = nlohmann::json::array();
  for (const DailyFigures& f : d.daily) {
    daily["dates"].push_back(f.date.iso().substr(5)); // MM-DD
    daily["active"].push_back(f.active_customers);
    for (std::size_t i = 0; i < kCategoryCount; ++i)
      daily["hours"][std::string(kCategoryNames[i])].push_back(hours1(f.category_duration[i]));
  }
  return j;
}

void header(Page& p, const ReportData& d) {
  const std::string month = d.period.listed.empty() ? month_to_date_title(d.period.start, d.period.end) : "";
  const std::string period = month.empty()
                                 ? format_day_month_year(d.period.start) + " – " + format_day_month_year(d.period.end)
                                 : month;
  p.raw("<header><h1>Customer behaviour report</h1><p class=\"period\">").text(period);
  p.raw(" (").text(std::to_string(d.period.days()) + (d.period.days() == 1 ? " day" : " days") +
                   (d.period.listed.empty() ? "" : " selected: " + d.period.key())).raw(")</p>");
  std::string meta = "Database " + d.database;
  if (d.metrics.run_id) meta += " · loaded by bda-etl run #" + std::to_string(d.metrics.run_id);
  if (!d.metrics.loaded_at.empty()) meta += " at " + d.metrics.loaded_at.substr(0, 19);
  meta += " · generated " + d.generated_at + " by bda-report " + std::string(version());
  p.raw("<p class=\"meta\">").text(meta).raw("</p></header>\n");
}

void card(Page& p, std::string_view label, const std::string& value, const std::string& note) {
  p.raw("<div class=\"card\"><div class=\"label\">").text(label).raw("</div><div class=\"value\">").text(value);
  p.raw("</div><div class=\"note\">").text(note).raw("</div></div>");
}

void key_figures(Page& p, const ReportData& d) {
  const PeriodMetrics& m = d.metrics;
  p.raw("<section class=\"cards\" id=\"metrics\">");
  card(p, "Customers", format_count(m.customers), "with a counted record");
  card(p, "Total duration (s)", format_count(m.total_duration), format_hours(m.total_duration) + " h");
  card(p, "Avg per person / month", format_fixed2(m.avg_per_month), "s, total / customers");
  card(p, "Per week", format_fixed2(m.avg_per_week), "s, month / 4");
  card(p, "Per day", format_fixed2(m.avg_per_day), "s, week / 7");
  p.raw("</section>\n");
}

void summary(Page& p, const std::vector<SummaryParagraph>& paragraphs) {
  p.raw("<section class=\"summary\" id=\"summary\"><h2>Summary</h2>");
  for (const SummaryParagraph& s : paragraphs)
    p.raw("<p><span class=\"topic\">").text(s.topic).raw(".</span> ").text(s.text).raw("</p>");
  p.raw("</section>\n");
}

void segments(Page& p, const ReportData& d) {
  p.raw("<section id=\"segments\"><h2>Segments</h2>");
  p.raw("<div class=\"row\"><figure><figcaption>Customers per segment</figcaption>"
        "<div class=\"chart half\" id=\"chart-segments\"></div></figure>"
        "<figure><figcaption>Share of the viewing time per category</figcaption>"
        "<div class=\"chart half\" id=\"chart-category-share\"></div></figure></div>");
  p.raw("<table>").head_row({{"Segment", false}, {"DateCount", false}, {"Customers", true}, {"Share", true},
                             {"Total duration (s)", true}, {"Avg per customer (s)", true}});
  p.raw("<tbody>");
  for (std::size_t i = 0; i < kSegmentCount; ++i) {
    const SegmentFigures& s = d.segments[i];
    p.raw("<tr>").cell(kSegmentNames[i]).cell(date_count_label(kSegmentBands[i])).cell(format_count(s.customers), true);
    p.cell(format_share(s.customers, d.metrics.customers), true).cell(format_count(s.total_duration), true);
    p.cell(format_fixed2(s.avg_duration_per_customer), true).raw("</tr>");
  }
  p.raw("</tbody></table></section>\n");
}

void categories(Page& p, const ReportData& d) {
  p.raw("<section id=\"categories\"><h2>Categories</h2>");
  p.raw("<table>").head_row({{"Category", false}, {"Total duration (s)", true}, {"Hours", true}, {"Share", true},
                             {"Viewers", true}, {"MostWatch customers", true}});
  p.raw("<tbody>");
  for (std::size_t i = 0; i < kCategoryCount; ++i) {
    const CategoryFigures& c = d.categories[i];
    p.raw("<tr>").cell(kCategoryNames[i]).cell(format_count(c.total_duration), true);
    p.cell(format_hours(c.total_duration), true).cell(format_share(c.total_duration, d.metrics.total_duration), true);
    p.cell(format_count(c.viewers), true).cell(format_count(c.most_watch_customers), true).raw("</tr>");
  }
  p.raw("</tbody></table>");
  p.raw("<div class=\"row\"><figure><figcaption>MostWatch: customers per favourite category</figcaption>"
        "<div class=\"chart half\" id=\"chart-most-watch\"></div></figure>"
        "<figure><figcaption>Activeness: customers per 10-point bin</figcaption>"
        "<div class=\"chart half\" id=\"chart-activeness\"></div></figure></div></section>\n");
}

void activity(Page& p) {
  p.raw("<section id=\"activity\"><h2>Daily activity</h2>");
  p.raw("<figure><figcaption>Active customers per day</figcaption>"
        "<div class=\"chart wide\" id=\"chart-daily-active\"></div></figure>");
  p.raw("<figure><figcaption>Viewing time per day and category (hours)</figcaption>"
        "<div class=\"chart wide\" id=\"chart-daily-duration\"></div></figure></section>\n");
}

void top_customers(Page& p, const ReportData& d) {
  p.raw("<section id=\"top-customers\"><h2>Top ").text(std::to_string(d.top_customers.size()));
  p.raw(" customers by total duration</h2><table>");
  p.head_row({{"#", true}, {"Contract", false}, {"Total duration (s)", true}, {"MostWatch", false}, {"Taste", false},
              {"DateCount", true}, {"Activeness", true}, {"Segment", false}});
  p.raw("<tbody>");
  std::size_t rank = 0;
  for (const CustomerRow& c : d.top_customers) {
    p.raw("<tr>").cell(std::to_string(++rank), true);
    p.raw("<td class=\"contract\">").text(visible_contract(c.contract)).raw("</td>");
    p.cell(format_count(static_cast<std::uint64_t>(c.total_duration())), true).cell(c.most_watch).cell(c.taste);
    p.cell(std::to_string(c.date_count), true).cell(format_fixed2(c.activeness), true);
    p.raw("<td class=\"nowrap\">").text(c.segment).raw("</td></tr>");
  }
  p.raw("</tbody></table></section>\n");
}

void daily_table(Page& p, const ReportData& d) {
  p.raw("<section id=\"daily\" class=\"pagebreak\"><h2>Daily figures</h2><table class=\"daily\">");
  p.head_row({{"Date", false}, {"Active customers", true}, {"Sessions", true}, {"Duration (s)", true},
              {"Per active customer (s)", true}, {"Child", true}, {"Movie", true}, {"Sport", true}, {"TV", true},
              {"Relax", true}});
  p.raw("<tbody>");
  for (const DailyFigures& f : d.daily) {
    p.raw("<tr>").cell(std::string(short_weekday(f.date)) + " " + f.date.iso());
    p.cell(format_count(f.active_customers), true).cell(format_count(f.sessions), true);
    p.cell(format_count(f.total_duration), true).cell(format_fixed2(f.avg_duration_per_active_customer), true);
    for (std::size_t i = 0; i < kCategoryCount; ++i)
      p.cell(format_share(f.category_duration[i], f.total_duration), true);
    p.raw("</tr>");
  }
  if (d.daily.empty()) p.raw("<tr><td colspan=\"10\">The data mart holds no day of this period.</td></tr>");
  p.raw("</tbody></table><p class=\"notes\">Category columns: share of the day's viewing time.</p></section>\n");
}

//! "1-6 At Risk, 7-13 Need Attention, 14-20 Valuable, 21 or more Loyal" from kSegmentBands.
std::string segment_bands_text() {
  constexpr std::string_view kSuffix = " Customer";
  std::string text;
  for (const SegmentBand& b : kSegmentBands) {
    if (!text.empty()) text += ", ";
    text += b.last == kNoUpperBound ? std::to_string(b.first) + " or more" : date_count_label(b);
    std::string_view name = b.name;
    if (name.size() > kSuffix.size() && name.substr(name.size() - kSuffix.size()) == kSuffix)
      name.remove_suffix(kSuffix.size());
    text += ' ';
    text += name;
  }
  return text;
}

void notes(Page& p) {
  p.raw("<section class=\"notes\"><h3>Definitions</h3><ul>");
  const std::string segment_note = "Segment by DateCount, the number of days with a counted record: " +
                                   segment_bands_text() + ". Activeness = DateCount / days of the period × 100.";
  for (const char* note : {
           "Durations are sums of TotalDuration (seconds) over the customer's counted records; hours = seconds / 3600.",
           segment_note.c_str(),
           "Average per person per month = total duration / customers; per week = per month / 4; "
           "per day = per week / 7.",
           "MostWatch: the category with the largest duration (ties to the earlier of Child, Movie, Sport, TV, "
           "Relax); none when all are 0.",
           "Daily figures come from the data mart (daily_statistics); shares are rounded half-up.",
           "Control characters in a Contract are shown as \\xHH."})
    p.raw("<li>").text(note).raw("</li>");
  p.raw("<li>").text("Charts: Apache ECharts " + std::string(echarts_version()) + ", embedded in this file.");
  p.raw("</li></ul></section>\n");
}

} // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string script_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/') out += '\\';
  }
  return out;
}

std::string render_html_report(const ReportData& data, const std::vector<SummaryParagraph>& paragraphs) {
  Page p;
  p.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
  p.text("Customer behaviour report " + data.period.start.iso() + " to " + data.period.end.iso());
  p.raw("</title>\n<style>\n").raw(report_css()).raw("</style>\n</head>\n<body>\n<main class=\"page\">\n");
  header(p, data);
  key_figures(p, data);
  summary(p, paragraphs);
  segments(p, data);
  categories(p, data);
  activity(p);
  top_customers(p, data);
  daily_table(p, data);
  notes(p);
  p.raw("</main>\n<script type=\"application/json\" id=\"report-data\">");
  // JSON cannot hold "</" outside strings; escaping '<' keeps the data inert inside <script>.
  std::string json = chart_data(data).dump();
  std::string safe;
  for (char c : json) safe += c == '<' ? std::string("\\u003c") : std::string(1, c);
  p.raw(safe).raw("</script>\n<script>\n").raw(script_safe(echarts_js())).raw("\n</script>\n<script>\n");
  p.raw(script_safe(report_js())).raw("\n</script>\n</body>\n</html>\n");
  return p.take();
}

} // namespace bda::report
