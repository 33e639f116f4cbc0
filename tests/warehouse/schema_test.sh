#!/usr/bin/env bash
# warehouse: the migrations (sql/migrations/NNN_name.sql) as schema-as-code.
#  - every file follows the rules of the C++ applier: statements end with the current delimiter at
#    the end of a line, DELIMITER lines switch it, no file touches schema_version;
#  - they apply to an empty database; applying them all again (db.sh apply-sql --all, and each file
#    as `mariadb DB < file`) changes nothing in information_schema;
#  - applied statement by statement, split the way the C++ applier splits them, they build the same
#    schema;
#  - every table, view, procedure and event exists, with the columns the loader relies on.
#   bash tests/warehouse/schema_test.sh <bin dir> <source dir> <db dir>
set -euo pipefail
source "$(dirname "$0")/wh_lib.sh"
wh_setup "$@" schema
migrations=$WH_SRC/sql/migrations
split_db=${WH_DB}_split

# --- the applier's rules, and the statements as the applier will send them
python3 - "$migrations" "$WH_WORK/split.sql" <<'PY' || wh_fail "a migration breaks the applier's rules"
import pathlib, re, sys

files = sorted(pathlib.Path(sys.argv[1]).glob("*.sql"))
out = []
errors = []
versions = []
for f in files:
    m = re.fullmatch(r"(\d{3})_([a-z0-9_]+)\.sql", f.name)
    if not m:
        errors.append(f"{f.name}: not named NNN_name.sql")
        continue
    versions.append(int(m.group(1)))
    lines = f.read_text(encoding="utf-8").split("\n")
    if not lines[0].startswith(f"-- {f.name}:"):
        errors.append(f"{f.name}: no header comment '-- {f.name}: ...'")
    delim, buf = ";", []
    for no, raw in enumerate(lines, 1):
        line = raw.rstrip()
        stripped = line.strip()
        is_comment = stripped.startswith("--") or stripped.startswith("#")
        d = re.fullmatch(r"(?i)DELIMITER\s+(\S+)", stripped)
        if d:
            if any(l.strip() and not l.strip().startswith("--") for l in buf):
                errors.append(f"{f.name}:{no}: DELIMITER inside an unfinished statement")
            delim, buf = d.group(1), []
            continue
        head = line[: -len(delim)] if line.endswith(delim) else line
        if not is_comment and delim in head:
            errors.append(f"{f.name}:{no}: the delimiter {delim!r} in the middle of a line")
        if line.endswith(delim):
            if is_comment:
                errors.append(f"{f.name}:{no}: a comment line ends with the delimiter {delim!r}")
                continue
            buf.append(head)
            stmt = "\n".join(buf).strip()
            buf = []
            code = "\n".join(l for l in stmt.split("\n") if not l.strip().startswith("--"))
            if re.search(r"schema_version", code) and not re.match(
                    r"CREATE TABLE IF NOT EXISTS schema_version\b", code.strip()):
                errors.append(f"{f.name}:{no}: touches schema_version (the applier owns it)")
            out.append(stmt)
        else:
            buf.append(line)
    if any(l.strip() and not l.strip().startswith("--") for l in buf):
        errors.append(f"{f.name}: text after the last statement")
    if delim != ";":
        errors.append(f"{f.name}: ends with DELIMITER {delim!r} (reset it to ';')")
if versions != list(range(1, len(versions) + 1)):
    errors.append(f"versions are not 1..N without gaps: {versions}")
if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
# One statement per chunk, with a delimiter no statement contains: the client then sends exactly
# the chunks the applier would send.
with open(sys.argv[2], "w", encoding="utf-8") as o:
    o.write("DELIMITER ~~~~\n")
    for stmt in out:
        assert "~~~~" not in stmt
        o.write(stmt + "\n~~~~\n")
print(f"{len(files)} files, {len(out)} statements", file=sys.stderr)
PY

