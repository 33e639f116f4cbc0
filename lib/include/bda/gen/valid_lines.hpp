// Lines that must count but are not in the common form: other key orders, extra keys, and tricky
// spellings a strict reader must still accept (SPEC §2).
#pragma once

#include "bda/gen/hit_text.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace bda {

class Rng;

//! What a valid line counts as once decoded.
struct CountedAs {
  std::string contract;       //!< the decoded Contract when it is not the customer's own; else empty
  std::uint32_t duration = 0; //!< the TotalDuration value
};

//! One legal but unusual spelling of a hit.
struct TrickyKind {
  std::string_view name;
  std::uint32_t weight; //!< relative frequency among the tricky lines
  //! Appends the line (no line end) and fills `counted`, which starts as {"", f.duration}.
  void (*make)(const HitFields& f, Rng& rng, std::string& out, CountedAs& counted);
};

std::span<const TrickyKind> tricky_kinds();

//! Appends a tricky line (no line end) of a kind drawn by weight; returns that kind.
const TrickyKind& append_tricky_hit(const HitFields& f, Rng& rng, std::string& out, CountedAs& counted);

//! Appends the hit with its keys reordered (the _source first, or members shuffled) and/or with
//! extra keys the reader must ignore; it counts exactly like append_plain_hit's line.
void append_reshaped_hit(const HitFields& f, bool reorder, bool extra_keys, Rng& rng, std::string& out);

} // namespace bda
