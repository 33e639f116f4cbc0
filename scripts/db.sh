#!/usr/bin/env bash
# A private MariaDB server for the demo and the tests: its own datadir, socket, pid file and error
# log under DIR, listening on 127.0.0.1 and a free port, event scheduler on, LOAD DATA LOCAL on.
# It never touches a system-wide server: every server and client call passes --no-defaults (no
# /etc/mysql/*.cnf, no ~/.my.cnf) and names this server's socket explicitly.
#
#   scripts/db.sh start DIR [--port N] [--fresh]   initialise DIR/data if new, start, create `bda`,
#                                                  write DIR/env (shell exports) and print it;
#                                                  --fresh stops and wipes DIR first (tests)
#   scripts/db.sh stop DIR                         clean shutdown; idempotent
#   scripts/db.sh status DIR                       exit 0 when running, 3 when not
#   scripts/db.sh apply-sql DIR [--database DB] [--all]
#                                                  apply sql/migrations/NNN_*.sql not yet recorded in
#                                                  schema_version (--all: every file again), as admin
#   scripts/db.sh accounts DIR [--database DB] [--loader-user U] [--report-user U]
#                              [--password-dir P] [--hosts "localhost 127.0.0.1"] [--rotate]
#                                                  create/refresh the loader and read-only accounts
#                                                  (after the schema exists; re-runnable)
#   scripts/db.sh client DIR [mariadb args...]     the mariadb client, as admin over the socket
#
# Environment: BDA_MARIADBD, BDA_MARIADB, BDA_MARIADB_ADMIN, BDA_MARIADB_INSTALL_DB override the
# binaries; BDA_DB_BUFFER_POOL (default 256M) the InnoDB buffer pool.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly MIGRATIONS_DIR="$ROOT/sql/migrations"
readonly DB_NAME_DEFAULT=bda
readonly START_TIMEOUT_S=60
readonly STOP_TIMEOUT_S=60
readonly KILL_TIMEOUT_S=10
readonly PORT_ATTEMPTS=3
# Any statement of the read-only account (dashboard, report, BI) is cut off after this: a request
# that would scan without an index cannot run away (the dashboard's own take milliseconds).
readonly REPORT_STATEMENT_SECONDS=10
readonly SOCKET_PATH_MAX=107 # sun_path is 108 bytes including the NUL
# MySQL 8's default sql_mode, so SQL that passes here also passes there (ONLY_FULL_GROUP_BY etc.).
readonly SQL_MODE=ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION

MARIADBD=${BDA_MARIADBD:-$(command -v mariadbd || echo /usr/sbin/mariadbd)}
MARIADB=${BDA_MARIADB:-mariadb}
MARIADB_ADMIN=${BDA_MARIADB_ADMIN:-mariadb-admin}
MARIADB_INSTALL_DB=${BDA_MARIADB_INSTALL_DB:-mariadb-install-db}

die() { echo "db.sh: error: $*" >&2; exit 1; }
note() { echo "db.sh: $*" >&2; }

