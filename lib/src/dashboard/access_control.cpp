#include "bda/dashboard/access_control.hpp"

#include "bda/core/error.hpp"
#include "bda/core/text_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <climits>

namespace bda::dashboard {
namespace {

//! Equal strings, in time that depends only on the longer length, not on where they differ.
bool equal_constant_time(std::string_view a, std::string_view b) {
  const std::size_t n = std::max(a.size(), b.size());
  unsigned diff = a.size() == b.size() ? 0U : 1U;
  for (std::size_t i = 0; i < n; ++i) {
    const auto x = static_cast<unsigned char>(i < a.size() ? a[i] : 0);
    const auto y = static_cast<unsigned char>(i < b.size() ? b[i] : 0);
    diff |= static_cast<unsigned>(x ^ y);
  }
  return diff == 0;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

//! "name:port" / "[v6]:port" / "name" -> (name without brackets, port or -1); nullopt if malformed.
std::optional<std::pair<std::string, int>> split_host(std::string_view host) {
  std::string_view name = host;
  std::string_view port;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    name = host.substr(1, close - 1);
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port = rest.substr(1);
    }
  } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
    if (host.find(':') != colon) return std::nullopt; // a bare IPv6 address is not a Host header
    name = host.substr(0, colon);
    port = host.substr(colon + 1);
  }
  int p = -1;
  const bool has_port = host.size() > name.size() + (host.front() == '[' ? 2 : 0);
  if (has_port && port.empty()) return std::nullopt; // "name:" with nothing after the colon
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    p = std::stoi(std::string(port));
  }
  if (name.empty()) return std::nullopt;
  return std::make_pair(lower(name), p);
}

} // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + static_cast<std::size_t>(k)];
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        v[k] = 0;
        ++pad;
      } else {
        if (pad > 0) return std::nullopt; // data after padding
        v[k] = value(c);
        if (v[k] < 0) return std::nullopt;
      }
    }
    const unsigned n = static_cast<unsigned>(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
    out += static_cast<char>(n >> 16 & 0xFF);
    if (pad < 2) out += static_cast<char>(n >> 8 & 0xFF);
    if (pad < 1) out += static_cast<char>(n & 0xFF);
  }
  return out;
}

Users Users::from_file(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    throw UsageError("--users-file " + path.string() + " holds passwords but others may read it: chmod 600 " +
                     path.string());
  return from_text(read_text_file(path, "--users-file"), path.string());
}

Users Users::from_text(std::string_view text, std::string_view origin) {
  Users users;
  std::size_t line_no = 0;
  for (std::size_t at = 0; at <= text.size();) {
    const std::size_t nl = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, nl - at);
    at = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == line.size())
      throw UsageError("--users-file " + std::string(origin) + " line " + std::to_string(line_no) +
                       ": expected name:password");
    users.accounts_.push_back({std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))});
  }
  if (users.accounts_.empty()) throw UsageError("--users-file " + std::string(origin) + " holds no name:password line");
  return users;
}

std::optional<std::string> Users::authenticate(std::string_view authorization) const {
  constexpr std::string_view kScheme = "Basic ";
  if (authorization.size() <= kScheme.size() || lower(authorization.substr(0, kScheme.size())) != "basic ")
    return std::nullopt;
  const auto decoded = decode_base64(authorization.substr(kScheme.size()));
  if (!decoded) return std::nullopt;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  const std::string_view name = std::string_view(*decoded).substr(0, colon);
  const std::string_view password = std::string_view(*decoded).substr(colon + 1);
  // Every account is compared, so the time says nothing about which name exists.
  std::optional<std::string> who;
  for (const Account& a : accounts_) {
    const bool name_ok = equal_constant_time(a.name, name);
    const bool password_ok = equal_constant_time(a.password, password);
    if (name_ok && password_ok && !who) who = a.name;
  }
  return who;
}

HostAllowList::HostAllowList(const std::string& bind_address, std::vector<std::string> extra_names) {
  names_ = {"localhost", "127.0.0.1", "::1"};
  char host[HOST_NAME_MAX + 1] = {};
  if (::gethostname(host, sizeof host - 1) == 0 && host[0] != '\0') names_.push_back(lower(host));
  if (bind_address != "0.0.0.0" && bind_address != "::" && !bind_address.empty()) {
    std::string b = lower(bind_address);
    if (b.size() > 2 && b.front() == '[' && b.back() == ']') b = b.substr(1, b.size() - 2);
    names_.push_back(b);
  }
  for (const std::string& n : extra_names) names_.push_back(lower(n));
}

bool HostAllowList::allows(std::string_view host, int port) const {
  const auto parsed = split_host(host);
  if (!parsed) return false;
  if (parsed->second != -1 && parsed->second != port) return false;
  return std::find(names_.begin(), names_.end(), parsed->first) != names_.end();
}

bool is_loopback_address(std::string_view address) {
  if (address == "localhost" || address == "::1" || address == "[::1]") return true;
  return address.rfind("127.", 0) == 0;
}

} // namespace bda::dashboard
