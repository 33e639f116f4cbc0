# shellcheck shell=bash
# Shared by tests/warehouse/*_test.sh (source it after `set -euo pipefail`).
# Each test runs against the private server of the ctest fixture (warehouse.db_start, through
# scripts/db.sh) in a database of its own, created fresh with the migrations and dropped on exit
# (BDA_WH_KEEP=1 keeps it for a post-mortem).
#   wh_setup <bin dir> <source dir> <db dir> <short name>   sets WH_SRC, WH_DBDIR, WH_DB, WH_WORK
#   wh_sql [mariadb args]      client as admin on WH_DB (LOAD DATA LOCAL enabled)
#   wh_q "SQL"                 one query, tab-separated output without column names
#   wh_must_fail WHAT "SQL"    the statement must fail, not for a syntax error (WH_VERBOSE=1 shows why)
#   wh_eq WHAT ACTUAL EXPECTED / wh_fail MESSAGE
#   wh_load_local WHAT "SQL"   a LOAD DATA LOCAL that must not warn
#   wh_load_fixture            loads tests/warehouse/data/refresh_* as the loader would

wh_fail() { echo "FAIL: $*" >&2; exit 1; }

wh_eq() {
  [[ $2 == "$3" ]] && return 0
  printf 'FAIL: %s\n--- expected:\n%s\n--- actual:\n%s\n' "$1" "$3" "$2" >&2
  if command -v diff >/dev/null; then diff <(printf '%s\n' "$3") <(printf '%s\n' "$2") >&2 || true; fi
  exit 1
}

wh_sql() {
  mariadb --no-defaults --socket="$BDA_DB_SOCKET" --user="$BDA_DB_ADMIN_USER" --local-infile=1 \
    --database="$WH_DB" "$@"
}

wh_q() { wh_sql -N -B -e "$1"; }

wh_must_fail() {
  if wh_sql -N -B -e "$2" >/dev/null 2>"$WH_WORK/last_error"; then
    wh_fail "$1: the statement succeeded but must fail: $2"
  fi
  # A typo in the test must not pass for a refusal: syntax, unknown column/table, column count.
  if grep -Eq "ERROR (1064|1054|1146|1136|1049)" "$WH_WORK/last_error"; then
    wh_fail "$1: failed for the wrong reason: $(cat "$WH_WORK/last_error")"
  fi
  [[ -z ${WH_VERBOSE:-} ]] || echo "refused as expected ($1): $(tail -n 1 "$WH_WORK/last_error")" >&2
}

# Cleanup steps a test adds (run before the database is dropped).
WH_CLEANUP=()

wh_cleanup() {
  local rc=$? step
  for step in "${WH_CLEANUP[@]}"; do eval "$step" || true; done
  if [[ ${BDA_WH_KEEP:-0} == 1 ]]; then
    echo "kept database $WH_DB and $WH_WORK" >&2
  else
    wh_sql -e "DROP DATABASE IF EXISTS \`$WH_DB\`" 2>/dev/null || true
    rm -rf "$WH_WORK"
  fi
  exit "$rc"
}

wh_setup() {
  # shellcheck disable=SC2034 # part of the calling convention; no warehouse test needs a binary
  WH_BIN=${1:?usage: <test>.sh <bin dir> <source dir> <db dir>}
  WH_SRC=${2:?usage: <test>.sh <bin dir> <source dir> <db dir>}
  WH_DBDIR=${3:?usage: <test>.sh <bin dir> <source dir> <db dir>}
  WH_DB=bda_t_${4:?}
  WH_DATA=$WH_SRC/tests/warehouse/data
  [[ -f $WH_DBDIR/env ]] ||
    wh_fail "no $WH_DBDIR/env: the private server is not running (the warehouse.db_start fixture starts it)"
  # shellcheck disable=SC1091
  source "$WH_DBDIR/env"
  command -v python3 >/dev/null || wh_fail "python3 is needed for the independent arithmetic"
  WH_WORK=$(mktemp -d)
  trap wh_cleanup EXIT
  mariadb --no-defaults --socket="$BDA_DB_SOCKET" --user="$BDA_DB_ADMIN_USER" \
    -e "DROP DATABASE IF EXISTS \`$WH_DB\`" || wh_fail "cannot reach the server at $BDA_DB_SOCKET"
  bash "$WH_SRC/scripts/db.sh" apply-sql "$WH_DBDIR" --database "$WH_DB" 2>"$WH_WORK/apply.log" ||
    { cat "$WH_WORK/apply.log" >&2; wh_fail "the migrations did not apply to $WH_DB"; }
}

