#!/usr/bin/env bash
# Benchmark bda-etl at 1 and 2 ranks on a generated lake, and against the DuckDB peer when node is there.
#
#   scripts/bench.sh [--days N] [--lines-per-day N] [--reps N] [--build-dir DIR] [--keep]
#
#   --days N           days from 2022-04-01 on (default 30: the month 2022-04)
#   --lines-per-day N  lines per day file (default 300000, about 55 MB a day)
#   --reps N           runs per configuration; the table shows medians (default 3)
#   --build-dir DIR    build tree to use, configured and built (Release) if needed (default build)
#   --keep             keep the lake and outputs in bench-data/ (a kept lake is reused next time)
#
# Then: peak RSS per rank on a third of the days vs all of them; a scaling table at 1, 2, 4 and 8
# ranks on this host and 2 ranks on two network-namespace hosts; and, when MariaDB is installed,
# the warehouse load (a private server under bench-data/db) against the floor, the mariadb
# client's own LOAD DATA LOCAL INFILE of the same CSV into a copy of customer_behavior.
#
# Steps: build bda-etl and bda-gen; generate the lake with bda-gen into bench-data/ (git-ignored);
# run `bda-etl --quiet --summary` under `mpirun -np 1` and `-np 2`; if node is installed, install
# @duckdb/node-api into <build dir>/peers (see ../shared/peers/README.md), run the DuckDB peer with
# 2 threads under /usr/bin/time -v, check its CSV is byte-identical, and print speed and RSS ratios.
# Wall times include process start-up (mpirun, node) for both sides. The machine is shared: medians.
set -euo pipefail

usage() { sed -n '2,16s/^# \{0,1\}//p' "$0"; }
die() { echo "bench.sh: error: $*" >&2; exit 1; }

days=30 lines_per_day=300000 reps=3 build_dir=build keep=false
while (($# > 0)); do
  case $1 in
    --days) days=${2:?--days needs a value}; shift 2 ;;
    --lines-per-day) lines_per_day=${2:?--lines-per-day needs a value}; shift 2 ;;
    --reps) reps=${2:?--reps needs a value}; shift 2 ;;
    --build-dir) build_dir=${2:?--build-dir needs a value}; shift 2 ;;
    --keep) keep=true; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done
for v in days lines_per_day reps; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "--${v//_/-} must be a positive integer, got '${!v}'"
done

