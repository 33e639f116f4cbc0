// Who may use the dashboard and under which names: HTTP Basic credentials from a users file, and
// the Host names it answers to (a browser tricked by DNS rebinding sends another name). No HTTP here:
// the server asks these before any route runs.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bda::dashboard {

//! The accounts of a users file: one "name:password" a line; blank lines and lines starting with
//! '#' are skipped. Passwords are compared in time independent of where they differ.
class Users {
public:
  //! Throws UsageError naming the file when it cannot be read, is readable by group or others
  //! (it holds passwords: chmod 600), holds a line without ':' or an empty name or password, or
  //! holds no account.
  static Users from_file(const std::filesystem::path& path);
  static Users from_text(std::string_view text, std::string_view origin);

  //! The user an Authorization header value ("Basic base64(name:password)") names, when the
  //! password is theirs.
  std::optional<std::string> authenticate(std::string_view authorization) const;
  std::size_t size() const { return accounts_.size(); }

private:
  struct Account {
    std::string name, password;
  };
  std::vector<Account> accounts_;
};

//! The Host header values the dashboard answers to: the loopback names, this host's name, the bind
//! address (unless it is a wildcard) and the names given, each with or without ":port".
class HostAllowList {
public:
  HostAllowList(const std::string& bind_address, std::vector<std::string> extra_names);
  //! `host` as the Host header has it ("name", "name:port", "[::1]:port"); names compare without case.
  bool allows(std::string_view host, int port) const;
  const std::vector<std::string>& names() const { return names_; }

private:
  std::vector<std::string> names_; // lower case, IPv6 without brackets
};

//! 127.0.0.0/8, ::1 and "localhost": an address only this host can reach.
bool is_loopback_address(std::string_view address);

//! Decodes standard base64 (RFC 4648, padding required); nullopt for anything else.
std::optional<std::string> decode_base64(std::string_view text);

} // namespace bda::dashboard
