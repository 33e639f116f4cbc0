// One JSON-Lines hit -> a counted record or a reject reason (SPEC §2), on the per-line hot path.
#pragma once

#include "bda/core/blank_line.hpp"
#include "bda/model/category.hpp"
#include "bda/model/category_mapping.hpp"
#include "bda/model/reject_reason.hpp"

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string_view>

namespace bda {

//! Bytes that must be readable (any content) after every line handed to RecordParser.
inline constexpr std::size_t kLinePadding = simdjson::SIMDJSON_PADDING;

//! SPEC §2: a Contract longer than this once decoded is bad_contract (the warehouse keys on it).
inline constexpr std::size_t kMaxContractBytes = 1024;

//! SPEC §2: the root object is level 1, each array or object inside adds one; deeper is malformed_json.
inline constexpr std::size_t kMaxNestingLevels = 1024;

//! A counted record. `contract` points into the parser and is valid until the next parse().
struct Record {
  std::string_view contract;
  Category category = Category::Child;
  std::int64_t duration = 0;
};

enum class LineKind : std::uint8_t { Record, Blank, Rejected };

struct LineOutcome {
  LineKind kind = LineKind::Blank;
  RejectReason reason = RejectReason::MalformedJson; //!< meaningful when kind == Rejected
};

//! Strict-JSON record extraction. One instance per thread, reused for every line: the simdjson
//! DOM parser validates the whole line (grammar, UTF-8, control characters, trailing content),
//! which an on-demand parse that touches only three fields would not.
class RecordParser {
public:
  explicit RecordParser(const CategoryMapping& mapping);
  ~RecordParser();
  RecordParser(const RecordParser&) = delete;
  RecordParser& operator=(const RecordParser&) = delete;

  //! `line` excludes the '\n'; kLinePadding bytes after line.end() must be readable.
  LineOutcome parse(std::string_view line, Record& out);

  //! parse() of the line that starts at `p` in lines that end at `end` (kLinePadding readable
  //! bytes after it): sets `*line_end` to the line's '\n' (or `end`). The export's usual line is
  //! delimited by its own parse; any other is delimited first, then decided as by parse() (without
  //! a second try of the export's shape, which cannot match it).
  LineOutcome parse_next(const char* p, const char* end, Record& out, const char** line_end);

  //! The same decision as parse(), made by the slow path alone (never the simdjson fast path).
  //! A seam for the tests and the differential fuzzer, which compare the two paths on one line.
  LineOutcome parse_with_fallback_only(std::string_view line, Record& out);

private:
  //! parse() of a non-blank line that is not the export's own shape: the plain fast path, then
  //! simdjson, then the slow path.
  LineOutcome parse_other_shape(std::string_view line, Record& out);
  //! nlohmann/json's SAX reader: for lines with numbers simdjson refuses (integers beyond 64 bits,
  //! numbers beyond the double range) and for a fractional or exponent TotalDuration.
  LineOutcome parse_slowly(std::string_view line, Record& out);

  struct SlowPath;
  const CategoryMapping& mapping_;
  simdjson::dom::parser dom_;
  std::unique_ptr<SlowPath> slow_;
};

} // namespace bda
