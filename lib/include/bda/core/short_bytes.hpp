// Strings of up to 16 bytes as two zero-padded 64-bit words, so that the hot paths compare and
// order them with a few integer operations instead of memcmp calls.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace bda {

static_assert(std::endian::native == std::endian::little, "short byte strings assume little-endian words");

struct ShortBytes {
  static constexpr std::size_t kMaxBytes = 16;
  std::uint64_t word[2] = {0, 0};

  ShortBytes() = default;
  //! The first min(16, s.size()) bytes of `s`, zero-padded. Equal words and equal sizes mean equal strings.
  explicit ShortBytes(std::string_view s) { std::memcpy(word, s.data(), s.size() < kMaxBytes ? s.size() : kMaxBytes); }

  bool operator==(const ShortBytes& o) const { return word[0] == o.word[0] && word[1] == o.word[1]; }
  //! The first 8 bytes as a number that orders like the bytes (unsigned, SPEC §4 order).
  std::uint64_t order_prefix() const { return __builtin_bswap64(word[0]); }
};

} // namespace bda
