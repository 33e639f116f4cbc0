// The partial per-Contract aggregate: a plain, mergeable table (DuckDB AvgState style).
#pragma once

#include "bda/core/mapped_memory.hpp"
#include "bda/model/category.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bda {

//! One contract's state: five duration sums and, per category, the set of selected days with a
//! counted record (a bitset over day indices). Sums and sets merge exactly; nothing is final yet.
struct ContractState {
  std::array<std::int64_t, kCategoryCount> duration{};
};

//! One counted record on its way into a table.
struct PendingRecord {
  std::string_view contract;
  Category category = Category::Child;
  std::uint32_t day = 0;
  std::int64_t duration = 0;
};

//! One contract's records of one day, as a day checkpoint keeps them: `mask` bit c is set when the
//! day has a counted record of category index c, and duration[c] is their sum (0 without one).
struct DayRecord {
  std::string_view contract;
  std::uint32_t day = 0;
  std::uint8_t mask = 0;
  std::array<std::int64_t, kCategoryCount> duration{};
};

//! Rank-local hash table Contract -> ContractState plus per-category day bitsets, built for tables
//! far larger than the CPU caches. Rows sit in one array that never moves, each row holding its key
//! (inline up to 16 bytes, as real contracts are), sums and day words side by side; the open-addressing
//! index holds 8-byte slots (row number and 32 hash bits), so a lookup touches one slot line and one row.
//! add_batch() overlaps those two cache misses across a batch of records.
class ContractTable {
public:
  static constexpr std::size_t kInlineKeyBytes = 16;

  explicit ContractTable(std::uint32_t day_count);
  ContractTable(ContractTable&&) noexcept;
  ContractTable& operator=(ContractTable&&) noexcept;
  ~ContractTable();

  //! Adds one counted record seen on day `day` (an index into the DaySelection).
  void add(std::string_view contract, Category category, std::uint32_t day, std::int64_t duration);
  //! The same for many records, with the memory accesses of the batch overlapped (prefetched).
  void add_batch(const PendingRecord* records, std::size_t count);
  //! Building a table from contracts in key order (the k-way merge of day checkpoints): a row for a
  //! contract that follows every contract in the table, without a lookup. The caller checks the
  //! order; while a table is filled this way alone, sorted_rows() is 0, 1, 2, ...
  std::uint32_t append_row(std::string_view contract);
  //! Adds a day's records of one contract to its row.
  void add_day_record(std::uint32_t row, const DayRecord& record) {
    for (unsigned m = record.mask; m != 0; m &= m - 1) { // the categories present, usually one or two
      const auto c = static_cast<std::size_t>(__builtin_ctz(m));
      add_to_row(row, c, record.day, record.duration[c]);
    }
  }
  //! Empties the table and keeps its memory and index size, for a table refilled with about as
  //! many contracts (a day after day): no regrowth, no fresh pages to fault in.
  void clear();
  //! Folds another table over the same days into this one.
  void merge(const ContractTable& other);

  std::uint32_t day_count() const { return day_count_; }
  std::size_t words_per_category() const { return words_; }
  std::size_t size() const { return size_; }
  //! Bytes of memory the table holds (rows, index, long keys), for the memory budget.
  std::size_t memory_bytes() const;

  //! Valid until the next call that adds a contract.
  std::string_view key(std::size_t row) const;
  const ContractState& state(std::size_t row) const { return *reinterpret_cast<const ContractState*>(sums_of(row)); }
  //! The day bitset of `category` for `row`: words_per_category() words, bit d = day index d.
  const std::uint64_t* days(std::size_t row, Category category) const {
    return bits_of(row) + index_of(category) * words_;
  }
  //! Days with a counted record in any category.
  std::uint32_t date_count(std::size_t row) const;
  //! Bit c set when `row` has a counted record of category index c on day `day`.
  std::uint8_t day_mask(std::size_t row, std::uint32_t day) const {
    std::uint8_t mask = 0;
    for (std::size_t c = 0; c < kCategoryCount; ++c)
      if ((bits_of(row)[c * words_ + day / 64] >> (day % 64)) & 1u) mask |= static_cast<std::uint8_t>(1u << c);
    return mask;
  }
  //! Starts loading `row` into the cache: a reader walking rows in key order (not storage order)
  //! would otherwise wait for one memory access per row.
  void prefetch(std::size_t row) const {
    __builtin_prefetch(row_ptr(row));
    __builtin_prefetch(row_ptr(row) + stride_ - 1);
  }

  //! Row numbers sorted by key, as unsigned bytes (SPEC §4 order).
  std::vector<std::uint32_t> sorted_rows() const;

private:
  struct Key;
  struct LongKeys;

  // Row layout (stride_ bytes): u64 key words[2] | u32 key size | u32 unused | i64 sums[5] | u64 day words[5 * words_].
  // A key over 16 bytes lives in long_keys_; the first key word then holds its address.
  static constexpr std::size_t kSumsOffset = 24;
  char* row_ptr(std::size_t row) const { return rows_.data() + row * stride_; }
  std::int64_t* sums_of(std::size_t row) const { return reinterpret_cast<std::int64_t*>(row_ptr(row) + kSumsOffset); }
  std::uint64_t* bits_of(std::size_t row) const {
    return reinterpret_cast<std::uint64_t*>(row_ptr(row) + kSumsOffset + sizeof(ContractState));
  }

  bool row_has_key(std::size_t row, const Key& k) const;
  //! Before any lookup: rows appended without one enter the index, and the table stops being
  //! known to be in key order.
  void prepare_lookups() {
    rows_in_key_order_ = false;
    if (index_stale_) rebuild_index();
  }
  void rebuild_index();
  //! Looks up (inserting) the rows of a batch with their memory accesses overlapped, then calls
  //! update(row, record) for each.
  template <class Record, class Update>
  void for_each_row(const Record* records, std::size_t count, Update update);
  //! The row of `k`, inserting an empty one if it is new.
  std::uint32_t find_or_insert(const Key& k);
  //! The first row whose slot carries k's hash bits (or a new row): right unless 32 bits collide.
  std::uint32_t candidate_row(const Key& k);
  std::uint32_t insert_at(std::size_t slot, const Key& k);
  void rehash(std::size_t capacity);
  void add_to_row(std::uint32_t row, std::size_t category, std::uint32_t day, std::int64_t duration);
  void add_duration(std::uint32_t row, std::size_t category, std::int64_t duration);

  std::uint32_t day_count_;
  std::size_t words_;
  std::size_t stride_;
  std::size_t size_ = 0;
  ReservedArray rows_; // in first-seen order
  MappedBuffer slots_;   // u64: (hash >> 32) << 32 | (row + 1); 0 = empty
  std::size_t slot_mask_ = 0;
  std::unique_ptr<LongKeys> long_keys_;
  bool rows_in_key_order_ = true; // while filled only by append_row
  bool index_stale_ = false;       // rows appended by append_row are not in slots_ yet
};

} // namespace bda
