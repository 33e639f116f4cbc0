// bda-report's work: read the period from the warehouse, write report.html, report.xlsx, report.pdf.
#pragma once

#include "bda/core/error.hpp"
#include "bda/report/pdf_printer.hpp"
#include "bda/report/report_data.hpp"
#include "bda/warehouse/db_options.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>

namespace bda::report {

//! The warehouse holds no data for the requested period (exit code 1).
class NoDataError : public Error {
public:
  using Error::Error;
};

struct ReportRequest {
  warehouse::DbOptions db;
  Period period;
  std::filesystem::path out_dir;
  std::optional<PdfOptions> pdf; //!< nullopt: --no-pdf
};

struct ReportOutputs {
  std::filesystem::path html;
  std::filesystem::path xlsx;
  std::optional<std::filesystem::path> pdf;
  std::uint64_t customers = 0;
  std::uint64_t total_duration = 0;
};

//! Writes <out_dir>/report.html, report.xlsx and (unless disabled) report.pdf, each complete or
//! not at all (written under a temporary name, then renamed). Throws NoDataError, UsageError,
//! OutputError, warehouse::WarehouseError or PdfError.
ReportOutputs generate_report(const ReportRequest& request);

} // namespace bda::report
