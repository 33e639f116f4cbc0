# bda-report: the period report (HTML, PDF, XLSX) from the warehouse; see docs/report.md.
if(TARGET bda::report)
  add_executable(bda-report bda_report/main.cpp bda_report/report_options.cpp)
  target_link_libraries(bda-report PRIVATE bda::report bda_cli)
  bda_setup_target(bda-report)
endif()
