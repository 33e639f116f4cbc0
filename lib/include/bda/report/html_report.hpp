// report.html: one self-contained page (styles, chart library, data and charts inline).
#pragma once

#include "bda/report/report_data.hpp"
#include "bda/report/report_text.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace bda::report {

//! The whole page. Every text from the database is escaped; the page loads nothing from outside.
std::string render_html_report(const ReportData& data, const std::vector<SummaryParagraph>& summary);

//! Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view text);

//! Makes text safe inside <script>: every "</" becomes "<\/" (the same string to JavaScript and JSON).
std::string script_safe(std::string_view text);

} // namespace bda::report
