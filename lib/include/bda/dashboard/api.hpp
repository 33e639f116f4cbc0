// The JSON API: GET /api/<endpoint>?... -> status and body. Knows nothing of HTTP transport.
#pragma once

#include "bda/dashboard/dashboard_queries.hpp"
#include "bda/dashboard/request_params.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace bda::dashboard {

struct ApiResponse {
  int status = 200;
  nlohmann::json body; //!< the figures, or {"error": "..."} when status >= 400
};

struct ApiSettings {
  static constexpr unsigned kDefaultRefreshSeconds = 86400;
  unsigned refresh_seconds = kDefaultRefreshSeconds; //!< how often the pages reload their data (0: never)
};

class Api {
public:
  Api(DashboardQueries& queries, ApiSettings settings) : queries_(queries), settings_(settings) {}

  //! Answers one request; never throws. 400: bad parameters; 404: unknown endpoint, period or
  //! customer; 503: the warehouse is down or not set up; 500: anything else (a bug).
  ApiResponse handle(std::string_view endpoint, const QueryParams& params) const;

  //! The endpoint names, in the order the documentation lists them.
  static std::vector<std::string> endpoints();

private:
  DashboardQueries& queries_;
  ApiSettings settings_;
};

} // namespace bda::dashboard
