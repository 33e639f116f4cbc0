# Dashboard tests: unit tests of the API's checks, and bda-dashboard in a real browser (Debian's
# headless Chromium driven by playwright-core from npm) against the private MariaDB of the bda_db
# fixture (tests/warehouse/tests.cmake). A missing chromium, node or npm fails the test, never skips it.
if(TARGET bda::dashboard)
  # Like bda_add_test, but named web.* so that `ctest -R web` runs every dashboard test.
  add_executable(request_params_test web/request_params_test.cpp)
  target_link_libraries(request_params_test PRIVATE bda::dashboard bda_catch_main)
  bda_setup_target(request_params_test)
  set_target_properties(request_params_test PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  add_test(NAME web.request_params COMMAND request_params_test)
  add_executable(access_control_test web/access_control_test.cpp)
  target_link_libraries(access_control_test PRIVATE bda::dashboard bda_catch_main)
  bda_setup_target(access_control_test)
  set_target_properties(access_control_test PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  add_test(NAME web.access_control COMMAND access_control_test)
  add_test(NAME web.dashboard
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/dashboard_test.sh ${PROJECT_BINARY_DIR}/bin ${PROJECT_SOURCE_DIR}
                   ${PROJECT_BINARY_DIR}/test-db)
  set_tests_properties(web.dashboard PROPERTIES FIXTURES_REQUIRED bda_db RESOURCE_LOCK bda_db TIMEOUT 300 LABELS web
                       ENVIRONMENT "${BDA_MPI_ENV}")
  # Login, Host allow-list, methods, sizes, error bodies, slow clients: no warehouse needed.
  add_test(NAME web.dashboard_access
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/dashboard_access_test.sh ${PROJECT_BINARY_DIR}/bin ${PROJECT_SOURCE_DIR})
  set_tests_properties(web.dashboard_access PROPERTIES TIMEOUT 120 LABELS web)
  add_test(NAME web.dashboard_plans
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/dashboard_plans_test.sh ${PROJECT_BINARY_DIR}/bin ${PROJECT_SOURCE_DIR}
                   ${PROJECT_BINARY_DIR}/test-db)
  set_tests_properties(web.dashboard_plans PROPERTIES FIXTURES_REQUIRED bda_db RESOURCE_LOCK bda_db TIMEOUT 300
                       LABELS web ENVIRONMENT "${BDA_MPI_ENV}")
else()
  add_test(NAME web.dashboard
           COMMAND bash -c "echo 'FAIL: bda-dashboard was not built: CMake found no cpp-httplib (apt-get install libcpp-httplib-dev pkg-config) or no npm to fetch ECharts (apt-get install npm), see its warning' >&2 && exit 1")
  set_tests_properties(web.dashboard PROPERTIES LABELS web)
endif()
