// bda-dashboard: the web dashboard on the warehouse. Parses options, serves, turns failures into one message.
#include "dashboard_options.hpp"

#include "bda/dashboard/connection_pool.hpp"
#include "bda/dashboard/dashboard_queries.hpp"

#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
  try {
    const auto cl = bda::apps::parse_dashboard_command_line(argc, argv);
    if (cl.early_exit_text) {
      std::fputs(cl.early_exit_text->c_str(), stdout);
      return 0;
    }
    bda::dashboard::ConnectionPool pool(cl.db);
    bda::dashboard::DashboardQueries queries(pool);
    const bda::dashboard::Api api(queries, cl.api);
    bda::dashboard::serve_until_signal(api, cl.server, [&](int port) {
      std::fprintf(stderr, "bda-dashboard: serving http://%s:%d/ from %s\n", cl.server.bind_address.c_str(), port,
                   cl.db.describe().c_str());
    });
    return 0;
  } catch (const bda::UsageError& e) {
    std::fprintf(stderr, "bda-dashboard: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bda-dashboard: error: %s\n", e.what());
    return 1;
  }
}
