// A period's customers counted and summed per (Taste, MostWatch, DateCount): the rows of
// customer_cube (migration 007), gathered while the loader re-encodes the OLAP CSV, so the
// summaries cost no scan of the loaded rows.
#pragma once

#include "bda/model/category.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace bda::warehouse {

//! Sums of up to 2^64 durations of up to 2^63-1 each never overflow it.
__extension__ typedef unsigned __int128 DurationSum;

struct CubeCell {
  std::string taste;
  std::string most_watch; //!< '' when the customer has no viewing time
  std::uint32_t date_count = 0;
  std::string segment;
  std::string activeness; //!< as in the CSV, e.g. "23.33"
  std::uint64_t customers = 0;
  std::array<DurationSum, kCategoryCount> durations{};
};

class PeriodCube {
public:
  //! One OLAP CSV row's fields (SPEC §4 order: Contract, five durations, MostWatch, Taste,
  //! DateCount, Activeness). Throws std::invalid_argument on a field that is not the CSV's own.
  void add(const std::vector<std::string>& fields);
  //! The cells, ordered by (Taste, MostWatch, DateCount).
  std::vector<CubeCell> cells() const;
  std::uint64_t customers() const { return customers_; }

private:
  //! What a cell gathers; its key (Taste, MostWatch, DateCount) and Segment are in cells_' key.
  struct Sums {
    std::string activeness;
    std::uint64_t customers = 0;
    std::array<DurationSum, kCategoryCount> durations{};
  };
  std::map<std::tuple<std::string, std::string, std::uint32_t>, Sums> cells_;
  std::uint64_t customers_ = 0;
};

//! A sum as decimal digits.
std::string decimal(DurationSum value);

//! A non-negative integer field of the OLAP CSV; throws std::invalid_argument naming `what`.
std::uint64_t csv_integer(const std::string& field, const char* what);

} // namespace bda::warehouse
