#!/usr/bin/env bash
# The loader: every row equals the CSV (hard contracts included), reloads are idempotent, the
# per-day table (daily_usage and --daily) equals a count of the lake's lines made without bda-etl
# (lake_daily_count.py, itself checked against bda-gen's manifest), and the data mart matches
# figures computed from that count and the CSV.
source "$(dirname "$0")/loader_common.sh" "$@"

grep -q "applied 001" "$T/init.err" || fail "--init-db did not report applying 001: $(cat "$T/init.err")"
"$BIN/bda-etl" --init-db --db-socket "$BDA_DB_SOCKET" --db-user root --db-name "$DB" 2>"$T/init2.err"
grep -q "up to date" "$T/init2.err" || fail "second --init-db applied something: $(cat "$T/init2.err")"
migrations=$(ls "$SRC"/sql/migrations/[0-9][0-9][0-9]_*.sql | wc -l)
[ "$(admin -N -B "$DB" -e 'SELECT COUNT(*) FROM schema_version')" = "$migrations" ] ||
  fail "schema_version does not hold one row per migration"

make_lake "$T/lake" --manifest "$T/manifest.json"
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
long_hex=$(python3 -c 'print(("\u00e9" * 511 + "xy").encode().hex().upper())')
grep -q "^$long_hex	" "$T/db.tsv" || fail "the 1024-byte contract did not round-trip"
[ "$(admin -N -B "$DB" -e "SELECT LENGTH(Contract) FROM customer_behavior WHERE Contract = UNHEX('$long_hex')")" = 1024 ] ||
  fail "the 1024-byte contract is not 1024 bytes in customer_behavior"
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

# The per-day table, counted from the lake's lines by lake_daily_count.py.
python3 "$(dirname "$0")/lake_daily_count.py" "$T/lake" "$T/manifest.json" >"$T/expected_daily.csv" ||
  fail "could not count the lake's lines per day"
[ "$(wc -l <"$T/expected_daily.csv")" -eq 25 ] || fail "the per-day count has not 4 days x 6 rows"
admin -N -B "$DB" -e "SELECT stat_date, category, sessions, total_duration, customers FROM daily_usage
    ORDER BY stat_date, FIELD(category, 'All', 'Child', 'Movie', 'Sport', 'TV', 'Relax')" | tr '\t' ',' >"$T/du.csv"
if ! tail -n +2 "$T/expected_daily.csv" | cmp -s - "$T/du.csv"; then
  tail -n +2 "$T/expected_daily.csv" | diff - "$T/du.csv" | head -n 20 >&2 || true
  fail "daily_usage differs from the per-day count of the lake's lines (< count, > daily_usage)"
fi
if ! cmp -s "$T/expected_daily.csv" "$T/out/daily.csv"; then
  diff "$T/expected_daily.csv" "$T/out/daily.csv" | head -n 20 >&2 || true
  fail "--daily differs from the per-day count of the lake's lines (< count, > --daily)"
fi
# daily_statistics equals figures computed from that count and the CSV's DateCount.
admin -N -B "$DB" -e "SELECT stat_date, active_customers, sessions, total_duration, child_duration,
    movie_duration, sport_duration, tv_duration, relax_duration, avg_duration_per_active_customer,
    at_risk_customers, need_attention_customers, valuable_customers, loyal_customers
    FROM daily_statistics ORDER BY stat_date" | tr '\t' ',' >"$T/mart.csv"
python3 - "$T/out/out.csv" "$T/expected_daily.csv" >"$T/expected_mart.csv" <<'PY'
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
  fail "daily_statistics differs from the figures computed from the per-day count and the CSV"
