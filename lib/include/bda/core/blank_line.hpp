// SPEC §2's blank line, shared by the reader (a blank line too long to buffer) and the parser.
#pragma once

#include <string_view>

namespace bda {

//! True for an empty line or one holding only spaces, tabs and CRs (skipped, not rejected).
inline bool is_blank_line(std::string_view line) {
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

} // namespace bda
