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
  explicit ShortBytes(std::string_view s) {
    const std::size_t n = s.size() < kMaxBytes ? s.size() : kMaxBytes;
    if (!load_within_page(s.data(), n)) std::memcpy(word, s.data(), n);
  }

  bool operator==(const ShortBytes& o) const { return word[0] == o.word[0] && word[1] == o.word[1]; }
  //! The first 8 bytes as a number that orders like the bytes (unsigned, SPEC §4 order).
  std::uint64_t order_prefix() const { return __builtin_bswap64(word[0]); }
  //! Bytes 8 to 15 the same way: (order_prefix, order_suffix) orders like the first 16 bytes.
  std::uint64_t order_suffix() const { return __builtin_bswap64(word[1]); }

private:
  // One 16-byte load and a mask instead of a variable-length memcpy call. The bytes past `n` that
  // are read lie on the same page as the string, so they are readable, and are masked off; the
  // sanitizers would still call them out of bounds, hence the attribute.
  __attribute__((no_sanitize("address"))) bool load_within_page(const char* p, std::size_t n) {
    constexpr std::uintptr_t kPage = 4096;
    if (n == 0) return true; // the words are zero already; `p` may be null
    if ((reinterpret_cast<std::uintptr_t>(p) & (kPage - 1)) > kPage - kMaxBytes) return false;
    std::uint64_t w[2];
    __builtin_memcpy(w, p, sizeof w);
    if (n < 8) {
      word[0] = w[0] & (~std::uint64_t{0} >> (64 - 8 * n));
      word[1] = 0;
    } else {
      word[0] = w[0];
      word[1] = n == 8 ? 0 : n == 16 ? w[1] : w[1] & (~std::uint64_t{0} >> (64 - 8 * (n - 8)));
    }
    return true;
  }
};

} // namespace bda
