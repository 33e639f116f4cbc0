# ECharts, the chart library that bda-dashboard and bda-report embed in their binaries: one pinned
# copy from npm (web/package-lock.json), fetched at build time into the build tree, or a local
# echarts.min.js given with -DBDA_ECHARTS_JS=FILE for an offline build. Defines
#   BDA_ECHARTS_AVAILABLE                      false when neither npm nor BDA_ECHARTS_JS is there
#   BDA_ECHARTS_FILE, _PACKAGE, _LICENSE, _NOTICE  echarts.min.js, its package.json, LICENSE, NOTICE
#   target bda_echarts                         depend on it before embedding BDA_ECHARTS_FILE
set(BDA_ECHARTS_JS "" CACHE FILEPATH "A local echarts.min.js to embed instead of fetching ECharts with npm")
find_program(BDA_NPM npm)
set(BDA_ECHARTS_AVAILABLE TRUE)
if(BDA_ECHARTS_JS)
  get_filename_component(_bda_echarts_dist ${BDA_ECHARTS_JS} DIRECTORY)
  set(BDA_ECHARTS_FILE ${BDA_ECHARTS_JS})
  set(BDA_ECHARTS_PACKAGE ${_bda_echarts_dist}/../package.json)
  set(BDA_ECHARTS_LICENSE ${_bda_echarts_dist}/../LICENSE)
  set(BDA_ECHARTS_NOTICE ${_bda_echarts_dist}/../NOTICE)
  add_custom_target(bda_echarts)
elseif(BDA_NPM)
  set(_bda_npm_dir ${PROJECT_BINARY_DIR}/web-npm)
  set(_bda_echarts ${_bda_npm_dir}/node_modules/echarts)
  set(BDA_ECHARTS_FILE ${_bda_echarts}/dist/echarts.min.js)
  set(BDA_ECHARTS_PACKAGE ${_bda_echarts}/package.json)
  set(BDA_ECHARTS_LICENSE ${_bda_echarts}/LICENSE)
  set(BDA_ECHARTS_NOTICE ${_bda_echarts}/NOTICE)
  # npm dates package files to 1985, so they are touched to tell make the fetch is done.
  add_custom_command(
    OUTPUT ${BDA_ECHARTS_FILE} ${BDA_ECHARTS_PACKAGE} ${BDA_ECHARTS_LICENSE} ${BDA_ECHARTS_NOTICE}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${_bda_npm_dir}
    COMMAND ${CMAKE_COMMAND} -E copy ${PROJECT_SOURCE_DIR}/web/package.json ${PROJECT_SOURCE_DIR}/web/package-lock.json
            ${_bda_npm_dir}
    COMMAND ${BDA_NPM} ci --prefix ${_bda_npm_dir} --prefer-offline --no-audit --no-fund --ignore-scripts
            --loglevel=error
    COMMAND ${CMAKE_COMMAND} -E touch ${BDA_ECHARTS_FILE} ${BDA_ECHARTS_PACKAGE} ${BDA_ECHARTS_LICENSE}
            ${BDA_ECHARTS_NOTICE}
    DEPENDS ${PROJECT_SOURCE_DIR}/web/package.json ${PROJECT_SOURCE_DIR}/web/package-lock.json
    COMMENT "npm ci: ECharts (web/package-lock.json)"
    VERBATIM)
  # One target owns the fetch, so the dashboard and the report never run npm at the same time.
  add_custom_target(bda_echarts DEPENDS ${BDA_ECHARTS_FILE} ${BDA_ECHARTS_PACKAGE} ${BDA_ECHARTS_LICENSE}
                                        ${BDA_ECHARTS_NOTICE})
else()
  set(BDA_ECHARTS_AVAILABLE FALSE)
endif()
