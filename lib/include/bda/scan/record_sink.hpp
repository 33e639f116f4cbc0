// Where a scanner's counted records go: straight into a local table, or (in the MPI layer) on to
// the rank that owns the contract.
#pragma once

#include "bda/aggregate/contract_table.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace bda {

class RecordSink {
public:
  virtual ~RecordSink() = default;
  //! `contract` is only valid during the call.
  virtual void add(std::string_view contract, Category category, std::uint32_t day, std::int64_t duration) = 0;
  //! Delivers everything added so far (the end of a scan).
  virtual void flush() = 0;
};

//! Adds records to a ContractTable a batch at a time, so their cache misses overlap (add_batch).
class TableSink final : public RecordSink {
public:
  static constexpr std::size_t kBatchRecords = 256;

  explicit TableSink(ContractTable& table) : table_(table) { keys_.reserve(kBatchRecords * 32); }
  ~TableSink() override = default;

  void add(std::string_view contract, Category category, std::uint32_t day, std::int64_t duration) override {
    pending_[size_] = PendingRecord{{}, category, day, duration};
    spans_[size_++] = {keys_.size(), contract.size()};
    keys_.append(contract); // copied: the caller's text does not outlive the call
    if (size_ == kBatchRecords) flush();
  }
  void flush() override {
    for (std::size_t i = 0; i < size_; ++i)
      pending_[i].contract = std::string_view(keys_.data() + spans_[i].first, spans_[i].second);
    const std::size_t n = std::exchange(size_, 0); // a throwing add_batch (a sum past 2^63-1) leaves it empty
    struct ClearKeys {
      std::string& keys;
      ~ClearKeys() { keys.clear(); } // only after the batch: clear() writes over the first key byte
    } clear_after{keys_};
    table_.add_batch(pending_.data(), n);
  }
  ContractTable& table() { return table_; }

private:
  ContractTable& table_;
  std::string keys_;
  std::array<PendingRecord, kBatchRecords> pending_{};
  std::array<std::pair<std::size_t, std::size_t>, kBatchRecords> spans_{};
  std::size_t size_ = 0;
};

} // namespace bda
