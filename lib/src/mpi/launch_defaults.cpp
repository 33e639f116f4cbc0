#include "bda/mpi/launch_defaults.hpp"

#include <cstdlib>
#include <cstring>

namespace bda::mpi {

void choose_single_host_transport() {
  const char* world = std::getenv("OMPI_COMM_WORLD_SIZE");
  const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  if (!world || !local || std::strcmp(world, local) != 0) return; // several hosts, or not mpirun
  ::setenv("OMPI_MCA_pml", "ob1", /*overwrite=*/0);                // the user's choice wins
}

} // namespace bda::mpi
