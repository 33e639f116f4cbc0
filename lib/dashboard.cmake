# bda::dashboard - the web dashboard behind bda-dashboard: live queries on the warehouse views
# (Connector/C++), the JSON API, and an HTTP server (cpp-httplib) serving pages and ECharts that are
# embedded in the binary. ECharts comes from cmake/BdaEcharts.cmake.
set(BDA_WEB_DIR ${PROJECT_SOURCE_DIR}/web)

find_package(PkgConfig)
if(PkgConfig_FOUND)
  pkg_check_modules(BDA_HTTPLIB IMPORTED_TARGET cpp-httplib>=0.11)
endif()
if(NOT BDA_HTTPLIB_FOUND)
  message(WARNING "bda-dashboard is not built: cpp-httplib not found (apt-get install libcpp-httplib-dev pkg-config)")
  return()
endif()
if(NOT BDA_ECHARTS_AVAILABLE)
  message(WARNING "bda-dashboard is not built: npm not found to fetch ECharts (apt-get install npm, or -DBDA_ECHARTS_JS=FILE)")
  return()
endif()

# What the binary serves: URL path | MIME type (text/* is served as UTF-8) | file.
set(BDA_WEB_ASSETS
  "/|text/html|${BDA_WEB_DIR}/src/overview.html"
  "/details|text/html|${BDA_WEB_DIR}/src/details.html"
  "/assets/app.css|text/css|${BDA_WEB_DIR}/src/app.css"
  "/assets/common.js|text/javascript|${BDA_WEB_DIR}/src/common.js"
  "/assets/overview.js|text/javascript|${BDA_WEB_DIR}/src/overview.js"
  "/assets/details.js|text/javascript|${BDA_WEB_DIR}/src/details.js"
  "/favicon.svg|image/svg+xml|${BDA_WEB_DIR}/src/favicon.svg"
  "/assets/echarts.min.js|text/javascript|${BDA_ECHARTS_FILE}")
# ECharts is Apache-2.0: its LICENSE and NOTICE travel with the binary.
if(NOT BDA_ECHARTS_JS OR EXISTS ${BDA_ECHARTS_LICENSE})
  list(APPEND BDA_WEB_ASSETS "/licenses/echarts.txt|text/plain|${BDA_ECHARTS_LICENSE}")
endif()
if(NOT BDA_ECHARTS_JS OR EXISTS ${BDA_ECHARTS_NOTICE})
  list(APPEND BDA_WEB_ASSETS "/licenses/echarts-notice.txt|text/plain|${BDA_ECHARTS_NOTICE}")
endif()
set(BDA_WEB_ASSET_FILES "")
foreach(entry IN LISTS BDA_WEB_ASSETS)
  string(REGEX REPLACE "^.*\\|" "" file "${entry}")
  list(APPEND BDA_WEB_ASSET_FILES ${file})
endforeach()
list(JOIN BDA_WEB_ASSETS "\n" BDA_WEB_MANIFEST)
file(CONFIGURE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/web_assets.manifest CONTENT "${BDA_WEB_MANIFEST}\n")

add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/embedded_assets_data.cpp
  COMMAND ${CMAKE_COMMAND} -DMANIFEST=${CMAKE_CURRENT_BINARY_DIR}/web_assets.manifest
          -DOUTPUT=${CMAKE_CURRENT_BINARY_DIR}/embedded_assets_data.cpp -P ${BDA_WEB_DIR}/embed_assets.cmake
  DEPENDS ${BDA_WEB_ASSET_FILES} ${CMAKE_CURRENT_BINARY_DIR}/web_assets.manifest ${BDA_WEB_DIR}/embed_assets.cmake
  COMMENT "Embedding the dashboard's pages and ECharts"
  VERBATIM)
# Long string literals are the point of this file (ISO C++ only promises 64 KiB).
set_source_files_properties(${CMAKE_CURRENT_BINARY_DIR}/embedded_assets_data.cpp
                            PROPERTIES COMPILE_OPTIONS -Wno-overlength-strings)

find_library(MYSQLCPPCONN_LIBRARY NAMES mysqlcppconn REQUIRED)
bda_module(dashboard
  SOURCES src/dashboard/access_control.cpp src/dashboard/api.cpp src/dashboard/connection_pool.cpp
          src/dashboard/dashboard_queries.cpp src/dashboard/dimensions.cpp src/dashboard/embedded_assets.cpp
          src/dashboard/http_server.cpp
          src/dashboard/request_params.cpp src/dashboard/sql_json.cpp ${CMAKE_CURRENT_BINARY_DIR}/embedded_assets_data.cpp
  DEPS bda::warehouse nlohmann_json::nlohmann_json
  PRIVATE_DEPS PkgConfig::BDA_HTTPLIB ${MYSQLCPPCONN_LIBRARY} Threads::Threads)
add_dependencies(bda_dashboard bda_echarts)