usage() {
  sed -n '7,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# --- paths and identity -----------------------------------------------------------------------

# set_paths DIR: absolute paths of everything the server keeps under DIR.
set_paths() {
  [[ -n ${1:-} ]] || usage
  DIR=$(realpath -m -- "$1")
  DATA_DIR=$DIR/data
  SOCKET=$DIR/mysqld.sock
  PID_FILE=$DIR/mariadbd.pid
  ERR_LOG=$DIR/mariadb.err
  ENV_FILE=$DIR/env
  FILES_DIR=$DIR/files # secure_file_priv: server-side file I/O stays inside DIR
  [[ ${#SOCKET} -le $SOCKET_PATH_MAX ]] ||
    die "socket path $SOCKET is longer than $SOCKET_PATH_MAX bytes; use a shorter DIR"
}

# The server runs as the invoking OS user; root must say so explicitly (--user=root). With socket
# authentication the admin account is the OS user's name (root, or the --auth-root-socket-user).
OS_USER=$(id -un)
ADMIN_USER=$OS_USER
server_user_args=()
[[ $(id -u) -eq 0 ]] && server_user_args=(--user=root)

admin_sql() { # admin_sql [mariadb args...]: the client as admin over this server's socket
  "$MARIADB" --no-defaults --socket="$SOCKET" --user="$ADMIN_USER" "$@"
}

server_pid() { # prints the pid of this DIR's server when it runs, else fails
  [[ -f $PID_FILE ]] || return 1
  local pid
  pid=$(<"$PID_FILE")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled pid: it must be a server whose datadir is ours.
  tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qx -- "--datadir=$DATA_DIR" || return 1
  echo "$pid"
}

answers() { "$MARIADB_ADMIN" --no-defaults --socket="$SOCKET" --user="$ADMIN_USER" --connect-timeout=2 ping >/dev/null 2>&1; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null && return
  local port # no python3: try random high ports until ss reports one unused
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    ss -Htln "sport = :$port" 2>/dev/null | grep -q . || { echo "$port"; return; }
  done
  die "could not find a free port"
}

log_tail() { [[ -f $ERR_LOG ]] && { echo "--- last lines of $ERR_LOG:" >&2; tail -n 25 "$ERR_LOG" >&2; }; true; }

# --- start ------------------------------------------------------------------------------------

write_env() {
  local port=$1
  cat >"$ENV_FILE" <<EOF
export BDA_DB_SOCKET=$SOCKET
export BDA_DB_HOST=127.0.0.1
export BDA_DB_PORT=$port
export BDA_DB_NAME=$DB_NAME_DEFAULT
export BDA_DB_ADMIN_USER=$ADMIN_USER
export BDA_DB_LOADER_USER=bda_loader
export BDA_DB_LOADER_PASSWORD_FILE=$DIR/loader.password
export BDA_DB_REPORT_USER=bda_report
export BDA_DB_REPORT_PASSWORD_FILE=$DIR/report.password
EOF
  cat "$ENV_FILE"
}

initialise() {
  note "initialising $DATA_DIR"
  local user_arg=(--user="$OS_USER")
  if ! "$MARIADB_INSTALL_DB" --no-defaults --datadir="$DATA_DIR" "${user_arg[@]}" \
      --auth-root-authentication-method=socket --skip-test-db --skip-name-resolve \
      >"$DIR/install.log" 2>&1; then
    tail -n 25 "$DIR/install.log" >&2
    rm -rf "$DATA_DIR"
    die "mariadb-install-db failed (log: $DIR/install.log)"
  fi
}

# launch PORT: starts mariadbd detached (own session, no inherited descriptors, so ctest and the
# caller's terminal do not wait for it) and waits until it answers. Fails if it dies or times out.
launch() {
  local port=$1
  : >"$ERR_LOG"
  setsid "$MARIADBD" --no-defaults "${server_user_args[@]}" \
    --datadir="$DATA_DIR" --socket="$SOCKET" --pid-file="$PID_FILE" --log-error="$ERR_LOG" \
    --bind-address=127.0.0.1 --port="$port" --skip-name-resolve \
    --event-scheduler=ON --local-infile=1 --secure-file-priv="$FILES_DIR" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --sql-mode="$SQL_MODE" --innodb-buffer-pool-size="${BDA_DB_BUFFER_POOL:-256M}" \
    </dev/null >>"$DIR/mariadbd.out" 2>&1 &
  local pid=$! deadline=$((SECONDS + START_TIMEOUT_S))
  while ! answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      return 1
    fi
    if ((SECONDS >= deadline)); then
      log_tail
      kill "$pid" 2>/dev/null || true
      die "the server did not answer within ${START_TIMEOUT_S}s (socket $SOCKET)"
    fi
    sleep 0.2
  done
}

cmd_start() {
  local port="" fresh=0
  set_paths "${1:-}"
  shift
  while [[ $# -gt 0 ]]; do
    case $1 in
      --port) port=${2:?--port needs a number}; shift 2 ;;
      --fresh) fresh=1; shift ;;
      *) usage ;;
    esac
  done
  [[ -z $port || $port =~ ^[0-9]+$ ]] || die "--port needs a number, not '$port'"

  if ((fresh)); then
    cmd_stop "$DIR"
    rm -rf "$DIR"
  fi
  mkdir -p "$DIR"
  if server_pid >/dev/null && answers; then
    note "already running (pid $(server_pid))"
    [[ -f $ENV_FILE ]] && cat "$ENV_FILE"
    return 0
  fi
  [[ -x $MARIADBD ]] || die "no mariadbd at $MARIADBD (apt-get install mariadb-server)"
  [[ -d $DATA_DIR/mysql ]] || initialise
  mkdir -p "$FILES_DIR"

  local attempt chosen
  for ((attempt = 1; ; attempt++)); do
    chosen=${port:-$(free_port)}
    launch "$chosen" && break
    # A port picked by us may have been taken in the meantime: pick another one.
    if [[ -z $port ]] && ((attempt < PORT_ATTEMPTS)) && grep -q "Address already in use" "$ERR_LOG"; then
      note "port $chosen was taken, retrying"
      continue
    fi
    log_tail
    die "mariadbd exited during startup (error log: $ERR_LOG)"
  done
  note "running: pid $(server_pid), port $chosen, socket $SOCKET"
  admin_sql -e "CREATE DATABASE IF NOT EXISTS \`$DB_NAME_DEFAULT\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
  write_env "$chosen"
}

# --- stop / status ----------------------------------------------------------------------------

cmd_stop() {
  set_paths "${1:-}"
  [[ -d $DIR ]] || { note "nothing at $DIR"; return 0; }
  local pid
  if ! pid=$(server_pid); then
    note "not running ($DIR)"
    rm -f "$ENV_FILE"
    return 0
  fi
  timeout "$STOP_TIMEOUT_S" "$MARIADB_ADMIN" --no-defaults --socket="$SOCKET" --user="$ADMIN_USER" \
    shutdown 2>/dev/null || note "mariadb-admin shutdown failed; waiting, then signalling pid $pid"
  local deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    note "pid $pid still running after ${STOP_TIMEOUT_S}s: SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + KILL_TIMEOUT_S))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      note "pid $pid ignored SIGTERM: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$ENV_FILE"
  note "stopped (pid $pid)"
}

cmd_status() {
  set_paths "${1:-}"
  local pid
  if pid=$(server_pid) && answers; then
    echo "running: pid $pid, socket $SOCKET, $(admin_sql -N -B -e 'SELECT CONCAT("port ", @@port, ", ", VERSION())')"
    return 0
  fi
  echo "not running ($DIR)"
  return 3
}

require_running() {
  if ! server_pid >/dev/null || ! answers; then
    die "no server running at $DIR (scripts/db.sh start $DIR)"
  fi
}

# --- apply-sql --------------------------------------------------------------------------------

cmd_apply_sql() {
  set_paths "${1:-}"
  shift
  local db=$DB_NAME_DEFAULT all=0
  while [[ $# -gt 0 ]]; do
    case $1 in
      --database) db=${2:?--database needs a name}; shift 2 ;;
      --all) all=1; shift ;;
      *) usage ;;
    esac
  done
  require_running
  admin_sql -e "CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"

  local files=() f version
  declare -A seen=()
  for f in "$MIGRATIONS_DIR"/[0-9][0-9][0-9]_*.sql; do
    [[ -e $f ]] || die "no migrations in $MIGRATIONS_DIR"
    version=$((10#$(basename "$f" | cut -c1-3)))
    [[ -z ${seen[$version]:-} ]] || die "two migrations with version $version: ${seen[$version]} and $(basename "$f")"
    seen[$version]=$(basename "$f")
    files+=("$f")
  done

  # What the applier has recorded so far (none before 001 created schema_version).
  declare -A applied=()
  local has_table
  has_table=$(admin_sql -N -B -e "SELECT COUNT(*) FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = '$db' AND TABLE_NAME = 'schema_version'")
  if [[ $has_table == 1 ]]; then
    while read -r version; do applied[$version]=1; done < <(admin_sql -N -B --database="$db" -e "SELECT version FROM schema_version")
  fi

  local name count=0
  for f in "${files[@]}"; do
    name=$(basename "$f")
    version=$((10#${name:0:3}))
    if [[ -n ${applied[$version]:-} ]] && ((!all)); then continue; fi
    admin_sql --database="$db" <"$f" || die "$name failed on database $db"
    # Recorded like the C++ applier does; a re-applied version keeps its first applied_at.
    admin_sql --database="$db" -e "INSERT IGNORE INTO schema_version (version, name) VALUES ($version, '$name')"
    note "applied $name to $db"
    count=$((count + 1))
  done
  ((count)) || note "$db is up to date"
}

# --- accounts ---------------------------------------------------------------------------------

# password_for FILE ROTATE: the password kept in FILE (mode 600), made anew if missing or ROTATE=1.
password_for() {
  local file=$1 rotate=$2
  if [[ ! -s $file || $rotate == 1 ]]; then
    (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(24))' >"$file" 2>/dev/null) ||
      (umask 077 && head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32 >"$file" && echo >>"$file")
  fi
  chmod 600 "$file"
  local pw
  pw=$(head -n 1 "$file")
  [[ $pw =~ ^[A-Za-z0-9_-]{16,}$ ]] || die "$file does not hold a usable password (delete it or use --rotate)"
  echo "$pw"
}

cmd_accounts() {
  set_paths "${1:-}"
  shift
  local db=$DB_NAME_DEFAULT loader=bda_loader report=bda_report pw_dir="" rotate=0
  local hosts="localhost 127.0.0.1" # socket connections and TCP over the loopback address
  while [[ $# -gt 0 ]]; do
    case $1 in
      --database) db=${2:?}; shift 2 ;;
      --loader-user) loader=${2:?}; shift 2 ;;
      --report-user) report=${2:?}; shift 2 ;;
      --password-dir) pw_dir=${2:?}; shift 2 ;;
      --hosts) hosts=${2:?}; shift 2 ;;
      --rotate) rotate=1; shift ;;
      *) usage ;;
    esac
  done
  require_running
  local ident='^[A-Za-z0-9_]+$'
  [[ $db =~ $ident && $loader =~ $ident && $report =~ $ident ]] || die "names must match $ident"
  pw_dir=${pw_dir:-$DIR}
  mkdir -p "$pw_dir"

  local missing
  missing=$(admin_sql -N -B -e "SELECT GROUP_CONCAT(t.name) FROM (
      SELECT 'schema_version' AS name UNION ALL SELECT 'etl_run' UNION ALL SELECT 'customer_behavior'
      UNION ALL SELECT 'daily_usage' UNION ALL SELECT 'daily_statistics' UNION ALL SELECT 'loaded_period'
      UNION ALL SELECT 'customer_cube' UNION ALL SELECT 'customer_behavior_load'
      UNION ALL SELECT 'customer_page_mark') AS t
    WHERE t.name NOT IN (SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$db')")
  [[ $missing == NULL ]] || die "database $db lacks $missing: apply the migrations first (bda-etl --init-db, or scripts/db.sh apply-sql)"
  local views
  views=$(admin_sql -N -B -e "SELECT TABLE_NAME FROM information_schema.VIEWS
    WHERE TABLE_SCHEMA = '$db' AND TABLE_NAME LIKE 'v\\_%' ORDER BY TABLE_NAME")

  local loader_pw report_pw loader_file report_file
  if [[ $pw_dir == "$DIR" && $loader == bda_loader ]]; then loader_file=$DIR/loader.password; else loader_file=$pw_dir/$loader.password; fi
  if [[ $pw_dir == "$DIR" && $report == bda_report ]]; then report_file=$DIR/report.password; else report_file=$pw_dir/$report.password; fi
  loader_pw=$(password_for "$loader_file" "$rotate")
  report_pw=$(password_for "$report_file" "$rotate")

  # The SQL goes in on stdin so the passwords never show up in the process list. REVOKE ALL first
  # makes a re-run converge to exactly these grants.
  local host sql="" view
  for host in $hosts; do
    sql+="CREATE USER IF NOT EXISTS '$loader'@'$host' IDENTIFIED BY '$loader_pw';
ALTER USER '$loader'@'$host' IDENTIFIED BY '$loader_pw';
REVOKE ALL PRIVILEGES, GRANT OPTION FROM '$loader'@'$host';
GRANT SELECT ON \`$db\`.customer_behavior TO '$loader'@'$host';
GRANT SELECT, INSERT ON \`$db\`.customer_behavior_load TO '$loader'@'$host';
GRANT SELECT, INSERT, UPDATE, DELETE ON \`$db\`.daily_usage TO '$loader'@'$host';
GRANT SELECT, INSERT, UPDATE, DELETE ON \`$db\`.etl_run TO '$loader'@'$host';
GRANT SELECT, INSERT, DELETE ON \`$db\`.customer_cube TO '$loader'@'$host';
GRANT SELECT, INSERT, DELETE ON \`$db\`.loaded_period TO '$loader'@'$host';
GRANT SELECT, INSERT, DELETE ON \`$db\`.customer_page_mark TO '$loader'@'$host';
GRANT SELECT ON \`$db\`.schema_version TO '$loader'@'$host';
GRANT SELECT ON \`$db\`.daily_statistics TO '$loader'@'$host';
GRANT CREATE TEMPORARY TABLES, EXECUTE ON \`$db\`.* TO '$loader'@'$host';
CREATE USER IF NOT EXISTS '$report'@'$host' IDENTIFIED BY '$report_pw';
ALTER USER '$report'@'$host' IDENTIFIED BY '$report_pw' WITH MAX_STATEMENT_TIME $REPORT_STATEMENT_SECONDS;
REVOKE ALL PRIVILEGES, GRANT OPTION FROM '$report'@'$host';
GRANT SELECT ON \`$db\`.daily_statistics TO '$report'@'$host';
"
    for view in $views; do
      sql+="GRANT SELECT ON \`$db\`.\`$view\` TO '$report'@'$host';
"
    done
  done
  admin_sql <<<"$sql" || die "creating the accounts failed"
  note "accounts on $db for hosts ($hosts): $loader (password in $loader_file), $report (password in $report_file)"
}

# --- client -----------------------------------------------------------------------------------

cmd_client() {
  set_paths "${1:-}"
  shift
  require_running
  exec "$MARIADB" --no-defaults --socket="$SOCKET" --user="$ADMIN_USER" --local-infile=1 \
    --database="$DB_NAME_DEFAULT" "$@"
}

[[ $# -ge 2 ]] || usage
command=$1
shift
case $command in
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  status) cmd_status "$@" ;;
  apply-sql) cmd_apply_sql "$@" ;;
  accounts) cmd_accounts "$@" ;;
  client) cmd_client "$@" ;;
  *) usage ;;
esac
