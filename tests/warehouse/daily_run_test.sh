#!/usr/bin/env bash
# The daily entry point (scripts/daily.sh) with checkpoints and the warehouse: each day's run keeps
# one month-to-date period (replaced, not piled up) whose rows equal a full run of the same days,
# daily_usage and the data mart gain the day, re-running a day changes nothing, a missing new day
# file fails loudly with the warehouse unchanged, two daily runs never overlap, and the report
# names the period as the month so far.
source "$(dirname "$0")/loader_common.sh" "$@"

make_lake "$T/lake"
REPORT_PW_FILE=$T/$REPORT.password

daily() { # daily [daily.sh options]: the daily run loading into $DB as the loader
  BDA_BIN_DIR=$BIN BDA_LAUNCH="timeout 120 mpirun -np 2 --oversubscribe" bash "$SRC/scripts/daily.sh" \
    --lake "$T/lake" --checkpoints "$T/ck" --out-dir "$T/out" "$@" -- --quiet --db-socket "$BDA_DB_SOCKET" \
    --db-user "$LOADER" --db-password-file "$LOADER_PW_FILE" --db-name "$DB"
}
q() { admin -N -B "$DB" -e "$1"; }
summary_field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

# A period loaded by a plain run is never replaced by the month-to-date runs.
etl_load_days "--from 2022-04-02 --to 2022-04-03" "$T/lake" "$T/plain" || fail "the plain load of 04-02..04-03"
plain=$(period_checksum 2022-04-02..2022-04-03)
mtd_periods() { q 'SELECT GROUP_CONCAT(period_key ORDER BY period_key) FROM loaded_period WHERE month_to_date'; }

for d in 1 2 3 4; do
  period=2022-04-01..2022-04-0$d
  daily --day "2022-04-0$d" 2>"$T/daily.err" || fail "daily run of day $d: $(cat "$T/daily.err")"
  [ "$(mtd_periods)" = "$period" ] || fail "day $d: the month-to-date periods are $(mtd_periods), not just $period"
  [ "$(q 'SELECT GROUP_CONCAT(period_key ORDER BY period_key) FROM loaded_period')" = "$period,2022-04-02..2022-04-03" ] ||
    fail "day $d: loaded_period holds $(q 'SELECT GROUP_CONCAT(period_key) FROM loaded_period')"
  [ "$(period_checksum 2022-04-02..2022-04-03)" = "$plain" ] || fail "day $d: the plain period changed"
  [ "$(q 'SELECT COUNT(DISTINCT run_id) FROM customer_behavior')" = 2 ] ||
    fail "day $d: the rows of an earlier month-to-date run survived"
  # The same days without checkpoints, as an independent reference.
  timeout 120 "$BIN/bda-etl" --lake "$T/lake" --from 2022-04-01 --to "2022-04-0$d" --out "$T/full.csv" \
    --daily "$T/full.daily.csv" --quiet || fail "full run of day $d"
  cmp -s "$T/full.csv" "$T/out/2022-04.csv" || fail "day $d: the daily CSV differs from a full run's"
  cmp -s "$T/full.daily.csv" "$T/out/2022-04.daily.csv" || fail "day $d: the daily table differs from a full run's"
  warehouse_rows "$period" >"$T/db.tsv"
  csv_rows "$T/full.csv" >"$T/csv.tsv"
  cmp -s "$T/db.tsv" "$T/csv.tsv" || fail "day $d: customer_behavior differs from the full run's CSV"
  q "SELECT stat_date, category, sessions, total_duration, customers FROM daily_usage
      WHERE stat_date BETWEEN '2022-04-01' AND '2022-04-0$d'
      ORDER BY stat_date, FIELD(category, 'All', 'Child', 'Movie', 'Sport', 'TV', 'Relax')" | tr '\t' ',' >"$T/du.csv"
  tail -n +2 "$T/full.daily.csv" | cmp -s - "$T/du.csv" || fail "day $d: daily_usage differs from the full run's per-day table"
  [ "$(q "SELECT COUNT(*) FROM daily_statistics WHERE stat_date BETWEEN '2022-04-01' AND '2022-04-0$d'")" = "$d" ] ||
    fail "day $d: the data mart (daily_statistics) does not hold $d days"
  [ "$(summary_field "$T/out/2022-04.summary.json" "d['checkpoints']['reused']")" = $((d - 1)) ] ||
    fail "day $d: the run did not take the $((d - 1)) earlier days from their checkpoints"
done

# Re-running the day: the same period, the same rows, still one period.
before=$(period_checksum 2022-04-01..2022-04-04)
cp "$T/out/2022-04.csv" "$T/before.csv"
daily --day 2022-04-04 2>"$T/daily.err" || fail "re-running day 4: $(cat "$T/daily.err")"
[ "$(period_checksum 2022-04-01..2022-04-04)" = "$before" ] || fail "re-running day 4 changed the period"
[ "$(mtd_periods)" = 2022-04-01..2022-04-04 ] || fail "re-running day 4 added a period"
cmp -s "$T/before.csv" "$T/out/2022-04.csv" || fail "re-running day 4 changed the CSV"
[ "$(summary_field "$T/out/2022-04.summary.json" "d['checkpoints']['reused']")" = 4 ] ||
  fail "re-running day 4 parsed a day again"

# The new day's file is missing: the run fails naming it, nothing changes.
rc=0
daily --day 2022-04-05 2>"$T/missing.err" || rc=$?
[ "$rc" = 1 ] || fail "a missing new day file gave exit $rc, not 1"
grep -q "no day file for 2022-04-05" "$T/missing.err" || fail "the missing day is not named: $(cat "$T/missing.err")"
[ "$(period_checksum 2022-04-01..2022-04-04)" = "$before" ] || fail "the failed run changed the period"
[ "$(mtd_periods)" = 2022-04-01..2022-04-04 ] || fail "the failed run changed loaded_period"
cmp -s "$T/before.csv" "$T/out/2022-04.csv" || fail "the failed run replaced the CSV"

# Two daily runs never overlap: one holding the lock makes the next exit 75, or wait with --wait.
flock "$T/ck/.daily.lock" sleep 4 &
holder=$!
sleep 1
rc=0
daily --day 2022-04-04 2>"$T/locked.err" || rc=$?
[ "$rc" = 75 ] || fail "a daily run while another holds the lock gave exit $rc, not 75"
grep -q "another daily run holds $T/ck/.daily.lock" "$T/locked.err" || fail "no lock message: $(cat "$T/locked.err")"
start=$(date +%s)
daily --day 2022-04-04 --wait 2>"$T/waited.err" || fail "--wait did not run after the lock was released: $(cat "$T/waited.err")"
wait "$holder"
grep -q "waiting for it" "$T/waited.err" || fail "--wait did not say it was waiting"
(($(date +%s) - start >= 2)) || fail "--wait did not wait for the lock"

# The report names the period as the month so far.
timeout 120 "$BIN/bda-report" --period 2022-04-01..2022-04-04 --out-dir "$T/report" --no-pdf --db-socket "$BDA_DB_SOCKET" \
  --db-user "$REPORT" --db-password-file "$REPORT_PW_FILE" --db-name "$DB" 2>"$T/report.err" ||
  fail "bda-report: $(cat "$T/report.err")"
grep -q "April 2022, to 4 April" "$T/report/report.html" || fail "the report does not name the month so far"
echo "ok: daily runs keep one month-to-date period equal to full runs; idempotent, loud on a missing day, locked"
