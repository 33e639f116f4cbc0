#include "bda/report/report_text.hpp"

#include "bda/report/report_format.hpp"

#include <algorithm>
#include <numeric>

namespace bda::report {
namespace {

__extension__ typedef __int128 Wide; // GCC/Clang; -Wpedantic knows no __int128

std::string count_of(std::uint64_t n, std::string_view singular, std::string_view plural) {
  return format_count(n) + " " + std::string(n == 1 ? singular : plural);
}

std::string customers(std::uint64_t n) { return count_of(n, "customer", "customers"); }
std::string seconds(std::uint64_t n) { return format_count(n) + std::string(kNbsp) + "s"; }
std::string seconds(Fixed2 n) { return format_fixed2(n) + std::string(kNbsp) + "s"; }

//! "a", "a and b", "a, b and c".
std::string join_and(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

//! "1-7 April 2022", "28 March-3 April 2022" or "29 December 2021-4 January 2022".
std::string day_range(Date from, Date to) {
  const auto a = from.ymd(), b = to.ymd();
  if (from == to) return format_day_month_year(from);
  if (a.year() != b.year()) return format_day_month_year(from) + "-" + format_day_month_year(to);
  const std::string tail = format_day_month_year(to);
  if (a.month() == b.month()) return std::to_string(static_cast<unsigned>(a.day())) + "-" + tail;
  const std::string head = format_day_month_year(from);
  return head.substr(0, head.rfind(' ')) + "-" + tail;
}

//! The wording of a change from a to b, each given as a fraction sum / days.
std::string change_words(std::uint64_t a_sum, std::uint64_t a_days, std::uint64_t b_sum, std::uint64_t b_days) {
  if (a_sum == 0) return b_sum == 0 ? "unchanged" : "up from none";
  const Wide num = static_cast<Wide>(b_sum) * a_days - static_cast<Wide>(a_sum) * b_days;
  if (num == 0) return "unchanged";
  const Wide den = static_cast<Wide>(a_sum) * b_days;
  const Wide magnitude = num < 0 ? -num : num;
  const auto per_mille = static_cast<std::uint64_t>((2 * magnitude * 1000 + den) / (2 * den)); // half-up
  const std::string pct =
      std::to_string(per_mille / 10) + "." + std::to_string(per_mille % 10) + std::string(kNbsp) + "%";
  const std::string direction = num > 0 ? "up " : "down ";
  if (per_mille < kFlatTrendPerMille) return "nearly flat (" + direction + pct + ")";
  return direction + pct;
}

std::string overview(const ReportData& d) {
  const PeriodMetrics& m = d.metrics;
  const std::uint32_t days = d.period.days();
  const std::string counted = std::to_string(days) + (d.period.listed.empty() ? " days" : " selected days");
  std::string text = days == 1 ? "On " + format_day_month_year(d.period.start)
                               : "Between " + format_day_month_year(d.period.start) + " and " +
                                     format_day_month_year(d.period.end) + " (" + counted + ")";
  text += ", " + customers(m.customers) + " watched for a total duration of " + seconds(m.total_duration) + " (" +
          format_hours(m.total_duration) + std::string(kNbsp) + "h). ";
  text += "By the metric definitions (a month of four weeks of seven days), a customer watched " +
          seconds(m.avg_per_month) + " on average over the period, " + seconds(m.avg_per_week) + " a week and " +
          seconds(m.avg_per_day) + " a day.";
  return text;
}

std::string segments(const ReportData& d) {
  const std::uint64_t total = d.metrics.customers;
  std::vector<std::size_t> order(kSegmentCount);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return d.segments[a].customers > d.segments[b].customers; });
  std::vector<std::string> present, empty;
  for (std::size_t i : order) {
    const SegmentFigures& s = d.segments[i];
    if (s.customers == 0)
      empty.emplace_back(kSegmentNames[i]);
    else
      present.push_back(std::string(kSegmentNames[i]) + " (" + format_count(s.customers) + ", " +
                        format_share(s.customers, total) + ")");
  }
  std::string text;
  if (present.empty()) return "No customer falls into any segment.";
  if (present.size() == 1) {
    text = "All " + customers(total) + " are in the " + std::string(kSegmentNames[order[0]]) + " segment.";
  } else {
    const SegmentFigures& top = d.segments[order[0]];
    text = "The largest segment is " + std::string(kSegmentNames[order[0]]) + " with " + customers(top.customers) +
           " (" + format_share(top.customers, total) + "), followed by " +
           join_and(std::vector<std::string>(present.begin() + 1, present.end())) + ".";
  }
  if (!empty.empty())
    text += " No customer is in the " + join_and(empty) + (empty.size() == 1 ? " segment." : " segments.");
  const SegmentFigures& loyal = d.segments[static_cast<std::size_t>(Segment::Loyal)];
  if (loyal.customers > 0 && d.metrics.total_duration > 0)
    text += " Loyal customers (active on " + std::to_string(band_of(Segment::Loyal).first) +
            " days or more) make up " + format_share(loyal.customers, total) +
            " of the customers and account for " + format_share(loyal.total_duration, d.metrics.total_duration) +
            " of the viewing time.";
  return text;
}

std::string categories(const ReportData& d) {
  const std::uint64_t total = d.metrics.total_duration;
  std::vector<std::size_t> order(kCategoryCount);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return d.categories[a].total_duration > d.categories[b].total_duration;
  });
  const auto name = [](std::size_t i) { return std::string(kCategoryNames[i]); };
  std::string text;
  std::vector<std::string> unwatched;
  for (std::size_t i : order)
    if (d.categories[i].total_duration == 0) unwatched.push_back(name(i));
  const std::size_t watched = kCategoryCount - unwatched.size();
  constexpr std::size_t kNamed = 3; // the top categories named one by one
  if (watched == 0) {
    text = "No viewing time was recorded in any category.";
  } else if (watched == 1) {
    text = "All of the viewing time is " + name(order[0]) + ".";
  } else {
    text = name(order[0]) + " accounts for " + format_share(d.categories[order[0]].total_duration, total) +
           " of the viewing time, followed by ";
    std::vector<std::string> next;
    for (std::size_t k = 1; k < std::min(watched, kNamed); ++k)
      next.push_back(name(order[k]) + " (" + format_share(d.categories[order[k]].total_duration, total) + ")");
    text += join_and(next) + ".";
    if (watched > kNamed) {
      std::uint64_t rest = 0;
      for (std::size_t k = kNamed; k < watched; ++k) rest += d.categories[order[k]].total_duration;
      text += " The other " + std::to_string(watched - kNamed) +
              (watched - kNamed == 1 ? " category (" : " categories (") +
              [&] {
                std::vector<std::string> names;
                for (std::size_t k = kNamed; k < watched; ++k) names.push_back(name(order[k]));
                return join_and(names);
              }() +
              ") account for " + format_share(rest, total) + ".";
    }
  }
  if (!unwatched.empty() && watched > 0) text += " Nobody watched " + join_and(unwatched) + ".";

  std::size_t top = 0;
  for (std::size_t i = 1; i < kCategoryCount; ++i)
    if (d.categories[i].most_watch_customers > d.categories[top].most_watch_customers) top = i;
  if (d.categories[top].most_watch_customers > 0)
    text += " " + name(top) + " is the most-watched category (MostWatch) of " +
            customers(d.categories[top].most_watch_customers) + " (" +
            format_share(d.categories[top].most_watch_customers, d.metrics.customers) + " of all customers).";
  if (const std::uint64_t none = d.customers_without_most_watch(); none > 0)
    text += " " + customers(none) + (none == 1 ? " has" : " have") + " no viewing time in any category.";
  return text;
}

