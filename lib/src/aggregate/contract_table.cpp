#include "bda/aggregate/contract_table.hpp"

#include "bda/core/error.hpp"
#include "bda/core/short_bytes.hpp"

#include <absl/hash/hash.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <new>
#include <stdexcept>

namespace bda {
namespace {


constexpr std::size_t kMinCapacity = 1024;
// Linear probing stays short below this load (number of rows / slots).
constexpr std::size_t kMaxLoadPercent = 70;
// Address space reserved for rows; only what is used costs memory.
constexpr std::size_t kRowReservationBytes = std::size_t{1} << 38;
// Records of a batch whose index slots and rows are fetched together.
constexpr std::size_t kBatch = 32;

std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 32;
  h *= 0xBF58476D1CE4E5B9ULL;
  h ^= h >> 29;
  return h;
}

} // namespace

//! A contract as the index compares it: inline keys as two zero-padded words, a hash for all.
struct ContractTable::Key {
  std::string_view text;
  ShortBytes bytes;
  std::uint64_t hash = 0;

  Key() = default;
  explicit Key(std::string_view k) : text(k) {
    if (k.size() <= kInlineKeyBytes) {
      bytes = ShortBytes(k);
      hash = mix(bytes.word[0] * 0x9E3779B97F4A7C15ULL ^ (bytes.word[1] + k.size()) * 0xC2B2AE3D27D4EB4FULL);
    } else {
      hash = mix(absl::Hash<std::string_view>{}(k));
    }
  }
  std::uint32_t tag() const { return static_cast<std::uint32_t>(hash >> 32); }
};

//! Storage for the rare keys over 16 bytes; blocks never move, so rows can point into them.
struct ContractTable::LongKeys {
  static constexpr std::size_t kBlockBytes = std::size_t{1} << 20;
  std::vector<std::unique_ptr<char[]>> blocks;
  std::size_t used = kBlockBytes;
  std::size_t bytes = 0;

  const char* store(std::string_view k) {
    if (k.size() > kBlockBytes) throw std::length_error("contract key longer than a key block");
    if (used + k.size() > kBlockBytes) {
      blocks.push_back(std::make_unique<char[]>(kBlockBytes));
      used = 0;
      bytes += kBlockBytes;
    }
    char* p = blocks.back().get() + used;
    std::memcpy(p, k.data(), k.size());
    used += k.size();
    return p;
  }
};

ContractTable::ContractTable(std::uint32_t day_count)
    : day_count_(day_count), words_((std::max<std::uint32_t>(day_count, 1) + 63) / 64),
      stride_(kSumsOffset + sizeof(ContractState) + kCategoryCount * words_ * sizeof(std::uint64_t)),
      rows_(kRowReservationBytes), long_keys_(std::make_unique<LongKeys>()) {
  rehash(kMinCapacity);
}
ContractTable::ContractTable(ContractTable&&) noexcept = default;
ContractTable& ContractTable::operator=(ContractTable&&) noexcept = default;
ContractTable::~ContractTable() = default;

void ContractTable::clear() {
  std::memset(rows_.data(), 0, size_ * stride_); // rows start zero-filled (insert_at, append_row)
  std::memset(slots_.data(), 0, slots_.size());
  size_ = 0;
  long_keys_ = std::make_unique<LongKeys>();
  rows_in_key_order_ = true;
  index_stale_ = false;
}

std::size_t ContractTable::memory_bytes() const {
  return size_ * stride_ + slots_.size() + long_keys_->bytes;
}

std::string_view ContractTable::key(std::size_t row) const {
  const char* r = row_ptr(row);
  std::uint32_t size = 0;
  std::memcpy(&size, r + 16, sizeof size);
  if (size <= kInlineKeyBytes) return {r, size};
  const char* text = nullptr;
  std::memcpy(&text, r, sizeof text);
  return {text, size};
}

bool ContractTable::row_has_key(std::size_t row, const Key& k) const {
  const char* r = row_ptr(row);
  std::uint32_t size = 0;
  std::memcpy(&size, r + 16, sizeof size);
  if (size != k.text.size()) return false;
  if (size <= kInlineKeyBytes) {
    ShortBytes stored;
    std::memcpy(stored.word, r, sizeof stored.word);
    return stored == k.bytes;
  }
  const char* text = nullptr;
  std::memcpy(&text, r, sizeof text);
  return std::memcmp(text, k.text.data(), size) == 0;
}

