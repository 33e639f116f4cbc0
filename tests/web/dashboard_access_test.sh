#!/usr/bin/env bash
# web: bda-dashboard as it may be put on a network, over loopback only. With --users-file every page
# and API call needs HTTP Basic credentials (401 with a challenge otherwise); a Host header that is
# not this dashboard's gets 421 (DNS rebinding); other methods get 405; 413 and 414 answer JSON under
# /api/; a 503 names no account, socket or driver message (the log does); a non-loopback --bind
# without a login and a users file others can read are refused; nine slow clients dribbling their
# headers do not hold up a normal request, and 200 parallel requests all succeed. The warehouse is
# absent on purpose: /api/config needs none, the rest answer 503.
#   bash tests/web/dashboard_access_test.sh <bin dir> <source dir>
set -euo pipefail

BIN=${1:?usage: dashboard_access_test.sh <bin dir> <source dir>}
fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $BIN/bda-dashboard ]] || fail "$BIN/bda-dashboard was not built"
command -v python3 >/dev/null || fail "python3 is needed"

T=$(mktemp -d)
PID=
cleanup() {
  [[ -z $PID ]] || { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
  rm -rf "$T"
}
trap cleanup EXIT

printf '# accounts of the test\nalice:s3cret:with:colons\nbob:hunter2\n' >"$T/users"
chmod 600 "$T/users"
SOCKET=$T/no-such-warehouse.sock

# --- refused before anything listens
rc=0
"$BIN/bda-dashboard" --bind 0.0.0.0 --port 0 --db-socket "$SOCKET" --db-user bda_report 2>"$T/bind.err" || rc=$?
[[ $rc == 2 ]] || fail "--bind 0.0.0.0 without a login: exit $rc, not 2"
grep -q "without a login: give --users-file" "$T/bind.err" || fail "no reason for the refused --bind: $(cat "$T/bind.err")"
cp "$T/users" "$T/users-readable"
chmod 644 "$T/users-readable"
rc=0
"$BIN/bda-dashboard" --port 0 --users-file "$T/users-readable" --db-socket "$SOCKET" --db-user bda_report \
  2>"$T/mode.err" || rc=$?
[[ $rc == 2 ]] || fail "a users file others may read: exit $rc, not 2"
grep -q "chmod 600" "$T/mode.err" || fail "no chmod advice: $(cat "$T/mode.err")"

# --- the dashboard with a login
"$BIN/bda-dashboard" --port 0 --users-file "$T/users" --allowed-host dash.example.com \
  --db-socket "$SOCKET" --db-user bda_report 2>"$T/server.err" &
PID=$!
for _ in $(seq 100); do
  PORT=$(sed -n 's|.*serving http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$T/server.err")
  [[ -n $PORT ]] && break
  sleep 0.1
done
[[ -n ${PORT:-} ]] || fail "bda-dashboard did not start: $(cat "$T/server.err")"

python3 - "$PORT" "$SOCKET" <<'PY' || fail "the HTTP checks failed (see above)"
import base64, concurrent.futures, http.client, json, socket, sys, threading, time

port, socket_path = int(sys.argv[1]), sys.argv[2]
failures = []

def check(ok, what):
    if not ok:
        failures.append(what)
        print("not ok -", what, file=sys.stderr)

def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

ALICE = basic("alice", "s3cret:with:colons")

def request(method, path, headers=None, body=None, host=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    h = {"Host": f"127.0.0.1:{port}" if host is None else host}
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data

def is_json_error(data):
    try:
        return isinstance(json.loads(data).get("error"), str)
    except ValueError:
        return False

# Authentication
s, h, d = request("GET", "/api/config")
check(s == 401 and h.get("www-authenticate", "").startswith("Basic realm=") and is_json_error(d),
      f"no credentials: 401 with a Basic challenge and a JSON error (got {s} {h.get('www-authenticate')} {d[:80]})")
s, _, d = request("GET", "/")
check(s == 401 and b"authentication required" in d, f"the page without credentials: 401 (got {s})")
for who, auth in [("a wrong password", basic("alice", "s3cret")), ("an unknown user", basic("mallory", "hunter2")),
                  ("another user's password", basic("alice", "hunter2")), ("not base64", "Basic !!!"),
                  ("another scheme", "Bearer s3cret")]:
    s, _, _ = request("GET", "/api/config", {"Authorization": auth})
    check(s == 401, f"{who}: 401 (got {s})")
s, _, d = request("GET", "/api/config", {"Authorization": ALICE})
check(s == 200 and "refresh_seconds" in json.loads(d), f"alice (a password with colons): 200 (got {s})")
s, _, _ = request("GET", "/api/config", {"Authorization": basic("bob", "hunter2")})
check(s == 200, f"bob: 200 (got {s})")
s, h, d = request("GET", "/", {"Authorization": ALICE})
check(s == 200 and h.get("content-type", "").startswith("text/html"), f"the page with credentials: 200 (got {s})")

# Host allow-list
for host, want in [(f"127.0.0.1:{port}", 200), (f"localhost:{port}", 200), ("localhost", 200),
                   (f"[::1]:{port}", 200), (f"DASH.example.com:{port}", 200),
                   ("evil.example.com", 421), (f"evil.example.com:{port}", 421), (f"localhost:{port + 1}", 421),
                   ("127.0.0.1.evil.example.com", 421), ("", 421)]:
    s, _, d = request("GET", "/api/config", {"Authorization": ALICE}, host=host)
    check(s == want, f"Host '{host}': {want} (got {s})")
    if want == 421:
        check(is_json_error(d), f"Host '{host}': a JSON error body")

# Methods, sizes
s, h, d = request("POST", "/api/config", {"Authorization": ALICE}, body=b"x")
check(s == 405 and h.get("allow") == "GET, HEAD" and is_json_error(d), f"POST /api/config: 405 JSON with Allow (got {s} {d[:80]})")
s, _, d = request("DELETE", "/", {"Authorization": ALICE})
check(s == 405, f"DELETE /: 405 (got {s})")
s, _, d = request("GET", "/api/config?x=" + "a" * 9000, {"Authorization": ALICE})
check(s == 414 and is_json_error(d), f"a 9000-byte URI: 414 JSON (got {s} {d[:80]})")
s, _, d = request("POST", "/api/config", {"Authorization": ALICE, "Content-Type": "text/plain"}, body=b"x" * 20000)
check(s == 413 and is_json_error(d), f"a 20 kB body: 413 JSON (got {s} {d[:80]})")

# A 503 tells the client what, not where or who
s, _, d = request("GET", "/api/overview", {"Authorization": ALICE})
text = d.decode("utf-8", "replace")
check(s == 503 and "cannot connect to the warehouse" in text, f"no warehouse: 503 saying so (got {s} {text[:120]})")
for secret in [socket_path, "no-such-warehouse", "bda_report", "Can't connect", "(2002)"]:
    check(secret not in text, f"the 503 body reveals '{secret}': {text}")

# Nine slow clients dribbling a header line every 2 s do not hold up a normal request.
def dribble():
    try:
        c = socket.create_connection(("127.0.0.1", port), timeout=30)
        c.sendall(f"GET /api/config HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
        for i in range(5):
            time.sleep(2)
            c.sendall(f"X-Slow-{i}: 1\r\n".encode())
        c.close()
    except OSError:
        pass
slow = [threading.Thread(target=dribble) for _ in range(9)]
for t in slow:
    t.start()
time.sleep(0.5)
start = time.monotonic()
s, _, _ = request("GET", "/api/config", {"Authorization": ALICE})
waited = time.monotonic() - start
check(s == 200 and waited < 2, f"a request among nine slow clients: 200 within 2 s (got {s} after {waited:.1f} s)")
for t in slow:
    t.join()

# 200 parallel requests: every one answered.
with concurrent.futures.ThreadPoolExecutor(max_workers=200) as pool:
    statuses = list(pool.map(lambda _: request("GET", "/api/config", {"Authorization": ALICE})[0], range(200)))
check(statuses.count(200) == 200, f"200 parallel requests: all 200 (got {sorted(set(statuses))}, {statuses.count(200)} ok)")

sys.exit(1 if failures else 0)
PY
grep -q "503 .*$SOCKET" "$T/server.err" || fail "the server's log does not say why the warehouse failed: $(cat "$T/server.err")"
echo "ok: login, Host allow-list, methods, sizes, 503 bodies, slow and parallel clients"
