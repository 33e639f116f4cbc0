#include "bda/output/csv_writer.hpp"

#include "bda/aggregate/profile.hpp"

#include <charconv>

namespace bda {

void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

namespace {

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

} // namespace

void append_profile_rows(std::string& out, const ContractTable& table, const std::vector<std::uint32_t>& rows,
                         std::uint32_t selected_days) {
  for (std::uint32_t row : rows) {
    const auto& duration = table.state(row).duration;
    append_csv_field(out, table.key(row));
    for (Category c : kCanonicalCategories) {
      out += ',';
      append_int(out, duration[index_of(c)]);
    }
    out += ',';
    if (auto mw = most_watch(duration)) out += name_of(*mw);
    out += ',';
    out += taste(duration);
    const std::uint32_t dc = table.date_count(row);
    out += ',';
    append_int(out, dc);
    out += ',';
    out += activeness(dc, selected_days);
    out += '\n';
  }
}

} // namespace bda