std::uint32_t ContractTable::insert_at(std::size_t slot, const Key& k) {
  if (size_ >= UINT32_MAX - 1) throw std::length_error("more than 2^32-2 contracts on one rank");
  const auto row = static_cast<std::uint32_t>(size_);
  rows_.ensure((size_ + 1) * stride_); // zero-filled: empty sums and day sets
  char* r = row_ptr(row);
  const auto size = static_cast<std::uint32_t>(k.text.size());
  if (size <= kInlineKeyBytes) {
    std::memcpy(r, k.bytes.word, sizeof k.bytes.word);
  } else {
    const char* text = long_keys_->store(k.text);
    std::memcpy(r, &text, sizeof text);
  }
  std::memcpy(r + 16, &size, sizeof size);
  new (r + kSumsOffset) ContractState{};
  static_cast<std::uint64_t*>(slots_.data())[slot] = (k.hash >> 32 << 32) | (std::uint64_t{row} + 1);
  ++size_;
  if (size_ * 100 > (slot_mask_ + 1) * kMaxLoadPercent) rehash((slot_mask_ + 1) * 2);
  return row;
}

std::uint32_t ContractTable::find_or_insert(const Key& k) {
  const auto* slots = static_cast<const std::uint64_t*>(slots_.data());
  for (std::size_t i = k.hash & slot_mask_;; i = (i + 1) & slot_mask_) {
    const std::uint64_t s = slots[i];
    if (s == 0) return insert_at(i, k);
    if (static_cast<std::uint32_t>(s >> 32) == k.tag()) {
      const auto row = static_cast<std::uint32_t>(s) - 1;
      if (row_has_key(row, k)) return row;
    }
  }
}

std::uint32_t ContractTable::candidate_row(const Key& k) {
  const auto* slots = static_cast<const std::uint64_t*>(slots_.data());
  for (std::size_t i = k.hash & slot_mask_;; i = (i + 1) & slot_mask_) {
    const std::uint64_t s = slots[i];
    if (s == 0) return insert_at(i, k); // no slot with these hash bits: the contract is new
    if (static_cast<std::uint32_t>(s >> 32) == k.tag()) return static_cast<std::uint32_t>(s) - 1;
  }
}

void ContractTable::rehash(std::size_t capacity) {
  MappedBuffer fresh(capacity * sizeof(std::uint64_t));
  auto* slots = static_cast<std::uint64_t*>(fresh.data());
  const std::size_t mask = capacity - 1;
  // Rows are read in order; their home slots, scattered, are fetched a batch ahead.
  std::uint64_t hashes[kBatch];
  for (std::size_t at = 0; at < size_; at += kBatch) {
    const std::size_t n = std::min(kBatch, size_ - at);
    for (std::size_t i = 0; i < n; ++i) {
      hashes[i] = Key(key(at + i)).hash;
      __builtin_prefetch(slots + (hashes[i] & mask), 1);
    }
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t s = hashes[i] & mask;
      while (slots[s] != 0) s = (s + 1) & mask;
      slots[s] = (hashes[i] >> 32 << 32) | (std::uint64_t{at + i} + 1);
    }
  }
  slots_ = std::move(fresh);
  slot_mask_ = mask;
}

void ContractTable::add_duration(std::uint32_t row, std::size_t category, std::int64_t duration) {
  // SPEC: sums are 64-bit. A sum past 2^63-1 is an error, never a silent wrap.
  std::int64_t& sum = sums_of(row)[category];
  if (__builtin_add_overflow(sum, duration, &sum))
    throw DataQualityError("the " + std::string(kCategoryNames[category]) + " duration of contract '" +
                           std::string(key(row)) + "' exceeds the 64-bit range");
}

void ContractTable::add_to_row(std::uint32_t row, std::size_t category, std::uint32_t day, std::int64_t duration) {
  add_duration(row, category, duration);
  bits_of(row)[category * words_ + day / 64] |= std::uint64_t{1} << (day % 64);
}

void ContractTable::add(std::string_view contract, Category category, std::uint32_t day, std::int64_t duration) {
  prepare_lookups();
  add_to_row(find_or_insert(Key(contract)), index_of(category), day, duration);
}

template <class Record, class Update>
void ContractTable::for_each_row(const Record* records, std::size_t count, Update update) {
  Key keys[kBatch];
  std::uint32_t rows[kBatch];
  for (std::size_t at = 0; at < count; at += kBatch) {
    const std::size_t n = std::min(kBatch, count - at);
    const Record* batch = records + at;
    // 1: hash every key and fetch its home slot.
    for (std::size_t i = 0; i < n; ++i) {
      keys[i] = Key(batch[i].contract);
      __builtin_prefetch(static_cast<const std::uint64_t*>(slots_.data()) + (keys[i].hash & slot_mask_));
    }
    // 2: the row each slot chain points to, by hash bits alone (a new contract gets its row now); fetch it.
    for (std::size_t i = 0; i < n; ++i) {
      rows[i] = candidate_row(keys[i]);
      const char* r = row_ptr(rows[i]);
      __builtin_prefetch(r, 1);
      __builtin_prefetch(r + stride_ - 1, 1);
    }
    // 3: check the key (a 32-bit hash collision takes the full lookup) and update.
    for (std::size_t i = 0; i < n; ++i) {
      if (!row_has_key(rows[i], keys[i])) rows[i] = find_or_insert(keys[i]);
      update(rows[i], batch[i]);
    }
  }
}

