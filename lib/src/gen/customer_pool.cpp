// Draws the customer pool and, per day, which customers watch and how often.
#include "bda/gen/customer_pool.hpp"

#include "bda/core/error.hpp"
#include "bda/gen/value_model.hpp"

#include <string>

namespace bda {
namespace {

// Province-style prefixes as in the real export (HNH579912, SGH597377, ...).
constexpr std::array<std::string_view, 20> kContractPrefixes = {
    "HNH", "SGH", "DNH", "HPH", "CTH", "BDH", "NTH", "KHH", "HUH", "QNH",
    "VTH", "LAH", "BNH", "TNH", "NAH", "THH", "DLH", "GLH", "AGH", "VLH"};
constexpr std::uint32_t kContractNumbers = 1'000'000; // the 6 digits
constexpr std::uint32_t kContractSpace = kContractPrefixes.size() * kContractNumbers;
constexpr std::uint32_t kMillion = 1'000'000;
constexpr std::uint32_t kPerMille = 1000;
constexpr char kHexDigits[] = "0123456789ABCDEF";

template <typename Table>
std::uint8_t draw_per_mille(const Table& table, Rng& rng) {
  std::uint32_t r = rng.below(kPerMille);
  for (std::uint8_t i = 0; i < table.size(); ++i) {
    if (r < table[i].per_mille) return i;
    r -= table[i].per_mille;
  }
  return static_cast<std::uint8_t>(table.size() - 1);
}

void write_contract(std::uint32_t code, std::array<char, Customer::kContractLength>& out) {
  const std::string_view prefix = kContractPrefixes[code / kContractNumbers];
  std::uint32_t number = code % kContractNumbers;
  for (std::size_t i = 0; i < prefix.size(); ++i) out[i] = prefix[i];
  for (std::size_t i = out.size(); i > prefix.size(); --i) {
    out[i - 1] = static_cast<char>('0' + number % 10);
    number /= 10;
  }
}

} // namespace

CustomerPool::CustomerPool(std::uint64_t count, std::uint64_t seed) {
  // Rejection sampling stays cheap while the pool fills at most half of the id space.
  if (count == 0 || count > kContractSpace / 2)
    throw UsageError("cannot make " + std::to_string(count) + " distinct contracts (at most " +
                     std::to_string(kContractSpace / 2) + ")");
  Rng rng = Rng::derived(seed, 0xC0575E7ULL);
  std::vector<bool> taken(kContractSpace);
  customers_.resize(count);
  for (Customer& c : customers_) {
    std::uint32_t code = rng.below(kContractSpace);
    while (taken[code]) code = rng.below(kContractSpace);
    taken[code] = true;
    write_contract(code, c.contract);
    std::uint64_t mac_bits = rng.next();
    for (char& digit : c.mac) {
      digit = kHexDigits[mac_bits & 0xF];
      mac_bits >>= 4;
    }
    c.favourite_app = static_cast<std::uint8_t>(draw_app(rng));
    c.weight_tier = draw_per_mille(kViewingWeights, rng);
    const ActivityClass& cls = kActivityClasses[draw_per_mille(kActivityClasses, rng)];
    c.activity_ppm = rng.between(cls.lo_ppm, cls.hi_ppm);
  }
}

std::vector<std::uint32_t> CustomerPool::day_viewers(std::uint64_t lines, Rng& rng) const {
  if (lines == 0) return {};
  std::array<std::vector<std::uint32_t>, kViewingWeights.size()> by_tier;
  std::vector<std::uint32_t> viewers;
  viewers.reserve(lines);
  for (std::uint32_t i = 0; i < size(); ++i)
    if (rng.below(kMillion) < customers_[i].activity_ppm) {
      by_tier[customers_[i].weight_tier].push_back(i);
      viewers.push_back(i);
    }
  if (viewers.empty()) { // a tiny pool can have a day with nobody: someone still watches
    const std::uint32_t i = rng.below(size());
    by_tier[customers_[i].weight_tier].push_back(i);
    viewers.push_back(i);
  }
  if (viewers.size() >= lines) { // more active customers than lines: a random subset watches once
    shuffle_in_place(viewers, rng);
    viewers.resize(lines);
    return viewers;
  }
  std::array<std::uint64_t, kViewingWeights.size()> tier_weight{};
  std::uint64_t total_weight = 0;
  for (std::size_t t = 0; t < by_tier.size(); ++t) {
    tier_weight[t] = by_tier[t].size() * kViewingWeights[t].weight;
    total_weight += tier_weight[t];
  }
  // Heavy-tailed extra lines: a tier by its total weight, then a customer of that tier uniformly.
  // total_weight < 2^32 (kMaxCustomers x the largest weight), so the multiply-shift cannot overflow.
  while (viewers.size() < lines) {
    std::uint64_t r = (rng.next() >> 32) * total_weight >> 32;
    std::size_t t = 0;
    while (r >= tier_weight[t]) r -= tier_weight[t++];
    const auto& tier = by_tier[t];
    viewers.push_back(tier[rng.below(static_cast<std::uint32_t>(tier.size()))]);
  }
  return viewers;
}

} // namespace bda
