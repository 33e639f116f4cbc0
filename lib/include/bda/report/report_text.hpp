// The written summary of a report: plain sentences derived from the figures, nothing else.
#pragma once

#include "bda/report/report_data.hpp"

#include <string>
#include <vector>

namespace bda::report {

//! One paragraph of the summary and the topic it is about (a heading for the HTML).
struct SummaryParagraph {
  std::string topic; //!< "Overview", "Segments", "Categories", "Activity", "Activeness"
  std::string text;  //!< plain text (no markup); escape it for HTML
};

//! Trend wording: a change whose magnitude rounds below this share (per mille) is "nearly flat".
inline constexpr std::uint64_t kFlatTrendPerMille = 10; // 1 %
//! Days compared at each end of the period for the activity trend (first vs last week).
inline constexpr std::uint32_t kTrendWindowDays = 7;

//! The summary in the order Overview, Segments, Categories, Activity, Activeness. The rules are
//! documented in docs/report.md ("The written summary"); every figure comes from `data`.
std::vector<SummaryParagraph> summarize(const ReportData& data);

} // namespace bda::report
