#include "bda/mpi/record_shuffle.hpp"

#include "bda/mpi/error.hpp"
#include "bda/mpi/job_status.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace bda::mpi {
namespace {

constexpr int kRecordsTag = 1, kEndTag = 2;
// Wire form of a record: u32 day, i64 duration, u16 key size, u8 category, key bytes.
constexpr std::size_t kRecordHeader = 4 + 8 + 2 + 1;
// Arrivals are looked for every this many records (a few hundred microseconds of scanning).
constexpr std::size_t kPollRecords = 4096;
// This rank's own records are merged in batches of this many bytes (about 300 records: one
// add_batch's worth, still in the L1 cache).
constexpr std::size_t kOwnBatchBytes = 8 << 10;
// The own table's memory is checked whenever it has grown by this many contracts.
constexpr std::size_t kMemoryCheckContracts = 1 << 16;

std::string megabytes(std::size_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MB"; }

class Timer {
public:
  explicit Timer(double& total) : total_(total) {}
  ~Timer() { total_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

private:
  double& total_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

} // namespace

//! Two buffers per destination: one fills while the other is on its way. This rank's own records
//! pass through `filling` too, in batches of `cap` bytes.
struct RecordShuffle::Outbox {
  std::size_t cap = 0;
  std::string filling;
  std::string sending;
  MPI_Request request = MPI_REQUEST_NULL;
};

RecordShuffle::RecordShuffle(MPI_Comm comm, KeyRanges ranges, ContractTable& owned, const ShuffleConfig& config)
    : ranges_(std::move(ranges)), owned_(owned), config_(config) {
  THROW_IF_MPI_ERROR(MPI_Comm_dup(comm, &comm_));
  THROW_IF_MPI_ERROR(MPI_Comm_rank(comm_, &rank_));
  THROW_IF_MPI_ERROR(MPI_Comm_size(comm_, &size_));
  out_.resize(static_cast<std::size_t>(size_));
  // At most buffer_bytes fill at once (and as much is in flight); messages stay far below 2 GiB.
  buffer_cap_ = std::clamp<std::size_t>(config_.buffer_bytes / static_cast<std::size_t>(std::max(size_ - 1, 1)), 1,
                                        ShuffleConfig::kMaxMessageBytes);
  for (Outbox& o : out_) o.cap = buffer_cap_;
  out_[static_cast<std::size_t>(rank_)].cap = kOwnBatchBytes;
}

RecordShuffle::~RecordShuffle() {
  // Only after an MPI error can a send still be pending here; cancel rather than leave it dangling.
  for (Outbox& o : out_)
    if (o.request != MPI_REQUEST_NULL) {
      MPI_Cancel(&o.request);
      MPI_Request_free(&o.request);
    }
  if (comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
}

void RecordShuffle::add(std::string_view contract, Category category, std::uint32_t day, std::int64_t duration) {
  // Every record, this rank's own included, is appended to its owner's buffer: no branch on the
  // owner (at 2 ranks a coin flip the CPU mispredicts half the time). The own buffer is merged
  // into the table whenever it holds about one add_batch's worth.
  const std::size_t owner = size_ == 1 ? 0 : ranges_.owner_of(contract);
  if (contract.size() > UINT16_MAX) throw std::length_error("contract key too long for the shuffle");
  std::string& b = out_[owner].filling;
  char header[kRecordHeader];
  const auto size = static_cast<std::uint16_t>(contract.size());
  const auto cat = static_cast<std::uint8_t>(category);
  std::memcpy(header, &day, 4);
  std::memcpy(header + 4, &duration, 8);
  std::memcpy(header + 12, &size, 2);
  std::memcpy(header + 14, &cat, 1);
  b.append(header, kRecordHeader);
  b.append(contract);
  if (b.size() >= out_[owner].cap) {
    if (owner == static_cast<std::size_t>(rank_)) {
      merge_own();
    } else {
      Timer timer(stats_.seconds);
      send(owner, kRecordsTag);
    }
  }
  if (size_ > 1 && ++adds_since_poll_ >= kPollRecords) {
    adds_since_poll_ = 0;
    Timer timer(stats_.seconds);
    poll();
  }
  if (error_) std::rethrow_exception(error_);
  if (peer_failed_) throw ScanStopped{};
}

void RecordShuffle::merge_own() {
  std::string& own = out_[static_cast<std::size_t>(rank_)].filling;
  struct ClearAfter {
    std::string& bytes;
    ~ClearAfter() { bytes.clear(); } // also when a sum overflows: the batch is gone either way
  } clear_after{own};
  merge_received(own);
  if (owned_.size() >= next_memory_check_) check_memory();
}

void RecordShuffle::flush() { merge_own(); }

void RecordShuffle::send(std::size_t owner, int tag) {
  Outbox& o = out_[owner];
  // The previous buffer must be on its way before this one goes; serve arrivals meanwhile, since the
  // receiver may be waiting for us just the same.
  for (int done = 0; o.request != MPI_REQUEST_NULL;) {
    THROW_IF_MPI_ERROR(MPI_Test(&o.request, &done, MPI_STATUS_IGNORE));
    if (!done) poll();
  }
  std::swap(o.filling, o.sending);
  o.filling.clear();
  if (tag == kRecordsTag) {
    stats_.bytes_sent += o.sending.size();
    ++stats_.messages;
  }
  THROW_IF_MPI_ERROR(MPI_Isend(o.sending.data(), static_cast<int>(o.sending.size()), MPI_BYTE, static_cast<int>(owner),
                               tag, comm_, &o.request));
}

void RecordShuffle::poll() {
  for (;;) {
    int arrived = 0;
    MPI_Status status;
    THROW_IF_MPI_ERROR(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &arrived, &status));
    if (!arrived) return;
    int count = 0;
    THROW_IF_MPI_ERROR(MPI_Get_count(&status, MPI_BYTE, &count));
    in_.resize(static_cast<std::size_t>(count));
    THROW_IF_MPI_ERROR(MPI_Recv(in_.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, comm_, MPI_STATUS_IGNORE));
    if (status.MPI_TAG == kEndTag) { // one byte: 1 if the sender failed, so the others stop early
      ++ends_received_;
      peer_failed_ = peer_failed_ || (!in_.empty() && in_[0] == 1);
      continue;
    }
    stats_.bytes_received += in_.size();
    if (error_) continue; // after a failure arrivals are only drained
    // Where two ranks' records meet: a sum past 2^63-1 shows here, as can the memory limit.
    try {
      merge_received(in_);
      check_memory();
    } catch (...) {
      error_ = std::current_exception();
    }
  }
}

void RecordShuffle::finish(std::exception_ptr local_error) {
  {
    Timer timer(stats_.seconds);
    if (!local_error && !error_) {
      try {
        flush();
        check_memory();
      } catch (...) {
        local_error = std::current_exception();
      }
    }
    // Each owner gets what is left, then an end mark; arrivals are merged until every rank's end
    // mark is in and every send has completed.
    const char failed = (local_error || error_) ? 1 : 0;
    for (std::size_t r = 0; r < out_.size(); ++r) {
      if (r == static_cast<std::size_t>(rank_)) continue;
      if (!out_[r].filling.empty()) send(r, kRecordsTag);
      out_[r].filling.assign(1, failed);
      send(r, kEndTag);
    }
    for (bool sending = true; sending || ends_received_ < size_ - 1;) {
      poll();
      sending = false;
      for (Outbox& o : out_) {
        int done = 1;
        if (o.request != MPI_REQUEST_NULL) THROW_IF_MPI_ERROR(MPI_Test(&o.request, &done, MPI_STATUS_IGNORE));
        sending = sending || !done;
      }
    }
  }
  agree_on_failure(comm_, local_error ? local_error : error_);
}

void RecordShuffle::merge_received(const std::string& bytes) {
  PendingRecord batch[TableSink::kBatchRecords];
  std::size_t n = 0;
  for (std::size_t pos = 0; pos < bytes.size();) {
    if (bytes.size() - pos < kRecordHeader) throw std::runtime_error("truncated shuffled record");
    PendingRecord& r = batch[n];
    std::uint16_t size = 0;
    std::uint8_t cat = 0;
    std::memcpy(&r.day, bytes.data() + pos, 4);
    std::memcpy(&r.duration, bytes.data() + pos + 4, 8);
    std::memcpy(&size, bytes.data() + pos + 12, 2);
    std::memcpy(&cat, bytes.data() + pos + 14, 1);
    pos += kRecordHeader;
    if (bytes.size() - pos < size || cat >= kCategoryCount || r.day >= owned_.day_count())
      throw std::runtime_error("corrupt shuffled record");
    r.category = static_cast<Category>(cat);
    r.contract = std::string_view(bytes.data() + pos, size);
    pos += size;
    if (++n == TableSink::kBatchRecords) {
      owned_.add_batch(batch, n);
      n = 0;
    }
  }
  owned_.add_batch(batch, n);
}

void RecordShuffle::check_memory() {
  next_memory_check_ = owned_.size() + kMemoryCheckContracts;
  // Two buffers per destination fill or travel, one arrival is merged.
  const std::size_t used = owned_.memory_bytes() + 2 * config_.buffer_bytes + buffer_cap_;
  if (config_.memory_limit_bytes == 0 || used <= config_.memory_limit_bytes) return;
  throw Error("this rank's share of the contracts (" + std::to_string(owned_.size()) + " so far, " +
              megabytes(used) + " with the shuffle buffers) exceeds --memory-mb " +
              std::to_string(config_.memory_limit_bytes >> 20) + "; the job needs more ranks or --memory-mb");
}

} // namespace bda::mpi
