// MPI return codes turned into exceptions (KaMPIng's THROW_IF_MPI_ERROR).
#pragma once

#include "bda/core/error.hpp"

#include <mpi.h>

#include <string>

namespace bda::mpi {

//! An MPI call failed; the message names the call and MPI's own error string.
class MpiError : public Error {
public:
  MpiError(const std::string& call, int code);
  int code() const { return code_; }

private:
  int code_;
};

} // namespace bda::mpi

//! Checks the return code of an MPI call (communicators use MPI_ERRORS_RETURN, see Environment).
#define THROW_IF_MPI_ERROR(call)                                                                                      \
  do {                                                                                                                \
    if (int bda_mpi_rc_ = (call); bda_mpi_rc_ != MPI_SUCCESS) throw ::bda::mpi::MpiError(#call, bda_mpi_rc_);         \
  } while (false)
