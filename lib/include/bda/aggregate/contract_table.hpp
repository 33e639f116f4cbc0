// The partial per-Contract aggregate: a plain, mergeable, serialisable table (DuckDB AvgState style).
#pragma once

#include "bda/transform/category.hpp"

#include <absl/container/flat_hash_map.h>

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

//! Rank-local hash table Contract -> ContractState plus per-category day bitsets. Each contract is
//! one arena entry holding its state, its day words and its key bytes side by side, so an update
//! touches the map slot and one entry (two or three cache lines) rather than four scattered arrays.
class ContractTable {
public:
  explicit ContractTable(std::uint32_t day_count);
  ContractTable(ContractTable&&) noexcept;
  ContractTable& operator=(ContractTable&&) noexcept;
  ~ContractTable();

  //! Adds one counted record seen on day `day` (an index into the DaySelection).
  void add(std::string_view contract, Category category, std::uint32_t day, std::int64_t duration);
  //! Hints that `contract` will be added soon: a batch of hints before a batch of add() calls
  //! overlaps the cache misses of a table far larger than the CPU caches.
  void prefetch(std::string_view contract) const { index_.prefetch(contract); }
  //! Folds another table over the same days into this one.
  void merge(const ContractTable& other);

  std::uint32_t day_count() const { return day_count_; }
  std::size_t words_per_category() const { return words_; }
  std::size_t size() const { return entries_.size(); }

  std::string_view key(std::size_t row) const;
  const ContractState& state(std::size_t row) const { return entries_[row]->state; }
  //! The day bitset of `category` for `row`: words_per_category() words, bit d = day index d.
  const std::uint64_t* days(std::size_t row, Category category) const {
    return day_words(entries_[row]) + index_of(category) * words_;
  }
  //! Days with a counted record in any category.
  std::uint32_t date_count(std::size_t row) const;

  //! Appends rows to `out` in a flat binary form (same-architecture ranks only).
  void serialize_rows(const std::vector<std::uint32_t>& rows, std::string& out) const;
  //! Merges rows written by serialize_rows() into this table; throws std::runtime_error on bad data.
  void merge_serialized(std::string_view bytes);

  //! Row numbers sorted by key, as unsigned bytes (SPEC §4 order).
  std::vector<std::uint32_t> sorted_rows() const;

private:
  struct Entry {
    ContractState state;
    std::uint32_t key_size = 0;
    // followed by kCategoryCount * words_ day words, then key_size key bytes
  };
  struct Arena;

  static std::uint64_t* day_words(Entry* e) { return reinterpret_cast<std::uint64_t*>(e + 1); }
  static const std::uint64_t* day_words(const Entry* e) { return reinterpret_cast<const std::uint64_t*>(e + 1); }
  Entry* entry_of(std::string_view contract);
  std::string_view key_of(const Entry* e) const;
  void add_duration(Entry* e, std::size_t category, std::int64_t duration);
  void merge_row(std::string_view key, const ContractState& state, const std::uint64_t* bits);

  std::uint32_t day_count_;
  std::size_t words_;
  std::unique_ptr<Arena> arena_;
  absl::flat_hash_map<std::string_view, Entry*> index_;
  std::vector<Entry*> entries_; // in first-seen order
};

} // namespace bda
