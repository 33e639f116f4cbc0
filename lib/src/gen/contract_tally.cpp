// Distinct contracts and DateCount histogram of the counted records.
#include "bda/gen/contract_tally.hpp"

namespace bda {

std::uint64_t ContractTally::contracts() const {
  std::uint64_t n = others_.size();
  for (const Seen& s : customers_) n += s.days > 0 ? 1 : 0;
  return n;
}

std::vector<std::uint64_t> ContractTally::date_count_histogram(std::size_t days) const {
  std::vector<std::uint64_t> histogram(days + 1);
  for (const Seen& s : customers_)
    if (s.days > 0) ++histogram[s.days];
  for (const auto& [contract, s] : others_) ++histogram[s.days];
  return histogram;
}

} // namespace bda
