// The synthetic customers: fixed contract ids and Macs, viewing habits, and who watches on a given day.
#pragma once

#include "bda/gen/rng.hpp"

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace bda {

//! One customer; ids are stored as text so the hot path copies them without formatting.
struct Customer {
  static constexpr std::size_t kContractLength = 9; //!< 3 uppercase letters + 6 digits, "SGH597377"
  static constexpr std::size_t kMacLength = 12;     //!< 12 uppercase hex digits

  std::array<char, kContractLength> contract{};
  std::array<char, kMacLength> mac{};
  std::uint8_t favourite_app = 0;   //!< index into kAppMix
  std::uint8_t weight_tier = 0;     //!< index into kViewingWeights: how many lines on an active day
  std::uint32_t activity_ppm = 0;   //!< chance to be active on a day, per million

  std::string_view contract_view() const { return {contract.data(), contract.size()}; }
  std::string_view mac_view() const { return {mac.data(), mac.size()}; }
};

//! Daily activity classes: a few customers watch almost daily, many rarely, so DateCount spans 1..30.
struct ActivityClass {
  std::uint32_t per_mille;  //!< share of customers
  std::uint32_t lo_ppm;     //!< daily activity chance, per million, drawn uniformly in [lo, hi]
  std::uint32_t hi_ppm;
};

inline constexpr std::array<ActivityClass, 4> kActivityClasses = {{
    {100, 750'000, 1'000'000}, // loyal
    {200, 350'000, 750'000},   // regular
    {300, 100'000, 350'000},   // occasional
    {400, 10'000, 100'000},    // rare
}};

//! Heavy-tailed line weights of an active customer: most watch a little, a few a lot.
struct ViewingWeight {
  std::uint32_t per_mille;
  std::uint32_t weight;
};

inline constexpr std::array<ViewingWeight, 4> kViewingWeights = {{{500, 1}, {300, 3}, {150, 10}, {50, 40}}};

//! Share of a customer's lines that use the favourite app rather than the global mix, per mille.
inline constexpr std::uint32_t kFavouriteAppPerMille = 600;

class CustomerPool {
public:
  //! `count` distinct contracts; throws UsageError if the id space cannot hold them.
  CustomerPool(std::uint64_t count, std::uint64_t seed);

  std::uint32_t size() const { return static_cast<std::uint32_t>(customers_.size()); }
  const Customer& operator[](std::uint32_t i) const { return customers_[i]; }

  //! The customer of each of a day's `lines` valid lines (unordered). Every customer active that day
  //! gets at least one line when there is room; the rest go to active customers by their weights.
  std::vector<std::uint32_t> day_viewers(std::uint64_t lines, Rng& rng) const;

private:
  std::vector<Customer> customers_;
};

} // namespace bda