# wh_load_local WHAT "LOAD DATA LOCAL ...": runs it and fails on any warning. LOAD DATA LOCAL
# implies IGNORE: a row breaking a CHECK, a bad value or a duplicate key is skipped with a warning
# instead of failing the statement, so a warning-free load is the only proof that all rows landed.
wh_load_local() {
  local warnings
  warnings=$(wh_sql -N -B -e "$2; SHOW WARNINGS") || wh_fail "$1: LOAD DATA failed"
  [[ -z $warnings ]] || wh_fail "$1: LOAD DATA warned (rows were skipped or altered): $warnings"
}

# wh_load_cb CSV PERIOD_START PERIOD_END RUN_ID: one OLAP CSV exactly as bda-etl writes it (SPEC
# section 4: header, RFC 4180 quoting, MostWatch empty when all durations are 0) into
# customer_behavior. ESCAPED BY '' because the CSV has no backslash escapes; a doubled quote inside
# a quoted field is one quote. CHARACTER SET binary keeps the Contract bytes as they are.
wh_load_cb() {
  wh_load_local "$1" "LOAD DATA LOCAL INFILE '$1' INTO TABLE customer_behavior CHARACTER SET binary
    FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '' LINES TERMINATED BY '\n'
    IGNORE 1 LINES
    (Contract, ChildDuration, MovieDuration, SportDuration, TVDuration, RelaxDuration, @most_watch,
     Taste, DateCount, Activeness)
    SET period_start = '$2', period_end = '$3', run_id = $4, MostWatch = NULLIF(@most_watch, '')"
  # The loader does this inside its transaction; a schema older than 007 has no summaries (the
  # upgrade test loads one, and 007 summarises what it finds).
  if [[ $(wh_q "SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()
            AND ROUTINE_NAME = 'summarise_period'") == 1 ]]; then
    wh_sql -e "CALL summarise_period('$2..$3', $4)"
  fi
}

# The refresh fixture: etl_run rows (refresh_runs.csv), the OLAP CSV of each successful run
# (refresh_cb_<start>_<end>.csv) and the per-day table (refresh_daily_usage.csv).
wh_load_fixture() {
  wh_load_local refresh_runs.csv "LOAD DATA LOCAL INFILE '$WH_DATA/refresh_runs.csv' INTO TABLE etl_run
    FIELDS TERMINATED BY ',' LINES TERMINATED BY '\n' IGNORE 1 LINES
    (run_id, period_start, period_end, selected_days, started_at, @finished_at, status, ranks,
     records, contracts)
    SET finished_at = NULLIF(@finished_at, ''), rows_loaded = contracts"
  local run start end status
  while IFS=, read -r run start end _ _ _ status _; do
    [[ $status == ok ]] || continue
    wh_load_cb "$WH_DATA/refresh_cb_${start}_${end}.csv" "$start" "$end" "$run"
  done < <(tail -n +2 "$WH_DATA/refresh_runs.csv")
  wh_load_local refresh_daily_usage.csv "LOAD DATA LOCAL INFILE '$WH_DATA/refresh_daily_usage.csv'
    INTO TABLE daily_usage FIELDS TERMINATED BY ',' LINES TERMINATED BY '\n' IGNORE 1 LINES
    (stat_date, category, sessions, total_duration, customers, run_id)"
}
