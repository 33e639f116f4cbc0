// A self-contained PRNG (xoshiro256** seeded by splitmix64), so a seed means the same lake everywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

namespace bda {

//! splitmix64 step: a good 64-bit mix, used to seed and to derive independent streams.
constexpr std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

//! xoshiro256** (Blackman & Vigna). Integer-only helpers: std::uniform_*_distribution and libm
//! differ between libraries and CPUs, and the lake must not.
class Rng {
public:
  explicit constexpr Rng(std::uint64_t seed) {
    for (auto& s : s_) s = splitmix64(seed);
  }
  //! A stream for `key` that does not overlap the one of another key under the same seed.
  static constexpr Rng derived(std::uint64_t seed, std::uint64_t key) {
    std::uint64_t mixed = seed;
    return Rng(splitmix64(mixed) ^ (key * 0xD1B54A32D192ED03ULL));
  }

  constexpr std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  //! Uniform in [0, n) by multiply-shift (Lemire, without the rejection step: bias < n / 2^32).
  constexpr std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32);
  }
  //! Uniform in [lo, hi], both inclusive.
  constexpr std::uint32_t between(std::uint32_t lo, std::uint32_t hi) { return lo + below(hi - lo + 1); }
  //! Uniform in [0, 1) with 53 random bits; exact, so comparisons against a share are portable.
  constexpr double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  constexpr bool chance(double p) { return unit() < p; }

private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4] = {};
};

//! Fisher-Yates with Rng (std::shuffle's algorithm is unspecified, so its order is not portable).
template <typename Vec>
void shuffle_in_place(Vec& v, Rng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) {
    const std::size_t j = rng.below(static_cast<std::uint32_t>(i));
    std::swap(v[i - 1], v[j]);
  }
}

//! An item of a catalogue with `weight` members, drawn in proportion to the weights.
template <typename T>
const T& pick_weighted(std::span<const T> items, Rng& rng) {
  std::uint32_t total = 0;
  for (const T& item : items) total += item.weight;
  std::uint32_t r = rng.below(total);
  for (const T& item : items) {
    if (r < item.weight) return item;
    r -= item.weight;
  }
  return items.back();
}

//! One of a few literal choices, uniformly.
template <typename T, std::size_t N>
const T& pick_one(const T (&choices)[N], Rng& rng) {
  return choices[rng.below(static_cast<std::uint32_t>(N))];
}

} // namespace bda
