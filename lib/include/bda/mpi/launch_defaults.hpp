// Open MPI settings bda-etl picks for itself before MPI_Init, only where the user has not.
#pragma once

namespace bda::mpi {

//! When mpirun started every rank on this one host (OMPI_COMM_WORLD_LOCAL_SIZE equals
//! OMPI_COMM_WORLD_SIZE) and OMPI_MCA_pml is not set, selects the ob1 PML: within a host it moves
//! messages through shared memory as UCX would, and it starts in a tenth of UCX's ~0.2 s (UCX
//! probes every network transport first). Jobs over several hosts are left alone. Call before
//! MPI_Init.
void choose_single_host_transport();

} // namespace bda::mpi
