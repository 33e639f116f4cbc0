# Cluster tests: the Slurm batch scripts under a private one-node Slurm, and bda-etl across network
# namespace "hosts". Both need root; slurm_sbatch installs slurmctld slurmd slurm-client munge if
# missing. Each script gets <bin dir> <source dir>; run one by hand with
#   bash tests/cluster/slurm_sbatch_test.sh build/bin .
add_test(NAME cluster.slurm_sbatch
         COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cluster/slurm_sbatch_test.sh ${PROJECT_BINARY_DIR}/bin ${PROJECT_SOURCE_DIR})
set_tests_properties(cluster.slurm_sbatch PROPERTIES TIMEOUT 300 RESOURCE_LOCK slurm)
add_test(NAME cluster.netns_mpirun
         COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cluster/netns_mpirun_test.sh ${PROJECT_BINARY_DIR}/bin ${PROJECT_SOURCE_DIR})
set_tests_properties(cluster.netns_mpirun PROPERTIES TIMEOUT 300 RESOURCE_LOCK netns)
# Faults need the warehouse fixture of tests/warehouse (a private MariaDB) for the run log checks.
add_test(NAME cluster.faults
         COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cluster/faults_test.sh ${PROJECT_BINARY_DIR}/bin
                 ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/test-db)
set_tests_properties(cluster.faults PROPERTIES TIMEOUT 300 FIXTURES_REQUIRED bda_db RESOURCE_LOCK bda_db
                     SKIP_RETURN_CODE 77)
