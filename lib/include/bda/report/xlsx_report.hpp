// report.xlsx: the period's workbook (libxlsxwriter) with native Excel charts.
#pragma once

#include "bda/report/report_data.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>

namespace bda::report {

//! Calls its argument once per customer of the period, in Contract byte order.
using CustomerStream = std::function<void(const std::function<void(const CustomerRow&)>&)>;

struct XlsxOptions {
  //! Customer rows per sheet: Excel's 1,048,576 rows less the header. More customers continue on
  //! "Customers 2", "Customers 3", ... (a knob for tests).
  std::uint32_t customers_per_sheet = 1'048'575;
};

//! Writes the workbook to `path` (directly; the caller renames it into place). Sheets: Customers
//! (one row per customer), Segments (+ pie), Categories (+ column chart), Metrics, Daily (+ line
//! chart). Throws OutputError naming the path. Returns the number of customer rows written.
std::uint64_t write_xlsx_report(const std::filesystem::path& path, const ReportData& data,
                                const CustomerStream& customers, const XlsxOptions& options = {});

} // namespace bda::report
