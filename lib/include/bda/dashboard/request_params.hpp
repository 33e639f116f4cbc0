// Query-string validation for the JSON API: every value is checked here, before any SQL runs.
#pragma once

#include "bda/core/date.hpp"
#include "bda/core/error.hpp"

#include <cstdint>
#include <functional>
#include <vector>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace bda::dashboard {

//! The request is wrong (HTTP 400); what() is the message sent as {"error": "..."}.
class BadRequest : public Error {
public:
  using Error::Error;
};

//! The query string as the HTTP layer parsed it (the type of httplib::Params).
using QueryParams = std::multimap<std::string, std::string>;

//! An inclusive day range: the days of /api/daily.
struct Period {
  Date start;
  Date end;
  std::uint32_t days() const {
    return static_cast<std::uint32_t>(end.days_since_epoch() - start.days_since_epoch() + 1);
  }
};

//! The customer filters of the detailed page; an empty optional matches every customer.
struct CustomerFilter {
  std::optional<std::string> segment;    //!< one of kSegments
  std::optional<std::string> most_watch; //!< a category, or kNone (MostWatch IS NULL)
  std::optional<std::string> taste;      //!< a canonical taste, or kNone (empty Taste)
};

//! Which customers a request is about: a period key (none: the latest period) and the filters.
struct CustomerQuery {
  std::optional<std::string> period; //!< a canonical period key (bda/warehouse/period_key.hpp)
  CustomerFilter filter;
};

enum class SortOrder { Asc, Desc };

//! One page of /api/customers.
struct PageRequest {
  static constexpr std::uint32_t kDefaultPageSize = 25;
  static constexpr std::uint32_t kMaxPageSize = 500;
  static constexpr std::uint64_t kMaxPage = 10'000'000;
  static constexpr std::size_t kMaxSearchBytes = 200;
  std::uint64_t page = 1; //!< 1-based
  std::uint32_t page_size = kDefaultPageSize;
  std::string sort = "total_duration"; //!< a name of kSortColumns
  SortOrder order = SortOrder::Desc;
  std::string search; //!< a substring of the Contract (no wildcards); empty: every customer
};

//! One customer, by its text or by the hex of its bytes (exact for any bytes).
struct ContractKey {
  static constexpr std::size_t kMaxBytes = 1024; //!< customer_behavior.Contract is VARBINARY(1024) (SPEC §2)
  std::string value;
  bool hex = false;
};

//! The parameters of one request, checked against the names its endpoint accepts.
class RequestParams {
public:
  //! Throws BadRequest for a name not in `allowed`, a repeated name or a value that is not UTF-8.
  RequestParams(const QueryParams& params, const std::vector<std::string_view>& allowed);

  //! The raw value, if present.
  std::optional<std::string> get(std::string_view name) const;
  //! period: a loaded period's key, checked to be canonical ("2022-04-01..2022-04-30",
  //! "2022-04-01..2022-04-15/8002"); absent means the latest period.
  std::optional<std::string> period_key() const;
  //! period_start and period_end, a day range (both or neither; real dates; start <= end).
  std::optional<Period> day_range() const;
  //! segment, most_watch and taste, each one of its known values.
  CustomerFilter customer_filter() const;
  CustomerQuery customer_query() const { return {period_key(), customer_filter()}; }
  //! page, page_size, sort, order and search.
  PageRequest page_request() const;
  //! contract or contract_hex (exactly one).
  ContractKey contract_key() const;
  //! An integer parameter in [min, max], or `fallback` when absent.
  std::uint64_t integer(std::string_view name, std::uint64_t fallback, std::uint64_t min, std::uint64_t max) const;

private:
  std::map<std::string, std::string, std::less<>> values_;
};

//! True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_utf8(std::string_view text);

} // namespace bda::dashboard
