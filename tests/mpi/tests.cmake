# MPI-layer tests, each run under mpiexec at several rank counts.
bda_add_mpi_test(mpi/mpi_record_shuffle_test RANKS 1 2 3 4)
bda_add_mpi_test(mpi/mpi_ordered_gather_test RANKS 1 2 3)
