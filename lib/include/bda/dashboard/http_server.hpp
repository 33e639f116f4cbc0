// The HTTP side (cpp-httplib): the embedded pages and assets, and /api/* through Api.
#pragma once

#include "bda/dashboard/access_control.hpp"
#include "bda/dashboard/api.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace bda::dashboard {

struct ServerConfig {
  static constexpr int kDefaultPort = 8080;
  std::string bind_address = "127.0.0.1"; //!< loopback only unless the operator says otherwise
  int port = kDefaultPort;                //!< 0: any free port (reported through on_listening)
  bool access_log = false;                //!< one line per request on stderr
  //! Accounts for HTTP Basic authentication; none: no login (refused off loopback by the app
  //! unless it is told another layer authenticates).
  std::optional<Users> users;
  //! Host header names answered besides the loopback names, this host's name and the bind address.
  std::vector<std::string> allowed_hosts;
};

//! Binds, calls `on_listening(port)` once the socket accepts connections, and serves on httplib's
//! thread pool until SIGINT or SIGTERM; then finishes the requests in flight and returns.
//! Throws Error when the address cannot be bound. `on_listening` must not throw.
void serve_until_signal(const Api& api, const ServerConfig& config, const std::function<void(int port)>& on_listening);

} // namespace bda::dashboard
