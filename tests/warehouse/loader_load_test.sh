#!/usr/bin/env bash
# The loader: every row equals the CSV (hard contracts included), reloads are idempotent, the
# per-day table and the data mart match figures computed here from the CSVs.
source "$(dirname "$0")/loader_common.sh" "$@"

grep -q "applied 001" "$T/init.err" || fail "--init-db did not report applying 001: $(cat "$T/init.err")"
"$BIN/bda-etl" --init-db --db-socket "$BDA_DB_SOCKET" --db-user root --db-name "$DB" 2>"$T/init2.err"
grep -q "up to date" "$T/init2.err" || fail "second --init-db applied something: $(cat "$T/init2.err")"
migrations=$(ls "$SRC"/sql/migrations/[0-9][0-9][0-9]_*.sql | wc -l)
[ "$(admin -N -B "$DB" -e 'SELECT COUNT(*) FROM schema_version')" = "$migrations" ] ||
  fail "schema_version does not hold one row per migration"

make_lake "$T/lake"
mkdir -p "$T/out"
etl_load "$T/lake" "$T/out" || fail "the load failed"

warehouse_rows >"$T/db.tsv"
csv_rows "$T/out/out.csv" >"$T/csv.tsv"
if ! cmp -s "$T/db.tsv" "$T/csv.tsv"; then
  diff "$T/csv.tsv" "$T/db.tsv" | head -n 10 >&2
  fail "customer_behavior differs from the CSV"
fi
rows=$(wc -l <"$T/csv.tsv")
[ "$rows" -gt 100 ] || fail "only $rows rows"
for c in abc ABC "abc " "back\\slash" "\\N" NULL $'emoji\U0001F600' $'cr\rlf\nx' "'; DROP TABLE customer_behavior; --"; do
  hex=$(printf '%s' "$c" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
  grep -q "^$hex	" "$T/db.tsv" || fail "contract '$c' did not round-trip"
done
[ "$(admin -N -B "$DB" -e "SELECT COUNT(*) FROM customer_behavior WHERE Contract IN ('abc', 'ABC', 'abc ')")" = 3 ] ||
  fail "'abc', 'ABC' and 'abc ' are not three customers"

# Idempotent: the same period loaded three more times leaves the same rows.
before=$(period_checksum)
for i in 1 2 3; do
  etl_load "$T/lake" "$T/out" || fail "reload $i failed"
  [ "$(period_checksum)" = "$before" ] || fail "reload $i changed the period: $(period_checksum) vs $before"
done
[ "$(admin -N -B "$DB" -e "SELECT COUNT(*) FROM etl_run WHERE status = 'ok' AND rows_loaded = $rows")" = 4 ] ||
  fail "etl_run does not hold four ok runs of $rows rows"
[ "$(admin -N -B "$DB" -e "SELECT COUNT(DISTINCT run_id) FROM customer_behavior")" = 1 ] ||
  fail "rows of an older run survived a reload"

# daily_usage equals --daily, and daily_statistics equals figures computed from the CSVs.
admin -N -B "$DB" -e "SELECT stat_date, category, sessions, total_duration, customers FROM daily_usage
    ORDER BY stat_date, FIELD(category, 'All', 'Child', 'Movie', 'Sport', 'TV', 'Relax')" | tr '\t' ',' >"$T/du.csv"
tail -n +2 "$T/out/daily.csv" | cmp -s - "$T/du.csv" || fail "daily_usage differs from --daily"
admin -N -B "$DB" -e "SELECT stat_date, active_customers, sessions, total_duration, child_duration,
    movie_duration, sport_duration, tv_duration, relax_duration, avg_duration_per_active_customer,
    at_risk_customers, need_attention_customers, valuable_customers, loyal_customers
    FROM daily_statistics ORDER BY stat_date" | tr '\t' ',' >"$T/mart.csv"
python3 - "$T/out/out.csv" "$T/out/daily.csv" >"$T/expected_mart.csv" <<'PY'
import csv, sys
from decimal import Decimal, ROUND_HALF_UP
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    dc = [int(r["DateCount"]) for r in csv.DictReader(f)]
seg = [sum(1 for d in dc if lo <= d <= hi) for lo, hi in ((1, 6), (7, 13), (14, 20), (21, 10**6))]
days = {}
with open(sys.argv[2], newline="") as f:
    for r in csv.DictReader(f):
        days.setdefault(r["stat_date"], {})[r["category"]] = r
for day in sorted(days):
    d = days[day]
    a = d["All"]
    avg = (Decimal(a["total_duration"]) / Decimal(a["customers"])).quantize(Decimal("0.01"), ROUND_HALF_UP)
    print(",".join([day, a["customers"], a["sessions"], a["total_duration"]] +
                   [d[c]["total_duration"] for c in ("Child", "Movie", "Sport", "TV", "Relax")] +
                   [str(avg)] + [str(s) for s in seg]))
PY
if ! cmp -s "$T/expected_mart.csv" "$T/mart.csv"; then
  diff "$T/expected_mart.csv" "$T/mart.csv" >&2 || true
  fail "daily_statistics differs from the figures computed from the CSVs"
fi
echo "loader: $rows rows, 4 loads, daily_usage and daily_statistics match"
