#include "bda/parse/record_parser.hpp"

#include "bda/core/error.hpp"
#include "bda/parse/json_number.hpp"
#include "plain_line_parser.hpp"
#include "source_fields.hpp"

#include <nlohmann/json.hpp>

#include <cstring>
#include <string>
#include <vector>

namespace bda {
namespace {

using parse_detail::Field;
using parse_detail::kAppName;
using parse_detail::kContract;
using parse_detail::kDuration;
using parse_detail::kFieldCount;
using parse_detail::slot_of;

// simdjson 3.0 does not count nesting levels the SPEC way: an empty innermost container is not counted,
// and a non-empty array is cut one level before an object. Its own limit is set above the SPEC's, so that it never
// refuses a line the SPEC allows, and the SPEC's limit is checked exactly (see exceeds_nesting_limit).
constexpr std::size_t kSimdjsonMaxDepth = kMaxNestingLevels + 8;
constexpr std::size_t kInitialCapacity = 64 * 1024;

// A UTF-8 byte order mark: nlohmann's lexer skips one at the start of its input; SPEC §2 does not.
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// SPEC §2: the first failing field, in the order Contract, AppName, TotalDuration, names the reason.
LineOutcome classify(const Field (&f)[kFieldCount], const CategoryMapping& mapping, Record& out) {
  auto reject = [](RejectReason r) { return LineOutcome{LineKind::Rejected, r}; };
  auto missing = [](const Field& x) { return x.type == Field::Type::Absent || x.type == Field::Type::Null; };

  const Field& contract = f[kContract];
  if (missing(contract)) return reject(RejectReason::MissingField);
  if (contract.type != Field::Type::String || contract.text.empty() || contract.text == "0" ||
      contract.text.size() > kMaxContractBytes)
    return reject(RejectReason::BadContract);

  const Field& app = f[kAppName];
  if (missing(app)) return reject(RejectReason::MissingField);
  if (app.type != Field::Type::String) return reject(RejectReason::UnknownApp);
  auto category = mapping.lookup(app.text);
  if (!category) return reject(RejectReason::UnknownApp);

  const Field& dur = f[kDuration];
  if (missing(dur)) return reject(RejectReason::MissingField);
  std::int64_t value = 0;
  switch (dur.type) {
  case Field::Type::Int:
    if (dur.i < 0) return reject(RejectReason::BadDuration);
    value = dur.i;
    break;
  case Field::Type::Decimal: { // 254.0, 2540e-1, 1E2, -0.0: integral values only, decided exactly
    auto exact = exact_nonnegative_integer(dur.text);
    if (!exact) return reject(RejectReason::BadDuration);
    value = *exact;
    break;
  }
  default: // Uint is >= 2^63; strings, booleans, containers are the wrong type
    return reject(RejectReason::BadDuration);
  }
  out.contract = contract.text;
  out.category = *category;
  out.duration = value;
  return LineOutcome{LineKind::Record, RejectReason::MalformedJson};
}

Field field_of(simdjson::dom::element e) {
  Field f;
  switch (e.type()) {
  case simdjson::dom::element_type::NULL_VALUE: f.type = Field::Type::Null; break;
  case simdjson::dom::element_type::STRING: f.type = Field::Type::String; f.text = e.get_string().value_unsafe(); break;
  case simdjson::dom::element_type::INT64: f.type = Field::Type::Int; f.i = e.get_int64().value_unsafe(); break;
  case simdjson::dom::element_type::UINT64: f.type = Field::Type::Uint; break;
  case simdjson::dom::element_type::DOUBLE: f.type = Field::Type::Decimal; break; // text: slow path
  default: f.type = Field::Type::Other; break;
  }
  return f;
}

// True when valid JSON `json` nests deeper than kMaxNestingLevels. Each level needs an opening and a
// closing bracket, so a shorter line than that (every usual hit) is decided by its length alone.
bool exceeds_nesting_limit(std::string_view json) {
  if (json.size() < 2 * (kMaxNestingLevels + 1)) return false;
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxNestingLevels) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

} // namespace

// simdjson 3.0 rejects integers beyond 64 bits (NUMBER_ERROR), which RFC 8259 allows; nlohmann's SAX reader takes
// them (as doubles) and is otherwise as strict, so such rare lines are re-read with it.
struct RecordParser::SlowPath final : nlohmann::json_sax<nlohmann::json> {
  enum class Frame : std::uint8_t { Root, Source, Other };

