// Which contracts the counted records name and on how many days, for the manifest's exact truth.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace bda {

class ContractTally {
public:
  explicit ContractTally(std::uint32_t customers) : customers_(customers) {}

  //! Later counts belong to day `day_index` (0-based, increasing).
  void start_day(std::uint32_t day_index) { day_ = day_index; }
  //! A counted record of pool customer `customer` (its own contract).
  void count_customer(std::uint32_t customer) { customers_[customer].see(day_); }
  //! A counted record whose contract is not a pool customer's (e.g. one with a comma).
  void count_other(const std::string& contract) { others_[contract].see(day_); }

  std::uint64_t contracts() const;
  //! Entry k: the number of contracts with DateCount k, for k = 0..days (entry 0 is always 0).
  std::vector<std::uint64_t> date_count_histogram(std::size_t days) const;

private:
  struct Seen {
    static constexpr std::uint32_t kNever = UINT32_MAX;
    std::uint32_t last_day = kNever;
    std::uint32_t days = 0;
    void see(std::uint32_t day) {
      if (last_day != day) {
        last_day = day;
        ++days;
      }
    }
  };

  std::vector<Seen> customers_;
  std::unordered_map<std::string, Seen> others_;
  std::uint32_t day_ = 0;
};

} // namespace bda
