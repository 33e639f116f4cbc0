# shellcheck shell=bash
# Shared by the dashboard tests: a database of their own with both accounts, and bda-dashboard
# started on a free port. The caller sets BIN, SRC, DBDIR, T (its temporary directory), DB, LOADER,
# REPORT, has sourced $DBDIR/env and defines fail().

admin() { mariadb --no-defaults --default-character-set=utf8mb4 --socket="$BDA_DB_SOCKET" --user="$BDA_DB_ADMIN_USER" "$@"; }

# web_create_warehouse: $DB with the schema, $LOADER and $REPORT with their passwords in $T.
web_create_warehouse() {
  admin -e "CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
  "$BIN/bda-etl" --init-db --db-socket "$BDA_DB_SOCKET" --db-user "$BDA_DB_ADMIN_USER" --db-name "$DB" 2>"$T/init.err" ||
    fail "bda-etl --init-db: $(cat "$T/init.err")"
  bash "$SRC/scripts/db.sh" accounts "$DBDIR" --database "$DB" --loader-user "$LOADER" --report-user "$REPORT" \
    --password-dir "$T" >/dev/null 2>"$T/accounts.err" || fail "db.sh accounts: $(cat "$T/accounts.err")"
}

# web_drop_warehouse: removes $DB and both accounts (cleanup; never fails).
web_drop_warehouse() {
  admin -e "DROP DATABASE IF EXISTS \`$DB\`; DROP USER IF EXISTS '$LOADER'@'localhost', '$LOADER'@'127.0.0.1',
            '$REPORT'@'localhost', '$REPORT'@'127.0.0.1'" 2>/dev/null || true
}

# web_start_dashboard LOG ARGS...: bda-dashboard --port 0 ARGS as $REPORT on $DB, output to LOG;
# sets WEB_PID and WEB_URL (http://host:port, no trailing slash). A dashboard that exits or does
# not report its port within 20 s is stopped and fails the test.
web_start_dashboard() {
  local log=$1 deadline=$((SECONDS + 20))
  shift
  "$BIN/bda-dashboard" --port 0 --db-user "$REPORT" --db-password-file "$T/$REPORT.password" --db-name "$DB" "$@" \
    >"$log" 2>&1 &
  WEB_PID=$! WEB_URL=""
  while [[ -z $WEB_URL ]]; do
    kill -0 "$WEB_PID" 2>/dev/null || fail "bda-dashboard exited: $(cat "$log")"
    if ((SECONDS >= deadline)); then
      kill "$WEB_PID" 2>/dev/null
      fail "bda-dashboard did not report its port within 20 s: $(cat "$log")"
    fi
    sleep 0.1
    WEB_URL=$(grep -o 'serving http://[0-9.]*:[0-9]*' "$log" | head -n 1 | sed 's/^serving //') || true
  done
}
