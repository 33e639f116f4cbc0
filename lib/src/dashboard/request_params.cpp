#include "bda/dashboard/request_params.hpp"

#include "bda/dashboard/dimensions.hpp"
#include "bda/model/category.hpp"
#include "bda/warehouse/period_key.hpp"

#include <algorithm>
#include <charconv>

namespace bda::dashboard {
namespace {

constexpr std::size_t kMaxValueBytes = 2048;

//! `value` if it is one of `names`, else BadRequest listing them.
template <typename Range>
std::string one_of(std::string_view param, const std::string& value, const Range& names) {
  for (const auto& n : names)
    if (n == value) return value;
  throw BadRequest("unknown " + std::string(param) + " '" + value + "'; expected one of: " + join_names(names));
}

Date parse_date(std::string_view param, const std::string& value) {
  try {
    return Date::parse_iso(value);
  } catch (const UsageError&) {
    throw BadRequest(std::string(param) + " '" + value + "' is not a date (expected YYYY-MM-DD)");
  }
}

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

} // namespace

bool is_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1FU;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0FU;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07U;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false; // a truncated sequence
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto t = static_cast<unsigned char>(text[i + k]);
      if ((t & 0xC0U) != 0x80U) return false;
      cp = (cp << 6) | (t & 0x3FU);
    }
    const bool overlong_or_surrogate = extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF));
    if (overlong_or_surrogate || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
    i += extra + 1;
  }
  return true;
}

RequestParams::RequestParams(const QueryParams& params, const std::vector<std::string_view>& allowed) {
  for (const auto& [name, value] : params) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      const std::string accepted =
          allowed.empty() ? "this endpoint takes none" : "this endpoint accepts: " + join_names(allowed);
      throw BadRequest("unknown parameter '" + (is_utf8(name) ? name : std::string("?")) + "'; " + accepted);
    }
    if (!is_utf8(value)) throw BadRequest("parameter '" + name + "' is not valid UTF-8");
    if (value.size() > kMaxValueBytes) throw BadRequest("parameter '" + name + "' is too long");
    if (!values_.emplace(name, value).second) throw BadRequest("parameter '" + name + "' is given more than once");
  }
}

std::optional<std::string> RequestParams::get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> RequestParams::period_key() const {
  auto key = get("period");
  if (!key) return std::nullopt;
  try {
    warehouse::period_key_days(*key);
  } catch (const UsageError& e) {
    throw BadRequest(std::string("period: ") + e.what() + "; GET /api/periods lists the loaded periods");
  }
  return key;
}

std::optional<Period> RequestParams::day_range() const {
  const auto start = get("period_start"), end = get("period_end");
  if (!start && !end) return std::nullopt;
  if (!start || !end)
    throw BadRequest("give both period_start and period_end (YYYY-MM-DD), or neither for the latest period");
  Period p{parse_date("period_start", *start), parse_date("period_end", *end)};
  if (p.end < p.start) throw BadRequest("period_end " + *end + " is before period_start " + *start);
  return p;
}

CustomerFilter RequestParams::customer_filter() const {
  CustomerFilter f;
  if (auto v = get("segment")) f.segment = one_of("segment", *v, kSegments);
  if (auto v = get("most_watch")) {
    std::vector<std::string_view> names(kCategoryNames.begin(), kCategoryNames.end());
    names.push_back(kNone);
    f.most_watch = one_of("most_watch", *v, names);
  }
  if (auto v = get("taste")) {
    if (*v != kNone && std::find(all_tastes().begin(), all_tastes().end(), *v) == all_tastes().end())
      throw BadRequest("unknown taste '" + *v + "'; expected categories in the order Child, Movie, Sport, TV, "
                       "Relax joined by '-' (e.g. Child-TV), or none");
    f.taste = *v;
  }
  return f;
}

std::uint64_t RequestParams::integer(std::string_view name, std::uint64_t fallback, std::uint64_t min,
                                     std::uint64_t max) const {
  const auto v = get(name);
  if (!v) return fallback;
  std::uint64_t out = 0;
  const char* end = v->data() + v->size();
  auto [ptr, ec] = std::from_chars(v->data(), end, out);
  if (v->empty() || ec != std::errc() || ptr != end || out < min || out > max)
    throw BadRequest(std::string(name) + " must be an integer from " + std::to_string(min) + " to " +
                     std::to_string(max) + ", not '" + *v + "'");
  return out;
}

PageRequest RequestParams::page_request() const {
  PageRequest p;
  p.page = integer("page", 1, 1, PageRequest::kMaxPage);
  p.page_size = static_cast<std::uint32_t>(
      integer("page_size", PageRequest::kDefaultPageSize, 1, PageRequest::kMaxPageSize));
  if (auto v = get("sort")) {
    if (!find_sort_column(*v)) {
      std::vector<std::string_view> names;
      for (const SortColumn& c : kSortColumns) names.push_back(c.name);
      throw BadRequest("unknown sort column '" + *v + "'; expected one of: " + join_names(names));
    }
    p.sort = *v;
  }
  if (auto v = get("order")) {
    if (*v != "asc" && *v != "desc") throw BadRequest("order must be asc or desc, not '" + *v + "'");
    p.order = *v == "asc" ? SortOrder::Asc : SortOrder::Desc;
  }
  if (auto v = get("search")) {
    if (v->size() > PageRequest::kMaxSearchBytes)
      throw BadRequest("search is longer than " + std::to_string(PageRequest::kMaxSearchBytes) + " bytes");
    p.search = *v;
  }
  return p;
}

ContractKey RequestParams::contract_key() const {
  const auto text = get("contract"), hex = get("contract_hex");
  if (text.has_value() == hex.has_value()) throw BadRequest("give exactly one of contract and contract_hex");
  if (text) {
    if (text->empty() || text->size() > ContractKey::kMaxBytes)
      throw BadRequest("contract must have 1 to " + std::to_string(ContractKey::kMaxBytes) + " bytes");
    return {*text, false};
  }
  if (hex->empty() || hex->size() % 2 != 0 || hex->size() > 2 * ContractKey::kMaxBytes || !is_hex(*hex))
    throw BadRequest("contract_hex must be an even number (2 to " + std::to_string(2 * ContractKey::kMaxBytes) +
                     ") of hex digits");
  return {*hex, true};
}

} // namespace bda::dashboard
