# bda-report and bda::report (docs/report.md): unit tests of the formatting and the written summary,
# and the end-to-end test against the private MariaDB of the bda_db fixture (tests/warehouse/tests.cmake),
# which also needs mpirun, chromium and poppler-utils.
if(TARGET bda::report)
  bda_add_test(${CMAKE_CURRENT_LIST_DIR}/report_format_test bda::report)
  bda_add_test(${CMAKE_CURRENT_LIST_DIR}/report_text_test bda::report)
endif()

if(TARGET bda-report)
  add_test(NAME web.report
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/report_test.sh ${PROJECT_BINARY_DIR}/bin ${PROJECT_SOURCE_DIR}
                   ${PROJECT_BINARY_DIR}/test-db)
  set_tests_properties(web.report PROPERTIES FIXTURES_REQUIRED bda_db RESOURCE_LOCK bda_db TIMEOUT 300
                       ENVIRONMENT "${BDA_MPI_ENV}" LABELS "web;warehouse")
endif()
