#include "bda/aggregate/contract_table.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>

namespace bda {

//! Append-only storage for key bytes; blocks never move, so views into them stay valid.
struct ContractTable::Arena {
  static constexpr std::size_t kBlockBytes = std::size_t{1} << 20;
  std::vector<std::unique_ptr<char[]>> blocks;
  std::size_t used = kBlockBytes;

  std::string_view store(std::string_view s) {
    if (s.size() > kBlockBytes / 4) { // rare giant key: its own block
      blocks.push_back(std::make_unique<char[]>(s.size()));
      std::memcpy(blocks.back().get(), s.data(), s.size());
      return {blocks.back().get(), s.size()};
    }
    if (used + s.size() > kBlockBytes) {
      blocks.push_back(std::make_unique<char[]>(kBlockBytes));
      used = 0;
    }
    char* dst = blocks.back().get() + used;
    std::memcpy(dst, s.data(), s.size());
    used += s.size();
    return {dst, s.size()};
  }
};

ContractTable::ContractTable(std::uint32_t day_count)
    : day_count_(day_count), words_((std::max<std::uint32_t>(day_count, 1) + 63) / 64),
      arena_(std::make_unique<Arena>()) {}
ContractTable::ContractTable(ContractTable&&) noexcept = default;
ContractTable& ContractTable::operator=(ContractTable&&) noexcept = default;
ContractTable::~ContractTable() = default;

std::size_t ContractTable::row_of(std::string_view contract) {
  auto it = index_.find(contract);
  if (it != index_.end()) return it->second;
  const auto row = static_cast<std::uint32_t>(keys_.size());
  std::string_view stored = arena_->store(contract);
  index_.emplace(stored, row);
  keys_.push_back(stored);
  states_.emplace_back();
  day_bits_.resize(day_bits_.size() + kCategoryCount * words_, 0);
  return row;
}

void ContractTable::add(std::string_view contract, Category category, std::uint32_t day, std::int64_t duration) {
  const std::size_t row = row_of(contract);
  states_[row].duration[index_of(category)] += duration;
  mutable_days(row, index_of(category))[day / 64] |= std::uint64_t{1} << (day % 64);
}

void ContractTable::merge_row(std::string_view key, const ContractState& state, const std::uint64_t* bits) {
  const std::size_t row = row_of(key);
  for (std::size_t c = 0; c < kCategoryCount; ++c) states_[row].duration[c] += state.duration[c];
  std::uint64_t* dst = mutable_days(row, 0);
  for (std::size_t w = 0; w < kCategoryCount * words_; ++w) dst[w] |= bits[w];
}

void ContractTable::merge(const ContractTable& other) {
  if (other.day_count_ != day_count_) throw std::invalid_argument("merging tables over different day sets");
  for (std::size_t row = 0; row < other.size(); ++row)
    merge_row(other.keys_[row], other.states_[row], &other.day_bits_[row * kCategoryCount * words_]);
}

std::uint32_t ContractTable::date_count(std::size_t row) const {
  std::uint32_t count = 0;
  for (std::size_t w = 0; w < words_; ++w) {
    std::uint64_t any = 0;
    for (std::size_t c = 0; c < kCategoryCount; ++c) any |= day_bits_[(row * kCategoryCount + c) * words_ + w];
    count += static_cast<std::uint32_t>(std::popcount(any));
  }
  return count;
}

// Row layout: u32 key length, key bytes, 5 x i64 sums, 5 x words_ x u64 day bits.
void ContractTable::serialize_rows(const std::vector<std::uint32_t>& rows, std::string& out) const {
  const std::size_t bits_bytes = kCategoryCount * words_ * sizeof(std::uint64_t);
  for (std::uint32_t row : rows) {
    const std::string_view k = keys_[row];
    const auto len = static_cast<std::uint32_t>(k.size());
    out.append(reinterpret_cast<const char*>(&len), sizeof len);
    out.append(k);
    out.append(reinterpret_cast<const char*>(states_[row].duration.data()), sizeof(ContractState::duration));
    out.append(reinterpret_cast<const char*>(&day_bits_[row * kCategoryCount * words_]), bits_bytes);
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
    std::string_view key = bytes.substr(pos, len);
    pos += len;
    take(state.duration.data(), sizeof(ContractState::duration));
    take(bits.data(), bits_words * sizeof(std::uint64_t));
    merge_row(key, state, bits.data());
  }
}

std::vector<std::uint32_t> ContractTable::sorted_rows() const {
  std::vector<std::uint32_t> rows(keys_.size());
  for (std::uint32_t i = 0; i < rows.size(); ++i) rows[i] = i;
  std::sort(rows.begin(), rows.end(), [this](std::uint32_t a, std::uint32_t b) { return keys_[a] < keys_[b]; });
  return rows;
}

} // namespace bda