  Field fields[kFieldCount];
  std::string strings[kFieldCount]; // owned text of string and decimal fields
  std::vector<Frame> stack;
  bool root_is_object = false;
  bool source_seen = false;
  bool next_is_source = false;       // at Root: the pending value belongs to the first "_source"
  std::size_t next_slot = kFieldCount; // at Source: the pending value's field, if still unset

  std::string sanitized;

  bool run(std::string_view line) {
    reset();
    // nlohmann's lexer ends its input at a NUL byte and skips a leading BOM; RFC 8259 allows neither.
    if (line.find('\0') != std::string_view::npos || line.substr(0, kUtf8Bom.size()) == kUtf8Bom)
      return false;
    // nlohmann refuses numbers beyond the double range, which RFC 8259 allows: they are rewritten as
    // finite numbers of the same sign.
    if (replace_overflowing_numbers(line, sanitized)) line = sanitized;
    return nlohmann::json::sax_parse(line.begin(), line.end(), this, nlohmann::json::input_format_t::json, true);
  }
  void reset() {
    for (auto& f : fields) f = Field{};
    stack.clear();
    root_is_object = source_seen = next_is_source = false;
    next_slot = kFieldCount;
  }

  // A scalar or container value has arrived in the current frame.
  void value(Field f) {
    if (stack.empty()) return;
    if (stack.back() == Frame::Source && next_slot < kFieldCount) {
      fields[next_slot] = f;
      next_slot = kFieldCount;
    }
    if (stack.back() == Frame::Root) next_is_source = false;
  }
  bool start_container(bool is_object) {
    if (stack.size() >= kMaxNestingLevels) return false; // too deep is malformed
    Frame frame = Frame::Other;
    if (stack.empty()) {
      root_is_object = is_object;
      frame = Frame::Root;
    } else if (stack.back() == Frame::Root && next_is_source && is_object) {
      frame = Frame::Source;
      next_is_source = false;
    } else {
      value(Field::of(Field::Type::Other));
    }
    stack.push_back(frame);
    return true;
  }

