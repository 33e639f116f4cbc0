// The figures of one period's report, as plain values read from the warehouse's views and mart.
#pragma once

#include "bda/aggregate/segment_bands.hpp"
#include "bda/core/date.hpp"
#include "bda/report/fixed2.hpp"
#include "bda/model/category.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bda::report {

//! SPEC §5 in order of activity (segment_rank 1-4 in the views); the bands: bda::kSegmentBands.
inline constexpr std::array<std::string_view, kSegmentCount> kSegmentNames = segment_names();

//! The period a bda-etl run loaded: its first and last day and, for a list of days, which ones.
struct Period {
  Date start;
  Date end;
  std::vector<Date> listed = {}; //!< the selected days when they are not the whole range; empty for a range

  //! The period named by a warehouse period key; throws UsageError for a key that is not canonical.
  static Period of_key(const std::string& key);
  //! The warehouse's period_key: "2022-04-01..2022-04-30", or with a day bitmap for a list.
  std::string key() const;
  //! D of SPEC §4: the number of selected days.
  std::uint32_t days() const {
    if (!listed.empty()) return static_cast<std::uint32_t>(listed.size());
    return static_cast<std::uint32_t>(end.days_since_epoch() - start.days_since_epoch() + 1);
  }
  //! True when the day is one of the selected days.
  bool selects(Date d) const;
};

//! SPEC §6 for the period (v_period_metrics).
struct PeriodMetrics {
  std::uint64_t customers = 0;
  std::uint64_t total_duration = 0;
  std::array<std::uint64_t, kCategoryCount> category_duration{}; //!< canonical category order
  Fixed2 avg_per_month;                                          //!< total / customers
  Fixed2 avg_per_week;                                           //!< per month / 4
  Fixed2 avg_per_day;                                            //!< per week / 7
  std::uint64_t run_id = 0;
  std::uint32_t selected_days = 0; //!< D of the run (0 when the run log has no row)
  std::string loaded_at;           //!< "2022-05-01 02:00:00.123", empty when unknown
};

//! One SPEC §5 segment (v_segment_summary); a segment without customers is all zero.
struct SegmentFigures {
  std::uint64_t customers = 0;
  std::uint64_t total_duration = 0;
  Fixed2 avg_duration_per_customer;
};

//! One category over the period (v_category_summary).
struct CategoryFigures {
  std::uint64_t total_duration = 0;
  std::uint64_t viewers = 0;              //!< customers with a duration > 0 in it
  std::uint64_t most_watch_customers = 0; //!< customers whose MostWatch it is
};

//! One day of the data mart (daily_statistics).
struct DailyFigures {
  Date date;
  std::uint64_t active_customers = 0;
  std::uint64_t sessions = 0;
  std::uint64_t total_duration = 0;
  std::array<std::uint64_t, kCategoryCount> category_duration{};
  Fixed2 avg_duration_per_active_customer; //!< 0 when nobody was active
};

//! One customer row of the period (v_customer_segment): the SPEC §4 columns plus Segment.
struct CustomerRow {
  std::string contract; //!< CONVERT(Contract USING utf8mb4): raw text, escape it for display
  std::array<std::int64_t, kCategoryCount> duration{};
  std::string most_watch; //!< empty when all durations are 0
  std::string taste;
  std::uint32_t date_count = 0;
  Fixed2 activeness;
  std::string segment;
  std::int64_t total_duration() const;
};

//! Everything the report shows except the full customer table, which is streamed (see ReportSource).
struct ReportData {
  std::string database;     //!< the schema the figures come from
  std::string generated_at; //!< UTC, "2022-05-01 08:00:00 UTC"
  Period period;
  PeriodMetrics metrics;
  std::array<SegmentFigures, kSegmentCount> segments{};
  std::array<CategoryFigures, kCategoryCount> categories{};
  //! Customers per DateCount: date_count_customers[c] customers were active on c days (index 0 unused).
  std::vector<std::uint64_t> date_count_customers;
  std::vector<DailyFigures> daily;        //!< the mart's days inside the period, in date order
  std::vector<CustomerRow> top_customers; //!< the largest total durations, ties by Contract bytes

  //! Customers with no MostWatch (all five durations 0).
  std::uint64_t customers_without_most_watch() const;
  //! Customers per Activeness bin [0, 10), [10, 20), ..., [90, 100] from date_count_customers, with
  //! Activeness rounded to two places exactly as the warehouse stores it.
  std::array<std::uint64_t, 10> activeness_histogram() const;
};

//! "0-10", "10-20", ..., "90-100": the labels of ReportData::activeness_histogram().
std::string activeness_bin_label(std::size_t bin);

} // namespace bda::report