readonly FIRST_DAY=2022-04-01 RANK_COUNTS=(1 2) SCALING_RANKS=(1 2 4 8) DUCKDB_THREADS=2 RUN_TIMEOUT=1800
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
shared="$repo/../shared"
[[ $build_dir = /* ]] || build_dir="$repo/$build_dir"
last_day=$(date -u -d "$FIRST_DAY + $((days - 1)) days" +%F)
data="$repo/bench-data"                                # matches /bench-*/ in .gitignore
lake="$data/lake-${FIRST_DAY//-/}-${days}d-${lines_per_day}l"
out="$data/out"
etl="$build_dir/bin/bda-etl" gen="$build_dir/bin/bda-gen"
command -v jq >/dev/null || die "jq is needed to read the run summaries (apt-get install jq)"
command -v mpirun >/dev/null || die "mpirun is not installed"
if ((EUID == 0)); then export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; fi

db_started=false
cleanup() {
  [[ $db_started == true ]] && bash "$repo/scripts/db.sh" stop "$data/db" >/dev/null 2>&1
  if [[ $keep == true ]]; then
    echo "kept: $data"
  else
    rm -rf "$lake" "$lake.manifest.json" "$out" "$data/db"
    rmdir "$data" 2>/dev/null || true
  fi
}
trap cleanup EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
first_difference() { # first_difference A B: "line N: <A's line> | <B's line>"
  local n
  n=$(cmp "$1" "$2" 2>&1 | grep -o 'line [0-9]*' | grep -o '[0-9]*' || true)
  if [[ -z $n ]]; then
    echo "one file is a prefix of the other ($(wc -l <"$1") vs $(wc -l <"$2") lines)"
  else
    echo "line $n: $(sed -n "${n}p" "$1" | cut -c1-120) | $(sed -n "${n}p" "$2" | cut -c1-120)"
  fi
}

# --- build (incremental; configures a Release tree the first time)
if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  echo "== configuring $build_dir (Release)"
  cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build_dir/CMakeCache.txt")
[[ $build_type == Release ]] || echo "warning: $build_dir is a '$build_type' build, not Release: timings are not representative" >&2
echo "== building bda-etl and bda-gen in $build_dir"
rm -rf "$out" # results of an earlier (kept) run
mkdir -p "$data" "$out"
cmake --build "$build_dir" -j2 --target bda-etl bda-gen >"$out/build.log" 2>&1 ||
  { tail -n 30 "$out/build.log" >&2; die "build failed"; }
[[ -x $etl && -x $gen ]] || die "no bda-etl / bda-gen in $build_dir/bin after the build"

# --- the lake (reused when a kept one was made by the same bda-gen with the same options)
manifest="$lake.manifest.json"
if [[ -d $lake && -f $manifest && $manifest -nt $gen ]]; then
  echo "== reusing the lake $lake"
else
  echo "== generating $days days x $lines_per_day lines into $lake"
  rm -rf "$lake"
  "$gen" --out "$lake" --from "$FIRST_DAY" --to "$last_day" --lines-per-day "$lines_per_day" --quiet \
    --manifest "$manifest.tmp" || die "bda-gen failed"
  mv "$manifest.tmp" "$manifest" # written last: a lake with a manifest is complete
fi
lake_bytes=$(cat "$lake"/*.json | wc -c)
lake_records=$(jq -r .records "$manifest")

echo
echo "bda benchmark  $(date -u '+%F %T UTC')  host $(hostname)  $(nproc) cores  $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo '+dirty')"
echo "lake: $FIRST_DAY..$last_day, $days files, $((days * lines_per_day)) lines, $(mb "$lake_bytes") MB, $lake_records records; $reps reps each"
echo

# --- bda-etl at 1 and 2 ranks
declare -A etl_median etl_rss
for np in "${RANK_COUNTS[@]}"; do
  launcher=(mpirun -np "$np")
  ((np <= $(nproc))) || launcher+=(--oversubscribe)
    for ((rep = 1; rep <= reps; rep++)); do
    t0=$(now)
    timeout "$RUN_TIMEOUT" "${launcher[@]}" "$etl" --lake "$lake" --from "$FIRST_DAY" --to "$last_day" \
      --out "$out/np$np.csv" --summary "$out/np$np-$rep.json" --quiet ||
      die "bda-etl at $np ranks failed (rep $rep)"
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$out/np$np.walls"
    jq -r '[.per_rank[].peak_rss_kb] | max' "$out/np$np-$rep.json" >>"$out/np$np.rss"
    jq -r '.seconds.total' "$out/np$np-$rep.json" >>"$out/np$np.job"
  done
  etl_median[$np]=$(median <"$out/np$np.walls")
  etl_rss[$np]=$(median <"$out/np$np.rss")
done

printf '%-8s %10s %10s %10s %12s %16s %14s  %s\n' ranks "wall s" "job s" "input MB/s" "records/s" \
  "peak RSS/rank MB" "rank0 recv MB" "wall s of each rep"
for np in "${RANK_COUNTS[@]}"; do
  s="$out/np$np-1.json"
  wall=${etl_median[$np]}
  printf '%-8s %10.2f %10.2f %10.1f %12.0f %16.1f %14.1f  %s\n' "bda-etl $np" "$wall" "$(median <"$out/np$np.job")" \
    "$(awk -v b="$(jq -r .input.bytes "$s")" -v t="$wall" 'BEGIN { print b / 1e6 / t }')" \
    "$(awk -v r="$(jq -r .lines.records "$s")" -v t="$wall" 'BEGIN { print r / t }')" \
    "$(awk -v k="${etl_rss[$np]}" 'BEGIN { print k / 1024 }')" \
    "$(awk -v b="$(jq -r .rank0_bytes_received "$s")" 'BEGIN { print b / 1e6 }')" \
    "$(paste -sd' ' "$out/np$np.walls")"
done
echo "(wall s: median wall-clock time including mpirun start-up; job s: bda-etl's own seconds.total;"
echo " peak RSS/rank: largest per_rank peak_rss_kb; rank0 recv: shuffle + CSV rows received by rank 0)"
cmp -s "$out/np1.csv" "$out/np2.csv" && echo "bda-etl CSV at 1 and 2 ranks: identical" ||
  echo "bda-etl CSV at 1 and 2 ranks: DIFFERENT, $(first_difference "$out/np1.csv" "$out/np2.csv")"

# --- the DuckDB peer
duckdb_peer() {
  peer="$shared/peers/duckdb-etl.mjs"
  api_dir="$build_dir/peers"
  api="$api_dir/node_modules/@duckdb/node-api/lib/index.js"
  if ! command -v node >/dev/null; then
    echo "DuckDB peer: skipped (node is not installed)"
    return 0
  fi
  [[ -f $peer ]] || { echo "DuckDB peer: skipped (no $peer)"; return 0; }
  if [[ ! -f $api ]]; then
    echo "== installing @duckdb/node-api into $api_dir"
    mkdir -p "$api_dir"
    if ! (cd "$api_dir" && { [[ -f package.json ]] || npm init -y >/dev/null; } &&
          npm install --no-audit --no-fund @duckdb/node-api >"$api_dir/npm-install.log" 2>&1) || [[ ! -f $api ]]; then
      echo "DuckDB peer: skipped (npm could not install @duckdb/node-api; see $api_dir/npm-install.log)"
      return 0
    fi
  fi
  if [[ ! -x /usr/bin/time ]]; then
    echo "== installing the Debian package 'time' (for /usr/bin/time -v)"
    { apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y time >/dev/null 2>&1; }; } ||
      { echo "DuckDB peer: skipped (/usr/bin/time is missing and could not be installed)"; return 0; }
  fi

  for ((rep = 1; rep <= reps; rep++)); do
    t0=$(now)
    DUCKDB_NODE_API=$api timeout "$RUN_TIMEOUT" /usr/bin/time -v -o "$out/duck-$rep.time" \
      node "$peer" --lake "$lake" --from "$FIRST_DAY" --to "$last_day" --out "$out/duck.csv" \
      --threads "$DUCKDB_THREADS" 2>"$out/duck-$rep.err" ||
      { cat "$out/duck-$rep.err" >&2; die "the DuckDB peer failed (rep $rep)"; }
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$out/duck.walls"
    sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/duck-$rep.time" >>"$out/duck.rss"
  done
  duck_wall=$(median <"$out/duck.walls")
  duck_rss=$(median <"$out/duck.rss")
  printf '%-8s %10.2f %10s %10.1f %12.0f %16.1f %14s  %s\n' "duckdb" "$duck_wall" "-" \
    "$(awk -v b="$lake_bytes" -v t="$duck_wall" 'BEGIN { print b / 1e6 / t }')" \
    "$(awk -v r="$(jq -r .lines.records "$out/np2-1.json")" -v t="$duck_wall" 'BEGIN { print r / t }')" \
    "$(awk -v k="$duck_rss" 'BEGIN { print k / 1024 }')" "-" "$(paste -sd' ' "$out/duck.walls")"
  echo "(duckdb: $DUCKDB_THREADS threads, one process; peak RSS from /usr/bin/time -v; records/s uses bda-etl's count)"
  echo
  if cmp -s "$out/duck.csv" "$out/np2.csv"; then
    echo "CSV check: MATCH (DuckDB and bda-etl at 2 ranks are byte-identical, $(wc -c <"$out/np2.csv") bytes)"
  else
    echo "CSV check: MISMATCH, first difference (duckdb | bda-etl): $(first_difference "$out/duck.csv" "$out/np2.csv")"
  fi
  awk -v d="$duck_wall" -v e="${etl_median[2]}" -v dr="$duck_rss" -v er="${etl_rss[2]}" 'BEGIN {
    printf "speed ratio: DuckDB median / bda-etl 2-rank median = %.2f / %.2f = %.2fx (above 1: bda-etl is faster)\n", d, e, d / e
    printf "RSS ratio:   bda-etl max per-rank RSS / DuckDB RSS = %.0f MB / %.0f MB = %.2f\n", er / 1024, dr / 1024, er / dr
  }'
}

# --- memory as the input grows: a third of the days, then all of them (2 ranks)
memory_growth() {
  local part_days=$(((days + 2) / 3)) part_last
  part_last=$(date -u -d "$FIRST_DAY + $((part_days - 1)) days" +%F)
  timeout "$RUN_TIMEOUT" mpirun -np 2 "$etl" --lake "$lake" --from "$FIRST_DAY" --to "$part_last" \
    --out "$out/part.csv" --summary "$out/part.json" --quiet || die "bda-etl on $part_days days failed"
  awk -v d1="$part_days" -v b1="$(jq -r .input.bytes "$out/part.json")" \
      -v r1="$(jq -r '[.per_rank[].peak_rss_kb] | max' "$out/part.json")" \
      -v d2="$days" -v b2="$lake_bytes" -v r2="${etl_rss[2]}" 'BEGIN {
    printf "peak RSS per rank as the input grows (2 ranks): %d days, %.0f MB in: %.1f MB;  %d days, %.0f MB in: %.1f MB\n",
           d1, b1 / 1e6, r1 / 1024, d2, b2 / 1e6, r2 / 1024 }'
}

# --- the warehouse load: bda-etl's loader vs the mariadb client's own LOAD DATA LOCAL (the floor)
warehouse_load() {
  if ! command -v mariadbd >/dev/null && [[ ! -x /usr/sbin/mariadbd ]]; then
    echo "warehouse load: skipped (no MariaDB server; scripts/test.sh installs it)"
    return 0
  fi
  local db_dir="$data/db" m
  bash "$repo/scripts/db.sh" start "$db_dir" --fresh >/dev/null 2>&1 || die "could not start MariaDB (see $db_dir)"
  db_started=true
  # shellcheck disable=SC1091
  source "$db_dir/env"
  "$etl" --init-db --db-socket "$BDA_DB_SOCKET" --db-user "$BDA_DB_ADMIN_USER" 2>/dev/null || die "--init-db failed"
  bash "$repo/scripts/db.sh" accounts "$db_dir" >/dev/null 2>&1 || die "db.sh accounts failed"
  m=(mariadb --no-defaults --socket="$BDA_DB_SOCKET" --user="$BDA_DB_ADMIN_USER" --local-infile=1 bda)
  "${m[@]}" -e "CREATE TABLE floor_cb LIKE customer_behavior"
  local rows
  rows=$(($(wc -l <"$out/np2.csv") - 1))
  for ((rep = 1; rep <= reps; rep++)); do
    timeout "$RUN_TIMEOUT" mpirun -np 2 "$etl" --lake "$lake" --from "$FIRST_DAY" --to "$last_day" \
      --out "$out/wh.csv" --db-socket "$BDA_DB_SOCKET" --db-user "$BDA_DB_LOADER_USER" \
      --db-password-file "$BDA_DB_LOADER_PASSWORD_FILE" --progress none 2>"$out/wh-$rep.err" ||
      { cat "$out/wh-$rep.err" >&2; die "bda-etl with the warehouse load failed (rep $rep)"; }
    sed -n 's/.* in \([0-9.]*\) s (transcode.*LOAD DATA \([0-9.]*\) s.*/\1 \2/p' "$out/wh-$rep.err" >>"$out/wh.times"
    "${m[@]}" -e "TRUNCATE floor_cb"
    local t0 t1
    t0=$(now)
    "${m[@]}" -e "LOAD DATA LOCAL INFILE '$out/np2.csv' INTO TABLE floor_cb CHARACTER SET binary
      FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '' LINES TERMINATED BY '\\n' IGNORE 1 LINES
      (Contract, ChildDuration, MovieDuration, SportDuration, TVDuration, RelaxDuration, @mw, Taste, DateCount,
       Activeness) SET period_start = '$FIRST_DAY', period_end = '$last_day', MostWatch = NULLIF(@mw, ''), run_id = 0"
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$out/floor.walls"
  done
  local whole load floor
  whole=$(cut -d' ' -f1 "$out/wh.times" | median)
  load=$(cut -d' ' -f2 "$out/wh.times" | median)
  floor=$(median <"$out/floor.walls")
  echo
  printf '%-34s %10s %12s\n' "warehouse load of $rows rows" "median s" "rows/s"
  printf '%-34s %10.3f %12.0f\n' "floor: mariadb client LOAD DATA" "$floor" "$(awk -v r="$rows" -v t="$floor" 'BEGIN { print r / t }')"
  printf '%-34s %10.3f %12.0f\n' "bda-etl loader: LOAD DATA" "$load" "$(awk -v r="$rows" -v t="$load" 'BEGIN { print r / t }')"
  printf '%-34s %10.3f %12.0f\n' "bda-etl loader: whole load" "$whole" "$(awk -v r="$rows" -v t="$whole" 'BEGIN { print r / t }')"
  awk -v f="$floor" -v l="$load" -v w="$whole" 'BEGIN {
    printf "loader LOAD DATA speed / floor = %.2f (goal >= 0.80); whole load / floor time = %.2f (goal < 2)\n", f / l, w / f }'
  echo "(whole load: transcode + delete of the old period + LOAD DATA + per-day rows + run log + COMMIT + data mart refresh)"
}

# --- scaling: 1, 2, 4 and 8 ranks on this host (oversubscribed past the cores), and 2 ranks on
# two network-namespace hosts (cluster/netns-run.sh, root only)
scaling() {
  echo
  printf '%-22s %10s %12s %18s %18s\n' "scaling" "wall s" "input MB/s" "rank 0 recv MB" "rank 0 RSS MB"
  local np rep label
  for np in "${SCALING_RANKS[@]}"; do
    rm -f "$out/scale$np.walls"
    for ((rep = 1; rep <= reps; rep++)); do
      local t0 t1
      t0=$(now)
      timeout "$RUN_TIMEOUT" mpirun -np "$np" --oversubscribe "$etl" --lake "$lake" --from "$FIRST_DAY" \
        --to "$last_day" --out "$out/scale.csv" --summary "$out/scale$np.json" --quiet ||
        die "bda-etl at $np ranks failed"
      t1=$(now)
      awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$out/scale$np.walls"
    done
    scaling_row "$np ranks, 1 host" "$(median <"$out/scale$np.walls")" "$out/scale$np.json"
  done
  if ((EUID == 0)) && command -v ip >/dev/null && command -v unshare >/dev/null; then
    rm -f "$out/netns.walls"
    for ((rep = 1; rep <= reps; rep++)); do
      local t0 t1
      t0=$(now)
      timeout "$RUN_TIMEOUT" bash "$repo/cluster/netns-run.sh" 2 -- "$etl" --lake "$lake" --from "$FIRST_DAY" \
        --to "$last_day" --out "$out/netns.csv" --summary "$out/netns.json" --quiet >/dev/null 2>&1 ||
        die "bda-etl across two namespace hosts failed"
      t1=$(now)
      awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$out/netns.walls"
    done
    label="2 ranks, 2 hosts ($(jq -r '[.per_rank[].host] | unique | join(",")' "$out/netns.json"))"
    scaling_row "$label" "$(median <"$out/netns.walls")" "$out/netns.json"
    cmp -s "$out/netns.csv" "$out/np1.csv" || echo "(the CSV across hosts DIFFERS from the 1-rank CSV)"
  else
    echo "(2 ranks on 2 namespace hosts: skipped, needs root, iproute2 and unshare)"
  fi
  echo "(rank 0 recv: bytes rank 0 received from other ranks: its shuffle share plus the other ranks' CSV rows)"
}
scaling_row() { # scaling_row LABEL WALL SUMMARY
  printf '%-22s %10.2f %12.1f %18.2f %18.1f\n' "$1" "$2" \
    "$(awk -v b="$lake_bytes" -v t="$2" 'BEGIN { print b / 1e6 / t }')" \
    "$(jq -r '.rank0_bytes_received / 1e6' "$3")" \
    "$(jq -r '(.per_rank[] | select(.rank == 0) | .peak_rss_kb) / 1024' "$3")"
}

echo
duckdb_peer
memory_growth
scaling
warehouse_load
