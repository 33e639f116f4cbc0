#!/usr/bin/env bash
# web: bda-dashboard in a real browser (Debian's headless Chromium, driven by playwright-core).
# Loads a generated month plus hand-made customers with bda-etl (2 ranks), serves it with
# bda-dashboard as the read-only report account, computes every figure the pages show directly on
# the database (expected.json), and runs tests/web/dashboard.spec.mjs against it. Also: the
# command line (exit codes), reconnecting after the server killed the pooled connections, and a
# dashboard whose database is down (503).
#   bash tests/web/dashboard_test.sh <bin dir> <source dir> <db dir>
# BDA_UPDATE_SCREENSHOTS=1 writes the screenshots to docs/img/ (else to the temporary directory);
# BDA_WEB_KEEP=1 keeps the temporary directory and the database; BDA_CHROMIUM overrides /usr/bin/chromium.
set -euo pipefail

BIN=${1:?usage: dashboard_test.sh <bin dir> <source dir> <db dir>}
SRC=${2:?usage: dashboard_test.sh <bin dir> <source dir> <db dir>}
DBDIR=${3:?usage: dashboard_test.sh <bin dir> <source dir> <db dir>}
BIN=$(cd "$BIN" && pwd)
readonly CHROMIUM=${BDA_CHROMIUM:-/usr/bin/chromium}
readonly NODE_DIR=$BIN/../web-test-node # playwright-core, installed once per build tree
readonly LINES_PER_DAY=2000

fail() { echo "FAIL: $*" >&2; exit 1; }

# --- what the test needs: a missing tool is a failure, never a skip ------------------------------
[[ -x $BIN/bda-dashboard ]] ||
  fail "$BIN/bda-dashboard was not built: CMake needs cpp-httplib (apt-get install libcpp-httplib-dev) and npm to fetch ECharts"
[[ -x $CHROMIUM ]] || fail "no Chromium at $CHROMIUM: apt-get install chromium (or set BDA_CHROMIUM)"
command -v node >/dev/null || fail "no node: apt-get install nodejs"
command -v npm >/dev/null || fail "no npm: apt-get install npm"
command -v mpirun >/dev/null || fail "no mpirun: apt-get install openmpi-bin"
[[ -f $DBDIR/env ]] || fail "no $DBDIR/env: the bda_db fixture (warehouse.db_start) did not start a server"
# shellcheck source=/dev/null
source "$DBDIR/env"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

if ! cmp -s "$SRC/tests/web/package-lock.json" "$NODE_DIR/package-lock.json" ||
    [[ ! -f $NODE_DIR/node_modules/playwright-core/package.json ]]; then
  rm -rf "$NODE_DIR"
  mkdir -p "$NODE_DIR"
  cp "$SRC/tests/web/package.json" "$SRC/tests/web/package-lock.json" "$NODE_DIR/"
  (cd "$NODE_DIR" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) ||
    fail "npm ci of tests/web/package-lock.json (playwright-core) failed in $NODE_DIR: is the npm registry reachable?"
fi

# --- a database, accounts and a lake of our own --------------------------------------------------
T=$(mktemp -d)
DB="bda_web_$$"
LOADER="web_load_$$"
REPORT="web_rep_$$"
PIDS=()
# shellcheck source=tests/web/web_lib.sh
source "$SRC/tests/web/web_lib.sh"
cleanup() {
  local rc=$? pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ ${BDA_WEB_KEEP:-0} == 1 ]]; then
    echo "kept $T and database $DB" >&2
  else
    web_drop_warehouse
    rm -rf "$T"
  fi
  exit "$rc"
}
trap cleanup EXIT

web_create_warehouse

"$BIN/bda-gen" --out "$T/lake" --month 2022-04 --lines-per-day "$LINES_PER_DAY" --dirty-share 0.01 --seed 5 --quiet
# Hand-made customers: markup that must stay text, UTF-8, SQL wildcards, and one with no viewing time.
node --input-type=module - "$T/lake" <<'JS'
import fs from 'node:fs';
const lake = process.argv[2];
const hit = (contract, app, duration) => JSON.stringify({ _index: 'history', _id: 'hand', _source: { Contract: contract, AppName: app, TotalDuration: duration } }) + '\n';
const add = (day, line) => fs.appendFileSync(`${lake}/202204${String(day).padStart(2, '0')}.json`, line);
for (let day = 1; day <= 30; day++) add(day, hit('ZZ-<script>alert(1)</script>', 'KPLUS', 3600)); // Loyal, TV
for (const day of [2, 9, 16]) add(day, hit('ZZ-Ngô-Thị-😀', 'CHILD', 1200));                  // At Risk, Child
add(3, hit('ZZ-100%_off', 'VOD', 500));                                                        // LIKE wildcards
add(4, hit('ZZ-ZERO', 'SPORT', 0));                                                            // MostWatch none
JS

