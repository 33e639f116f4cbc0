// bda-etl's own Open MPI defaults, decided from mpirun's environment before MPI_Init.
#include "bda/mpi/launch_defaults.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

namespace {

//! The environment as mpirun would leave it for one rank; OMPI_MCA_pml set only when `pml` is.
void launched(const char* world, const char* local, const char* pml) {
  ::setenv("OMPI_COMM_WORLD_SIZE", world, 1);
  ::setenv("OMPI_COMM_WORLD_LOCAL_SIZE", local, 1);
  if (pml)
    ::setenv("OMPI_MCA_pml", pml, 1);
  else
    ::unsetenv("OMPI_MCA_pml");
}

std::string pml() {
  const char* v = std::getenv("OMPI_MCA_pml");
  return v ? v : "(unset)";
}

} // namespace

TEST_CASE("Launch defaults: every rank on one host selects the ob1 PML", "[mpi]") {
  launched("2", "2", nullptr);
  bda::mpi::choose_single_host_transport();
  CHECK(pml() == "ob1");
}

TEST_CASE("Launch defaults: a job over several hosts keeps Open MPI's own choice", "[mpi]") {
  launched("4", "2", nullptr);
  bda::mpi::choose_single_host_transport();
  CHECK(pml() == "(unset)");
}

TEST_CASE("Launch defaults: the user's OMPI_MCA_pml wins", "[mpi]") {
  launched("2", "2", "ucx");
  bda::mpi::choose_single_host_transport();
  CHECK(pml() == "ucx");
}

TEST_CASE("Launch defaults: a process not started by mpirun is left alone", "[mpi]") {
  ::unsetenv("OMPI_COMM_WORLD_SIZE");
  ::unsetenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  ::unsetenv("OMPI_MCA_pml");
  bda::mpi::choose_single_host_transport();
  CHECK(pml() == "(unset)");
}
