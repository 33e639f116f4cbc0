#!/usr/bin/env bash
# A load that fails half-way (a rejected row, a warning, no server, a killed job) leaves the
# previous data of the period intact and a 'failed' run, and publishes no output (the load runs
# before the outputs are renamed into place); the same command then succeeds. A result with fewer
# than half the period's rows is refused unless --allow-shrink. A data mart refresh that fails
# after the commit is one warning: the run stays ok.
source "$(dirname "$0")/loader_common.sh" "$@"

last_run() { admin -N -B "$DB" -e "SELECT status, message FROM etl_run ORDER BY run_id DESC LIMIT 1"; }

make_lake "$T/lake"
mkdir -p "$T/out"
etl_load "$T/lake" "$T/out" || fail "the first load failed"
good=$(period_checksum)
good_daily=$(admin -N -B "$DB" -e "SELECT COUNT(*), SUM(sessions), SUM(customers) FROM daily_usage")

# 1. A row the server rejects in the middle of LOAD DATA (a trigger on the staging table stands in
#    for a bad row).
admin "$DB" <<'SQL'
DELIMITER //
CREATE TRIGGER lt_reject BEFORE INSERT ON customer_behavior_load FOR EACH ROW
  IF NEW.Contract = 'ABC' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected bad row'; END IF //
DELIMITER ;
SQL
before_all=$(warehouse_checksum)
mkdir -p "$T/out1"
if etl_load "$T/lake" "$T/out1" 2>"$T/err1"; then fail "a load with a rejected row succeeded"; fi
grep -q "unchanged\|injected" "$T/err1" || fail "unclear message: $(cat "$T/err1")"
# Load before publish (SPEC 2b): a run that fails for a warehouse error publishes no output.
[ ! -e "$T/out1/out.csv" ] || fail "a failed load published --out"
[ ! -e "$T/out1/daily.csv" ] || fail "a failed load published --daily"
leftovers=$(find "$T/out1" -name '.*.tmp-*')
[ -z "$leftovers" ] || fail "a failed load left temporary files: $leftovers"
[ "$(warehouse_checksum)" = "$before_all" ] || fail "the warehouse changed after a failed load"
[ "$(period_checksum)" = "$good" ] || fail "the period changed after a failed load"
[ "$(admin -N -B "$DB" -e "SELECT COUNT(*), SUM(sessions), SUM(customers) FROM daily_usage")" = "$good_daily" ] ||
  fail "daily_usage changed after a failed load"
last_run | grep -q "^failed" || fail "the run is not marked failed: $(last_run)"
admin "$DB" -e "DROP TRIGGER lt_reject"

# 2. A row that breaks a CHECK: LOAD DATA LOCAL skips it with a warning, which must fail the load too.
admin "$DB" -e "CREATE TRIGGER lt_warn BEFORE INSERT ON customer_behavior_load FOR EACH ROW
  SET NEW.Activeness = IF(NEW.Contract = 'ABC', 101, NEW.Activeness)"
if etl_load "$T/lake" "$T/out" 2>"$T/err2"; then fail "a load with a skipped row succeeded"; fi
grep -q "warning" "$T/err2" || fail "the warning was not reported: $(cat "$T/err2")"
[ "$(period_checksum)" = "$good" ] || fail "the period changed after a load with warnings"
last_run | grep -q "^failed" || fail "the run is not marked failed: $(last_run)"
admin "$DB" -e "DROP TRIGGER lt_warn"

# 3. The server goes away: a wrong socket fails before any reading and names the server.
if timeout 60 mpirun -np 2 --oversubscribe "$BIN/bda-etl" --lake "$T/lake" --from 2022-04-01 --to 2022-04-04 \
  --out "$T/out/x.csv" --quiet --db-socket "$T/no.sock" --db-user "$LOADER" --db-password-file "$LOADER_PW_FILE" \
  --db-name "$DB" 2>"$T/err3"; then fail "a load to a missing server succeeded"; fi
