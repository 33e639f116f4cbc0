// Collective failure agreement: every rank learns that some rank failed, rank 0 learns why.
#pragma once

#include "bda/core/error.hpp"

#include <mpi.h>

#include <exception>
#include <string>
#include <utility>

namespace bda::mpi {

//! Thrown on every rank when any rank failed; what() is the message rank 0 prints.
class JobFailed : public Error {
public:
  JobFailed(const std::string& message, int exit_code) : Error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

private:
  int exit_code_;
};

//! Exit code for an exception: 2 for UsageError, 1 otherwise.
int exit_code_of(const std::exception_ptr& error);

//! Collective. If any rank passes a non-null `local_error`, throws JobFailed on all ranks with the
//! lowest failing rank's message, prefixed with its rank and host when there are several ranks
//! (a usage error that every rank shares, such as a bad option, is not prefixed).
void agree_on_failure(MPI_Comm comm, const std::exception_ptr& local_error);

//! Runs `step` and returns what it threw (null: nothing), to be agreed on. A JobFailed was thrown
//! on every rank at once, so it passes through without another round.
template <typename Step>
std::exception_ptr local_outcome(Step&& step) {
  try {
    step();
  } catch (const JobFailed&) {
    throw;
  } catch (...) {
    return std::current_exception();
  }
  return nullptr;
}

//! Runs `step` and agrees on its outcome: the usual way to end a phase. A step may itself hold
//! collectives, as long as each of its local parts ends in an agreement too.
template <typename Step>
void run_collectively(MPI_Comm comm, Step&& step) {
  agree_on_failure(comm, local_outcome(std::forward<Step>(step)));
}

//! A barrier whose waiting ranks sleep between polls instead of spinning in MPI's progress loop.
void idle_barrier(MPI_Comm comm);

//! run_collectively for a long step that one rank does alone (the warehouse load): the other
//! ranks wait in idle_barrier, leaving their cores to it, before the failures are agreed.
template <typename Step>
void run_alone_collectively(MPI_Comm comm, Step&& step) {
  const std::exception_ptr error = local_outcome(std::forward<Step>(step));
  idle_barrier(comm);
  agree_on_failure(comm, error);
}

//! This process's host name.
std::string host_name();

} // namespace bda::mpi
