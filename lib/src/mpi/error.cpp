#include "bda/mpi/error.hpp"

namespace bda::mpi {
namespace {

std::string describe(const std::string& call, int code) {
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  if (MPI_Error_string(code, text, &len) != MPI_SUCCESS) return call + " failed with MPI error " + std::to_string(code);
  return call + " failed: " + std::string(text, static_cast<std::size_t>(len));
}

} // namespace

MpiError::MpiError(const std::string& call, int code) : Error(describe(call, code)), code_(code) {}

} // namespace bda::mpi
