# bda-dashboard: only when lib/dashboard.cmake could build bda::dashboard (cpp-httplib, ECharts).
if(TARGET bda::dashboard)
  add_executable(bda-dashboard bda_dashboard/main.cpp bda_dashboard/dashboard_options.cpp)
  target_link_libraries(bda-dashboard PRIVATE bda::dashboard bda_cli)
  bda_setup_target(bda-dashboard)
endif()
