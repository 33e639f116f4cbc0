#include "bda/dashboard/http_server.hpp"

#include "bda/dashboard/embedded_assets.hpp"

#include <httplib.h>

#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

namespace bda::dashboard {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";
constexpr std::size_t kMaxRequestBody = 8 * 1024; // the API takes no bodies
// A request's header and body arrive within this, each read (httplib has no whole-request limit);
// responses may take longer to write to a slow reader.
constexpr time_t kReadTimeoutSeconds = 5;
constexpr time_t kWriteTimeoutSeconds = 30;
// Workers and listen queue: slow or idle connections (a browser keeps a few open) must not starve
// the others; 200 parallel requests queue in the backlog instead of being refused.
constexpr std::size_t kWorkers = 32;
constexpr int kListenBacklog = 256;
constexpr std::size_t kKeepAliveRequests = 100;
constexpr time_t kKeepAliveSeconds = 5;
constexpr std::chrono::milliseconds kStopPollInterval{50};

// ECharts writes inline style attributes (tooltips), hence 'unsafe-inline' for styles only.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  // A Contract that is not UTF-8 must not turn a response into an exception.
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), kJson);
  res.set_header("Cache-Control", "no-store");
}

void serve_api(const Api& api, const httplib::Request& req, httplib::Response& res) {
  const ApiResponse answer = api.handle(std::string(req.matches[1]), req.params); // logs its 5xx itself
  send_json(res, answer.status, answer.body);
}

void serve_asset(const httplib::Request& req, httplib::Response& res) {
  const EmbeddedAsset* asset = find_asset(req.path);
  if (!asset) {
    res.status = 404;
    res.set_content("Not found: " + req.path + "\nThe dashboard is at / and /details; the API at /api/config.\n",
                    "text/plain; charset=utf-8");
    return;
  }
  res.set_header("ETag", std::string(asset->etag));
  res.set_header("Cache-Control", "no-cache"); // revalidate: a new build serves new assets at once
  if (req.get_header_value("If-None-Match") == asset->etag) {
    res.status = 304;
    return;
  }
  res.set_content(asset->body.data(), asset->body.size(), std::string(asset->content_type));
}

void send_refusal(const httplib::Request& req, httplib::Response& res, int status, const std::string& why) {
  if (req.path.rfind("/api/", 0) == 0) {
    send_json(res, status, {{"error", why}});
  } else {
    res.status = status;
    res.set_content(why + "\n", "text/plain; charset=utf-8");
  }
}

//! Before any route: the Host header must name this dashboard (DNS rebinding), and with a users
//! file the request must carry one of its accounts.
httplib::Server::HandlerResponse check_access(const httplib::Request& req, httplib::Response& res,
                                              const ServerConfig& config, const HostAllowList& hosts, int port) {
  const std::string host = req.get_header_value("Host");
  if (!hosts.allows(host, port)) {
    send_refusal(req, res, 421,
                 "this dashboard does not answer to the host name '" + host.substr(0, 100) +
                     "' (bda-dashboard --allowed-host NAME adds one)");
    return httplib::Server::HandlerResponse::Handled;
  }
  if (config.users && !config.users->authenticate(req.get_header_value("Authorization"))) {
    res.set_header("WWW-Authenticate", "Basic realm=\"bda-dashboard\", charset=\"UTF-8\"");
    send_refusal(req, res, 401, "authentication required");
    return httplib::Server::HandlerResponse::Handled;
  }
  return httplib::Server::HandlerResponse::Unhandled;
}

