# Fault tests of every phase: a failure injected (test builds, BDA_FAULT_INJECTION) in plan, scan,
# reduce, gather, write and load, on rank 0 and on another rank, at 1-4 ranks, against the private
# MariaDB of the bda_db fixture. Without fault injection the test reports itself skipped (77).
add_test(NAME faults.phases
         COMMAND bash ${PROJECT_SOURCE_DIR}/tests/faults/phase_faults_test.sh ${PROJECT_BINARY_DIR}/bin
                 ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/test-db)
set_tests_properties(faults.phases PROPERTIES TIMEOUT 600 FIXTURES_REQUIRED bda_db RESOURCE_LOCK bda_db
                     SKIP_RETURN_CODE 77 ENVIRONMENT "${BDA_MPI_ENV}")

# Real failures after the scan or on some ranks only, and the output-path rule; no database needed.
add_test(NAME faults.agreed_errors
         COMMAND bash ${PROJECT_SOURCE_DIR}/tests/faults/agreed_errors_test.sh ${PROJECT_BINARY_DIR}/bin
                 ${PROJECT_SOURCE_DIR})
set_tests_properties(faults.agreed_errors PROPERTIES TIMEOUT 300 ENVIRONMENT "${BDA_MPI_ENV}")
