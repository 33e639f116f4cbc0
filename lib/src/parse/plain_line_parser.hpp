// The fast path for the export's usual lines: pure ASCII, no escape sequence, shallow, integers only.
// Such a line is validated completely here (RFC 8259 grammar, no control characters, nothing after
// the root value) and its _source fields taken without building a DOM. Anything else, valid or not,
// is left to the general paths, which alone decide rejects.
#pragma once

#include "source_fields.hpp"

#include <string_view>

namespace bda::parse_detail {

//! True when `line` is exactly the export's own line shape (fixed keys in a fixed order, plain
//! strings, integers): `fields` then holds its Contract, AppName and TotalDuration, string fields
//! pointing into `line`. False: undecided. `line` must be followed by at least 16 readable bytes.
bool match_export_line(std::string_view line, Field (&fields)[kFieldCount]);

//! The same shape at `p`, in text that runs on past the line up to `end`: true when the line
//! starting at `p` is exactly that shape; `*line_end` is then its '\n' (or `end`). It finds the
//! line's end by parsing it, instead of a search before the parse. False: undecided, and the line
//! delimited would fail match_export_line too. `end` must be followed by at least 16 readable bytes.
bool match_export_line(const char* p, const char* end, Field (&fields)[kFieldCount], const char** line_end);

//! True when `line` is a valid JSON object of the plain kind: `fields` then holds the first
//! Contract, AppName and TotalDuration of its first "_source" object (Absent where missing), and
//! string fields point into `line`. False: undecided, use a general parser. `fields` must be all
//! Absent on entry; `line` must be followed by at least 16 readable bytes.
bool parse_plain_line(std::string_view line, Field (&fields)[kFieldCount]);

} // namespace bda::parse_detail