etl() { # etl NAME DAY-OPTIONS...: a 2-rank run loading the days into $DB as the loader
  local name=$1
  shift
  timeout 120 mpirun -np 2 --oversubscribe "$BIN/bda-etl" --lake "$T/lake" "$@" \
    --out "$T/out-$name.csv" --quiet --db-socket "$BDA_DB_SOCKET" --db-user "$LOADER" \
    --db-password-file "$T/$LOADER.password" --db-name "$DB" 2>"$T/etl.err" || fail "bda-etl $*: $(cat "$T/etl.err")"
}
# A week first, then two of its days as a list (a period of its own with the same first and last
# day): three periods to choose from; the month is the last load.
etl week --from 2022-04-01 --to 2022-04-07
etl list --date 2022-04-01 --date 2022-04-07
etl month --from 2022-04-01 --to 2022-04-30

# --- the expected figures, straight from the database --------------------------------------------
readonly MONTH="period_key = '2022-04-01..2022-04-30'"
readonly WEEK="period_key = '2022-04-01..2022-04-07'"
readonly LIST="period_key = '2022-04-01..2022-04-07/82'" # bits 1000 0010: days 1 and 7
# The SPEC section 6 figures of one filter, computed from the base table (not the views the API uses).
metrics() {
  echo "(SELECT JSON_OBJECT('customers', COUNT(*),
     'total_duration', COALESCE(SUM(ChildDuration + MovieDuration + SportDuration + TVDuration + RelaxDuration), 0),
     'avg_month', ROUND(SUM(ChildDuration + MovieDuration + SportDuration + TVDuration + RelaxDuration) / COUNT(*), 2),
     'avg_week', ROUND(SUM(ChildDuration + MovieDuration + SportDuration + TVDuration + RelaxDuration) / (COUNT(*) * 4), 2),
     'avg_day', ROUND(SUM(ChildDuration + MovieDuration + SportDuration + TVDuration + RelaxDuration) / (COUNT(*) * 28), 2))
   FROM customer_behavior WHERE $MONTH AND $1)"
}
admin -N -B --raw "$DB" >"$T/expected.json" <<SQL
SELECT JSON_OBJECT(
  'period', JSON_OBJECT('period_key', '2022-04-01..2022-04-30', 'period_start', '2022-04-01', 'period_end', '2022-04-30'),
  'week', JSON_OBJECT('period_key', '2022-04-01..2022-04-07', 'period_start', '2022-04-01', 'period_end', '2022-04-07',
                      'customers', (SELECT COUNT(*) FROM customer_behavior WHERE $WEEK)),
  'list', JSON_OBJECT('period_key', '2022-04-01..2022-04-07/82', 'period_start', '2022-04-01', 'period_end', '2022-04-07',
                      'customers', (SELECT COUNT(*) FROM customer_behavior WHERE $LIST),
                      'max_date_count', (SELECT MAX(DateCount) FROM customer_behavior WHERE $LIST)),
  'metrics', (SELECT JSON_OBJECT('customers', customers, 'total_duration', total_duration,
                'avg_month', avg_duration_per_person_per_month, 'avg_week', avg_duration_per_person_per_week,
                'avg_day', avg_duration_per_person_per_day) FROM v_period_metrics WHERE $MONTH),
  'metrics_direct', $(metrics "TRUE"),
  'loyal', $(metrics "Segment = 'Loyal Customer'"),
  'loyal_tv', $(metrics "Segment = 'Loyal Customer' AND MostWatch = 'TV'"),
  'at_risk_child_taste', $(metrics "Segment = 'At Risk Customer' AND Taste = 'Child'"),
  'most_watch_none', $(metrics "MostWatch IS NULL"),
  'segments', (SELECT JSON_ARRAYAGG(JSON_OBJECT('segment', Segment, 'customers', customers) ORDER BY segment_rank)
               FROM v_segment_summary WHERE $MONTH),
  'segment_counts', (SELECT JSON_OBJECTAGG(Segment, n) FROM (SELECT Segment, COUNT(*) AS n FROM customer_behavior
                     WHERE $MONTH GROUP BY Segment) AS s),
  'categories', (SELECT JSON_ARRAYAGG(JSON_OBJECT('category', category, 'total_duration', total_duration,
                 'share_of_total', share_of_total, 'most_watch_customers', most_watch_customers) ORDER BY category_rank)
                 FROM v_category_summary WHERE $MONTH),
  'no_most_watch', (SELECT COUNT(*) FROM customer_behavior WHERE $MONTH AND MostWatch IS NULL),
  'daily', (SELECT JSON_ARRAYAGG(JSON_OBJECT('stat_date', stat_date, 'active_customers', active_customers,
            'Child', child_duration, 'Movie', movie_duration, 'Sport', sport_duration, 'TV', tv_duration,
            'Relax', relax_duration) ORDER BY stat_date)
            FROM v_daily_statistics WHERE stat_date BETWEEN '2022-04-01' AND '2022-04-30'),
  'histogram', (SELECT JSON_ARRAYAGG(n ORDER BY b) FROM (SELECT b.b, (SELECT COUNT(*) FROM customer_behavior
                WHERE $MONTH AND Activeness >= b.b * 10 AND (Activeness < b.b * 10 + 10 OR b.b = 9)) AS n
                FROM (SELECT 0 AS b UNION SELECT 1 UNION SELECT 2 UNION SELECT 3 UNION SELECT 4 UNION SELECT 5
                      UNION SELECT 6 UNION SELECT 7 UNION SELECT 8 UNION SELECT 9) AS b) AS h),
  'matrix', (SELECT JSON_OBJECTAGG(k, n) FROM (SELECT CONCAT(Segment, '|', IFNULL(MostWatch, 'none')) AS k,
             COUNT(*) AS n FROM customer_behavior WHERE $MONTH GROUP BY Segment, MostWatch) AS m),
  'max_date_count', (SELECT MAX(DateCount) FROM customer_behavior WHERE $MONTH),
  'first_by_contract', (SELECT JSON_ARRAYAGG(h ORDER BY c) FROM (SELECT HEX(Contract) AS h, Contract AS c
                        FROM customer_behavior WHERE $MONTH ORDER BY Contract LIMIT 3) AS f),
  'percent_contracts', (SELECT JSON_ARRAYAGG(CONVERT(Contract USING utf8mb4)) FROM customer_behavior
                        WHERE $MONTH AND LEFT(Contract, 7) = 'ZZ-100%'),
  'underscore_customers', (SELECT COUNT(*) FROM customer_behavior WHERE $MONTH AND LEFT(Contract, 1) = '_'),
  'injection_customers', (SELECT COUNT(*) FROM customer_behavior WHERE $MONTH AND LEFT(Contract, 11) = "' OR 1=1 --"),
  'zz_customers', (SELECT COUNT(*) FROM customer_behavior WHERE $MONTH AND LEFT(Contract, 3) IN ('zz-', 'ZZ-')),
  'hand_made', (SELECT JSON_ARRAYAGG(CONVERT(Contract USING utf8mb4) ORDER BY Contract) FROM customer_behavior
                WHERE $MONTH AND Contract LIKE 'ZZ-%'),
  'last_load', (SELECT JSON_OBJECT('run_id', run_id, 'finished_at', DATE_FORMAT(finished_at, '%Y-%m-%d %H:%i:%s'))
                FROM v_last_load)
) AS expected
SQL
node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$T/expected.json" ||
  fail "the expected figures are not JSON: $(head -c 500 "$T/expected.json")"

