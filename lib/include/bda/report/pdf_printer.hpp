// report.pdf: headless Chromium prints the HTML report to PDF.
#pragma once

#include "bda/core/error.hpp"

#include <chrono>
#include <filesystem>

namespace bda::report {

//! Printing failed: Chromium missing, crashed, timed out or wrote no PDF; the message says which.
class PdfError : public Error {
public:
  using Error::Error;
};

struct PdfOptions {
  static constexpr std::chrono::seconds kDefaultTimeout{120};
  std::filesystem::path chromium = "/usr/bin/chromium"; //!< Debian package: chromium
  std::chrono::seconds timeout = kDefaultTimeout;       //!< wall clock; the browser is killed after it
  int virtual_time_budget_ms = 10000;                   //!< page time granted to scripts before printing
};

//! Prints `html` (a local file) to `pdf` with a fresh, temporary browser profile, then checks that
//! the file is a non-empty PDF. No browser process outlives the call. Throws PdfError.
void print_pdf(const std::filesystem::path& html, const std::filesystem::path& pdf, const PdfOptions& options = {});

//! A file:// URL for an absolute path, percent-encoding every byte outside [A-Za-z0-9-._~/].
std::string file_url(const std::filesystem::path& absolute_path);

} // namespace bda::report