grep -q "cannot connect to the warehouse" "$T/err3" || fail "unclear message: $(cat "$T/err3")"
[ ! -e "$T/out/x.csv" ] || fail "a CSV was written although the warehouse was unreachable"

# 4. A job killed outright in the middle of LOAD DATA cannot say so: the server rolls its
#    transaction back, and the next run marks the abandoned run failed.
admin "$DB" <<'SQL'
DELIMITER //
CREATE TRIGGER lt_slow BEFORE INSERT ON customer_behavior_load FOR EACH ROW
  IF NEW.Contract = 'ABC' THEN DO SLEEP(3); END IF //
DELIMITER ;
SQL
etl_load "$T/lake" "$T/out" 2>"$T/err4" &
job=$!
for _ in $(seq 100); do # wait until the load is inside LOAD DATA (the trigger's SLEEP shows then)
  admin -N -B -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'DO SLEEP%'" | grep -q '^1$' && break
  sleep 0.1
done
killed_run=$(admin -N -B "$DB" -e "SELECT MAX(run_id) FROM etl_run")
pkill -KILL -f -- "--db-name $DB" ||
  fail "no job to kill; its exit: $(wait "$job"; echo $?); its stderr: $(cat "$T/err4"); processes: $(pgrep -af bda-etl); runs: $(admin -N -B "$DB" -e 'SELECT run_id, status, message FROM etl_run')"
wait "$job" 2>/dev/null || true
admin "$DB" -e "DROP TRIGGER lt_slow" # waits for the server to finish the rollback
[ "$(period_checksum)" = "$good" ] || fail "the period changed after a killed load"

# 5. Afterwards the same command succeeds again.
etl_load "$T/lake" "$T/out" || fail "the load after the failures failed"
[ "$(period_checksum)" = "$good" ] || fail "the good reload differs from the first load"
admin -N -B "$DB" -e "SELECT status, message FROM etl_run WHERE run_id = $killed_run" | grep -q "^failed.*abandoned" ||
  fail "the killed run $killed_run is not marked failed: $(admin -N -B "$DB" -e "SELECT status, message FROM etl_run WHERE run_id = $killed_run")"
