# shellcheck shell=bash disable=SC2034 # the arrays are read by bench.sh
# The peers of ../shared/peers/ (DuckDB, ClickHouse via chdb, Polars) for scripts/bench.sh: each is
# installed once from the npm registry into <build dir>/peers* (pinned versions, reused on later
# runs) and run with the same options as bda-etl. Source it after common.sh with BDA_BUILD_DIR set.

BENCH_PEERS=(duckdb clickhouse clickhouse-lenient polars)
BENCH_CHDB_VERSION=3.4.0     # ClickHouse 26.7, about 543 MB installed
BENCH_POLARS_VERSION=0.25.2
BENCH_PEER_THREADS=2         # the machine's cores, as bda-etl's 2 ranks

declare -A bench_peer_label=(
  [duckdb]="DuckDB $BDA_DUCKDB_NODE_API_VERSION, exact"
  [clickhouse]="ClickHouse (chdb $BENCH_CHDB_VERSION), exact"
  [clickhouse-lenient]="ClickHouse (chdb $BENCH_CHDB_VERSION), lenient"
  [polars]="Polars $BENCH_POLARS_VERSION, strict"
)
declare -A bench_peer_script=([duckdb]=duckdb-etl.mjs [clickhouse]=clickhouse-etl.mjs
  [clickhouse-lenient]=clickhouse-etl.mjs [polars]=polars-etl.mjs)
declare -A bench_peer_flags=([clickhouse-lenient]=--lenient)
declare -A bench_peer_env      # peer -> NAME=VALUE the peer script reads to find its engine
declare -A bench_peer_missing  # peer -> why it cannot run (set by bench_peer_prepare)

# Version of the npm package installed under DIR/node_modules/NAME, empty when absent.
bench_npm_version() { jq -r .version "$1/node_modules/$2/package.json" 2>/dev/null || true; }

# bench_npm_install DIR PACKAGE@VERSION...: one `npm install` per argument, in order (Polars'
# native package must be named on its own: it declares node >= 22 and npm 10 drops it on 20).
bench_npm_install() {
  local dir=$1 pkg
  shift
  mkdir -p "$dir"
  [[ -f $dir/package.json ]] || echo '{"name": "bda-peers", "private": true}' >"$dir/package.json"
  bda_log "installing $* into $dir (once; reused by later runs)"
  for pkg in "$@"; do
    (cd "$dir" && timeout 1200 npm install --no-audit --no-fund --loglevel=error "$pkg") \
      >>"$dir/npm-install.log" 2>&1 || return 1
  done
}

# bench_peer_prepare PEER: installs the peer's engine if needed and sets bench_peer_env[PEER];
# returns 1 with the reason in bench_peer_missing[PEER] when it cannot run.
bench_peer_prepare() {
  local peer=$1 dir
  if [[ $peer == clickhouse-lenient && -n ${bench_peer_env[clickhouse]:-}${bench_peer_missing[clickhouse]:-} ]]; then
    bench_peer_env[$peer]=${bench_peer_env[clickhouse]:-} # the same engine: prepared once
    bench_peer_missing[$peer]=${bench_peer_missing[clickhouse]:-}
    [[ -z ${bench_peer_missing[$peer]} ]]
    return
  fi
  local script=$BENCH_SHARED_PEERS/${bench_peer_script[$peer]}
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    bench_peer_missing[$peer]="node and npm are not installed"
  elif [[ ! -f $script ]]; then
    bench_peer_missing[$peer]="no $script"
  elif [[ ! -x /usr/bin/time ]]; then
    bench_peer_missing[$peer]="/usr/bin/time is missing (Debian package time)"
  else
    case $peer in
      duckdb)
        dir=$BDA_BUILD_DIR/peers # common.sh installs it there for the tests too
        if [[ $(bench_npm_version "$dir" @duckdb/node-api) != "$BDA_DUCKDB_NODE_API_VERSION" ]]; then
          mkdir -p "$dir"
          bda_log "installing @duckdb/node-api@$BDA_DUCKDB_NODE_API_VERSION into $dir (once; reused by later runs)"
          bda_install_duckdb_peer >>"$dir/npm-install.log" 2>&1 || true
        fi
        [[ -f $BDA_DUCKDB_NODE_API_FILE ]] && bench_peer_env[$peer]=DUCKDB_NODE_API=$BDA_DUCKDB_NODE_API_FILE
        ;;
      clickhouse | clickhouse-lenient)
        dir=$BDA_BUILD_DIR/peers-ch
        [[ $(bench_npm_version "$dir" chdb) == "$BENCH_CHDB_VERSION" ]] ||
          bench_npm_install "$dir" "chdb@$BENCH_CHDB_VERSION" || true
        [[ $(bench_npm_version "$dir" chdb) == "$BENCH_CHDB_VERSION" ]] &&
          bench_peer_env[$peer]=CHDB_NODE=$dir/node_modules/chdb
        ;;
      polars)
        dir=$BDA_BUILD_DIR/peers-pl
        [[ $(bench_npm_version "$dir" nodejs-polars) == "$BENCH_POLARS_VERSION" &&
          $(bench_npm_version "$dir" nodejs-polars-linux-x64-gnu) == "$BENCH_POLARS_VERSION" ]] ||
          bench_npm_install "$dir" "nodejs-polars@$BENCH_POLARS_VERSION" \
            "nodejs-polars-linux-x64-gnu@$BENCH_POLARS_VERSION" || true
        [[ $(bench_npm_version "$dir" nodejs-polars-linux-x64-gnu) == "$BENCH_POLARS_VERSION" ]] &&
          bench_peer_env[$peer]=POLARS_NODE=$dir/node_modules/nodejs-polars
        ;;
      *) bench_peer_missing[$peer]="unknown peer" ;;
    esac
    [[ -n ${bench_peer_env[$peer]:-} ]] ||
      bench_peer_missing[$peer]="npm could not install it (see $dir/npm-install.log)"
  fi
  [[ -z ${bench_peer_missing[$peer]:-} ]]
}

# bench_peer_command PEER LAKE FROM TO CSV: sets bench_cmd to the peer's command line.
bench_peer_command() {
  local peer=$1
  bench_cmd=(env "${bench_peer_env[$peer]}" node "$BENCH_SHARED_PEERS/${bench_peer_script[$peer]}"
    --lake "$2" --from "$3" --to "$4" --out "$5" --threads "$BENCH_PEER_THREADS")
  [[ -z ${bench_peer_flags[$peer]:-} ]] || bench_cmd+=("${bench_peer_flags[$peer]}")
}
