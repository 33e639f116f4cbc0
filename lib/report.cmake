# bda::report - the period report behind bda-report: report.html (self-contained, ECharts inline),
# report.pdf (headless Chromium) and report.xlsx (libxlsxwriter), read with the read-only account.
# Build needs: libxlsxwriter (Debian libxlsxwriter-dev) and npm, which fetches ECharts at build time
# as pinned by src/report/assets/package-lock.json; -DBDA_ECHARTS_JS=/path/echarts.min.js embeds a
# local copy instead (offline builds). The binary then needs neither: the assets are compiled in.
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
set(BDA_ECHARTS_JS "" CACHE FILEPATH "A local echarts.min.js to embed instead of fetching ECharts with npm")
if(BDA_ECHARTS_JS)
  get_filename_component(_bda_echarts_dist ${BDA_ECHARTS_JS} DIRECTORY)
  set(BDA_ECHARTS_MIN_JS ${BDA_ECHARTS_JS})
  set(BDA_ECHARTS_PACKAGE ${_bda_echarts_dist}/../package.json) # for the version, if present
  set(BDA_ECHARTS_DEPENDS ${BDA_ECHARTS_JS})
else()
  find_program(NPM_EXECUTABLE npm)
  if(NOT NPM_EXECUTABLE)
    message(FATAL_ERROR "bda-report fetches ECharts with npm at build time (Debian package npm), "
                        "or pass -DBDA_ECHARTS_JS=/path/to/echarts/dist/echarts.min.js")
  endif()
  set(_bda_npm_dir ${CMAKE_CURRENT_BINARY_DIR}/report_npm)
  set(BDA_ECHARTS_MIN_JS ${_bda_npm_dir}/node_modules/echarts/dist/echarts.min.js)
  set(BDA_ECHARTS_PACKAGE ${_bda_npm_dir}/node_modules/echarts/package.json)
  set(BDA_ECHARTS_DEPENDS ${_bda_npm_dir}/echarts.stamp)
  # npm gives package files a 1985 mtime, so a stamp file tells make that the fetch is done.
  add_custom_command(
    OUTPUT ${_bda_npm_dir}/echarts.stamp
    BYPRODUCTS ${BDA_ECHARTS_MIN_JS} ${BDA_ECHARTS_PACKAGE}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${_bda_npm_dir}
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${BDA_REPORT_ASSETS}/package.json
            ${BDA_REPORT_ASSETS}/package-lock.json ${_bda_npm_dir}
    COMMAND ${NPM_EXECUTABLE} ci --prefix ${_bda_npm_dir} --prefer-offline --ignore-scripts --no-audit --no-fund
            --loglevel=error
    COMMAND ${CMAKE_COMMAND} -E touch ${_bda_npm_dir}/echarts.stamp
    DEPENDS ${BDA_REPORT_ASSETS}/package.json ${BDA_REPORT_ASSETS}/package-lock.json
    COMMENT "Fetching ECharts with npm ci (pinned by lib/src/report/assets/package-lock.json)"
    VERBATIM)
endif()

add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/report_assets.cpp
  COMMAND ${CMAKE_COMMAND} -DECHARTS_JS=${BDA_ECHARTS_MIN_JS} -DECHARTS_PACKAGE=${BDA_ECHARTS_PACKAGE}
          -DREPORT_JS=${BDA_REPORT_ASSETS}/report.js -DREPORT_CSS=${BDA_REPORT_ASSETS}/report.css
          -DOUTPUT=${CMAKE_CURRENT_BINARY_DIR}/report_assets.cpp -P ${BDA_REPORT_ASSETS}/embed_assets.cmake
  DEPENDS ${BDA_ECHARTS_DEPENDS} ${BDA_REPORT_ASSETS}/report.js ${BDA_REPORT_ASSETS}/report.css
          ${BDA_REPORT_ASSETS}/embed_assets.cmake
  COMMENT "Embedding ECharts, report.js and report.css"
  VERBATIM)

add_library(bda_report
  src/report/fixed2.cpp
  src/report/report_format.cpp
  src/report/report_data.cpp
  src/report/report_source.cpp
  src/report/report_text.cpp
  src/report/html_report.cpp
  src/report/xlsx_report.cpp
  src/report/pdf_printer.cpp
  src/report/report_job.cpp
  ${CMAKE_CURRENT_BINARY_DIR}/report_assets.cpp
)
add_library(bda::report ALIAS bda_report)
target_include_directories(bda_report PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include PRIVATE ${XLSXWRITER_INCLUDE_DIR})
target_link_libraries(bda_report PUBLIC bda::warehouse PRIVATE ${MYSQLCPPCONN_LIBRARY} ${XLSXWRITER_LIBRARY})
bda_setup_target(bda_report)
