#include "bda/mpi/ordered_gather.hpp"

#include "bda/mpi/error.hpp"

#include <algorithm>
#include <climits>
#include <deque>
#include <exception>
#include <string>

namespace bda::mpi {
namespace {

constexpr int kBlockTag = 7301;
constexpr std::size_t kMaxMessageBytes = std::size_t{1} << 26; // below MPI's int count limit

} // namespace

std::uint64_t gather_in_rank_order(MPI_Comm comm, const std::function<void(const BlockSink&)>& produce,
                                   const BlockSink& consume, std::size_t send_ahead_bytes) {
  int rank = 0, size = 1;
  THROW_IF_MPI_ERROR(MPI_Comm_rank(comm, &rank));
  THROW_IF_MPI_ERROR(MPI_Comm_size(comm, &size));

  // A failure on either side still completes the message protocol (no rank left waiting); the
  // error is rethrown afterwards for the caller's agree_on_failure().
  std::exception_ptr error;
  if (rank != 0) {
    // Blocks in flight, oldest first; each stays alive until its send completes.
    struct InFlight {
      std::string bytes;
      MPI_Request request = MPI_REQUEST_NULL;
    };
    std::deque<InFlight> in_flight;
    std::size_t in_flight_bytes = 0;
    auto complete_oldest = [&] {
      THROW_IF_MPI_ERROR(MPI_Wait(&in_flight.front().request, MPI_STATUS_IGNORE));
      in_flight_bytes -= in_flight.front().bytes.size();
      in_flight.pop_front();
    };
    try {
      produce([&](std::string_view block) {
        while (!block.empty()) { // an empty message is the end marker, so never send one here
          const std::size_t n = std::min(block.size(), kMaxMessageBytes);
          InFlight& sent = in_flight.emplace_back();
          sent.bytes.assign(block.substr(0, n));
          in_flight_bytes += n;
          THROW_IF_MPI_ERROR(MPI_Isend(sent.bytes.data(), static_cast<int>(n), MPI_BYTE, 0, kBlockTag, comm,
                                       &sent.request));
          block.remove_prefix(n);
          while (in_flight_bytes > send_ahead_bytes) complete_oldest();
        }
      });
    } catch (...) {
      error = std::current_exception();
    }
    while (!in_flight.empty()) complete_oldest(); // rank 0 drains every block, even after a failure
    THROW_IF_MPI_ERROR(MPI_Send(nullptr, 0, MPI_BYTE, 0, kBlockTag, comm));
    if (error) std::rethrow_exception(error);
    return 0;
  }

  auto guarded_consume = [&](std::string_view block) {
    if (error) return; // keep draining after a failure, without writing
    try {
      consume(block);
    } catch (...) {
      error = std::current_exception();
    }
  };
  try {
    produce(guarded_consume);
  } catch (...) {
    error = std::current_exception();
  }
  std::uint64_t received = 0;
  std::string buffer;
  for (int source = 1; source < size; ++source) {
    for (;;) {
      MPI_Status status;
      THROW_IF_MPI_ERROR(MPI_Probe(source, kBlockTag, comm, &status));
      int count = 0;
      THROW_IF_MPI_ERROR(MPI_Get_count(&status, MPI_BYTE, &count));
      buffer.resize(static_cast<std::size_t>(count));
      THROW_IF_MPI_ERROR(MPI_Recv(buffer.data(), count, MPI_BYTE, source, kBlockTag, comm, MPI_STATUS_IGNORE));
      if (count == 0) break;
      received += static_cast<std::uint64_t>(count);
      guarded_consume(buffer);
    }
  }
  if (error) std::rethrow_exception(error);
  return received;
}

} // namespace bda::mpi