# --- a dump of what the schema is (no timestamps, no row counts, the database name masked)
dump() { # dump DB [with_versions]
  local db=$1
  mariadb --no-defaults --socket="$BDA_DB_SOCKET" --user="$BDA_DB_ADMIN_USER" -N -B <<SQL | sed "s/\b$db\b/@DB@/g"
SELECT 'table', TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION, TABLE_COMMENT
  FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$db' ORDER BY TABLE_NAME;
SELECT 'column', TABLE_NAME, ORDINAL_POSITION, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT,
       CHARACTER_SET_NAME, COLLATION_NAME, COLUMN_KEY, EXTRA, GENERATION_EXPRESSION, COLUMN_COMMENT
  FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '$db' ORDER BY TABLE_NAME, ORDINAL_POSITION;
SELECT 'index', TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE
  FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '$db' ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX;
SELECT 'check', TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE
  FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '$db' ORDER BY TABLE_NAME, CONSTRAINT_NAME;
SELECT 'view', TABLE_NAME, VIEW_DEFINITION, SECURITY_TYPE, DEFINER, ALGORITHM, IS_UPDATABLE
  FROM information_schema.VIEWS WHERE TABLE_SCHEMA = '$db' ORDER BY TABLE_NAME;
SELECT 'routine', ROUTINE_NAME, ROUTINE_TYPE, SECURITY_TYPE, SQL_DATA_ACCESS, SQL_MODE, DEFINER,
       ROUTINE_COMMENT, ROUTINE_DEFINITION
  FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '$db' ORDER BY ROUTINE_NAME;
SELECT 'parameter', SPECIFIC_NAME, ORDINAL_POSITION, PARAMETER_MODE, PARAMETER_NAME, DTD_IDENTIFIER
  FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = '$db' ORDER BY SPECIFIC_NAME, ORDINAL_POSITION;
SELECT 'event', EVENT_NAME, DEFINER, EVENT_TYPE, INTERVAL_VALUE, INTERVAL_FIELD, TIME(STARTS), ENDS,
       STATUS, ON_COMPLETION, SQL_MODE, EVENT_COMMENT, EVENT_DEFINITION
  FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '$db' ORDER BY EVENT_NAME;
SELECT 'trigger', TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '$db';
SQL
  if [[ ${2:-} == with_versions ]]; then
    mariadb --no-defaults --socket="$BDA_DB_SOCKET" --user="$BDA_DB_ADMIN_USER" -N -B --database="$db" \
      -e "SELECT 'version', version, name, applied_at FROM schema_version ORDER BY version"
  fi
}

first=$(dump "$WH_DB" with_versions)
[[ $(grep -c '^column' <<<"$first") -gt 50 ]] || wh_fail "the dump looks empty: $first"

# --- exactly the expected objects
wh_eq "tables" "$(wh_q "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'")" \
  "customer_behavior,daily_statistics,daily_usage,etl_run,schema_version"
wh_eq "views" "$(wh_q "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.VIEWS
    WHERE TABLE_SCHEMA = DATABASE()")" \
  "v_category_summary,v_customer_segment,v_daily_statistics,v_last_load,v_period_metrics,v_segment_summary"
wh_eq "procedure" "$(wh_q "SELECT ROUTINE_NAME, ROUTINE_TYPE, SECURITY_TYPE FROM information_schema.ROUTINES
    WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY ROUTINE_NAME")" "close_abandoned_runs	PROCEDURE	DEFINER
refresh_daily_statistics	PROCEDURE	DEFINER"
wh_eq "procedure parameters" "$(wh_q "SELECT GROUP_CONCAT(PARAMETER_MODE, ' ', PARAMETER_NAME, ' ', DTD_IDENTIFIER
    ORDER BY ORDINAL_POSITION SEPARATOR ', ') FROM information_schema.PARAMETERS
    WHERE SPECIFIC_SCHEMA = DATABASE() AND SPECIFIC_NAME = 'refresh_daily_statistics'")" "IN p_from date, IN p_to date"
wh_eq "event" "$(wh_q "SELECT EVENT_NAME, STATUS, EVENT_TYPE, INTERVAL_VALUE, INTERVAL_FIELD FROM information_schema.EVENTS
    WHERE EVENT_SCHEMA = DATABASE()")" "ev_refresh_daily_statistics	ENABLED	RECURRING	1	DAY"
wh_eq "engines and character sets" "$(wh_q "SELECT DISTINCT ENGINE, TABLE_COLLATION FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'")" "InnoDB	utf8mb4_unicode_ci"

# --- the columns, types and keys the C++ loader writes
columns() { wh_q "SELECT GROUP_CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, IF(IS_NULLABLE = 'NO', ' not null', '')
    ORDER BY ORDINAL_POSITION SEPARATOR ', ') FROM information_schema.COLUMNS
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '$1'"; }
primary_key() { wh_q "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '$1' AND INDEX_NAME = 'PRIMARY'"; }
wh_eq "customer_behavior columns" "$(columns customer_behavior)" \
  "period_start date not null, period_end date not null, Contract varbinary(512) not null, ChildDuration bigint(20) not null, MovieDuration bigint(20) not null, SportDuration bigint(20) not null, TVDuration bigint(20) not null, RelaxDuration bigint(20) not null, MostWatch enum('Child','Movie','Sport','TV','Relax'), Taste varchar(40) not null, DateCount smallint(5) unsigned not null, Activeness decimal(5,2) not null, Segment varchar(23), run_id bigint(20) unsigned not null"