# --- the command line ----------------------------------------------------------------------------
"$BIN/bda-dashboard" --help >"$T/help.txt" || fail "--help exits $?"
grep -q -- '--refresh-seconds' "$T/help.txt" || fail "--help does not list --refresh-seconds"
expect_usage_error() { # expect_usage_error WHAT ARGS...: exit 2 and one "bda-dashboard: error:" line
  local what=$1 rc=0
  shift
  "$BIN/bda-dashboard" "$@" >/dev/null 2>"$T/usage.err" || rc=$?
  [[ $rc == 2 ]] || fail "$what: exit $rc, expected 2 ($(cat "$T/usage.err"))"
  grep -q '^bda-dashboard: error: ' "$T/usage.err" || fail "$what: no error line ($(cat "$T/usage.err"))"
}
expect_usage_error "no --db-user" --db-socket "$BDA_DB_SOCKET"
expect_usage_error "--port 70000" --db-user x --port 70000
expect_usage_error "--refresh-seconds 999999999" --db-user x --refresh-seconds 999999999
expect_usage_error "an unknown option" --db-user x --bogus
expect_usage_error "a missing password file" --db-user x --db-password-file "$T/nope"

# --- dashboards ----------------------------------------------------------------------------------
# start_dashboard NAME ARGS...: starts bda-dashboard on a free port (--port 0) and sets URL_<NAME>.
URL_main="" URL_fast="" URL_down=""
start_dashboard() {
  local name=$1
  shift
  web_start_dashboard "$T/dashboard-$name.log" "$@"
  PIDS+=("$WEB_PID")
  [[ $WEB_URL == http://127.0.0.1:* ]] || fail "bda-dashboard ($name) does not listen on 127.0.0.1 by default: $WEB_URL"
  printf -v "URL_$name" '%s' "$WEB_URL"
}
start_dashboard main --db-socket "$BDA_DB_SOCKET"
start_dashboard fast --db-host 127.0.0.1 --db-port "$BDA_DB_PORT" --refresh-seconds 2 # TCP, auto-refresh
start_dashboard down --db-socket "$T/no-server.sock"

# A port in use is an error (exit 1), not a second server sharing it.
rc=0
timeout 10 "$BIN/bda-dashboard" --db-user x --port "${URL_main##*:}" >/dev/null 2>"$T/busy.err" || rc=$?
if [[ $rc != 1 ]] || ! grep -q 'cannot listen on' "$T/busy.err"; then fail "a port in use: exit $rc ($(cat "$T/busy.err"))"; fi

# http_status URL: the status code of a GET (node, so no curl is needed).
http_status() {
  node -e 'fetch(process.argv[1]).then((r) => console.log(r.status), (e) => { console.error(e.message); process.exit(1); })' "$1"
}
# Reconnect: the server kills the report account's pooled connections; the next request still works.
[[ $(http_status "$URL_main/api/overview") == 200 ]] || fail "GET /api/overview before the kill"
killed=0
while read -r id; do
  admin -e "KILL CONNECTION $id" 2>/dev/null && killed=$((killed + 1))
done < <(admin -N -B -e "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '$REPORT'")
((killed > 0)) || fail "no pooled connection of $REPORT to kill"
status=$(http_status "$URL_main/api/overview")
[[ $status == 200 ]] || fail "after the server killed $killed pooled connection(s), GET /api/overview answered $status, expected 200"

# --- the browser ---------------------------------------------------------------------------------
if [[ ${BDA_UPDATE_SCREENSHOTS:-0} == 1 ]]; then SHOTS=$SRC/docs/img; else SHOTS=$T/screenshots; fi
mkdir -p "$SHOTS"
BDA_DASHBOARD_URL=$URL_main BDA_DASHBOARD_FAST_URL=$URL_fast \
  BDA_DASHBOARD_DOWN_URL=$URL_down BDA_EXPECTED_JSON=$T/expected.json BDA_SCREENSHOT_DIR=$SHOTS \
  BDA_CHROMIUM=$CHROMIUM BDA_BROWSER_PROFILE=$T/chromium-profile BDA_PLAYWRIGHT=$NODE_DIR/node_modules/playwright-core/index.mjs \
  node "$SRC/tests/web/dashboard.spec.mjs" || fail "the browser checks failed (dashboard logs: $T/dashboard-*.log)"
for name in main fast; do
  if grep -q ': 5[0-9][0-9] ' "$T/dashboard-$name.log"; then fail "bda-dashboard ($name) logged a 5xx: $(grep ': 5[0-9][0-9] ' "$T/dashboard-$name.log")"; fi
done
echo "screenshots: $SHOTS/dashboard-overview.png $SHOTS/dashboard-details.png"
echo "PASS: web dashboard"
