// The fast path for the export's usual lines: pure ASCII, no escape sequence, shallow, integers only.
// Such a line is validated completely here (RFC 8259 grammar, no control characters, nothing after
// the root value) and its _source fields taken without building a DOM. Anything else, valid or not,
// is left to the general paths, which alone decide rejects.
#pragma once

#include "source_fields.hpp"

#include <string_view>

namespace bda::parse_detail {

//! True when `line` is a valid JSON object of the plain kind: `fields` then holds the first
//! Contract, AppName and TotalDuration of its first "_source" object (Absent where missing), and
//! string fields point into `line`. False: undecided, use a general parser. `line` must be
//! followed by at least 16 readable bytes.
bool parse_plain_line(std::string_view line, Field (&fields)[kFieldCount]);

} // namespace bda::parse_detail
