#!/usr/bin/env bash
# warehouse: least privilege, with the accounts scripts/db.sh creates (test-named, on the test's
# database, passwords in the test's work directory; dropped at the end).
#  - the read-only account reads daily_statistics and every v_* view, over TCP and the socket, and
#    nothing else: no INSERT/UPDATE/DELETE/CREATE/DROP, no base warehouse table, no CALL;
#  - the loader account does its job without root: LOAD DATA LOCAL into the staging table and
#    daily_usage, the partition swap through its DEFINER procedures, insert/update etl_run, CALL
#    refresh_daily_statistics (also after the migrations were re-applied), temporary tables; but
#    cannot write customer_behavior or the mart directly, DROP, CREATE or ALTER tables, read
#    mysql.user, or use server-side files (no FILE);
#  - db.sh accounts is re-runnable (same grants, same password) and --rotate changes the password.
#   bash tests/warehouse/privileges_test.sh <bin dir> <source dir> <db dir>
set -euo pipefail
source "$(dirname "$0")/wh_lib.sh"
wh_setup "$@" privileges
loader=bda_t_loader report=bda_t_report
db_sh=$WH_SRC/scripts/db.sh

drop_users() {
  wh_sql -e "DROP USER IF EXISTS '$loader'@'localhost', '$loader'@'127.0.0.1', '$report'@'localhost', '$report'@'127.0.0.1'"
}
drop_users
WH_CLEANUP+=(drop_users)
accounts() { bash "$db_sh" accounts "$WH_DBDIR" --database "$WH_DB" --loader-user "$loader" --report-user "$report" \
  --password-dir "$WH_WORK/secrets" "$@" 2>"$WH_WORK/accounts.log" || { cat "$WH_WORK/accounts.log" >&2; wh_fail "db.sh accounts failed"; }; }
accounts

for who in "$loader" "$report"; do
  [[ $(stat -c %a "$WH_WORK/secrets/$who.password") == 600 ]] || wh_fail "$who.password is not mode 600"
done

# as USER tcp|socket [mariadb args]: a client logged in as that account, the password in an option
# file (not on the command line).
as() {
  local user=$1 how=$2
  shift 2
  local cnf=$WH_WORK/$user.$how.cnf
  {
    echo "[client]"
    echo "user=$user"
    echo "password=$(head -n 1 "$WH_WORK/secrets/$user.password")"
    if [[ $how == tcp ]]; then
      echo "protocol=TCP"; echo "host=127.0.0.1"; echo "port=$BDA_DB_PORT"
    else
      echo "socket=$BDA_DB_SOCKET"
    fi
  } >"$cnf"
  chmod 600 "$cnf"
  mariadb --defaults-file="$cnf" --local-infile=1 --database="$WH_DB" -N -B "$@"
}
allowed() { # allowed USER HOW WHAT SQL
  as "$1" "$2" -e "$4" >"$WH_WORK/out" 2>"$WH_WORK/err" || wh_fail "$1 ($2) must be able to $3: $(cat "$WH_WORK/err")"
}
denied() { # denied USER HOW WHAT SQL: refused for lack of privilege (not for a typo)
  if as "$1" "$2" -e "$4" >/dev/null 2>"$WH_WORK/err"; then
    wh_fail "$1 ($2) must not be able to $3, but could: $4"
  fi
  grep -Eqi "denied|command denied|access denied|ERROR (1044|1045|1142|1143|1227|1370|1449)" "$WH_WORK/err" ||
    wh_fail "$1 ($2): '$3' failed for another reason than privileges: $(cat "$WH_WORK/err")"
}

wh_load_fixture
wh_sql -e "CALL refresh_daily_statistics('2022-01-01', '2022-12-31')"

# --- the read-only account
for how in tcp socket; do
  allowed "$report" "$how" "log in as itself" "SELECT CURRENT_USER()"
  allowed "$report" "$how" "read daily_statistics" "SELECT COUNT(*) FROM daily_statistics"
  [[ $(cat "$WH_WORK/out") == 8 ]] || wh_fail "$report ($how) read $(cat "$WH_WORK/out") mart rows, not 8"
