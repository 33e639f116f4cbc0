# MPI-layer tests, each run under mpiexec at several rank counts.
bda_add_mpi_test(mpi/mpi_record_shuffle_test RANKS 1 2 3 4)
bda_add_mpi_test(mpi/mpi_ordered_gather_test RANKS 1 2 3)
# Plain unit tests of the MPI layer's pieces that run before MPI_Init.
bda_add_test(mpi/launch_defaults_test bda::mpi)
