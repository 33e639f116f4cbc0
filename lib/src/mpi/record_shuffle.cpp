#include "bda/mpi/record_shuffle.hpp"

#include "bda/mpi/error.hpp"
#include "bda/mpi/job_status.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace bda::mpi {
namespace {

// Wire form of a record: u32 day, i64 duration, u16 key size, u8 category, key bytes.
constexpr std::size_t kRecordHeader = 4 + 8 + 2 + 1;
// The own table's memory is checked whenever it has grown by this many contracts.
constexpr std::size_t kMemoryCheckContracts = 1 << 16;

std::string megabytes(std::size_t bytes) { return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MB"; }

} // namespace

RecordShuffle::RecordShuffle(MPI_Comm comm, KeyRanges ranges, ContractTable& owned, const ShuffleConfig& config)
    : comm_(comm), ranges_(std::move(ranges)), owned_(owned), own_sink_(owned), config_(config) {
  THROW_IF_MPI_ERROR(MPI_Comm_rank(comm, &rank_));
  THROW_IF_MPI_ERROR(MPI_Comm_size(comm, &size_));
  out_.resize(static_cast<std::size_t>(size_));
  // A round carries at most buffer_bytes out of a rank and (about) as much into it.
  buffer_cap_ = std::max<std::size_t>(config_.buffer_bytes / static_cast<std::size_t>(std::max(size_ - 1, 1)), 1);
}

RecordShuffle::~RecordShuffle() = default;

void RecordShuffle::add(std::string_view contract, Category category, std::uint32_t day, std::int64_t duration) {
  const std::size_t owner = size_ == 1 ? 0 : ranges_.owner_of(contract);
  if (owner == static_cast<std::size_t>(rank_)) {
    own_sink_.add(contract, category, day, duration);
    if (owned_.size() >= next_memory_check_) check_memory();
    return;
  }
  if (contract.size() > UINT16_MAX) throw std::length_error("contract key too long for the shuffle");
  std::string& b = out_[owner];
  char header[kRecordHeader];
  const auto size = static_cast<std::uint16_t>(contract.size());
  const auto cat = static_cast<std::uint8_t>(category);
  std::memcpy(header, &day, 4);
  std::memcpy(header + 4, &duration, 8);
  std::memcpy(header + 12, &size, 2);
  std::memcpy(header + 14, &cat, 1);
  b.append(header, kRecordHeader);
  b.append(contract);
  if (b.size() >= buffer_cap_) {
    own_sink_.flush();
    round(false, nullptr);
  }
}

void RecordShuffle::flush() { own_sink_.flush(); }

void RecordShuffle::finish(std::exception_ptr local_error) {
  if (!local_error) {
    try {
      flush();
      check_memory();
    } catch (...) {
      local_error = std::current_exception();
    }
  }
  while (!round(true, local_error)) {
  }
}

bool RecordShuffle::round(bool done, const std::exception_ptr& local_error) {
  const auto start = std::chrono::steady_clock::now();
  agree_on_failure(comm_, local_error); // a failed rank ends the job here, on every rank
  int mine = done ? 1 : 0, everyone = 0;
  THROW_IF_MPI_ERROR(MPI_Allreduce(&mine, &everyone, 1, MPI_INT, MPI_LAND, comm_));

  exchange_partitions(comm_, out_, config_.max_message_bytes, in_);
  for (std::size_t r = 0; r < out_.size(); ++r) {
    if (r != static_cast<std::size_t>(rank_)) stats_.bytes_sent += out_[r].size();
    out_[r].clear();
  }
  stats_.bytes_received += in_.size();
  ++stats_.rounds;
  // Where two ranks' records meet (a sum past 2^63-1 shows here, as does the memory limit): agreed too.
  run_collectively(comm_, [&] {
    merge_received(in_);
    check_memory();
  });
  stats_.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return everyone != 0;
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
  const std::size_t used = owned_.memory_bytes() + config_.buffer_bytes * 2; // out + in
  next_memory_check_ = owned_.size() + kMemoryCheckContracts;
  if (config_.memory_limit_bytes == 0 || used <= config_.memory_limit_bytes) return;
  throw Error("this rank's share of the contracts (" + std::to_string(owned_.size()) + " so far, " +
              megabytes(used) + " with the shuffle buffers) exceeds --memory-mb " +
              std::to_string(config_.memory_limit_bytes >> 20) + "; the job needs more ranks or --memory-mb");
}

} // namespace bda::mpi
