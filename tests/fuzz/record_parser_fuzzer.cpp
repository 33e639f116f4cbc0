// Differential fuzzing of the record parser (SPEC §2): the first line of each input goes to the
// simdjson fast path (RecordParser::parse), to the nlohmann slow path alone
// (RecordParser::parse_with_fallback_only), to RecordParser::parse_next on the whole input (which
// must also find the line's end) and to an independent strict reference; any disagreement
// about the outcome (record / blank / reason) or the record (contract bytes, category, duration)
// prints all three verdicts and aborts.
#include "fuzz/reference_record_parser.hpp"

#include "bda/parse/record_parser.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

using namespace bda;

namespace {

//! Longer inputs are skipped (scripts/fuzz.sh also passes -max_len).
constexpr std::size_t kMaxInput = 64 * 1024;

//! One verdict in a printable form: "blank", "rejected:<reason>" or "record:<category>:<duration>:<hex contract>".
std::string describe(const LineOutcome& o, const Record& r) {
  switch (o.kind) {
  case LineKind::Blank: return "blank";
  case LineKind::Rejected: return "rejected:" + std::string(name_of(o.reason));
  case LineKind::Record: break;
  }
  std::string s = "record:" + std::string(name_of(r.category)) + ":" + std::to_string(r.duration) + ":";
  static const char* const kHex = "0123456789abcdef";
  for (unsigned char c : r.contract) {
    s += kHex[c >> 4];
    s += kHex[c & 15];
  }
  return s;
}

std::string describe(const fuzz::ReferenceOutcome& o) {
  LineOutcome outcome{LineKind::Blank, o.reason};
  if (o.kind == fuzz::ReferenceOutcome::Kind::Rejected) outcome.kind = LineKind::Rejected;
  if (o.kind == fuzz::ReferenceOutcome::Kind::Record) outcome.kind = LineKind::Record;
  Record r;
  r.contract = o.contract;
  r.category = o.category;
  r.duration = o.duration;
  return describe(outcome, r);
}

//! The line in a buffer of exactly its size plus kLinePadding bytes, so that AddressSanitizer
//! catches any read beyond the padding the parser is promised.
class PaddedLine {
public:
  explicit PaddedLine(std::string_view line) : size_(line.size()), bytes_(new char[line.size() + kLinePadding]) {
    std::memcpy(bytes_.get(), line.data(), line.size());
    std::memset(bytes_.get() + line.size(), '"', kLinePadding);
  }
  std::string_view view() const { return {bytes_.get(), size_}; }

private:
  std::size_t size_;
  std::unique_ptr<char[]> bytes_;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  static const CategoryMapping mapping = CategoryMapping::defaults();
  static RecordParser parser(mapping); // reused, as a rank reuses it: state must not leak between lines

  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view line = input.substr(0, input.find('\n')); // the reader splits at '\n'
  const PaddedLine padded(line);

  Record record;
  const std::string fast = describe(parser.parse(padded.view(), record), record);
  const std::string slow = describe(parser.parse_with_fallback_only(padded.view(), record), record);
  const std::string reference = describe(fuzz::reference_parse(line, mapping));
  // The scanner's way: the line not delimited yet, the rest of the input after it.
  const PaddedLine all(input);
  const char* line_end = nullptr;
  const std::string next =
      describe(parser.parse_next(all.view().data(), all.view().data() + all.view().size(), record, &line_end), record);
  const bool next_ends = line_end == all.view().data() + line.size();
  if (fast == reference && slow == reference && next == reference && next_ends) return 0;

  std::fprintf(stderr, "record parser disagreement on a line of %zu bytes:\n  fast path: %s\n  slow path: %s\n"
               "  parse_next: %s (line end %s)\n  reference: %s\n", line.size(), fast.c_str(), slow.c_str(),
               next.c_str(), next_ends ? "right" : "WRONG", reference.c_str());
  std::abort();
}
