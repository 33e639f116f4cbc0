#include "bda/aggregate/contract_table.hpp"

#include "bda/core/error.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>

namespace bda {

//! Append-only, 8-byte aligned storage for entries; blocks never move, so pointers stay valid.
struct ContractTable::Arena {
  static constexpr std::size_t kBlockBytes = std::size_t{1} << 20;
  std::vector<std::unique_ptr<std::uint64_t[]>> blocks;
  std::vector<std::unique_ptr<std::uint64_t[]>> giants; // one per oversized entry
  std::size_t used = kBlockBytes; // bytes used in the last block

  void* allocate(std::size_t bytes) {
    bytes = (bytes + 7) & ~std::size_t{7};
    if (bytes > kBlockBytes / 4) { // a rare giant key gets a block of its own
      giants.push_back(std::make_unique<std::uint64_t[]>(bytes / 8));
      return giants.back().get();
    }
    if (used + bytes > kBlockBytes) {
      blocks.push_back(std::make_unique<std::uint64_t[]>(kBlockBytes / 8));
      used = 0;
    }
    void* p = reinterpret_cast<char*>(blocks.back().get()) + used;
    used += bytes;
    return p;
  }
};

ContractTable::ContractTable(std::uint32_t day_count)
    : day_count_(day_count), words_((std::max<std::uint32_t>(day_count, 1) + 63) / 64),
      arena_(std::make_unique<Arena>()) {}
ContractTable::ContractTable(ContractTable&&) noexcept = default;
ContractTable& ContractTable::operator=(ContractTable&&) noexcept = default;
ContractTable::~ContractTable() = default;

void ContractTable::add_duration(Entry* e, std::size_t category, std::int64_t duration) {
  // SPEC: sums are 64-bit. A sum past 2^63-1 is an error, never a silent wrap.
  if (__builtin_add_overflow(e->state.duration[category], duration, &e->state.duration[category]))
    throw DataQualityError("the " + std::string(kCategoryNames[category]) + " duration of contract '" +
                           std::string(key_of(e)) + "' exceeds the 64-bit range");
}

std::string_view ContractTable::key_of(const Entry* e) const {
  return {reinterpret_cast<const char*>(day_words(e) + kCategoryCount * words_), e->key_size};
}

std::string_view ContractTable::key(std::size_t row) const {
  return key_of(entries_[row]);
}

ContractTable::Entry* ContractTable::entry_of(std::string_view contract) {
  auto it = index_.find(contract);
  if (it != index_.end()) return it->second;
  const std::size_t words_bytes = kCategoryCount * words_ * sizeof(std::uint64_t);
  void* memory = arena_->allocate(sizeof(Entry) + words_bytes + contract.size());
  auto* e = new (memory) Entry{};
  e->key_size = static_cast<std::uint32_t>(contract.size());
  std::memset(day_words(e), 0, words_bytes);
  char* key_bytes = reinterpret_cast<char*>(day_words(e) + kCategoryCount * words_);
  std::memcpy(key_bytes, contract.data(), contract.size());
  index_.emplace(std::string_view(key_bytes, contract.size()), e);
  entries_.push_back(e);
  return e;
}

void ContractTable::add(std::string_view contract, Category category, std::uint32_t day, std::int64_t duration) {
  Entry* e = entry_of(contract);
  add_duration(e, index_of(category), duration);
  day_words(e)[index_of(category) * words_ + day / 64] |= std::uint64_t{1} << (day % 64);
}

void ContractTable::merge_row(std::string_view key, const ContractState& state, const std::uint64_t* bits) {
  Entry* e = entry_of(key);
  for (std::size_t c = 0; c < kCategoryCount; ++c) add_duration(e, c, state.duration[c]);
  std::uint64_t* dst = day_words(e);
  for (std::size_t w = 0; w < kCategoryCount * words_; ++w) dst[w] |= bits[w];
}

void ContractTable::merge(const ContractTable& other) {
  if (other.day_count_ != day_count_) throw std::invalid_argument("merging tables over different day sets");
  for (std::size_t row = 0; row < other.size(); ++row)
    merge_row(other.key(row), other.state(row), day_words(other.entries_[row]));
}

std::uint32_t ContractTable::date_count(std::size_t row) const {
  const std::uint64_t* bits = day_words(entries_[row]);
  std::uint32_t count = 0;
  for (std::size_t w = 0; w < words_; ++w) {
    std::uint64_t any = 0;
    for (std::size_t c = 0; c < kCategoryCount; ++c) any |= bits[c * words_ + w];
    count += static_cast<std::uint32_t>(std::popcount(any));
  }
  return count;
}

// Row layout: u32 key length, key bytes, 5 x i64 sums, 5 x words_ x u64 day bits.
void ContractTable::serialize_rows(const std::vector<std::uint32_t>& rows, std::string& out) const {
  const std::size_t bits_bytes = kCategoryCount * words_ * sizeof(std::uint64_t);
  for (std::uint32_t row : rows) {
    const std::string_view k = key(row);
    const auto len = static_cast<std::uint32_t>(k.size());
    out.append(reinterpret_cast<const char*>(&len), sizeof len);
    out.append(k);
    out.append(reinterpret_cast<const char*>(state(row).duration.data()), sizeof(ContractState::duration));
    out.append(reinterpret_cast<const char*>(day_words(entries_[row])), bits_bytes);
  }
}

void ContractTable::merge_serialized(std::string_view bytes) {
  const std::size_t bits_words = kCategoryCount * words_;
  std::vector<std::uint64_t> bits(bits_words);
  ContractState state;
  std::size_t pos = 0;
  auto take = [&](void* dst, std::size_t n) {
    if (bytes.size() - pos < n) throw std::runtime_error("truncated serialized contract rows");
    std::memcpy(dst, bytes.data() + pos, n);
    pos += n;
  };
  while (pos < bytes.size()) {
    std::uint32_t len = 0;
    take(&len, sizeof len);
    if (bytes.size() - pos < len) throw std::runtime_error("truncated serialized contract key");
    std::string_view k = bytes.substr(pos, len);
    pos += len;
    take(state.duration.data(), sizeof(ContractState::duration));
    take(bits.data(), bits_words * sizeof(std::uint64_t));
    for (std::int64_t d : state.duration)
      if (d < 0) throw std::runtime_error("serialized contract rows hold a negative duration");
    merge_row(k, state, bits.data());
  }
}

std::vector<std::uint32_t> ContractTable::sorted_rows() const {
  // Sort on a big-endian 8-byte prefix first: most comparisons end there, without touching
  // the entries, whose keys are scattered over the arena.
  struct SortKey {
    std::uint64_t prefix;
    std::string_view key;
    std::uint32_t row;
  };
  std::vector<SortKey> keys(entries_.size());
  for (std::uint32_t i = 0; i < keys.size(); ++i) {
    const std::string_view k = key(i);
    unsigned char bytes[8] = {};
    std::memcpy(bytes, k.data(), std::min<std::size_t>(8, k.size()));
    std::uint64_t prefix = 0;
    for (unsigned char b : bytes) prefix = (prefix << 8) | b;
    keys[i] = SortKey{prefix, k, i};
  }
  std::sort(keys.begin(), keys.end(), [](const SortKey& a, const SortKey& b) {
    return a.prefix != b.prefix ? a.prefix < b.prefix : a.key < b.key;
  });
  std::vector<std::uint32_t> rows(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) rows[i] = keys[i].row;
  return rows;
}

} // namespace bda
