#!/usr/bin/env bash
# The main job end to end on built-in sample data: installs what is missing, builds, generates a
# sample April lake, starts a private MariaDB, runs bda-etl on 2 ranks (CSV, warehouse load, data
# mart refresh), prints a few lines of the mart, and stops the server again.
#   scripts/run.sh
# Environment: BDA_SAMPLE_LINES_PER_DAY (default 100000), BDA_RANKS (default 2), BDA_BUILD_DIR.
# The server's data stays in <build dir>/sample/db: `scripts/db.sh start build/sample/db` brings
# it back (for the dashboard), `scripts/db.sh stop build/sample/db` ends it.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

lines_per_day="${BDA_SAMPLE_LINES_PER_DAY:-100000}"
ranks="${BDA_RANKS:-2}"
sample="$BDA_BUILD_DIR/sample"
lake="$sample/lake-2022-04"
out="$sample/out"
db="$sample/db"

bda_install_dependencies
bda_build -DBDA_FAULT_INJECTION=OFF # a release build: no fault points
bda_mpi_env

if [ ! -f "$lake/.complete-$lines_per_day" ]; then
  bda_log "generating a sample April ($lines_per_day lines a day) in $lake"
  rm -rf "$lake"
  "$BDA_BUILD_DIR/bin/bda-gen" --out "$lake" --month 2022-04 --lines-per-day "$lines_per_day" \
    --manifest "$sample/lake-2022-04.manifest.json"
  touch "$lake/.complete-$lines_per_day"
fi

bda_log "starting a private MariaDB in $db"
bash "$BDA_ROOT/scripts/db.sh" start "$db" >/dev/null
trap 'bash "$BDA_ROOT/scripts/db.sh" stop "$db" >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC1091
source "$db/env"
"$BDA_BUILD_DIR/bin/bda-etl" --init-db --db-socket "$BDA_DB_SOCKET" --db-user "$BDA_DB_ADMIN_USER"
bash "$BDA_ROOT/scripts/db.sh" accounts "$db" >/dev/null

bda_log "running bda-etl on $ranks ranks: CSV, warehouse load, data mart"
mkdir -p "$out"
oversubscribe=()
[ "$ranks" -gt "$(nproc)" ] && oversubscribe=(--oversubscribe)
mpirun -np "$ranks" "${oversubscribe[@]}" "$BDA_BUILD_DIR/bin/bda-etl" \
  --lake "$lake" --month 2022-04 \
  --out "$out/customer_behavior_2022-04.csv" \
  --summary "$out/summary_2022-04.json" \
  --quarantine "$out/rejects_2022-04.tsv" \
  --daily "$out/daily_usage_2022-04.csv" \
  --db-socket "$BDA_DB_SOCKET" --db-user "$BDA_DB_LOADER_USER" --db-password-file "$BDA_DB_LOADER_PASSWORD_FILE"

echo
echo "OLAP CSV:   $out/customer_behavior_2022-04.csv ($(jq .contracts "$out/summary_2022-04.json") contracts)"
echo "Summary:    $out/summary_2022-04.json"
echo "Quarantine: $out/rejects_2022-04.tsv"
echo "Per day:    $out/daily_usage_2022-04.csv"
echo
head -n 6 "$out/customer_behavior_2022-04.csv" | column -s, -t
report() { MYSQL_PWD="$(cat "$BDA_DB_REPORT_PASSWORD_FILE")" mariadb --no-defaults --socket="$BDA_DB_SOCKET" \
  --user="$BDA_DB_REPORT_USER" --table bda -e "$1"; }
echo
echo "The data mart (as the read-only account bda_report):"
report "SELECT customers, total_duration, avg_duration_per_person_per_month AS per_month,
        avg_duration_per_person_per_week AS per_week, avg_duration_per_person_per_day AS per_day
        FROM v_period_metrics WHERE period_key = '2022-04-01..2022-04-30'"
report "SELECT Segment, customers FROM v_segment_summary
        WHERE period_key = '2022-04-01..2022-04-30' ORDER BY customers DESC"
report "SELECT stat_date, active_customers, sessions, total_duration, avg_duration_per_active_customer AS avg_per_customer
        FROM daily_statistics ORDER BY stat_date LIMIT 5"
echo "(the server stops now; 'scripts/db.sh start $db' brings it back with the data)"
