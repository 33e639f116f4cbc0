#!/usr/bin/env bash
# warehouse: the migrations (sql/migrations/NNN_name.sql) as schema-as-code.
#  - every file follows the rules of the C++ applier: statements end with the current delimiter at
#    the end of a line, DELIMITER lines switch it, no file touches schema_version;
#  - they apply to an empty database; applying them all again (db.sh apply-sql --all, and each file
#    as `mariadb DB < file`) changes nothing in information_schema;
#  - applied statement by statement, split the way the C++ applier splits them, they build the same
#    schema;
#  - every table, view, procedure and event exists, with the columns the loader relies on;
#  - 006 upgrades a warehouse at 005 that holds data: every row stays, each old period becomes the
#    contiguous range its start and end say, and the mart, the views and a reload still work.
#   bash tests/warehouse/schema_test.sh <bin dir> <source dir> <db dir>
set -euo pipefail
source "$(dirname "$0")/wh_lib.sh"
wh_setup "$@" schema
migrations=$WH_SRC/sql/migrations
split_db=${WH_DB}_split
upgrade_db=${WH_DB}_upgrade

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
  "customer_behavior,customer_behavior_load,customer_cube,customer_page_mark,daily_statistics,daily_usage,etl_run,loaded_period,schema_version"
wh_eq "views" "$(wh_q "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.VIEWS
    WHERE TABLE_SCHEMA = DATABASE()")" \
  "v_category_summary,v_customer_cube,v_customer_page_mark,v_customer_segment,v_daily_statistics,v_last_load,v_loaded_period,v_period_metrics,v_segment_summary"
wh_eq "procedure" "$(wh_q "SELECT ROUTINE_NAME, ROUTINE_TYPE, SECURITY_TYPE FROM information_schema.ROUTINES
    WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY ROUTINE_NAME")" "close_abandoned_runs	PROCEDURE	DEFINER
drop_run_rows	PROCEDURE	DEFINER
load_table_index	PROCEDURE	DEFINER
load_table_prepare	PROCEDURE	DEFINER
load_table_swap	PROCEDURE	DEFINER
refresh_daily_statistics	PROCEDURE	DEFINER
summarise_period	PROCEDURE	DEFINER"
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
  "period_start date not null, period_end date not null, period_key varchar(300) not null, Contract varbinary(1024) not null, ChildDuration bigint(20) not null, MovieDuration bigint(20) not null, SportDuration bigint(20) not null, TVDuration bigint(20) not null, RelaxDuration bigint(20) not null, TotalDuration decimal(21,0), MostWatch enum('Child','Movie','Sport','TV','Relax'), Taste varchar(40) not null, DateCount smallint(5) unsigned not null, Activeness decimal(5,2) not null, Segment varchar(23), run_id bigint(20) unsigned not null"
wh_eq "customer_behavior key (a run loads one period)" "$(primary_key customer_behavior)" "run_id,Contract"
wh_eq "Segment is generated and stored" "$(wh_q "SELECT EXTRA FROM information_schema.COLUMNS
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customer_behavior' AND COLUMN_NAME = 'Segment'")" "STORED GENERATED"
wh_eq "daily_usage columns" "$(columns daily_usage)" \
  "stat_date date not null, category enum('All','Child','Movie','Sport','TV','Relax') not null, sessions bigint(20) unsigned not null, total_duration bigint(20) unsigned not null, customers int(10) unsigned not null, run_id bigint(20) unsigned not null"
wh_eq "daily_usage key" "$(primary_key daily_usage)" "stat_date,category"
wh_eq "etl_run columns" "$(columns etl_run)" \
  "run_id bigint(20) unsigned not null, period_start date, period_end date, period_key varchar(300), selected_days int(11), selected_dates text, started_at datetime(3) not null, finished_at datetime(3), status enum('running','ok','failed') not null, ranks int(11), host varchar(255), connection_id bigint(20) unsigned, input_bytes bigint(20) unsigned, lines_read bigint(20) unsigned, records bigint(20) unsigned, rejected bigint(20) unsigned, rejects longtext, contracts bigint(20) unsigned, rows_loaded bigint(20) unsigned, message text, note text"
