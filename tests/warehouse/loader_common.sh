# Shared by the loader tests: a private database on the fixture's server, its accounts, a lake.
# Usage: source loader_common.sh BIN SRC DBDIR   (defines T, DB, admin, etl_load, ...)
set -euo pipefail
BIN=$1 SRC=$2 DBDIR=$3
source "$DBDIR/env"
T=$(mktemp -d)
DB="bda_lt_$$"
LOADER="lt_load_$$"
REPORT="lt_rep_$$"

admin() { mariadb --no-defaults --socket="$BDA_DB_SOCKET" --user=root "$@"; }
cleanup() {
  admin -e "DROP DATABASE IF EXISTS \`$DB\`; DROP USER IF EXISTS '$LOADER'@'localhost', '$LOADER'@'127.0.0.1',
            '$REPORT'@'localhost', '$REPORT'@'127.0.0.1'" || true
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

admin -e "CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4"
"$BIN/bda-etl" --init-db --db-socket "$BDA_DB_SOCKET" --db-user root --db-name "$DB" 2>"$T/init.err" ||
  fail "--init-db: $(cat "$T/init.err")"
bash "$SRC/scripts/db.sh" accounts "$DBDIR" --database "$DB" --loader-user "$LOADER" --report-user "$REPORT" \
  --password-dir "$T" >/dev/null 2>&1 || fail "db.sh accounts"
LOADER_PW_FILE=$T/$LOADER.password
[ -s "$LOADER_PW_FILE" ] || fail "db.sh accounts wrote no $LOADER_PW_FILE"

# The generated days plus one hand-made day of contracts that are hard to carry through SQL.
make_lake() { # make_lake DIR [more bda-gen options, e.g. --manifest FILE]
  "$BIN/bda-gen" --out "$1" --from 2022-04-01 --to 2022-04-03 --lines-per-day 3000 --dirty-share 0.05 \
    --seed 7 --quiet "${@:2}"
  python3 - "$1/20220404.json" <<'PY'
import json, sys
contracts = ["abc", "ABC", "abc ", " abc", "a,b", 'q"uote', "back\\slash", "\\N", "NULL", "emoji\U0001F600",
             "cr\rlf\nx", "tab\tx", "nul\u0000byte", "'; DROP TABLE customer_behavior; --",
             "\u00e9" * 511 + "xy"]  # 1024 bytes once decoded: the longest Contract (SPEC section 2)
apps = ["KPLUS", "VOD", "CHILD", "SPORT", "RELAX"]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i, c in enumerate(contracts):
        for j in range(1 + i % 3):
            hit = {"_id": f"x{i}-{j}", "_source": {"Contract": c, "AppName": apps[(i + j) % 5], "TotalDuration": 100 * i + j}}
            f.write(json.dumps(hit, ensure_ascii=bool(i % 2)) + "\n")
PY
}

# The days etl_load selects (a bda-etl day selection); the period 2022-04-01..2022-04-04 unless set.
DAYS=(--from 2022-04-01 --to 2022-04-04)
PERIOD=2022-04-01..2022-04-04
etl_load() { # etl_load LAKE OUT_DIR [extra bda-etl args]: 2-rank run loading into $DB as the loader
  local lake=$1 out=$2
  shift 2
  timeout 120 mpirun -np 2 --oversubscribe "$BIN/bda-etl" --lake "$lake" "${DAYS[@]}" \
    --out "$out/out.csv" --daily "$out/daily.csv" --quiet --db-socket "$BDA_DB_SOCKET" --db-user "$LOADER" \
    --db-password-file "$LOADER_PW_FILE" --db-name "$DB" "$@"
}

etl_load_days() { # etl_load_days "DAY OPTIONS" LAKE OUT_DIR [extra]: etl_load selecting these days
  local saved=("${DAYS[@]}") rc=0
  read -ra DAYS <<<"$1"
  shift
  etl_load "$@" || rc=$?
  DAYS=("${saved[@]}")
  return $rc
}

# Every loaded row of the period (\$1, default \$PERIOD), as "HEX(Contract)<TAB>columns", sorted by Contract bytes.
warehouse_rows() {
  admin -N -B "$DB" -e "SELECT HEX(Contract), ChildDuration, MovieDuration, SportDuration, TVDuration,
      RelaxDuration, IFNULL(MostWatch, ''), Taste, DateCount, Activeness FROM customer_behavior
      WHERE period_key = '${1:-$PERIOD}' ORDER BY Contract"
}

# The same rows computed from the CSV by Python's csv module.
csv_rows() { # csv_rows CSV
  python3 - "$1" <<'PY'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
assert rows[0][0] == "Contract", rows[0]
for r in rows[1:]:
    print("\t".join([r[0].encode("utf-8").hex().upper()] + r[1:]))
PY
}

period_checksum() { # period_checksum [PERIOD_KEY]: rows and a checksum of their values
  admin -N -B "$DB" -e "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', HEX(Contract), ChildDuration, MovieDuration,
      SportDuration, TVDuration, RelaxDuration, IFNULL(MostWatch, '-'), Taste, DateCount, Activeness)))
      FROM customer_behavior WHERE period_key = '${1:-$PERIOD}'"
}

# Everything a load may change: the customer rows of every period, daily_usage and the mart.
warehouse_checksum() {
  admin -N -B "$DB" -e "SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', period_key, HEX(Contract), ChildDuration,
      MovieDuration, SportDuration, TVDuration, RelaxDuration, IFNULL(MostWatch, '-'), Taste, DateCount, Activeness,
      run_id))) FROM customer_behavior;
    SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', stat_date, category, sessions, total_duration, customers, run_id)))
      FROM daily_usage;
    SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', stat_date, active_customers, total_duration, segment_run_id,
      period_customers))) FROM daily_statistics"
}
