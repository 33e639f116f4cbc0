#!/usr/bin/env bash
# Faults: a rank that cannot read its shard, a day file that disappears between planning and
# reading, and a rank killed mid-run each end the whole job promptly with a non-zero exit and one
# clear message, leave no CSV at --out and the warehouse unchanged (the run log says failed), and
# the same command succeeds afterwards. Args: <bin dir> <source dir> <db dir> (the bda_db fixture).
set -euo pipefail
TEST=faults
source "$(dirname "$0")/common.sh"
need_bins "$1"
SRC=$2 DBDIR=$3
source "$DBDIR/env"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
T=$(mktemp -d)
DB="bda_faults_$$" LOADER="faults_$$"
# The pause after planning exists only in test builds (-DBDA_FAULT_INJECTION=ON).
probe=$(BDA_TEST_FAULT=plan:0 "$ETL" --lake "$T" --date 2022-04-01 --allow-missing-days --out "$T/probe.csv" \
  --quiet 2>&1 || true)
if [[ $probe != *"injected fault"* ]]; then
  note "SKIP: $ETL is not a test build (configure with -DBDA_FAULT_INJECTION=ON)"
  rm -rf "$T"
  exit 77
fi
admin() { mariadb --no-defaults --socket="$BDA_DB_SOCKET" --user=root "$@"; }
cleanup() {
  pkill -KILL -f -- "--db-name $DB" 2>/dev/null || true
  admin -e "DROP DATABASE IF EXISTS \`$DB\`; DROP USER IF EXISTS '$LOADER'@'localhost', '$LOADER'@'127.0.0.1',
            'faults_rep_$$'@'localhost', 'faults_rep_$$'@'127.0.0.1'" || true
  rm -rf "$T"
}
trap cleanup EXIT

admin -e "CREATE DATABASE \`$DB\`"
"$ETL" --init-db --db-socket "$BDA_DB_SOCKET" --db-user root --db-name "$DB" 2>/dev/null || fail "--init-db"
bash "$SRC/scripts/db.sh" accounts "$DBDIR" --database "$DB" --loader-user "$LOADER" --report-user "faults_rep_$$" \
  --password-dir "$T" >/dev/null 2>&1 || fail "db.sh accounts"
make_lake "$T/lake" 2022-04-01 2022-04-04 20000
LAST_FILE=$T/lake/20220404.json # the last day: read by rank 1 of 2

# run OUT [env...]: the 2-rank job loading into $DB; stderr to $T/err, exit code to $T/rc.
run() {
  local out=$1
  shift
  set +e
  env "$@" timeout 120 mpirun -np 2 "$ETL" --lake "$T/lake" --from 2022-04-01 --to 2022-04-04 --out "$out" \
    --quiet --db-socket "$BDA_DB_SOCKET" --db-user "$LOADER" --db-password-file "$T/$LOADER.password" \
    --db-name "$DB" 2>"$T/err"
  echo $? >"$T/rc"
  set -e
}
checksum() {
  admin -N -B "$DB" -e "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', HEX(Contract), ChildDuration, MovieDuration,
      SportDuration, TVDuration, RelaxDuration, DateCount, Activeness))) FROM customer_behavior"
}
last_run() { admin -N -B "$DB" -e "SELECT status FROM etl_run ORDER BY run_id DESC LIMIT 1"; }

# with_pause NAME ACTION: start the job paused after planning, run ACTION (the fault), release it.
with_pause() {
  local name=$1 action=$2 pause=$T/pause-$1
  mkdir -p "$pause"
  run "$T/$name.csv" BDA_TEST_PAUSE_AFTER_PLAN="$pause" &
  local job=$! start=$SECONDS
  for _ in $(seq 600); do [[ -f $pause/planned.0 && -f $pause/planned.1 ]] && break; sleep 0.1; done
  [[ -f $pause/planned.1 ]] || fail "$name: the job never finished planning: $(cat "$T/err")"
  PAUSE=$pause
  $action
  touch "$pause/go"
  wait "$job" || true
  ELAPSED=$((SECONDS - start))
}

# expect_failure NAME PATTERN: non-zero exit, one message matching PATTERN, no CSV, warehouse intact.
expect_failure() {
  local name=$1 pattern=$2
  [[ $(cat "$T/rc") != 0 ]] || fail "$name: the job succeeded"
  ((ELAPSED < 30)) || fail "$name: the job took ${ELAPSED}s to end"
  grep -Eq -- "$pattern" "$T/err" || fail "$name: no message matching '$pattern' in: $(cat "$T/err")"
  [[ ! -e $T/$name.csv ]] || fail "$name: a CSV was written"
  ! ls -a "$T" | grep -q "\.$name\.csv\.tmp" || fail "$name: a temporary CSV was left behind"
  [[ $(checksum) == "$good" ]] || fail "$name: the warehouse changed"
  note "$name: exit $(cat "$T/rc") after ${ELAPSED}s: $(grep -E -- "$pattern" "$T/err" | head -n1)"
}

run "$T/good.csv"
[[ $(cat "$T/rc") == 0 ]] || fail "the first load failed: $(cat "$T/err")"
good=$(checksum)

# 1. Rank 1 cannot read its shard (root reads any file, so the file becomes a directory).
unreadable() { mv "$LAST_FILE" "$T/saved.json" && mkdir "$LAST_FILE"; }
with_pause unreadable unreadable
expect_failure unreadable "^bda-etl: error: rank 1 on $(hostname): cannot read $LAST_FILE"
[[ $(grep -c "error" "$T/err") == 1 ]] || fail "unreadable: more than one error line: $(cat "$T/err")"
[[ $(last_run) == failed ]] || fail "unreadable: the run log says $(last_run)"
rmdir "$LAST_FILE" && mv "$T/saved.json" "$LAST_FILE"

# 2. A day file disappears between planning and reading.
disappear() { mv "$LAST_FILE" "$T/saved.json"; }
with_pause disappears disappear
expect_failure disappears "^bda-etl: error: rank 1 on $(hostname): cannot open $LAST_FILE"
[[ $(last_run) == failed ]] || fail "disappears: the run log says $(last_run)"
mv "$T/saved.json" "$LAST_FILE"

# 3. Rank 1 is killed mid-run; mpirun ends the job and rank 0 marks the run failed on its way out.
kill_rank1() { kill -KILL "$(cat "$PAUSE/planned.1")"; }
with_pause killed kill_rank1
expect_failure killed "rank 1 .* exited on signal 9|process rank 1"
killed_run=$(admin -N -B "$DB" -e "SELECT MAX(run_id) FROM etl_run")
# mpirun ended rank 0 with SIGTERM, and rank 0's last word marked the run failed.
admin -N -B "$DB" -e "SELECT status, message FROM etl_run WHERE run_id = $killed_run" | grep -q "^failed.*terminated by signal" ||
  fail "killed: the run log says: $(admin -N -B "$DB" -e "SELECT status, message FROM etl_run WHERE run_id = $killed_run")"

# The same command succeeds afterwards, with the same result.
run "$T/again.csv"
[[ $(cat "$T/rc") == 0 ]] || fail "the run after the faults failed: $(cat "$T/err")"
cmp -s "$T/good.csv" "$T/again.csv" || fail "the run after the faults wrote a different CSV"
[[ $(checksum) == "$good" ]] || fail "the run after the faults loaded different rows"
[[ $(admin -N -B "$DB" -e "SELECT status FROM etl_run WHERE run_id = $killed_run") == failed ]] ||
  fail "the killed run $killed_run is not marked failed"
note "all faults ended the job cleanly; the re-run succeeded"