fi
# --- A period is its exact set of days: --date 2022-04-01 --date 2022-04-15 and --from 2022-04-01
#     --to 2022-04-15 are two periods with their own D and Activeness, and a reload of one replaces
#     only that one.
"$BIN/bda-gen" --out "$T/lake15" --from 2022-04-01 --to 2022-04-15 --lines-per-day 400 --seed 11 --quiet
range=2022-04-01..2022-04-15 list=2022-04-01..2022-04-15/8002 # bits 1000 0000 0000 0010: days 1 and 15
first_period=$(period_checksum)
mkdir -p "$T/range" "$T/list"
etl_load_days "--from 2022-04-01 --to 2022-04-15" "$T/lake15" "$T/range" || fail "the range load failed"
etl_load_days "--date 2022-04-01 --date 2022-04-15" "$T/lake15" "$T/list" || fail "the list load failed"
for p in "$range:$T/range" "$list:$T/list"; do
  key=${p%%:*} dir=${p#*:}
  warehouse_rows "$key" >"$T/p.tsv"
  csv_rows "$dir/out.csv" >"$T/pcsv.tsv"
  [ "$(wc -l <"$T/p.tsv")" -gt 50 ] || fail "period $key holds only $(wc -l <"$T/p.tsv") rows"
  cmp -s "$T/p.tsv" "$T/pcsv.tsv" || fail "period $key differs from the CSV of its run"
done
[ "$(period_checksum)" = "$first_period" ] || fail "loading other periods changed $PERIOD"
[ "$(admin -N -B "$DB" -e "SELECT period_key, period_start, period_end, selected_days, selected_dates FROM etl_run
    WHERE period_key LIKE '2022-04-01..2022-04-15%' ORDER BY run_id")" = "$range	2022-04-01	2022-04-15	15	$(
    python3 -c 'print(",".join(f"2022-04-{d:02d}" for d in range(1, 16)))')
$list	2022-04-01	2022-04-15	2	2022-04-01,2022-04-15" ] || fail "etl_run does not hold both periods with their D and days"
# D = 2 for the list: DateCount 1 or 2, Activeness 50 or 100. The range has D = 15.
[ "$(admin -N -B "$DB" -e "SELECT COUNT(*) FROM customer_behavior WHERE period_key = '$list'
    AND NOT ((DateCount = 1 AND Activeness = 50.00) OR (DateCount = 2 AND Activeness = 100.00))")" = 0 ] ||
  fail "the list period's Activeness is not DateCount / 2"
[ "$(admin -N -B "$DB" -e "SELECT COUNT(*) FROM customer_behavior WHERE period_key = '$range'
    AND Activeness <> ROUND(DateCount * 100 / 15, 2)")" = 0 ] || fail "the range period's Activeness is not DateCount / 15"
[ "$(admin -N -B "$DB" -e "SELECT COUNT(*) FROM customer_behavior WHERE period_key = '$range' AND DateCount > 2")" -gt 0 ] ||
  fail "the range period looks like the list"
# The mart: a day takes its segments from the latest run that selected it.
[ "$(admin -N -B "$DB" -e "SELECT stat_date, segment_period_key FROM daily_statistics
    WHERE stat_date IN ('2022-04-01', '2022-04-02', '2022-04-15') ORDER BY stat_date")" = "2022-04-01	$list
2022-04-02	$range
2022-04-15	$list" ] || fail "daily_statistics takes its segments from the wrong periods"
# Each reload replaces only its own period.
run_of() { admin -N -B "$DB" -e "SELECT GROUP_CONCAT(DISTINCT run_id) FROM customer_behavior WHERE period_key = '$1'"; }
range_sum=$(period_checksum "$range") list_sum=$(period_checksum "$list") list_run=$(run_of "$list") range_run=$(run_of "$range")
etl_load_days "--from 2022-04-01 --to 2022-04-15" "$T/lake15" "$T/range" || fail "the range reload failed"
[ "$(period_checksum "$list")" = "$list_sum" ] && [ "$(run_of "$list")" = "$list_run" ] ||
  fail "reloading the range touched the list period"
[ "$(period_checksum "$range")" = "$range_sum" ] && [ "$(run_of "$range")" != "$range_run" ] ||
  fail "reloading the range did not replace it with equal rows"
range_run=$(run_of "$range")
etl_load_days "--date 2022-04-01 --date 2022-04-15" "$T/lake15" "$T/list" || fail "the list reload failed"
[ "$(period_checksum "$range")" = "$range_sum" ] && [ "$(run_of "$range")" = "$range_run" ] ||
  fail "reloading the list touched the range period"
[ "$(period_checksum "$list")" = "$list_sum" ] && [ "$(run_of "$list")" != "$list_run" ] ||
  fail "reloading the list did not replace it with equal rows"
[ "$(period_checksum)" = "$first_period" ] || fail "the reloads changed $PERIOD"
[ "$(admin -N -B "$DB" -e "SELECT COUNT(*) FROM v_period_metrics WHERE period_key IN ('$range', '$list', '$PERIOD')")" = 3 ] ||
  fail "v_period_metrics does not show the three periods by key"

# A reader that opens the rows first (as each dashboard request does) and then takes its time sees
# the period's old run throughout a reload: the swap waits for it, and the old partition is not
# dropped under it. Without opening the rows first, its later read would find the old run's
# partition gone.
old_run=$(run_of "$PERIOD") old_count=$(admin -N -B "$DB" -e "SELECT customers FROM loaded_period WHERE period_key = '$PERIOD'")
( admin -N -B "$DB" -e "START TRANSACTION READ ONLY; SELECT 1 FROM v_customer_segment LIMIT 0;
    SELECT run_id, customers FROM v_loaded_period WHERE period_key = '$PERIOD'; DO SLEEP(3);
    SELECT MIN(run_id), COUNT(*) FROM v_customer_segment WHERE period_key = '$PERIOD'; COMMIT" >"$T/reader.out"
  date +%s.%N >"$T/reader.done" ) &
reader=$!
sleep 0.5
etl_load "$T/lake" "$T/out" || fail "the reload beside a reader failed"
date +%s.%N >"$T/load.done"
wait "$reader" || fail "the reader failed: $(cat "$T/reader.out")"
[ "$(cat "$T/reader.out")" = "$old_run	$old_count
$old_run	$old_count" ] || fail "a reader saw the period change under it: $(cat "$T/reader.out") (old run $old_run, $old_count rows)"
awk -v r="$(cat "$T/reader.done")" -v l="$(cat "$T/load.done")" 'BEGIN { exit !(l > r) }' ||
  fail "the reload finished before the reader that held the rows"
[ "$(run_of "$PERIOD")" != "$old_run" ] && [ "$(period_checksum)" = "$first_period" ] ||
  fail "the reload beside a reader did not replace the period with equal rows"

echo "loader: $rows rows, 5 loads (one beside a reader); daily_usage, --daily and daily_statistics match the lake's count; a day list and a range are two periods"