void ContractTable::add_batch(const PendingRecord* records, std::size_t count) {
  prepare_lookups();
  for_each_row(records, count, [this](std::uint32_t row, const PendingRecord& r) {
    add_to_row(row, index_of(r.category), r.day, r.duration);
  });
}

std::uint32_t ContractTable::append_row(std::string_view contract) {
  if (!rows_in_key_order_) throw std::logic_error("append_row on a table filled by lookups");
  if (size_ >= UINT32_MAX - 1) throw std::length_error("more than 2^32-2 contracts on one rank");
  const auto row = static_cast<std::uint32_t>(size_);
  rows_.ensure((size_ + 1) * stride_); // zero-filled: empty sums and day sets
  char* r = row_ptr(row);
  const auto size = static_cast<std::uint32_t>(contract.size());
  if (size <= kInlineKeyBytes) {
    const ShortBytes bytes(contract);
    std::memcpy(r, bytes.word, sizeof bytes.word);
  } else {
    const char* text = long_keys_->store(contract);
    std::memcpy(r, &text, sizeof text);
  }
  std::memcpy(r + 16, &size, sizeof size);
  ++size_;
  index_stale_ = true;
  return row;
}

void ContractTable::rebuild_index() {
  std::size_t capacity = kMinCapacity;
  while (size_ * 100 > capacity * kMaxLoadPercent) capacity *= 2;
  rehash(capacity);
  index_stale_ = false;
}

void ContractTable::merge(const ContractTable& other) {
  if (other.day_count_ != day_count_) throw std::invalid_argument("merging tables over different day sets");
  prepare_lookups();
  struct OtherRow {
    std::string_view contract;
    std::uint32_t row;
  };
  std::vector<OtherRow> batch;
  for (std::size_t at = 0; at < other.size(); at += kBatch * 8) {
    batch.clear();
    for (std::size_t row = at; row < std::min(other.size(), at + kBatch * 8); ++row)
      batch.push_back({other.key(row), static_cast<std::uint32_t>(row)});
    for_each_row(batch.data(), batch.size(), [&](std::uint32_t row, const OtherRow& o) {
      const ContractState& state = other.state(o.row);
      for (std::size_t c = 0; c < kCategoryCount; ++c) add_duration(row, c, state.duration[c]);
      const std::uint64_t* bits = other.bits_of(o.row);
      std::uint64_t* dst = bits_of(row);
      for (std::size_t w = 0; w < kCategoryCount * words_; ++w) dst[w] |= bits[w];
    });
  }
}

std::uint32_t ContractTable::date_count(std::size_t row) const {
  const std::uint64_t* bits = bits_of(row);
  std::uint32_t count = 0;
  for (std::size_t w = 0; w < words_; ++w) {
    std::uint64_t any = 0;
    for (std::size_t c = 0; c < kCategoryCount; ++c) any |= bits[c * words_ + w];
    count += static_cast<std::uint32_t>(std::popcount(any));
  }
  return count;
}

std::vector<std::uint32_t> ContractTable::sorted_rows() const {
  // Sort on the first 16 bytes as two big-endian words: real contracts are shorter, so the words
  // and the size decide every comparison without touching the rows (an 8-byte prefix ties for
  // most neighbours, "DNH56185…", and each tie cost two cache misses).
  struct SortKey {
    std::uint64_t prefix;
    std::uint64_t suffix;
    std::uint32_t row;
    std::uint32_t size;
  };
  if (rows_in_key_order_) {
    std::vector<std::uint32_t> rows(size_);
    for (std::uint32_t i = 0; i < rows.size(); ++i) rows[i] = i;
    return rows;
  }
  std::vector<SortKey> keys(size_);
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    const std::string_view k = key(i);
    const ShortBytes bytes(k);
    keys[i] = SortKey{bytes.order_prefix(), bytes.order_suffix(), i, static_cast<std::uint32_t>(k.size())};
  }
  std::sort(keys.begin(), keys.end(), [this](const SortKey& a, const SortKey& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    if (a.suffix != b.suffix) return a.suffix < b.suffix;
    // Equal first 16 bytes (zero-padded): a key of at most 16 bytes is a prefix of the other one.
    if (a.size <= ShortBytes::kMaxBytes || b.size <= ShortBytes::kMaxBytes) return a.size < b.size;
    return key(a.row) < key(b.row);
  });
  std::vector<std::uint32_t> rows(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) rows[i] = keys[i].row;
  return rows;
}

} // namespace bda
