# End-to-end tests: real bda-etl / bda-gen binaries, real mpirun. Each script gets <bin dir> <source dir>.
bda_add_script_test(e2e.golden_lake e2e/golden_lake_test.sh)
bda_add_script_test(e2e.rank_invariance e2e/rank_invariance_test.sh)
bda_add_script_test(e2e.bad_input e2e/bad_input_test.sh)
bda_add_script_test(e2e.gzip_input e2e/gzip_input_test.sh)
bda_add_script_test(e2e.duckdb_crosscheck e2e/duckdb_crosscheck_test.sh)
bda_add_script_test(e2e.daily_checkpoints e2e/daily_checkpoints_test.sh)
# Exit 77 = the peer is not installed outside CI: ctest shows "Not Run (Skipped)", never "Passed".
set_tests_properties(e2e.duckdb_crosscheck PROPERTIES SKIP_RETURN_CODE 77)