done
# The fixture's periods were summarised, not loaded, so they have no page marks: one each, as the
# loader writes them, so that every view has rows to read.
wh_sql -e "INSERT INTO customer_page_mark (period_key, sort_key, position, sort_value, Contract, run_id)
  SELECT lp.period_key, 'contract', 0, NULL, (SELECT MIN(cb.Contract) FROM customer_behavior AS cb
    WHERE cb.run_id = lp.run_id), lp.run_id FROM loaded_period AS lp"
views=$(wh_q "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")
[[ $(wc -l <<<"$views") -eq 9 ]] || wh_fail "expected 9 views, found: $views"
for view in $views; do
  allowed "$report" tcp "read $view" "SELECT COUNT(*) FROM $view"
  [[ $(cat "$WH_WORK/out") -gt 0 ]] || wh_fail "$report read no rows from $view"
done
allowed "$report" tcp "read the last load" "SELECT run_id FROM v_last_load"
[[ $(cat "$WH_WORK/out") == 2 ]] || wh_fail "v_last_load as $report: $(cat "$WH_WORK/out")"
denied "$report" tcp "insert into the mart" "INSERT INTO daily_statistics (stat_date) VALUES ('2030-01-01')"
denied "$report" tcp "update the mart" "UPDATE daily_statistics SET sessions = 0"
denied "$report" tcp "delete from the mart" "DELETE FROM daily_statistics"
denied "$report" tcp "update through a view" "UPDATE v_customer_segment SET Taste = 'TV'"
denied "$report" tcp "delete through a view" "DELETE FROM v_customer_segment"
denied "$report" tcp "create a table" "CREATE TABLE t (i INT)"
denied "$report" tcp "create a view" "CREATE VIEW v_mine AS SELECT 1"
denied "$report" tcp "drop the mart" "DROP TABLE daily_statistics"
denied "$report" tcp "truncate the mart" "TRUNCATE TABLE daily_statistics"
denied "$report" tcp "call the procedure" "CALL refresh_daily_statistics('2022-04-01', '2022-04-30')"
denied "$report" tcp "LOAD DATA LOCAL into the mart" \
  "LOAD DATA LOCAL INFILE '$WH_DATA/refresh_daily_usage.csv' INTO TABLE daily_statistics"
for table in customer_behavior customer_behavior_load daily_usage etl_run schema_version customer_cube loaded_period \
  customer_page_mark; do
  denied "$report" tcp "read $table" "SELECT COUNT(*) FROM $table"
done
denied "$report" tcp "call the summary procedure" "CALL summarise_period('2022-04-01..2022-04-30', 1)"
wh_eq "the report account's statement time limit" \
  "$(wh_q "SELECT max_statement_time FROM mysql.user WHERE User = '$report' AND Host = '127.0.0.1'")" "10.000000"
denied "$report" tcp "read mysql.user" "SELECT COUNT(*) FROM mysql.user"
denied "$report" socket "write over the socket" "DELETE FROM daily_statistics"
allowed "$report" tcp "list its databases" "SHOW DATABASES"
wh_eq "databases visible to $report" "$(grep -v '^information_schema$' "$WH_WORK/out")" "$WH_DB"

# --- the loader account: a whole load, as the C++ loader does it
for how in tcp socket; do
  allowed "$loader" "$how" "log in as itself" "SELECT CURRENT_USER()"
done
allowed "$loader" tcp "start a run" "INSERT INTO etl_run (period_start, period_end, selected_days, ranks, host)
  VALUES ('2022-06-01', '2022-06-02', 2, 2, 'test'); SELECT LAST_INSERT_ID()"
