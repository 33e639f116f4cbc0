#!/usr/bin/env bash
# A failure injected in each phase of a run (plan, scan, reduce, gather, write, load; with --checkpoints
# also checkpoint-write and checkpoint-merge), on rank 0 and on
# another rank, at 1 to 4 ranks, ends the job the same agreed way: exit 1 within seconds without
# --timeout, one "bda-etl: error:" line naming the phase and the rank, a summary saying "failed", no
# file at --out, --daily or --quarantine, no temporary file, and the warehouse as it was (the run log
# says failed). Needs a test build (-DBDA_FAULT_INJECTION=ON); otherwise it reports itself skipped.
# Args: <bin dir> <source dir> <db dir> (the bda_db fixture of tests/warehouse).
set -euo pipefail
TEST=phase_faults
source "$2/tests/cluster/common.sh"
need_bins "$1"
DBDIR=$3
source "$DBDIR/env"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
T=$(mktemp -d)
DB="bda_phase_faults_$$" LOADER="phf_$$" REPORTER="phf_rep_$$"
admin() { mariadb --no-defaults --socket="$BDA_DB_SOCKET" --user=root "$@"; }
cleanup() {
  admin -e "DROP DATABASE IF EXISTS \`$DB\`; DROP USER IF EXISTS '$LOADER'@'localhost', '$LOADER'@'127.0.0.1',
            '$REPORTER'@'localhost', '$REPORTER'@'127.0.0.1'" || true
  rm -rf "$T"
}
trap cleanup EXIT

BDA_TEST_FAULT=plan:0 "$ETL" --lake "$T" --date 2022-04-01 --allow-missing-days --out "$T/probe.csv" --quiet 2>"$T/probe.err" && true
if ! grep -q "injected fault" "$T/probe.err"; then
  note "SKIP: $ETL is not a test build (configure with -DBDA_FAULT_INJECTION=ON)"
  exit 77
fi

admin -e "CREATE DATABASE \`$DB\`"
"$ETL" --init-db --db-socket "$BDA_DB_SOCKET" --db-user root --db-name "$DB" 2>/dev/null || fail "--init-db"
bash "$2/scripts/db.sh" accounts "$DBDIR" --database "$DB" --loader-user "$LOADER" --report-user "$REPORTER" \
  --password-dir "$T" >/dev/null 2>&1 || fail "db.sh accounts"
make_lake "$T/lake" 2022-04-01 2022-04-04 20000
mkdir -p "$T/out"

# job RANKS [env...]: the job at RANKS ranks with every output, loading into $DB; stderr to $T/err.
EXTRA=() # more bda-etl options for every job
job() {
  local ranks=$1
  shift
  set +e
  env "$@" timeout 60 mpirun -np "$ranks" --oversubscribe "$ETL" --lake "$T/lake" --from 2022-04-01 --to 2022-04-04 \
    --out "$T/out/p.csv" --summary "$T/summary.json" --daily "$T/out/p.daily.csv" --quarantine "$T/out/p.tsv" \
    --quiet --db-socket "$BDA_DB_SOCKET" --db-user "$LOADER" --db-password-file "$T/$LOADER.password" \
    --db-name "$DB" "${EXTRA[@]}" 2>"$T/err"
  RC=$?
  set -e
}
checksum() {
  admin -N -B "$DB" -e "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', HEX(Contract), ChildDuration, MovieDuration,
      SportDuration, TVDuration, RelaxDuration, DateCount, Activeness))) FROM customer_behavior;
      SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', stat_date, category, sessions, total_duration))) FROM daily_usage"
}
last_run() { admin -N -B "$DB" -e "SELECT status FROM etl_run ORDER BY run_id DESC LIMIT 1"; }

# A loaded period to keep intact: the faulty runs would replace it.
job 2
((RC == 0)) || fail "the first load failed: $(cat "$T/err")"
good=$(checksum)
[[ $(echo "$good" | head -n1 | cut -f1) -gt 0 ]] || fail "the first load loaded no rows"
rm -f "$T"/out/* "$T/summary.json"

# expect_agreed_failure PHASE RANK RANKS [KIND]
expect_agreed_failure() {
  local phase=$1 rank=$2 ranks=$3 kind=${4:-throw} what="$1 on rank $2 of $3 (${4:-throw})" start=$SECONDS
  job "$ranks" BDA_TEST_FAULT="$phase:$rank:$kind"
  local elapsed=$((SECONDS - start))
  ((RC == 1)) || fail "$what: exit code $RC, not 1: $(cat "$T/err")"
  ((elapsed <= 20)) || fail "$what: the job took ${elapsed}s to end"
  [[ $(grep -c "^bda-etl: error:" "$T/err") == 1 ]] || fail "$what: not exactly one error line: $(cat "$T/err")"
  local expected="injected fault in the $phase phase"
  [[ $kind == oom ]] && expected="out of memory"
  local place="rank $rank on $(hostname): "
  ((ranks == 1)) && place=""
  grep -q "^bda-etl: error: $place$expected" "$T/err" || fail "$what: the message does not say '$place$expected': $(cat "$T/err")"
  [[ $(summary_field "$T/summary.json" 's["status"]') == failed ]] || fail "$what: the summary does not say failed"
  summary_field "$T/summary.json" 's["error"]' | grep -q "$expected" || fail "$what: the summary's error is not the message"
  local left
  left=$(ls -A "$T/out")
  [[ -z $left ]] || fail "$what: outputs left behind: $left"
  [[ $(checksum) == "$good" ]] || fail "$what: the warehouse changed"
  [[ $(last_run) == failed ]] || fail "$what: the run log says $(last_run)"
  note "$what: exit 1 after ${elapsed}s: $(grep "^bda-etl: error:" "$T/err")"
  rm -f "$T/summary.json"
}

for phase in plan scan reduce gather write load; do
  expect_agreed_failure "$phase" 0 1
  expect_agreed_failure "$phase" 0 2
  expect_agreed_failure "$phase" 1 2
done
# Other rank counts: the last rank of 3 and 4, and a middle one.
for phase in scan reduce gather write; do
  expect_agreed_failure "$phase" 2 3
  expect_agreed_failure "$phase" 0 4
  expect_agreed_failure "$phase" 3 4
done
expect_agreed_failure reduce 1 3 oom
expect_agreed_failure gather 0 2 oom

# With --checkpoints: a fault while a day's checkpoint is written or while the days' checkpoints are
# merged ends the job the same way and leaves no half-written checkpoint; the next run then loads
# the same rows, from whatever checkpoints the failed runs completed.
EXTRA=(--checkpoints "$T/ck")
for phase in checkpoint-write checkpoint-merge; do
  expect_agreed_failure "$phase" 0 2
  expect_agreed_failure "$phase" 1 2
  expect_agreed_failure "$phase" 0 1
  left=$(find "$T/ck" -name '.*' -type f ! -name '.daily.lock')
  [[ -z $left ]] || fail "$phase: a temporary checkpoint file was left: $left"
done
job 2
((RC == 0)) || fail "the checkpointed run after the faults failed: $(cat "$T/err")"
[[ $(checksum) == "$good" ]] || fail "the checkpointed run after the faults loaded different rows"
EXTRA=()

# After all of it the same command still succeeds with the same rows.
job 2
((RC == 0)) || fail "the run after the faults failed: $(cat "$T/err")"
[[ $(checksum) == "$good" ]] || fail "the run after the faults loaded different rows"
[[ -s $T/out/p.csv && -s $T/out/p.daily.csv && -s $T/out/p.tsv ]] || fail "the run after the faults published no outputs"
note "every injected fault ended the job the agreed way"