wh_eq "etl_run key" "$(primary_key etl_run)" "run_id"
indexed_by() { wh_q "SELECT GROUP_CONCAT(INDEX_NAME, '(', cols, ')' ORDER BY INDEX_NAME SEPARATOR ' ') FROM
    (SELECT INDEX_NAME, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '$1' GROUP BY INDEX_NAME) AS i"; }
wh_eq "customer_behavior indexes lead with the run (its partition)" "$(indexed_by customer_behavior)" \
  "ix_cb_date_count(run_id,DateCount,Contract) ix_cb_total(run_id,TotalDuration,Contract) PRIMARY(run_id,Contract)"
wh_eq "customer_behavior: one LIST partition per loaded run, p_other for the rest" \
  "$(wh_q "SELECT PARTITION_METHOD, PARTITION_EXPRESSION, GROUP_CONCAT(PARTITION_NAME) FROM information_schema.PARTITIONS
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customer_behavior' GROUP BY 1, 2")" "LIST	\`run_id\`	p_other"
wh_eq "the staging table has customer_behavior's columns" "$(columns customer_behavior_load)" "$(columns customer_behavior)"
wh_eq "the staging table has its primary key and CHECKs, no partitions" "$(wh_q "SELECT
    (SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customer_behavior_load' AND INDEX_NAME = 'PRIMARY'),
    (SELECT COUNT(*) FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()
      AND TABLE_NAME = 'customer_behavior_load') = (SELECT COUNT(*) FROM information_schema.CHECK_CONSTRAINTS
      WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'customer_behavior'),
    (SELECT COUNT(*) FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE()
      AND TABLE_NAME = 'customer_behavior_load' AND PARTITION_NAME IS NOT NULL)")" "run_id,Contract	1	0"
wh_eq "period_key is ASCII, compared as bytes" "$(wh_q "SELECT DISTINCT COLLATION_NAME FROM information_schema.COLUMNS
    WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME IN ('period_key', 'segment_period_key')")" "ascii_bin"
wh_eq "schema_version columns" "$(columns schema_version)" \
  "version int(11) not null, name varchar(200) not null, applied_at datetime not null"
wh_eq "daily_statistics key" "$(primary_key daily_statistics)" "stat_date"
wh_eq "dashboard indexes" "$(wh_q "SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME) FROM information_schema.STATISTICS
    WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customer_behavior'")" \
  "ix_cb_date_count,ix_cb_total,PRIMARY"

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

# --- 006 on a warehouse at 005 that holds data
WH_CLEANUP+=("wh_sql -e 'DROP DATABASE IF EXISTS \`$upgrade_db\`'")
wh_sql -e "DROP DATABASE IF EXISTS \`$upgrade_db\`;
  CREATE DATABASE \`$upgrade_db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
up() { wh_sql --database="$upgrade_db" "$@"; }
for f in "$migrations"/00[1-5]_*.sql; do
  up <"$f" || wh_fail "$(basename "$f") does not apply"
  n=$(basename "$f")
  up -e "INSERT INTO schema_version (version, name) VALUES ($((10#${n:0:3})), '$n')"
done
saved_db=$WH_DB
WH_DB=$upgrade_db
wh_load_fixture # the runs, customers and days of tests/warehouse/data, loaded as a 005 loader did
WH_DB=$saved_db
up -e "CALL refresh_daily_statistics('2022-03-01', '2022-05-31')"
cb_facts="SELECT period_start, period_end, HEX(Contract), ChildDuration, MovieDuration, SportDuration, TVDuration,
  RelaxDuration, IFNULL(MostWatch, '-'), Taste, DateCount, Activeness, Segment, run_id FROM customer_behavior
  ORDER BY period_start, period_end, Contract"
mart_facts="SELECT stat_date, active_customers, total_duration, segment_run_id, segment_period_start,
  segment_period_end, period_customers, loyal_customers FROM daily_statistics ORDER BY stat_date"
before_rows=$(up -N -B -e "$cb_facts")
before_runs=$(up -N -B -e "SELECT * FROM etl_run ORDER BY run_id")
before_mart=$(up -N -B -e "$mart_facts")
[[ $(wc -l <<<"$before_rows") -gt 10 ]] || wh_fail "the 005 warehouse holds too few rows to test the upgrade"
bash "$WH_SRC/scripts/db.sh" apply-sql "$WH_DBDIR" --database "$upgrade_db" 2>"$WH_WORK/upgrade.log" ||
  { cat "$WH_WORK/upgrade.log" >&2; wh_fail "006 does not apply to a warehouse at 005 holding data"; }
grep -q "006_period_key.sql" "$WH_WORK/upgrade.log" || wh_fail "apply-sql did not apply 006: $(cat "$WH_WORK/upgrade.log")"
wh_eq "upgrade: every customer row kept" "$(up -N -B -e "$cb_facts")" "$before_rows"
wh_eq "upgrade: each old period is the range its start and end say" \
  "$(up -N -B -e "SELECT COUNT(*) FROM customer_behavior WHERE period_key <> CONCAT(period_start, '..', period_end)")" "0"
wh_eq "upgrade: each old run too" "$(up -N -B -e "SELECT COUNT(*) FROM etl_run
    WHERE NOT period_key <=> IF(period_start IS NULL, NULL, CONCAT(period_start, '..', period_end))")" "0"
wh_eq "upgrade: the run log kept (the new columns aside)" "$(up -N -B -e "SELECT run_id, period_start, period_end,
    selected_days, started_at, finished_at, status, ranks, host, connection_id, input_bytes, lines_read, records,
    rejected, rejects, contracts, rows_loaded, message FROM etl_run ORDER BY run_id")" "$before_runs"
wh_eq "upgrade: the mart kept" "$(up -N -B -e "$mart_facts")" "$before_mart"
up -e "CALL refresh_daily_statistics('2022-03-01', '2022-05-31')"
wh_eq "upgrade: the mart rebuilt by the new procedure is the same" "$(up -N -B -e "$mart_facts")" "$before_mart"
wh_eq "upgrade: the mart names the key" "$(up -N -B -e "SELECT COUNT(*) FROM daily_statistics WHERE segment_run_id IS NOT NULL
    AND segment_period_key <> CONCAT(segment_period_start, '..', segment_period_end)")" "0"
wh_eq "upgrade: the views show the key" "$(up -N -B -e "SELECT COUNT(*) FROM v_period_metrics
    WHERE period_key = CONCAT(period_start, '..', period_end)")" "$(up -N -B -e "SELECT COUNT(DISTINCT period_start, period_end) FROM customer_behavior")"
# 007 summarises the periods it finds: the cube is the aggregation of the rows, both ways.
cube_of_rows="SELECT period_key, Taste, COALESCE(MostWatch, ''), DateCount, Segment, Activeness, COUNT(*),
  SUM(ChildDuration), SUM(MovieDuration), SUM(SportDuration), SUM(TVDuration), SUM(RelaxDuration)
  FROM customer_behavior GROUP BY period_key, Taste, MostWatch, DateCount, Segment, Activeness"
cube="SELECT period_key, Taste, MostWatch, DateCount, Segment, Activeness, customers, child_duration,
  movie_duration, sport_duration, tv_duration, relax_duration FROM customer_cube"
wh_eq "upgrade: 007's cube holds every cell of the rows" "$(up -N -B -e "SELECT COUNT(*) FROM ($cube_of_rows EXCEPT $cube) AS d")" "0"
wh_eq "upgrade: 007's cube holds nothing else" "$(up -N -B -e "SELECT COUNT(*) FROM ($cube EXCEPT $cube_of_rows) AS d")" "0"
wh_eq "upgrade: 007 lists every loaded period" "$(up -N -B -e "SELECT period_key, customers FROM loaded_period ORDER BY period_key")" \
  "$(up -N -B -e "SELECT period_key, COUNT(*) FROM customer_behavior GROUP BY period_key ORDER BY period_key")"
wh_eq "upgrade: the same schema as a fresh install" "$(dump "$upgrade_db" | grep -v '^version')" "$(dump "$WH_DB" | grep -v '^version')"

echo "ok: $(grep -c . <<<"$first") schema facts identical after re-applying; applier split agrees; 006 and 007 upgrade a loaded 005"