run=$(cat "$WH_WORK/out")
[[ $run =~ ^[0-9]+$ ]] || wh_fail "no run id: $run"
printf '%s\t0\t0\t0\t5\t0\tTV\tTV\t1\t50.00\n' "$(printf 'L1' | od -An -tx1 | tr -d ' \n')" >"$WH_WORK/cb.tsv"
printf '2022-06-01\tAll\t2\t5\t1\n2022-06-01\tTV\t2\t5\t1\n' >"$WH_WORK/du.tsv"
allowed "$loader" tcp "lock, stage, index and swap in the rows through the procedures" "
  SELECT GET_LOCK(CONCAT('bda.load.', DATABASE()), 10);
  CALL load_table_prepare();
  LOAD DATA LOCAL INFILE '$WH_WORK/cb.tsv' INTO TABLE customer_behavior_load FIELDS TERMINATED BY '\t'
    (@contract_hex, ChildDuration, MovieDuration, SportDuration, TVDuration, RelaxDuration, @most_watch,
     Taste, DateCount, Activeness)
    SET period_start = '2022-06-01', period_end = '2022-06-02', Contract = UNHEX(@contract_hex),
        MostWatch = NULLIF(@most_watch, ''), run_id = $run;
  SELECT @@warning_count;
  CALL load_table_index();
  CALL load_table_swap($run);
  START TRANSACTION;
  DELETE FROM daily_usage WHERE stat_date BETWEEN '2022-06-01' AND '2022-06-02';
  LOAD DATA LOCAL INFILE '$WH_WORK/du.tsv' INTO TABLE daily_usage FIELDS TERMINATED BY '\t'
    (stat_date, category, sessions, total_duration, customers) SET run_id = $run;
  SELECT @@warning_count;
  DELETE FROM customer_cube WHERE period_key = '2022-06-01..2022-06-02';
  DELETE FROM loaded_period WHERE period_key = '2022-06-01..2022-06-02';
  INSERT INTO customer_cube (period_key, Taste, MostWatch, DateCount, Segment, Activeness, customers,
      child_duration, movie_duration, sport_duration, tv_duration, relax_duration, run_id)
    VALUES ('2022-06-01..2022-06-02', 'TV', 'TV', 1, 'At Risk Customer', 50.00, 1, 0, 0, 0, 5, 0, $run);
  INSERT INTO loaded_period (period_key, period_start, period_end, customers, run_id)
    VALUES ('2022-06-01..2022-06-02', '2022-06-01', '2022-06-02', 1, $run);
  DELETE FROM customer_page_mark WHERE period_key = '2022-06-01..2022-06-02';
  INSERT INTO customer_page_mark (period_key, sort_key, position, sort_value, Contract, run_id)
    VALUES ('2022-06-01..2022-06-02', 'total', 0, 5, 'L1', $run);
  UPDATE etl_run SET status = 'ok', finished_at = NOW(3), contracts = 1, rows_loaded = 1 WHERE run_id = $run;
  COMMIT;
  SELECT RELEASE_LOCK(CONCAT('bda.load.', DATABASE()))"
