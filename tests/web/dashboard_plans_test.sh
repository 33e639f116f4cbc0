#!/usr/bin/env bash
# web: the dashboard's queries read the period summaries, not the customer rows. On a generated
# month of some 150,000 customers loaded by bda-etl (2 ranks):
#  - loaded_period and customer_cube hold exactly what the same aggregation over customer_behavior
#    gives (both directions), and a reload replaces the period's summaries instead of adding to them;
#  - every statement each aggregate endpoint sends (captured from the server's general log, with
#    its bound values) is EXPLAINed: none touches customer_behavior (each request begins by opening
#    it, reading nothing); the customer list and the customer history touch it only through an
#    index, never by a full scan, and an unfiltered page seeks from its page mark;
#  - any page, in every indexed order, with and without a filter, equals ORDER BY ... LIMIT.
#   bash tests/web/dashboard_plans_test.sh <bin dir> <source dir> <db dir>
set -euo pipefail

BIN=${1:?usage: dashboard_plans_test.sh <bin dir> <source dir> <db dir>}
SRC=${2:?usage: dashboard_plans_test.sh <bin dir> <source dir> <db dir>}
DBDIR=${3:?usage: dashboard_plans_test.sh <bin dir> <source dir> <db dir>}

fail() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $BIN/bda-dashboard ]] || fail "$BIN/bda-dashboard was not built"
command -v curl >/dev/null || fail "no curl: apt-get install curl"
command -v node >/dev/null || fail "no node: apt-get install nodejs"
[[ -f $DBDIR/env ]] || fail "no $DBDIR/env: the bda_db fixture (warehouse.db_start) did not start a server"
# shellcheck source=/dev/null
source "$DBDIR/env"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

T=$(mktemp -d)
DB="bda_plans_$$" LOADER="plans_load_$$" REPORT="plans_rep_$$"
WEB_PID=""
# shellcheck source=tests/web/web_lib.sh
source "$SRC/tests/web/web_lib.sh"
q() { admin -N -B "$DB" -e "$1"; }
cleanup() {
  local rc=$?
  admin -e "SET GLOBAL general_log = 0" 2>/dev/null || true
  [[ -z $WEB_PID ]] || { kill "$WEB_PID" 2>/dev/null; wait "$WEB_PID" 2>/dev/null; } || true
  web_drop_warehouse
  rm -rf "$T"
  exit "$rc"
}
trap cleanup EXIT

web_create_warehouse
"$BIN/bda-gen" --out "$T/lake" --month 2022-04 --lines-per-day 12000 --customers 200000 --dirty-share 0.01 \
  --seed 11 --quiet
etl() {
  timeout 300 mpirun -np 2 --oversubscribe "$BIN/bda-etl" --lake "$T/lake" "$@" --out "$T/out.csv" --quiet \
    --db-socket "$BDA_DB_SOCKET" --db-user "$LOADER" --db-password-file "$T/$LOADER.password" --db-name "$DB" \
    2>"$T/etl.err" || fail "bda-etl $*: $(cat "$T/etl.err")"
}
etl --from 2022-04-01 --to 2022-04-07
etl --month 2022-04
etl --month 2022-04 # a reload: the month's summaries are replaced, not added to
customers=$(q "SELECT COUNT(*) FROM customer_behavior WHERE period_key = '2022-04-01..2022-04-30'")
((customers > 100000)) || fail "the month has only $customers customers; the lake is too small for plans to mean much"

# --- the summaries equal the aggregation of the rows ---------------------------------------------
readonly CUBE_OF_ROWS="SELECT period_key, Taste, COALESCE(MostWatch, '') AS MostWatch, DateCount, Segment,
    Activeness, COUNT(*) AS customers, SUM(ChildDuration) AS child_duration, SUM(MovieDuration) AS movie_duration,
    SUM(SportDuration) AS sport_duration, SUM(TVDuration) AS tv_duration, SUM(RelaxDuration) AS relax_duration
  FROM customer_behavior GROUP BY period_key, Taste, MostWatch, DateCount, Segment, Activeness"
readonly CUBE="SELECT period_key, Taste, MostWatch, DateCount, Segment, Activeness, customers, child_duration,
    movie_duration, sport_duration, tv_duration, relax_duration FROM customer_cube"
for pair in "$CUBE_OF_ROWS|$CUBE" "$CUBE|$CUBE_OF_ROWS"; do
  extra=$(q "SELECT COUNT(*) FROM (${pair%%|*} EXCEPT ${pair#*|}) AS d")
  [[ $extra == 0 ]] || fail "customer_cube and the rows differ in $extra cells"
done
[[ $(q "SELECT COUNT(*) FROM customer_cube") -gt 100 ]] || fail "customer_cube is nearly empty"
[[ $(q "SELECT COUNT(*) FROM customer_cube WHERE period_key = '2022-04-01..2022-04-30'") -lt 5000 ]] ||
  fail "the month's cube has more cells than a few thousand: it would not be a summary"
