#include "bda/mpi/job_status.hpp"

#include "bda/mpi/error.hpp"

#include <time.h>
#include <unistd.h>

#include <new>
#include <vector>

namespace bda::mpi {
namespace {

std::string message_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::bad_alloc&) {
    return "out of memory (run with more ranks, or on hosts with more memory)";
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

} // namespace

int exit_code_of(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const JobFailed& e) {
    return e.exit_code();
  } catch (const UsageError&) {
    return 2;
  } catch (...) {
    return 1;
  }
}

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown-host";
  return buf;
}

void idle_barrier(MPI_Comm comm) {
  MPI_Request request = MPI_REQUEST_NULL;
  THROW_IF_MPI_ERROR(MPI_Ibarrier(comm, &request));
  constexpr timespec kPoll{0, 1'000'000}; // 1 ms: unnoticeable after a step of seconds
  for (int done = 0;;) {
    THROW_IF_MPI_ERROR(MPI_Test(&request, &done, MPI_STATUS_IGNORE));
    if (done) return;
    ::nanosleep(&kPoll, nullptr);
  }
}

void agree_on_failure(MPI_Comm comm, const std::exception_ptr& local_error) {
  int rank = 0, size = 1;
  THROW_IF_MPI_ERROR(MPI_Comm_rank(comm, &rank));
  THROW_IF_MPI_ERROR(MPI_Comm_size(comm, &size));
  // The lowest failing rank speaks; rank `size` means nobody failed.
  int mine = local_error ? rank : size, first = size;
  THROW_IF_MPI_ERROR(MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm));
  if (first == size) return;

  int failures = local_error ? 1 : 0, total_failures = 0;
  THROW_IF_MPI_ERROR(MPI_Allreduce(&failures, &total_failures, 1, MPI_INT, MPI_SUM, comm));
  std::string message;
  int code = 1;
  if (rank == first) {
    message = message_of(local_error);
    code = exit_code_of(local_error);
    // A usage error that every rank shares (a bad option) needs no place; one seen by some ranks
    // only (a --config file readable on some hosts) does, as does every data error.
    if (size > 1 && (code != 2 || total_failures < size))
      message = "rank " + std::to_string(rank) + " on " + host_name() + ": " + message;
  }
  // Ship the message from `first` to everybody (small; a broadcast from the failing rank).
  int length = static_cast<int>(message.size());
  THROW_IF_MPI_ERROR(MPI_Bcast(&length, 1, MPI_INT, first, comm));
  THROW_IF_MPI_ERROR(MPI_Bcast(&code, 1, MPI_INT, first, comm));
  message.resize(static_cast<std::size_t>(length));
  THROW_IF_MPI_ERROR(MPI_Bcast(message.data(), length, MPI_CHAR, first, comm));
  if (total_failures > 1 && !(code == 2 && total_failures == size))
    message += " (" + std::to_string(total_failures - 1) + " more rank" + (total_failures > 2 ? "s" : "") +
               " failed too)";
  throw JobFailed(message, code);
}

} // namespace bda::mpi
