# The C++ loader (bda-etl --db-*) against the private MariaDB of the bda_db fixture.
foreach(t loader_load loader_failure daily_run)
  add_test(NAME warehouse.${t}
           COMMAND bash ${PROJECT_SOURCE_DIR}/tests/warehouse/${t}_test.sh ${PROJECT_BINARY_DIR}/bin
                   ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/test-db)
  set_tests_properties(warehouse.${t} PROPERTIES FIXTURES_REQUIRED bda_db RESOURCE_LOCK bda_db TIMEOUT 300
                       LABELS warehouse ENVIRONMENT "${BDA_MPI_ENV}")
endforeach()