std::string activity(const ReportData& d) {
  const std::uint32_t days = d.period.days();
  const auto& daily = d.daily;
  if (daily.empty()) return "The data mart (daily_statistics) holds no day of this period, so there is no daily trend.";
  std::string text;
  if (daily.size() < days)
    text =
        "The data mart has figures for " + std::to_string(daily.size()) + " of the " + std::to_string(days) + " days. ";
  if (daily.size() == 1)
    return text + "On " + format_long_date(daily[0].date) + ", " + customers(daily[0].active_customers) +
           " were active.";

  if (days >= 2 * kTrendWindowDays) {
    const Date first_end =
        Date::from_days(d.period.start.days_since_epoch() + static_cast<std::int32_t>(kTrendWindowDays) - 1);
    const Date last_start =
        Date::from_days(d.period.end.days_since_epoch() - static_cast<std::int32_t>(kTrendWindowDays) + 1);
    std::uint64_t a_sum = 0, a_days = 0, b_sum = 0, b_days = 0;
    for (const DailyFigures& f : daily) {
      if (f.date <= first_end) {
        a_sum += f.active_customers;
        ++a_days;
      }
      if (f.date >= last_start) {
        b_sum += f.active_customers;
        ++b_days;
      }
    }
    if (a_days > 0 && b_days > 0)
      text += "Daily active customers averaged " + format_ratio1(a_sum, a_days) + " in the first week (" +
              day_range(d.period.start, first_end) + ") and " + format_ratio1(b_sum, b_days) + " in the last week (" +
              day_range(last_start, d.period.end) + "), " + change_words(a_sum, a_days, b_sum, b_days) + ". ";
  } else {
    const DailyFigures &a = daily.front(), &b = daily.back();
    text += "Active customers went from " + format_count(a.active_customers) + " on " + format_long_date(a.date) +
            " to " + format_count(b.active_customers) + " on " + format_long_date(b.date) + ", " +
            change_words(a.active_customers, 1, b.active_customers, 1) + ". ";
  }
  // Ties go to the earlier day: max_element/min_element return the first of equal elements.
  const auto busiest = std::max_element(daily.begin(), daily.end(), [](const DailyFigures& x, const DailyFigures& y) {
    return x.active_customers < y.active_customers;
  });
  const auto quietest = std::min_element(daily.begin(), daily.end(), [](const DailyFigures& x, const DailyFigures& y) {
    return x.active_customers < y.active_customers;
  });
  text += "The busiest day was " + format_long_date(busiest->date) + " with " + customers(busiest->active_customers) +
          " active and " + format_hours(busiest->total_duration) + std::string(kNbsp) + "h watched; the quietest was " +
          format_long_date(quietest->date) + " with " + customers(quietest->active_customers) + ".";
  return text;
}