# 6. The shrink guard: a result with fewer than half the period's rows is refused, changing nothing.
mkdir -p "$T/small" "$T/out6"
for f in "$T/lake"/*.json; do head -n 150 "$f" >"$T/small/$(basename "$f")"; done
before_all=$(warehouse_checksum)
held=$(period_checksum | cut -f1)
set +e
etl_load "$T/small" "$T/out6" 2>"$T/err6"
rc=$?
set -e
[ "$rc" = 1 ] || fail "a shrinking load exited $rc, not 1: $(cat "$T/err6")"
grep -q "period $PERIOD holds $held rows; this run has [0-9]*, fewer than half; nothing was changed.*--allow-shrink" "$T/err6" ||
  fail "the refusal does not say what it saw: $(cat "$T/err6")"
[ "$(warehouse_checksum)" = "$before_all" ] || fail "a refused shrink changed the warehouse"
[ ! -e "$T/out6/out.csv" ] || fail "a refused shrink published --out"
last_run | grep -q "^failed.*holds $held rows.*--allow-shrink" || fail "the refused run is not failed with the reason: $(last_run)"
etl_load "$T/small" "$T/out6" --allow-shrink 2>"$T/err6b" || fail "--allow-shrink did not allow it: $(cat "$T/err6b")"
csv_rows "$T/out6/out.csv" >"$T/small.tsv"
warehouse_rows >"$T/small_db.tsv"
cmp -s "$T/small.tsv" "$T/small_db.tsv" || fail "after --allow-shrink the period is not the small CSV"
[ "$(wc -l <"$T/small.tsv")" -lt $((held / 2)) ] || fail "the small lake did not shrink the period below half"
last_run | grep -q "^ok" || fail "the allowed shrink is not ok: $(last_run)"
etl_load "$T/lake" "$T/out" || fail "growing the period back failed"
[ "$(period_checksum)" = "$good" ] || fail "the period did not come back"

# 7. A data mart refresh that fails after the commit: the period is loaded, the run stays ok with
#    the error in etl_run.note, and bda-etl warns once and exits 0.
admin "$DB" -e "CREATE TRIGGER lt_mart BEFORE INSERT ON daily_statistics FOR EACH ROW
  SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected mart failure'"
etl_load "$T/lake" "$T/out" 2>"$T/err7" || fail "a load whose mart refresh failed did not exit 0: $(cat "$T/err7")"
[ "$(grep -c "warning" "$T/err7")" = 1 ] || fail "not exactly one warning: $(cat "$T/err7")"
grep -q "^bda-etl: warning: .*injected mart failure.*; the period is loaded; the data mart will be refreshed by the daily event or CALL refresh_daily_statistics('2022-04-01', '2022-04-04')" "$T/err7" ||
  fail "unclear mart warning: $(cat "$T/err7")"
[ "$(admin -N -B "$DB" -e "SELECT status, note LIKE '%injected mart failure%' FROM etl_run ORDER BY run_id DESC LIMIT 1")" = "ok	1" ] ||
  fail "the run is not ok with the mart error noted: $(admin -N -B "$DB" -e "SELECT status, note FROM etl_run ORDER BY run_id DESC LIMIT 1")"
[ "$(period_checksum)" = "$good" ] || fail "the period is not loaded after a failed mart refresh"
[ "$(admin -N -B "$DB" -e "SELECT COUNT(DISTINCT run_id) FROM customer_behavior WHERE period_key = '$PERIOD'")" = 1 ] &&
  [ "$(admin -N -B "$DB" -e "SELECT MAX(run_id) FROM etl_run")" = "$(admin -N -B "$DB" -e "SELECT run_id FROM customer_behavior LIMIT 1")" ] ||
  fail "the period's rows are not those of the last run"
admin "$DB" -e "DROP TRIGGER lt_mart"

# 8. The partitions: after all of the above, the period's run and p_other only (every failed load
#    left none, every replaced period's partition was dropped). A load that died after its exchange
#    leaves a partition no period names; the next load drops it.
partitions() { admin -N -B "$DB" -e "SELECT GROUP_CONCAT(PARTITION_NAME ORDER BY PARTITION_NAME) FROM
    information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customer_behavior'"; }
[ "$(partitions)" = "p_$(admin -N -B "$DB" -e "SELECT run_id FROM loaded_period WHERE period_key = '$PERIOD'"),p_other" ] ||
  fail "partitions after the failures: $(partitions)"
dead=$(admin -N -B "$DB" -e "INSERT INTO etl_run (period_start, period_end, status) VALUES ('2022-04-01', '2022-04-04', 'running');
  SELECT LAST_INSERT_ID()")
admin "$DB" -e "CALL load_table_prepare(); CALL load_table_index(); CALL load_table_swap($dead); UPDATE etl_run SET status = 'failed' WHERE run_id = $dead"
[[ $(partitions) == *"p_$dead"* ]] || fail "no orphan partition to clean up: $(partitions)"
etl_load "$T/lake" "$T/out" || fail "the load after an orphan partition failed"
[ "$(partitions)" = "p_$(admin -N -B "$DB" -e "SELECT run_id FROM loaded_period WHERE period_key = '$PERIOD'"),p_other" ] ||
  fail "the orphan partition p_$dead was not dropped: $(partitions)"
[ "$(period_checksum)" = "$good" ] || fail "the period changed after cleaning up an orphan partition"

echo "loader failures: rejected row, warning, missing server and a killed job all left the period intact and published nothing; shrink refused and allowed; mart failure is a warning; orphan partitions dropped"
