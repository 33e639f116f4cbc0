// Draws from the AppName mix and the duration buckets via per-mille lookup tables.
#include "bda/gen/value_model.hpp"

namespace bda {
namespace {

constexpr std::uint32_t kPerMille = 1000;

// Per-mille lookup tables: one draw below 1000 picks an entry without a search.
template <typename Table>
constexpr std::array<std::uint8_t, kPerMille> per_mille_lookup(const Table& table) {
  std::array<std::uint8_t, kPerMille> lut{};
  std::uint32_t at = 0;
  for (std::uint32_t i = 0; i < table.size(); ++i)
    for (std::uint32_t k = 0; k < table[i].per_mille; ++k) lut[at++] = static_cast<std::uint8_t>(i);
  return lut;
}

template <typename Table>
constexpr std::uint32_t total_per_mille(const Table& table) {
  std::uint32_t sum = 0;
  for (const auto& e : table) sum += e.per_mille;
  return sum;
}

static_assert(total_per_mille(kAppMix) == kPerMille, "the AppName mix must add up to 1000 per mille");
static_assert(total_per_mille(kDurationBuckets) == kPerMille, "the duration buckets must add up to 1000 per mille");

constexpr auto kAppLookup = per_mille_lookup(kAppMix);
constexpr auto kDurationLookup = per_mille_lookup(kDurationBuckets);

} // namespace

std::uint32_t draw_app(Rng& rng) { return kAppLookup[rng.below(kPerMille)]; }

std::uint32_t draw_duration(Rng& rng) {
  const DurationBucket& b = kDurationBuckets[kDurationLookup[rng.below(kPerMille)]];
  return rng.between(b.lo, b.hi);
}

} // namespace bda
