// Files compiled into the binary at build time (lib/src/report/assets, ECharts from npm), so that
// bda-report needs nothing from the network or the file system when it runs.
#pragma once

#include <string_view>

namespace bda::report {

std::string_view echarts_js();      //!< echarts/dist/echarts.min.js
std::string_view echarts_version(); //!< e.g. "5.6.0", from its package.json
std::string_view report_js();       //!< lib/src/report/assets/report.js: draws the charts
std::string_view report_css();      //!< lib/src/report/assets/report.css: screen and print layout

} // namespace bda::report
