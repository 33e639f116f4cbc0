// A ContractTable's content as text, for tests that compare two tables.
#pragma once

#include "bda/aggregate/contract_table.hpp"

#include <string>

namespace bda::testing {

//! A table's content as text, one line per contract in key order: key, five sums, DateCount and
//! the set days per category, so that two tables compare equal exactly when they hold the same.
inline std::string dump(const ContractTable& t) {
  std::string out;
  for (std::uint32_t row : t.sorted_rows()) {
    out += '[';
    out += t.key(row);
    out += ']';
    for (Category c : kCanonicalCategories) out += ' ' + std::to_string(t.state(row).duration[index_of(c)]);
    out += " dc=" + std::to_string(t.date_count(row));
    for (Category c : kCanonicalCategories) {
      out += ' ';
      out += name_of(c);
      out += '{';
      const std::uint64_t* bits = t.days(row, c);
      for (std::uint32_t d = 0; d < t.day_count(); ++d)
        if ((bits[d / 64] >> (d % 64)) & 1U) out += std::to_string(d) + ';';
      out += '}';
    }
    out += '\n';
  }
  return out;
}

} // namespace bda::testing