wh_eq "customer_behavior key" "$(primary_key customer_behavior)" "period_start,period_end,Contract"
wh_eq "Segment is generated and stored" "$(wh_q "SELECT EXTRA FROM information_schema.COLUMNS
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customer_behavior' AND COLUMN_NAME = 'Segment'")" "STORED GENERATED"
wh_eq "daily_usage columns" "$(columns daily_usage)" \
  "stat_date date not null, category enum('All','Child','Movie','Sport','TV','Relax') not null, sessions bigint(20) unsigned not null, total_duration bigint(20) unsigned not null, customers int(10) unsigned not null, run_id bigint(20) unsigned not null"
wh_eq "daily_usage key" "$(primary_key daily_usage)" "stat_date,category"
wh_eq "etl_run columns" "$(columns etl_run)" \
  "run_id bigint(20) unsigned not null, period_start date, period_end date, selected_days int(11), started_at datetime(3) not null, finished_at datetime(3), status enum('running','ok','failed') not null, ranks int(11), host varchar(255), connection_id bigint(20) unsigned, input_bytes bigint(20) unsigned, lines_read bigint(20) unsigned, records bigint(20) unsigned, rejected bigint(20) unsigned, rejects longtext, contracts bigint(20) unsigned, rows_loaded bigint(20) unsigned, message text"
wh_eq "etl_run key" "$(primary_key etl_run)" "run_id"
wh_eq "schema_version columns" "$(columns schema_version)" \
  "version int(11) not null, name varchar(200) not null, applied_at datetime not null"
wh_eq "daily_statistics key" "$(primary_key daily_statistics)" "stat_date"
wh_eq "dashboard indexes" "$(wh_q "SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME) FROM information_schema.STATISTICS
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customer_behavior'")" \
  "ix_cb_activeness,ix_cb_date_count,ix_cb_most_watch,ix_cb_run,ix_cb_segment,PRIMARY"

# --- schema_version: one row per file, written by the applier (db.sh apply-sql here)
expected_versions=$(for f in "$migrations"/[0-9][0-9][0-9]_*.sql; do
  n=$(basename "$f"); echo "$((10#${n:0:3}))	$n"; done)
wh_eq "schema_version" "$(wh_q "SELECT version, name FROM schema_version ORDER BY version")" "$expected_versions"

# --- nothing pending: apply-sql skips recorded versions
bash "$WH_SRC/scripts/db.sh" apply-sql "$WH_DBDIR" --database "$WH_DB" 2>"$WH_WORK/again.log"
grep -q "is up to date" "$WH_WORK/again.log" || wh_fail "apply-sql re-applied recorded versions: $(cat "$WH_WORK/again.log")"
wh_eq "schema after a no-op apply-sql" "$(dump "$WH_DB" with_versions)" "$first"

# --- everything again: re-runnable, nothing changes
sleep 1 # a re-created object would show a different second in any timestamp that leaked into the dump
bash "$WH_SRC/scripts/db.sh" apply-sql "$WH_DBDIR" --database "$WH_DB" --all 2>"$WH_WORK/all.log" ||
  { cat "$WH_WORK/all.log" >&2; wh_fail "re-applying every migration failed"; }
wh_eq "schema after re-applying every migration (apply-sql --all)" "$(dump "$WH_DB" with_versions)" "$first"
for f in "$migrations"/[0-9][0-9][0-9]_*.sql; do
  wh_sql <"$f" || wh_fail "$(basename "$f") does not run as 'mariadb DB < file' a second time"
done
wh_eq "schema after 'mariadb DB < file' for every file" "$(dump "$WH_DB" with_versions)" "$first"

# --- split as the applier splits: the same schema
WH_CLEANUP+=("wh_sql -e 'DROP DATABASE IF EXISTS \`$split_db\`'")
wh_sql -e "DROP DATABASE IF EXISTS \`$split_db\`;
  CREATE DATABASE \`$split_db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
wh_sql --database="$split_db" <"$WH_WORK/split.sql" || wh_fail "the statements split like the applier does fail"
wh_eq "schema built statement by statement" "$(dump "$split_db")" "$(dump "$WH_DB")"

echo "ok: $(grep -c . <<<"$first") schema facts identical after re-applying; applier split agrees"