wh_eq "the loader locked, loaded without warnings and unlocked" "$(cat "$WH_WORK/out")" "1
0
0
1"
wh_eq "the run's rows are its partition, seen through the view" "$(wh_q "SELECT
    (SELECT GROUP_CONCAT(PARTITION_NAME ORDER BY PARTITION_NAME) FROM information_schema.PARTITIONS
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customer_behavior'),
    (SELECT GROUP_CONCAT(Contract) FROM v_customer_segment WHERE period_key = '2022-06-01..2022-06-02')")" \
  "p_$run,p_other	L1"
allowed "$loader" tcp "call the procedure" "CALL refresh_daily_statistics('2022-06-01', '2022-06-02')"
denied "$loader" tcp "update the summaries (they are only replaced)" "UPDATE customer_cube SET customers = 1"
wh_eq "the loader's run reached the mart" \
  "$(wh_q "SELECT stat_date, sessions, segment_run_id, at_risk_customers, source_run_id FROM daily_statistics
      WHERE stat_date >= '2022-06-01'")" "2022-06-01	2	$run	1	$run"
allowed "$loader" tcp "read the schema version" "SELECT MAX(version) FROM schema_version"
allowed "$loader" tcp "read the mart" "SELECT COUNT(*) FROM daily_statistics"
allowed "$loader" tcp "stage in a temporary table" "CREATE TEMPORARY TABLE stage (i INT); INSERT INTO stage VALUES (1);
  SELECT * FROM stage; DROP TEMPORARY TABLE stage"
allowed "$loader" socket "update a run over the socket" "UPDATE etl_run SET message = 'checked' WHERE run_id = $run"
denied "$loader" tcp "write the mart directly" "INSERT INTO daily_statistics (stat_date) VALUES ('2030-01-01')"
denied "$loader" tcp "delete from the mart directly" "DELETE FROM daily_statistics"
denied "$loader" tcp "drop a table" "DROP TABLE customer_behavior"
denied "$loader" tcp "write the rows directly" "DELETE FROM customer_behavior"
denied "$loader" tcp "drop a partition directly" "ALTER TABLE customer_behavior DROP PARTITION p_other"
denied "$loader" tcp "change the staging table directly" "ALTER TABLE customer_behavior_load ADD KEY ix_x (Taste)"
# The procedures check their argument: the loader cannot use them on another run's rows.
if as "$loader" tcp -e "CALL load_table_swap($run)" 2>"$WH_WORK/err"; then wh_fail "swapped in rows for a finished run"; fi
grep -q "the run is not running" "$WH_WORK/err" || wh_fail "load_table_swap of a finished run: $(cat "$WH_WORK/err")"
if as "$loader" tcp -e "CALL drop_run_rows($run)" 2>"$WH_WORK/err"; then wh_fail "dropped the rows of a loaded period"; fi
grep -q "a loaded period still uses the run" "$WH_WORK/err" || wh_fail "drop_run_rows of a loaded run: $(cat "$WH_WORK/err")"
denied "$loader" tcp "truncate a table" "TRUNCATE TABLE daily_usage"
denied "$loader" tcp "create a table" "CREATE TABLE t (i INT)"
denied "$loader" tcp "alter a table" "ALTER TABLE etl_run ADD COLUMN x INT"
denied "$loader" tcp "create an index" "CREATE INDEX ix_x ON etl_run (host)"
denied "$loader" tcp "drop the procedure" "DROP PROCEDURE refresh_daily_statistics"
denied "$loader" tcp "create a procedure" "CREATE PROCEDURE p() SELECT 1"
denied "$loader" tcp "alter the event" "ALTER EVENT ev_refresh_daily_statistics DISABLE"
denied "$loader" tcp "write schema_version" "INSERT INTO schema_version (version, name) VALUES (99, 'x')"
denied "$loader" tcp "read mysql.user" "SELECT COUNT(*) FROM mysql.user"
denied "$loader" tcp "create a user" "CREATE USER 'x'@'localhost'"
denied "$loader" tcp "write a server-side file" "SELECT 1 INTO OUTFILE '/tmp/bda_t_loader_outfile'"
denied "$loader" tcp "read a server-side file" "LOAD DATA INFILE '$WH_WORK/du.tsv' INTO TABLE daily_usage"
denied "$loader" tcp "use another database" "SELECT COUNT(*) FROM mysql.db"

# --- re-runnable; the migrations re-applied keep the loader's EXECUTE (granted on the schema, as
# DROP PROCEDURE removes routine-level grants)
grants() { wh_sql -N -B -e "SHOW GRANTS FOR '$1'@'$2'" | sort; }
before_loader=$(grants "$loader" 127.0.0.1) before_report=$(grants "$report" localhost)
password=$(cat "$WH_WORK/secrets/$loader.password")
accounts
wh_eq "loader grants after a second db.sh accounts" "$(grants "$loader" 127.0.0.1)" "$before_loader"
wh_eq "report grants after a second db.sh accounts" "$(grants "$report" localhost)" "$before_report"
wh_eq "the password is kept" "$(cat "$WH_WORK/secrets/$loader.password")" "$password"
bash "$db_sh" apply-sql "$WH_DBDIR" --database "$WH_DB" --all 2>/dev/null
allowed "$loader" tcp "call the procedure after the migrations ran again" \
  "CALL refresh_daily_statistics('2022-06-01', '2022-06-02')"
allowed "$report" tcp "read the views after the migrations ran again" "SELECT COUNT(*) FROM v_period_metrics"
accounts --rotate
[[ $(cat "$WH_WORK/secrets/$loader.password") != "$password" ]] || wh_fail "--rotate kept the password"
allowed "$loader" tcp "log in with the rotated password" "SELECT 1"
if mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$BDA_DB_PORT" -u "$loader" --password="$password" \
    -e "SELECT 1" >/dev/null 2>&1; then
  wh_fail "the old password still works after --rotate"
fi

echo "ok: the reporting account only reads the mart and views; the loader loads and refreshes without root"
