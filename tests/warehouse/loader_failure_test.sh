#!/usr/bin/env bash
# A load that fails half-way (a rejected row, a warning, no server, a killed job) leaves the
# previous data of the period intact and a 'failed' run; the same command then succeeds.
source "$(dirname "$0")/loader_common.sh" "$@"

last_run() { admin -N -B "$DB" -e "SELECT status, message FROM etl_run ORDER BY run_id DESC LIMIT 1"; }

make_lake "$T/lake"
mkdir -p "$T/out"
etl_load "$T/lake" "$T/out" || fail "the first load failed"
good=$(period_checksum)
good_daily=$(admin -N -B "$DB" -e "SELECT COUNT(*), SUM(sessions), SUM(customers) FROM daily_usage")

# 1. A row the server rejects in the middle of LOAD DATA (a trigger stands in for a bad row).
admin "$DB" <<'SQL'
DELIMITER //
CREATE TRIGGER lt_reject BEFORE INSERT ON customer_behavior FOR EACH ROW
  IF NEW.Contract = 'ABC' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected bad row'; END IF //
DELIMITER ;
SQL
if etl_load "$T/lake" "$T/out" 2>"$T/err1"; then fail "a load with a rejected row succeeded"; fi
grep -q "unchanged\|injected" "$T/err1" || fail "unclear message: $(cat "$T/err1")"
[ "$(period_checksum)" = "$good" ] || fail "the period changed after a failed load"
[ "$(admin -N -B "$DB" -e "SELECT COUNT(*), SUM(sessions), SUM(customers) FROM daily_usage")" = "$good_daily" ] ||
  fail "daily_usage changed after a failed load"
last_run | grep -q "^failed" || fail "the run is not marked failed: $(last_run)"
admin "$DB" -e "DROP TRIGGER lt_reject"

# 2. A value the column cannot hold: LOAD DATA LOCAL turns it into a warning, which must fail too.
python3 -c "
import json
print(json.dumps({'_source': {'Contract': 'L' * 600, 'AppName': 'VOD', 'TotalDuration': 5}}))" >>"$T/lake/20220404.json"
if etl_load "$T/lake" "$T/out" 2>"$T/err2"; then fail "a load with an over-long contract succeeded"; fi
grep -q "warning" "$T/err2" || fail "the warning was not reported: $(cat "$T/err2")"
[ "$(period_checksum)" = "$good" ] || fail "the period changed after a load with warnings"
last_run | grep -q "^failed" || fail "the run is not marked failed: $(last_run)"

# 3. The server goes away: a wrong socket fails before any reading and names the server.
if timeout 60 mpirun -np 2 --oversubscribe "$BIN/bda-etl" --lake "$T/lake" --from 2022-04-01 --to 2022-04-04 \
  --out "$T/out/x.csv" --quiet --db-socket "$T/no.sock" --db-user "$LOADER" --db-password-file "$LOADER_PW_FILE" \
  --db-name "$DB" 2>"$T/err3"; then fail "a load to a missing server succeeded"; fi
grep -q "cannot connect to the warehouse" "$T/err3" || fail "unclear message: $(cat "$T/err3")"
[ ! -e "$T/out/x.csv" ] || fail "a CSV was written although the warehouse was unreachable"

# 4. A job killed outright in the middle of LOAD DATA cannot say so: the server rolls its
#    transaction back, and the next run marks the abandoned run failed.
sed -i '$ d' "$T/lake/20220404.json"
admin "$DB" <<'SQL'
DELIMITER //
CREATE TRIGGER lt_slow BEFORE INSERT ON customer_behavior FOR EACH ROW
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
echo "loader failures: rejected row, warning, missing server and a killed job all left the period intact"