void install_routes(httplib::Server& server, const Api& api, const ServerConfig& config, const HostAllowList& hosts,
                    const int& port, int& listening_socket) {
  server.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                              {"Referrer-Policy", "no-referrer"},
                              {"X-Frame-Options", "DENY"},
                              {"Content-Security-Policy", kContentSecurityPolicy}});
  // SO_REUSEADDR (restart at once after a stop) but not httplib's default SO_REUSEPORT, with
  // which a second dashboard would silently share the port instead of failing.
  server.set_socket_options([&listening_socket](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listening_socket = sock;
  });
  server.set_payload_max_length(kMaxRequestBody);
  server.set_read_timeout(kReadTimeoutSeconds);
  server.set_write_timeout(kWriteTimeoutSeconds);
  server.set_keep_alive_max_count(kKeepAliveRequests);
  server.set_keep_alive_timeout(kKeepAliveSeconds);
  server.new_task_queue = [] { return new httplib::ThreadPool(kWorkers); };
  server.Get(R"(/api/([A-Za-z0-9_]*))",
             [&api](const httplib::Request& req, httplib::Response& res) { serve_api(api, req, res); });
  server.Get(R"(/.*)", serve_asset);
  server.set_pre_routing_handler([&config, &hosts, &port](const httplib::Request& req, httplib::Response& res) {
    return check_access(req, res, config, hosts, port);
  });
  // Only GET (and HEAD) exist; anything else is 405 with the methods that do.
  const auto not_allowed = [](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Allow", "GET, HEAD");
    send_refusal(req, res, 405, "method " + req.method + " is not allowed; the dashboard answers GET and HEAD");
  };
  server.Post(R"(/.*)", not_allowed);
  server.Put(R"(/.*)", not_allowed);
  server.Patch(R"(/.*)", not_allowed);
  server.Delete(R"(/.*)", not_allowed);
  server.Options(R"(/.*)", not_allowed);
  // Errors with no body of their own (an unknown method or path) still answer in JSON under /api.
  using Handled = httplib::Server::HandlerWithResponse;
  server.set_error_handler(Handled([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty() || res.status == 304) return httplib::Server::HandlerResponse::Unhandled;
    // A request httplib refused before parsing its target (414) has no path: JSON too.
    if (req.path.rfind("/api/", 0) == 0 || req.path.empty()) {
      std::string what = "request refused (HTTP " + std::to_string(res.status) + ")";
      if (res.status == 404) what = "no such resource: " + req.method + " " + req.path;
      if (res.status == 413) what = "request body too large (the API takes no bodies)";
      if (res.status == 414) what = "request URI too long";
      send_json(res, res.status, {{"error", what}});
    } else {
      res.set_content("HTTP " + std::to_string(res.status) + "\n", "text/plain; charset=utf-8");
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
  server.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::fprintf(stderr, "bda-dashboard: %s %s: 500 %s\n", req.method.c_str(), req.path.c_str(), what.c_str());
    send_json(res, 500, {{"error", "internal error: " + what}});
  });
  if (config.access_log) {
    server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      std::fprintf(stderr, "bda-dashboard: %s %s %d\n", req.method.c_str(), req.target.c_str(), res.status);
    });
  }
}

} // namespace

void serve_until_signal(const Api& api, const ServerConfig& config, const std::function<void(int port)>& on_listening) {
  // Block the stop signals in this thread before httplib starts its workers (they inherit the
  // mask); one thread waits for them and stops the server, so no handler runs in signal context.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  httplib::Server server;
  const HostAllowList hosts(config.bind_address, config.allowed_hosts);
  int port = config.port;
  int listening_socket = -1;
  install_routes(server, api, config, hosts, port, listening_socket); // the checks read `port` once bound
  if (port == 0) {
    port = server.bind_to_any_port(config.bind_address);
    if (port < 0) throw Error("cannot listen on " + config.bind_address + " (any port)");
  } else if (!server.bind_to_port(config.bind_address, port)) {
    throw Error("cannot listen on " + config.bind_address + ":" + std::to_string(port) +
                " (in use, or not an address of this host?)");
  }

  // httplib listens with a backlog of 5; listen() again on the bound socket raises it (Linux).
  if (listening_socket >= 0) ::listen(listening_socket, kListenBacklog);

  std::atomic<bool> done{false};
  std::thread waiter([&server, &stop_signals, &done] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    // stop() is a no-op until listen_after_bind runs: repeat it until the server has returned.
    while (!done) {
      server.stop();
      std::this_thread::sleep_for(kStopPollInterval);
    }
  });
  on_listening(port);
  server.listen_after_bind();
  done = true;
  // Without a stop signal (the socket failed) the waiter still waits: wake it. The signal stays
  // blocked, so it cannot end the process.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
}

} // namespace bda::dashboard
