#include "bda/output/csv_writer.hpp"

#include "bda/aggregate/profile.hpp"

#include <algorithm>
#include <array>
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
  // Taste has 32 possible values and Activeness D + 1: format each once, not once per row.
  std::array<std::string, 1u << kCategoryCount> tastes;
  for (std::uint32_t mask = 0; mask < tastes.size(); ++mask) {
    std::array<std::int64_t, kCategoryCount> present{};
    for (std::size_t c = 0; c < kCategoryCount; ++c) present[c] = (mask >> c) & 1u;
    tastes[mask] = taste(present);
  }
  std::vector<std::string> activeness_text;
  constexpr std::size_t kPrefetchAhead = 16; // rows in flight: the rows are in key order, not storage order
  for (std::size_t i = 0; i < std::min(kPrefetchAhead, rows.size()); ++i) table.prefetch(rows[i]);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i + kPrefetchAhead < rows.size()) table.prefetch(rows[i + kPrefetchAhead]);
    const std::uint32_t row = rows[i];
    const auto& duration = table.state(row).duration;
    append_csv_field(out, table.key(row));
    std::uint32_t mask = 0;
    for (Category c : kCanonicalCategories) {
      out += ',';
      append_int(out, duration[index_of(c)]);
      if (duration[index_of(c)] > 0) mask |= 1u << index_of(c);
    }
    out += ',';
    if (auto mw = most_watch(duration)) out += name_of(*mw);
    out += ',';
    out += tastes[mask];
    const std::uint32_t dc = table.date_count(row);
    while (activeness_text.size() <= dc)
      activeness_text.push_back(activeness(static_cast<std::uint32_t>(activeness_text.size()), selected_days));
    out += ',';
    append_int(out, dc);
    out += ',';
    out += activeness_text[dc];
    out += '\n';
  }
}

void append_daily_usage_rows(std::string& out, const DailyUsage& usage,
                             const std::vector<std::pair<Date, std::uint32_t>>& days) {
  for (const auto& [date, index] : days) {
    const DayUsage& d = usage.days()[index];
    for (std::size_t slot : {kAllCategories, std::size_t{0}, std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{4}}) {
      out += date.iso();
      out += ',';
      out += slot == kAllCategories ? std::string_view("All") : kCategoryNames[slot];
      for (std::uint64_t v : {d.sessions[slot], d.duration[slot], d.customers[slot]}) {
        out += ',';
        out += std::to_string(v);
      }
      out += '\n';
    }
  }
}

} // namespace bda
