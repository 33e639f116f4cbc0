// Lines a strict reader must reject, each with exactly one defect so its reason is known (SPEC §2),
// and the blank lines it must skip.
#pragma once

#include "bda/gen/hit_text.hpp"
#include "bda/model/reject_reason.hpp"

#include <span>
#include <string>
#include <string_view>

namespace bda {

class Rng;

//! One way to spoil a hit and the reason it must be rejected for.
struct DirtyKind {
  std::string_view name;
  RejectReason reason;
  std::uint32_t weight; //!< relative frequency among the dirty lines
  void (*make)(const HitFields& f, Rng& rng, std::string& out); //!< appends the line, no line end
};

//! Every kind, covering each reason a generated line can get (all but line_too_long).
std::span<const DirtyKind> dirty_kinds();

//! Appends a dirty line (no line end) of a kind drawn by weight; returns that kind.
const DirtyKind& append_dirty_line(const HitFields& f, Rng& rng, std::string& out);

//! A blank line's content (no line end): empty, spaces, a tab, a lone CR or a mix.
std::string_view draw_blank_line(Rng& rng);

} // namespace bda