periods_of_rows=$(q "SELECT period_key, MIN(period_start), MIN(period_end), COUNT(*) FROM customer_behavior
  GROUP BY period_key ORDER BY period_key")
periods=$(q "SELECT period_key, period_start, period_end, customers FROM loaded_period ORDER BY period_key")
[[ $periods == "$periods_of_rows" ]] || fail "loaded_period: $periods; the rows say: $periods_of_rows"
last_run=$(q "SELECT MAX(run_id) FROM etl_run WHERE status = 'ok'")
[[ $(q "SELECT DISTINCT run_id FROM customer_cube WHERE period_key = '2022-04-01..2022-04-30'") == "$last_run" ]] ||
  fail "the month's cube was not rebuilt by the last run ($last_run)"

# --- the plans -----------------------------------------------------------------------------------
web_start_dashboard "$T/dashboard.log" --db-socket "$BDA_DB_SOCKET"
url=$WEB_URL

admin -e "SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = 1"
# statements_of ENDPOINT QUERY: every statement the report account sent while answering it, one per
# line (newlines inside a statement folded to spaces).
statements_of() {
  local since status
  since=$(q "SELECT NOW(6)")
  status=$(curl -s -o "$T/response.json" -w '%{http_code}' "$url/api/$1?$2")
  [[ $status == 200 ]] || fail "GET /api/$1?$2 answered $status: $(head -c 300 "$T/response.json")"
  admin -N -B -e "SELECT REPLACE(REPLACE(CONVERT(argument USING utf8mb4), '\n', ' '), '\t', ' ') FROM mysql.general_log
    WHERE event_time >= '$since' AND user_host LIKE '$REPORT%' AND command_type IN ('Query', 'Execute')
      AND argument LIKE 'SELECT%' ORDER BY event_time"
}
# explain STATEMENT: its plan rows as "table type key extra", one per line.
explain() { admin -N -B "$DB" -e "EXPLAIN $1" | awk -F'\t' '{ print $3, $4, $6, $10 }'; }

M="period=2022-04-01..2022-04-30"
aggregates=(
  "periods|" "overview|" "overview|$M&segment=Loyal+Customer&most_watch=TV" "overview|$M&most_watch=none"
  "segments|$M" "segments|$M&taste=Child-TV" "categories|$M" "categories|$M&segment=At+Risk+Customer"
  "tastes|$M" "tastes|$M&most_watch=Movie" "activeness_histogram|$M&bins=10" "segment_mostwatch|$M"
  "segment_mostwatch|$M&taste=none" "customers|$M&page_size=20" "customers|$M&segment=Valuable+Customer&page_size=20"
)
checked=0
pin="SELECT 1 FROM v_customer_segment LIMIT 0"
for entry in "${aggregates[@]}"; do
  endpoint=${entry%%|*} query=${entry#*|}
  first=true
  while IFS= read -r statement; do
    [[ -n $statement ]] || continue
    # Each request first opens the rows' table (its metadata lock keeps a load from dropping the
    # partition its snapshot will read), reading nothing.
    if [[ $first == true ]]; then
      [[ $statement == "$pin" ]] || fail "GET /api/$endpoint?$query does not begin with '$pin' but with: $statement"
      [[ $(explain "$statement") != *customer_behavior* ]] || fail "'$pin' reads rows: $(explain "$statement")"
      first=false
      continue
    fi
    # The customer list's page of rows itself is checked below; here its count and the period.
    [[ $endpoint == customers && $statement == *v_customer_segment* ]] && continue
    plan=$(explain "$statement")
    if grep -qE '^(cb|customer_behavior) ' <<<"$plan"; then
      fail "GET /api/$endpoint?$query reads customer_behavior:
  $statement
$plan"
    fi
    checked=$((checked + 1))
  done < <(statements_of "$endpoint" "$query")
done
((checked >= ${#aggregates[@]})) || fail "only $checked statements were captured for ${#aggregates[@]} requests"

# The customer list (first and late pages in each indexed order, a search) and one customer's
# history: the rows by index only, never a full scan; in an indexed order never a sort of the
# period's rows either.
contract=$(q "SELECT HEX(Contract) FROM customer_behavior WHERE period_key = '2022-04-01..2022-04-30' LIMIT 1")
rows_checked=0
for entry in "customers|$M&page_size=20" "customers|$M&page_size=20&page=5000" \
  "customers|$M&page_size=20&page=4000&sort=total_duration&order=asc" "customers|$M&page_size=50&page=900&sort=contract" \
  "customers|$M&page_size=20&page=400&sort=date_count" "customers|$M&page_size=20&page=300&sort=activeness&order=asc" \
  "customers|$M&search=DNH1&page_size=20" "customers|$M&search=dnh12&page_size=20&page=3" \
  "customer|contract_hex=$contract"; do
  endpoint=${entry%%|*} query=${entry#*|}
  while IFS= read -r statement; do
    [[ $statement == *v_customer_segment* ]] || continue
    plan=$(explain "$statement")
    if grep -qE '^(cb|customer_behavior) ALL ' <<<"$plan"; then
      fail "GET /api/$endpoint?$query scans customer_behavior in full:
  $statement
$plan"
    fi
    if [[ $query != *search=* ]] && grep -E '^(cb|customer_behavior) ' <<<"$plan" | grep -q 'filesort'; then
      fail "GET /api/$endpoint?$query sorts the period's customers instead of reading an index in order:
  $statement
$plan"
    fi
    rows_checked=$((rows_checked + 1))
  done < <(statements_of "$endpoint" "$query")
done
((rows_checked >= 9)) || fail "only $rows_checked row-level statements were captured"
# The page marks (011) are every 1024th customer of each list order, as SQL numbers them.
run=$(q "SELECT run_id FROM loaded_period WHERE period_key = '2022-04-01..2022-04-30'")
for spec in "total TotalDuration" "date_count DateCount" "contract NULL"; do
  read -r key column <<<"$spec"
  order_by="Contract" && [[ $column == NULL ]] || order_by="$column, Contract"
  want=$(q "SELECT n - 1, v, HEX(Contract) FROM (SELECT $column AS v, Contract, ROW_NUMBER() OVER (ORDER BY $order_by) AS n
      FROM customer_behavior WHERE run_id = $run) AS t WHERE (n - 1) % 1024 = 0 ORDER BY n")
  got=$(q "SELECT position, sort_value, HEX(Contract) FROM customer_page_mark
    WHERE period_key = '2022-04-01..2022-04-30' AND sort_key = '$key' ORDER BY position")
  [[ -n $want && $got == "$want" ]] || fail "the $key page marks differ from SQL's numbering: $(diff <(echo "$want") <(echo "$got") | head -5)"
done
# Any page is the right page, in every indexed order, both directions, with and without a filter:
# seeking from a page mark (unfiltered), the deferred join, and past the middle the read from the
# other end return what a plain ORDER BY ... LIMIT would. Pages: first, one across a mark (rows
# 1020-1039), deep ones, the last (partial) and one past the end.
pages=$(( (customers + 19) / 20 ))
for sort in "total_duration TotalDuration" "date_count DateCount" "activeness Activeness" "contract NULL"; do
  read -r name column <<<"$sort"
  for filter in "" "segment=Valuable+Customer"; do
    where="run_id = $run" && [[ -z $filter ]] || where="run_id = $run AND Segment = 'Valuable Customer'"
    for n in 1 52 2000 $((pages / 2 + 3)) $((pages - 1)) "$pages" $((pages + 1)); do
      for order in asc desc; do
        dir=${order^^}
        order_by=$([[ $column == NULL ]] && echo "Contract $dir" || echo "$column $dir, Contract $dir")
        page_rows=$(curl -s "$url/api/customers?$M&page_size=20&page=$n&sort=$name&order=$order${filter:+&$filter}" | node -e '
          const r = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(r.rows.map((x) => x.contract_hex).join("\n"))')
        want_rows=$(q "SELECT HEX(Contract) FROM customer_behavior WHERE $where ORDER BY $order_by LIMIT 20 OFFSET $((20 * (n - 1)))")
        [[ $page_rows == "$want_rows" ]] || fail "page $n by $name $order ${filter:-unfiltered}: got
$(head -n 3 <<<"$page_rows")
expected
$(head -n 3 <<<"$want_rows")"
      done
    done
  done
done
# An unfiltered deep page seeks from its mark (a range of the index, read in order); a filtered one
# cannot (the marks number all customers) and pages by OFFSET.
deep=$(statements_of customers "$M&page_size=20&page=2000")
grep -q "v_customer_page_mark" <<<"$deep" || fail "an unfiltered deep page did not read a page mark: $deep"
seek=$(grep "contract_bytes >= UNHEX" <<<"$deep") || fail "an unfiltered deep page did not seek from its mark: $deep"
explain "$seek" | grep -E '^cb range ix_cb_total ' | grep -qv filesort ||
  fail "the seek from a page mark is not an ordered range read of ix_cb_total: $(explain "$seek")"
statements_of customers "$M&page_size=20&page=2000&segment=Valuable+Customer" | grep -q "v_customer_page_mark" &&
  fail "a filtered page read a page mark"
admin -e "SET GLOBAL general_log = 0"
echo "PASS: dashboard plans ($checked aggregate and $rows_checked row-level statements EXPLAINed; $customers customers)"
