# bda::report - the period report behind bda-report: report.html (self-contained, ECharts inline),
# report.pdf (headless Chromium) and report.xlsx (libxlsxwriter), read with the read-only account.
# Build needs: libxlsxwriter (Debian libxlsxwriter-dev) and ECharts (cmake/BdaEcharts.cmake). The
# binary then needs neither: the assets are compiled in.
option(BDA_BUILD_REPORT "Build bda::report and bda-report" ON)
if(NOT BDA_BUILD_REPORT)
  return()
endif()

find_library(XLSXWRITER_LIBRARY NAMES xlsxwriter)
find_path(XLSXWRITER_INCLUDE_DIR NAMES xlsxwriter.h)
if(NOT XLSXWRITER_LIBRARY OR NOT XLSXWRITER_INCLUDE_DIR)
  message(FATAL_ERROR "bda-report needs libxlsxwriter (Debian package libxlsxwriter-dev), "
                      "or configure with -DBDA_BUILD_REPORT=OFF")
endif()

set(BDA_REPORT_ASSETS ${CMAKE_CURRENT_SOURCE_DIR}/src/report/assets)
if(NOT BDA_ECHARTS_AVAILABLE)
  message(FATAL_ERROR "bda-report embeds ECharts, fetched with npm at build time (Debian package npm), "
                      "or pass -DBDA_ECHARTS_JS=/path/to/echarts/dist/echarts.min.js")
endif()
set(BDA_ECHARTS_DEPENDS ${BDA_ECHARTS_FILE})

add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/report_assets.cpp
  COMMAND ${CMAKE_COMMAND} -DECHARTS_JS=${BDA_ECHARTS_FILE} -DECHARTS_PACKAGE=${BDA_ECHARTS_PACKAGE}
          -DREPORT_JS=${BDA_REPORT_ASSETS}/report.js -DREPORT_CSS=${BDA_REPORT_ASSETS}/report.css
          -DOUTPUT=${CMAKE_CURRENT_BINARY_DIR}/report_assets.cpp -P ${BDA_REPORT_ASSETS}/embed_assets.cmake
  DEPENDS ${BDA_ECHARTS_DEPENDS} ${BDA_REPORT_ASSETS}/report.js ${BDA_REPORT_ASSETS}/report.css
          ${BDA_REPORT_ASSETS}/embed_assets.cmake
  COMMENT "Embedding ECharts, report.js and report.css"
  VERBATIM)

bda_module(report
  SOURCES src/report/fixed2.cpp src/report/report_format.cpp src/report/report_data.cpp src/report/report_source.cpp
          src/report/report_text.cpp src/report/html_report.cpp src/report/xlsx_report.cpp src/report/pdf_printer.cpp
          src/report/report_job.cpp ${CMAKE_CURRENT_BINARY_DIR}/report_assets.cpp
  DEPS bda::warehouse
  PRIVATE_DEPS ${MYSQLCPPCONN_LIBRARY} ${XLSXWRITER_LIBRARY})
target_include_directories(bda_report PRIVATE ${XLSXWRITER_INCLUDE_DIR})
add_dependencies(bda_report bda_echarts)