  bool null() override { return value(Field::of(Field::Type::Null)), true; }
  bool boolean(bool) override { return value(Field::of(Field::Type::Other)), true; }
  bool number_integer(number_integer_t v) override {
    Field f = Field::of(Field::Type::Int);
    f.i = v;
    return value(f), true;
  }
  bool number_unsigned(number_unsigned_t v) override {
    Field f = Field::of(Field::Type::Uint);
    if (v <= static_cast<number_unsigned_t>(INT64_MAX)) {
      f.type = Field::Type::Int;
      f.i = static_cast<std::int64_t>(v);
    }
    return value(f), true;
  }
  bool number_float(number_float_t, const string_t& token) override {
    Field f = Field::of(Field::Type::Decimal);
    if (!stack.empty() && stack.back() == Frame::Source && next_slot < kFieldCount) {
      strings[next_slot] = token;
      f.text = strings[next_slot];
    }
    return value(f), true;
  }
  bool string(string_t& v) override {
    if (!stack.empty() && stack.back() == Frame::Source && next_slot < kFieldCount) {
      strings[next_slot] = std::move(v);
      Field f = Field::of(Field::Type::String);
      f.text = strings[next_slot];
      return value(f), true;
    }
    return value(Field::of(Field::Type::String)), true;
  }
  bool binary(binary_t&) override { return value(Field::of(Field::Type::Other)), true; }
  bool start_object(std::size_t) override { return start_container(true); }
  bool end_object() override { return stack.pop_back(), true; }
  bool start_array(std::size_t) override { return start_container(false); }
  bool end_array() override { return stack.pop_back(), true; }
  bool key(string_t& k) override {
    if (stack.back() == Frame::Root) {
      next_is_source = !source_seen && k == "_source";
      if (next_is_source) source_seen = true;
    } else if (stack.back() == Frame::Source) {
      std::size_t slot = slot_of(k);
      next_slot = (slot < kFieldCount && fields[slot].type == Field::Type::Absent) ? slot : kFieldCount;
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
};

RecordParser::RecordParser(const CategoryMapping& mapping) : mapping_(mapping), slow_(std::make_unique<SlowPath>()) {
  // Later growth for longer lines keeps this depth.
  if (dom_.allocate(kInitialCapacity, kSimdjsonMaxDepth) != simdjson::SUCCESS)
    throw Error("record parser: cannot allocate the simdjson parser");
}
RecordParser::~RecordParser() = default;

LineOutcome RecordParser::parse(std::string_view line, Record& out) {
  if (is_blank_line(line)) return LineOutcome{LineKind::Blank};
  Field fields[kFieldCount];
  if (parse_detail::match_export_line(line, fields)) return classify(fields, mapping_, out);
  return parse_other_shape(line, out);
}

LineOutcome RecordParser::parse_next(const char* p, const char* end, Record& out, const char** line_end) {
  Field fields[kFieldCount];
  if (parse_detail::match_export_line(p, end, fields, line_end)) return classify(fields, mapping_, out);
  const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
  *line_end = nl ? nl : end;
  const std::string_view line(p, static_cast<std::size_t>(*line_end - p));
  if (is_blank_line(line)) return LineOutcome{LineKind::Blank};
  return parse_other_shape(line, out);
}

LineOutcome RecordParser::parse_other_shape(std::string_view line, Record& out) {
  Field fields[kFieldCount];
  if (parse_detail::parse_plain_line(line, fields)) return classify(fields, mapping_, out);

  for (Field& f : fields) f = Field{};
  simdjson::dom::element doc;
  auto error = dom_.parse(line.data(), line.size(), /*realloc_if_needed=*/false).get(doc);
  if (error == simdjson::NUMBER_ERROR) return parse_slowly(line, out); // e.g. an integer beyond 64 bits
  if (error || exceeds_nesting_limit(line)) return LineOutcome{LineKind::Rejected, RejectReason::MalformedJson};
  if (!doc.is_object()) return LineOutcome{LineKind::Rejected, RejectReason::NotObject};

  // DOM at_key scans in document order, so the first of duplicate keys wins.
  simdjson::dom::object source;
  if (doc.get_object().value_unsafe().at_key("_source").get_object().get(source) == simdjson::SUCCESS) {
    for (auto [key, value] : source) {
      std::size_t slot = slot_of(key);
      if (slot < kFieldCount && fields[slot].type == Field::Type::Absent) fields[slot] = field_of(value);
    }
  }
  // A fractional or exponent TotalDuration is judged on its exact text, which the DOM has not kept.
  if (fields[kDuration].type == Field::Type::Decimal) return parse_slowly(line, out);
  return classify(fields, mapping_, out);
}

LineOutcome RecordParser::parse_with_fallback_only(std::string_view line, Record& out) {
  if (is_blank_line(line)) return LineOutcome{LineKind::Blank};
  return parse_slowly(line, out);
}

LineOutcome RecordParser::parse_slowly(std::string_view line, Record& out) {
  if (!slow_->run(line)) return LineOutcome{LineKind::Rejected, RejectReason::MalformedJson};
  if (!slow_->root_is_object) return LineOutcome{LineKind::Rejected, RejectReason::NotObject};
  return classify(slow_->fields, mapping_, out);
}

} // namespace bda
