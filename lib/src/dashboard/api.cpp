#include "bda/dashboard/api.hpp"

#include <cstdio>

#include "bda/core/version.hpp"

#include <array>
#include <functional>

namespace bda::dashboard {
namespace {

using nlohmann::json;
using Names = std::vector<std::string_view>;
using Handler = std::function<json(const RequestParams&, DashboardQueries&, const ApiSettings&)>;

constexpr unsigned kDefaultBins = 10;
constexpr unsigned kMaxBins = 100;

const Names kPeriod = {"period"};
const Names kDays = {"period", "period_start", "period_end"};
const Names kFilters = {"period", "segment", "most_watch", "taste"};

Names with(Names base, std::initializer_list<std::string_view> more) {
  base.insert(base.end(), more);
  return base;
}

struct Endpoint {
  std::string_view name;
  Names params;
  Handler handler;
};

const std::vector<Endpoint>& endpoint_table() {
  static const std::vector<Endpoint> table = {
      {"config", {}, [](const RequestParams&, DashboardQueries&, const ApiSettings& s) {
         return json{{"refresh_seconds", s.refresh_seconds}, {"version", version()}, {"endpoints", Api::endpoints()}};
       }},
      {"health", {}, [](const RequestParams&, DashboardQueries& q, const ApiSettings&) { return q.health(); }},
      {"periods", {}, [](const RequestParams&, DashboardQueries& q, const ApiSettings&) { return q.periods(); }},
      {"last_load", {}, [](const RequestParams&, DashboardQueries& q, const ApiSettings&) { return q.last_load(); }},
      {"overview", kFilters,
       [](const RequestParams& p, DashboardQueries& q, const ApiSettings&) { return q.overview(p.customer_query()); }},
      {"segments", kFilters,
       [](const RequestParams& p, DashboardQueries& q, const ApiSettings&) { return q.segments(p.customer_query()); }},
      {"categories", kFilters,
       [](const RequestParams& p, DashboardQueries& q, const ApiSettings&) {
         return q.categories(p.customer_query());
       }},
      {"tastes", kFilters,
       [](const RequestParams& p, DashboardQueries& q, const ApiSettings&) { return q.tastes(p.customer_query()); }},
      {"daily", kDays,
       [](const RequestParams& p, DashboardQueries& q, const ApiSettings&) {
         return q.daily(p.period_key(), p.day_range());
       }},
      {"activeness_histogram", with(kFilters, {"bins"}),
       [](const RequestParams& p, DashboardQueries& q, const ApiSettings&) {
         const auto query = p.customer_query();
         return q.activeness_histogram(query, static_cast<unsigned>(p.integer("bins", kDefaultBins, 1, kMaxBins)));
       }},
      {"segment_mostwatch", kFilters,
       [](const RequestParams& p, DashboardQueries& q, const ApiSettings&) {
         return q.segment_mostwatch(p.customer_query());
       }},
      {"customers", with(kFilters, {"page", "page_size", "sort", "order", "search"}),
       [](const RequestParams& p, DashboardQueries& q, const ApiSettings&) {
         const auto query = p.customer_query();
         return q.customers(query, p.page_request());
       }},
      {"customer", with(kPeriod, {"contract", "contract_hex"}),
       [](const RequestParams& p, DashboardQueries& q, const ApiSettings&) {
         const auto key = p.contract_key();
         return q.customer(key, p.period_key());
       }},
  };
  return table;
}

ApiResponse error(int status, const std::string& message) { return {status, json{{"error", message}}}; }

} // namespace

std::vector<std::string> Api::endpoints() {
  std::vector<std::string> out;
  for (const Endpoint& e : endpoint_table()) out.emplace_back(e.name);
  return out;
}

ApiResponse Api::handle(std::string_view endpoint, const QueryParams& params) const {
  const Endpoint* found = nullptr;
  for (const Endpoint& e : endpoint_table())
    if (e.name == endpoint) found = &e;
  if (!found)
    return error(404, "unknown endpoint /api/" + std::string(is_utf8(endpoint) ? endpoint : "?") +
                          "; GET /api/config lists them");
  try {
    const RequestParams checked(params, found->params);
    return {200, found->handler(checked, queries_, settings_)};
  } catch (const BadRequest& e) {
    return error(400, e.what());
  } catch (const NotFound& e) {
    return error(404, e.what());
  } catch (const DatabaseUnavailable& e) {
    // The account, the socket path and the driver's words are for the operator, not the client.
    std::fprintf(stderr, "bda-dashboard: /api/%.*s: 503 %s\n", static_cast<int>(found->name.size()),
                 found->name.data(), e.what());
    return error(503, e.public_text() + " (the dashboard's log says why)");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bda-dashboard: /api/%.*s: 500 %s\n", static_cast<int>(found->name.size()),
                 found->name.data(), e.what());
    return error(500, "internal error (the dashboard's log says more)");
  }
}

} // namespace bda::dashboard