std::string activeness(const ReportData& d) {
  const std::uint32_t days = d.period.days();
  std::uint64_t people = 0, active_days = 0;
  for (std::size_t c = 1; c < d.date_count_customers.size(); ++c) {
    people += d.date_count_customers[c];
    active_days += c * d.date_count_customers[c];
  }
  if (people == 0) return "No customer was active in the period.";
  if (days == 1) return "The period is one day, so every customer has an Activeness of 100" + std::string(kNbsp) + "%.";
  std::string text = "On average a customer was active on " + format_ratio1(active_days, people) + " of the " +
                     std::to_string(days) + " days (mean Activeness " + format_share(active_days, people * days) + ").";
  const std::uint64_t every_day = d.date_count_customers.back(), one_day = d.date_count_customers[1];
  text += " " + customers(every_day) + " (" + format_share(every_day, people) + ") " +
          (every_day == 1 ? "was" : "were") + " active on every day and " + format_count(one_day) + " (" +
          format_share(one_day, people) + ") on one day only.";
  return text;
}

} // namespace

std::vector<SummaryParagraph> summarize(const ReportData& data) {
  return {{"Overview", overview(data)},
          {"Segments", segments(data)},
          {"Categories", categories(data)},
          {"Activity", activity(data)},
          {"Activeness", activeness(data)}};
}

} // namespace bda::report
