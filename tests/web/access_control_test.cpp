// The dashboard's access checks without a server: base64, the users file and Basic credentials,
// the Host allow-list, loopback addresses.
#include "bda/dashboard/access_control.hpp"

#include "bda/core/error.hpp"

#include <catch2/catch.hpp>

using namespace bda::dashboard;

TEST_CASE("Access: base64 decodes RFC 4648 with padding and refuses anything else", "[dashboard]") {
  CHECK(decode_base64("") == std::string());
  CHECK(decode_base64("YQ==") == std::string("a"));
  CHECK(decode_base64("YWI=") == std::string("ab"));
  CHECK(decode_base64("YWJj") == std::string("abc"));
  CHECK(decode_base64("YWxpY2U6czNjcmV0") == std::string("alice:s3cret"));
  CHECK(decode_base64("AP8=") == std::string("\x00\xff", 2));
  for (const char* bad : {"YQ", "YQ=", "Y===", "YQ==YQ==", "Y=Q=", "YW!j", "YW j", "YQ==\n"})
    CHECK_FALSE(decode_base64(bad).has_value());
}

TEST_CASE("Access: a users file holds name:password lines; the password may hold colons", "[dashboard]") {
  const Users users = Users::from_text("# who may look\n\nalice:s3cret:x\r\nbob:hunter2\n", "test");
  CHECK(users.size() == 2);
  CHECK(users.authenticate("Basic YWxpY2U6czNjcmV0Ong=") == std::optional<std::string>("alice")); // alice:s3cret:x
  CHECK(users.authenticate("basic Ym9iOmh1bnRlcjI=") == std::optional<std::string>("bob"));       // bob:hunter2
  CHECK_FALSE(users.authenticate("Basic YWxpY2U6czNjcmV0").has_value());     // alice:s3cret (a prefix)
  CHECK_FALSE(users.authenticate("Basic YWxpY2U6czNjcmV0OnhY").has_value()); // alice:s3cret:xX (longer)
  CHECK_FALSE(users.authenticate("Basic YWxpY2U6aHVudGVyMg==").has_value()); // alice:hunter2 (bob's)
  CHECK_FALSE(users.authenticate("Basic YWxpY2U=").has_value());             // "alice": no colon
  CHECK_FALSE(users.authenticate("Bearer s3cret").has_value());
  CHECK_FALSE(users.authenticate("").has_value());
  CHECK_THROWS_AS(Users::from_text("# nobody\n", "test"), bda::UsageError);
  CHECK_THROWS_AS(Users::from_text("alice\n", "test"), bda::UsageError);
  CHECK_THROWS_AS(Users::from_text(":pw\n", "test"), bda::UsageError);
  CHECK_THROWS_AS(Users::from_text("alice:\n", "test"), bda::UsageError);
}

TEST_CASE("Access: the Host allow-list takes this dashboard's names with or without its port", "[dashboard]") {
  const HostAllowList hosts("127.0.0.1", {"Dash.Example.com"});
  for (const char* ok : {"localhost", "localhost:8080", "LOCALHOST:8080", "127.0.0.1:8080", "[::1]:8080", "[::1]",
                         "dash.example.com", "DASH.EXAMPLE.COM:8080"})
    CHECK(hosts.allows(ok, 8080));
  for (const char* refused : {"", "evil.example.com", "evil.example.com:8080", "localhost:8081", "127.0.0.2:8080",
                              "localhost.evil.example.com", "::1", "[::1", "localhost:80a", "localhost:", ":8080"})
    CHECK_FALSE(hosts.allows(refused, 8080));
  CHECK(HostAllowList("10.0.0.5", {}).allows("10.0.0.5:8080", 8080));
  CHECK_FALSE(HostAllowList("0.0.0.0", {}).allows("0.0.0.0:8080", 8080)); // a wildcard is no name
}

TEST_CASE("Access: loopback addresses are 127.0.0.0/8, ::1 and localhost", "[dashboard]") {
  for (const char* a : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"}) CHECK(is_loopback_address(a));
  for (const char* a : {"0.0.0.0", "::", "10.0.0.1", "192.168.1.2", "128.0.0.1", "localhost.example.com"})
    CHECK_FALSE(is_loopback_address(a));
}
