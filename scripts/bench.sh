#!/usr/bin/env bash
# Benchmark bda-etl on generated months against `cat` and the three peers of ../shared/peers/,
# and its memory as ranks are added.
#
#   scripts/bench.sh [--case real|small|both] [--lines-per-day N] [--customers N] [--reps N]
#                    [--peers LIST] [--peer-timeout S] [--daily] [--warehouse] [--build-dir DIR]
#
#   --case C            real: SPEC §1's real scale, bda-gen --month 2022-04 --lines-per-day 1800000
#                       --customers 2000000 (9.4 GB, about 1.8 M contracts); small: bda-gen --month
#                       2022-04 (300000 lines a day, 1.56 GB); both (the default): real, then small
#   --lines-per-day N   a custom month instead, for quick tries (default 300000)
#   --customers N       its customer pool (default bda-gen's: lines-per-day / 3)
#   --reps N            runs of each configuration, interleaved rep by rep; tables show medians (default 3)
#   --peer-timeout S    a peer run taking longer is stopped and listed as timed out (default 900; Polars
#                       on the real-scale month runs out of 24 GiB, thrashing before the OOM killer ends it)
#   --peers LIST        comma-separated subset of duckdb,clickhouse,clickhouse-lenient,polars, or none
#                       (default all of them)
#   --daily             also time the daily run on the first case (bda-etl --checkpoints): with days 1-29
#                       checkpointed, the run of the whole month that parses day 30 only, interleaved with
#                       plain runs of the month at 2 ranks; and the checkpoints' size against their day files
#   --warehouse         also time the warehouse load of the first case's CSV against two floors (the
#                       mariadb client's own LOAD DATA LOCAL INFILE into a copy of customer_behavior and
#                       into a primary-key-only table) and then the dashboard API's latencies, p50 and
#                       p95 over 100 requests each (needs the MariaDB server)
#   --build-dir DIR     build tree, configured (Release) and built if needed (default build)
#
# Each month is generated once into bench-data/month-2022-04-<lines>l-<customers>c (git-ignored) and
# reused: bda-gen's manifest <dir>.manifest.json is moved into place only after bda-gen succeeds, so
# a directory without it is half-written and is generated again. Per case the files are read once to
# warm the page cache; then each rep runs every configuration in turn (so the machine's noise falls on
# all of them alike): cat of the files, bda-etl at 1 and 2 ranks (and 4 and 8, oversubscribed, on
# the first case, for the memory table) and each peer at 2 threads under /usr/bin/time -v. A peer is
# installed once from npm into <build dir>/peers* (pinned); one that cannot install or fails is
# listed with the reason. Wall times include process start-up (mpirun, node). Outputs and logs stay
# in bench-data/out-<case>/.
set -euo pipefail

usage() { sed -n '2,/^set -e/{/^set -e/d; s/^# \{0,1\}//p}' "$0"; }
die() { echo "bench.sh: error: $*" >&2; exit 1; }

case_opt="" lines_opt="" customers_opt="" reps=3 peer_timeout=900 peers_opt=all daily=false warehouse=false build_dir=build
while (($# > 0)); do
  case $1 in
    --case) case_opt=${2:?--case needs a value}; shift 2 ;;
    --lines-per-day) lines_opt=${2:?--lines-per-day needs a value}; shift 2 ;;
    --customers) customers_opt=${2:?--customers needs a value}; shift 2 ;;
    --reps) reps=${2:?--reps needs a value}; shift 2 ;;
    --peer-timeout) peer_timeout=${2:?--peer-timeout needs a value}; shift 2 ;;
    --peers) peers_opt=${2:?--peers needs a value}; shift 2 ;;
    --daily) daily=true; shift ;;
    --warehouse) warehouse=true; shift ;;
    --build-dir) build_dir=${2:?--build-dir needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
done
for v in reps:reps peer_timeout:peer-timeout lines_opt:lines-per-day customers_opt:customers; do
  n=${v%%:*}
  [[ -z ${!n} || ${!n} =~ ^[1-9][0-9]*$ ]] || die "--${v#*:} must be a positive integer, got '${!n}'"
done

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
[[ $build_dir = /* ]] || build_dir="$repo/$build_dir"
export BDA_BUILD_DIR=$build_dir
# shellcheck source=SCRIPTDIR/lib/common.sh
source "$repo/scripts/lib/common.sh"
BENCH_SHARED_PEERS="$repo/../shared/peers"
# shellcheck source=SCRIPTDIR/lib/bench_peers.sh
source "$repo/scripts/lib/bench_peers.sh"
# shellcheck source=SCRIPTDIR/lib/bench_warehouse.sh
source "$repo/scripts/lib/bench_warehouse.sh"

readonly MONTH=2022-04 FIRST_DAY=2022-04-01 LAST_DAY=2022-04-30 DAYS=30
readonly SCALING_RANKS=(1 2 4 8) RUN_TIMEOUT=3600
# case name -> "lines-per-day customers"; the small case is bda-gen's default month (customers: lines/3)
declare -A case_size=([real]="1800000 2000000" [small]="300000 100000")
declare -A case_gen_args=([real]="--lines-per-day 1800000 --customers 2000000" [small]="")
if [[ -n $lines_opt || -n $customers_opt ]]; then
  [[ -z $case_opt ]] || die "--case and --lines-per-day/--customers exclude each other"
  lines_opt=${lines_opt:-300000}
  customers_opt=${customers_opt:-$((lines_opt / 3 > 0 ? lines_opt / 3 : 1))}
  case_size[custom]="$lines_opt $customers_opt"
  case_gen_args[custom]="--lines-per-day $lines_opt --customers $customers_opt"
  cases=(custom)
else
  case ${case_opt:-both} in
    real | small) cases=("$case_opt") ;;
    both) cases=(real small) ;;
    *) die "--case must be real, small or both, got '$case_opt'" ;;
  esac
fi
peers=()
if [[ $peers_opt == all ]]; then
  peers=("${BENCH_PEERS[@]}")
elif [[ $peers_opt != none ]]; then
  IFS=, read -ra peers <<<"$peers_opt"
  for p in "${peers[@]}"; do
    [[ -n ${bench_peer_label[$p]:-} ]] || die "unknown peer '$p' in --peers (known: ${BENCH_PEERS[*]})"
  done
fi

data="$repo/bench-data" # git-ignored (/bench-*/)
etl="$build_dir/bin/bda-etl" gen="$build_dir/bin/bda-gen"
cores=$(nproc)
command -v jq >/dev/null || die "jq is needed to read the run summaries (apt-get install jq)"
command -v mpirun >/dev/null || die "mpirun is not installed"
bda_mpi_env
trap 'bench_warehouse_stop' EXIT

# --- small helpers: medians, arithmetic with a dash for what is missing, the tables' rows
median() { # median FILE: of its numbers, one a line; empty when the file is absent
  [[ -s $1 ]] || return 0
  sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
calc() { # calc FORMAT EXPR [name=value...]: "—" when a value is empty or a divisor is 0
  local fmt=$1 expr=$2 a
  shift 2
  for a in "$@"; do [[ -n ${a#*=} ]] || { echo "—"; return; }; done
  awk "${@/#/-v}" "BEGIN { r = $expr; if (r == \"nan\" || r == \"inf\") print \"—\"; else printf \"$fmt\", r }" 2>/dev/null || echo "—"
}
row() { local line="|" cell; for cell in "$@"; do line+=" $cell |"; done; echo "$line"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }
first_difference() { # first_difference A B: "line N" of the first difference, or which is a prefix
  local n
  n=$(cmp "$1" "$2" 2>/dev/null | grep -o 'line [0-9]*' || true)
  [[ -n $n ]] && echo "$n" || echo "one is a prefix of the other"
}
csv_check() { # csv_check CSV REFERENCE: identical, or where it differs
  if [[ ! -f $1 ]]; then echo "—"
  elif cmp -s "$1" "$2"; then echo "identical"
  else
    local rows
    rows=$(diff "$1" "$2" | grep -c '^>' || true)
    echo "DIFFERS: $rows of $(($(wc -l <"$2") - 1)) rows, first at $(first_difference "$1" "$2")"
  fi
}

# --- build (incremental; configures a Release tree the first time)
if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  bda_log "configuring $build_dir (Release)"
  cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build_dir/CMakeCache.txt")
source_dir=$(sed -n 's/^CMAKE_HOME_DIRECTORY:[A-Z]*=//p' "$build_dir/CMakeCache.txt")
[[ $build_type == Release ]] || echo "warning: $build_dir is a '$build_type' build, not Release: timings are not representative" >&2
bda_log "building bda-etl and bda-gen in $build_dir"
mkdir -p "$data"
targets=(bda-etl bda-gen)
[[ $warehouse == false ]] || targets+=(bda-dashboard)
cmake --build "$build_dir" -j2 --target "${targets[@]}" >"$data/build.log" 2>&1 ||
  { tail -n 30 "$data/build.log" >&2; die "build failed (log: $data/build.log)"; }
[[ -x $etl && -x $gen ]] || die "no bda-etl / bda-gen in $build_dir/bin after the build"

# --- the peers: installed once, before any timing
declare -A missing=()
for p in "${peers[@]}"; do
  bench_peer_prepare "$p" || missing[$p]="not run: ${bench_peer_missing[$p]}"
done

# --- a case's lake: generated once, reused while its manifest says it is this month at this size
prepare_lake() { # prepare_lake CASE: sets lake, manifest and files
  local lines customers
  read -r lines customers <<<"${case_size[$1]}"
  lake="$data/month-$MONTH-${lines}l-${customers}c"
  manifest="$lake.manifest.json"
  local reason=""
  if [[ ! -f $manifest ]]; then
    [[ -e $lake ]] && reason="$lake has no manifest (half-written or made by hand)"
  elif ! jq -e --argjson l "$lines" --argjson c "$customers" --argjson d "$DAYS" \
      '.options.lines_per_day == $l and .options.customers == $c and (.files | length) == $d and (.options.gzip | not)' \
      "$manifest" >/dev/null; then
    reason="its manifest is of another month or size"
  elif [[ $(jq -r .generator "$manifest") != "$("$gen" --version)" ]]; then
    reason="it was made by $(jq -r .generator "$manifest"), not $("$gen" --version)"
  else
    mapfile -t files < <(jq -r --arg d "$lake" '.files[] | "\($d)/\(.)"' "$manifest")
    local f
    for f in "${files[@]}"; do [[ -f $f ]] || reason="$f is missing"; done
    [[ -n $reason ]] || { bda_log "reusing $lake"; return 0; }
  fi
  [[ -z $reason ]] || bda_log "generating $lake again: $reason"
  bda_log "generating bda-gen --month $MONTH ${case_gen_args[$1]} into $lake"
  rm -rf "$lake" "$manifest" "$manifest.tmp"
  # shellcheck disable=SC2086 # case_gen_args holds several words
  "$gen" --out "$lake" --month "$MONTH" ${case_gen_args[$1]} --quiet --manifest "$manifest.tmp" ||
    die "bda-gen failed"
  mv "$manifest.tmp" "$manifest" # last: a lake with a manifest is complete
  mapfile -t files < <(jq -r --arg d "$lake" '.files[] | "\($d)/\(.)"' "$manifest")
}

# --- one timed run of a configuration: cat, etlN (bda-etl at N ranks) or a peer
run_config() { # run_config ID REP; a peer that fails gets missing[ID] and is not run again in this case
  local id=$1 rep=$2 t0 t1 status=0
  case $id in
    cat)
      t0=$EPOCHREALTIME
      cat "${files[@]}" >/dev/null
      t1=$EPOCHREALTIME
      ;;
    etl*)
      local np=${id#etl} launcher summary="$out/$id-$rep.json"
      launcher=(mpirun -np "$np")
      ((np <= cores)) || launcher+=(--oversubscribe)
      t0=$EPOCHREALTIME
      timeout "$RUN_TIMEOUT" "${launcher[@]}" "$etl" --lake "$lake" --month "$MONTH" --out "$out/$id.csv" \
        --summary "$summary" --quiet 2>"$out/$id-$rep.err" || status=$?
      t1=$EPOCHREALTIME
      ((status == 0)) || { tail -n 20 "$out/$id-$rep.err" >&2; die "bda-etl at $np ranks failed (exit $status, rep $rep)"; }
      jq -r '[.per_rank[].peak_rss_kb] | max' "$summary" >>"$out/$id.rss"
      jq -r .rank0_bytes_received "$summary" >>"$out/$id.recv"
      jq -r .seconds.total "$summary" >>"$out/$id.own"
      ;;
    *)
      bench_peer_command "$id" "$lake" "$FIRST_DAY" "$LAST_DAY" "$out/$id.csv"
      t0=$EPOCHREALTIME
      (cd "$out" && timeout "$peer_timeout" /usr/bin/time -v -o "$out/$id-$rep.time" "${bench_cmd[@]}" \
        >"$out/$id-$rep.log" 2>&1) || status=$?
      t1=$EPOCHREALTIME
      if ((status != 0)); then
        local why
        if ((status == 124)); then
          why="timed out after $peer_timeout s"
        elif ((status == 137)); then
          why="killed (SIGKILL; the kernel's OOM killer when memory ran out)"
        else
          why="exit $status: $(grep -v '^\s*$' "$out/$id-$rep.log" | tail -n 1 | cut -c1-100)"
        fi
        missing[$id]="failed in rep $rep, $why (log: $out/$id-$rep.log)"
        return 0
      fi
      sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/$id-$rep.time" >>"$out/$id.rss"
      ;;
  esac
  elapsed "$t0" "$t1" >>"$out/$id.walls"
}

# --- the tables of a case
main_table() {
  local e2=${wall[etl2]} r2=${rss[etl2]} id label
  echo
  row "run" "wall s" "own s" "MB/s" "peak RSS/rank MiB" "rank 0 recv MB" "wall ÷ bda-etl 2r" \
    "RSS ÷ bda-etl 2r" "CSV vs bda-etl 2r" "wall s of each rep"
  row "---" "---:" "---:" "---:" "---:" "---:" "---:" "---:" "---" "---"
  for id in cat etl1 etl2 "${peers[@]}"; do
    case $id in
      cat) label="cat of the files" ;;
      etl1) label="bda-etl, 1 rank" ;;
      etl2) label="bda-etl, 2 ranks" ;;
      *) label="${bench_peer_label[$id]}, $BENCH_PEER_THREADS threads" ;;
    esac
    if [[ -n ${missing[$id]:-} ]]; then
      row "$label" — — — — — — — "${missing[$id]}" "$(paste -sd' ' "$out/$id.walls" 2>/dev/null || echo —)"
      continue
    fi
    local check
    case $id in cat) check="—" ;; etl2) check="(reference)" ;; *) check=$(csv_check "$out/$id.csv" "$out/etl2.csv") ;; esac
    row "$label" "$(calc %.2f w w="${wall[$id]}")" "$(calc %.2f o o="$(median "$out/$id.own")")" \
      "$(calc %.0f 'b / 1e6 / w' b="$bytes" w="${wall[$id]}")" "$(calc %.0f 'k / 1024' k="${rss[$id]:-}")" \
      "$(calc %.1f 'r / 1e6' r="$(median "$out/$id.recv")")" "$(calc %.2f 'w / e' w="${wall[$id]}" e="$e2")" \
      "$(calc %.2f 'k / r' k="${rss[$id]:-}" r="$r2")" "$check" "$(paste -sd' ' "$out/$id.walls")"
  done
  echo
  echo "wall: median wall-clock s, start-up included; own: bda-etl's seconds.total; MB/s: input bytes / wall;"
  echo "peak RSS: largest per_rank[].peak_rss_kb of bda-etl's summary, the process's maximum RSS"
  echo "(/usr/bin/time -v) for a peer; rank 0 recv: rank0_bytes_received (its shuffle share + the CSV rows)."
  echo "A peer's documented departures from SPEC (the top of its script) show as DIFFERS."
  echo
  echo "- bda-etl at 2 ranks takes $(calc %.1f 'e / c' e="$e2" c="${wall[cat]}")× the wall time of cat"
  for id in "${peers[@]}"; do
    [[ -n ${missing[$id]:-} ]] ||
      echo "- ${bench_peer_label[$id]}: $(calc %.1f 'w / e' w="${wall[$id]}" e="$e2")× the wall time of bda-etl at 2 ranks, $(calc %.2f 'k / r' k="${rss[$id]}" r="$r2")× its peak RSS per rank"
  done
}

scaling_table() {
  local r1=${rss[etl1]} np id
  echo
  echo "bda-etl as ranks are added (more ranks than the $cores cores are oversubscribed):"
  echo
  row ranks "wall s" "own s" "MB/s" "max peak RSS/rank MiB" "÷ 1-rank peak" "rank 0 recv MB" "CSV vs 2 ranks"
  row "---:" "---:" "---:" "---:" "---:" "---:" "---:" "---"
  for np in "${SCALING_RANKS[@]}"; do
    id=etl$np
    local check="(reference)"
    [[ $id == etl2 ]] || check=$(csv_check "$out/$id.csv" "$out/etl2.csv")
    row "$np" "$(calc %.2f w w="${wall[$id]}")" "$(calc %.2f o o="$(median "$out/$id.own")")" \
      "$(calc %.0f 'b / 1e6 / w' b="$bytes" w="${wall[$id]}")" "$(calc %.0f 'k / 1024' k="${rss[$id]}")" \
      "$(calc %.2f 'k / r' k="${rss[$id]}" r="$r1")" "$(calc %.1f 'r / 1e6' r="$(median "$out/$id.recv")")" \
      "$check"
  done
}

# --- the daily run: days 1-29 checkpointed, day 30 parsed, against plain runs of the whole month
daily_table() {
  local ck="$out/checkpoints" t0 t1 rep status=0 last_file
  local -a launcher=(mpirun -np 2)
  last_file=$(ls "$lake" | sort | tail -n 1)
  bda_log "daily: checkpointing days 1-29 (every day parsed once)"
  rm -rf "$ck"
  t0=$EPOCHREALTIME
  timeout "$RUN_TIMEOUT" "${launcher[@]}" "$etl" --lake "$lake" --from "$FIRST_DAY" --to 2022-04-29 --checkpoints "$ck" \
    --out "$out/first29.csv" --summary "$out/first29.json" --quiet 2>"$out/first29.err" ||
    { tail -n 20 "$out/first29.err" >&2; die "the checkpointing run failed"; }
  t1=$EPOCHREALTIME
  local first29
  first29=$(elapsed "$t0" "$t1")
  rm -f "$out"/daily.walls "$out"/plain.walls "$out"/daily.own
  for ((rep = 1; rep <= reps; rep++)); do
    bda_log "daily: rep $rep of $reps"
    t0=$EPOCHREALTIME
    timeout "$RUN_TIMEOUT" "${launcher[@]}" "$etl" --lake "$lake" --month "$MONTH" --out "$out/plain.csv" --quiet ||
      die "the plain run failed"
    t1=$EPOCHREALTIME
    elapsed "$t0" "$t1" >>"$out/plain.walls"
    rm -f "$ck/${last_file%%.*}.ckpt" # day 30 is the new day of every rep
    t0=$EPOCHREALTIME
    timeout "$RUN_TIMEOUT" "${launcher[@]}" "$etl" --lake "$lake" --month "$MONTH" --checkpoints "$ck" \
      --out "$out/daily.csv" --summary "$out/daily-$rep.json" --quiet 2>"$out/daily-$rep.err" || status=$?
    t1=$EPOCHREALTIME
    ((status == 0)) || { tail -n 20 "$out/daily-$rep.err" >&2; die "the daily run failed (rep $rep)"; }
    elapsed "$t0" "$t1" >>"$out/daily.walls"
    jq -r .seconds.total "$out/daily-$rep.json" >>"$out/daily.own"
    [[ $(jq -r .checkpoints.reused "$out/daily-$rep.json") == 29 ]] || die "the daily run did not reuse 29 days (rep $rep)"
  done
  local plain_w daily_w
  plain_w=$(median "$out/plain.walls")
  daily_w=$(median "$out/daily.walls")
  echo
  echo "The daily run (bda-etl --checkpoints, 2 ranks): days 1-29 from their checkpoints, day 30 parsed:"
  echo
  row run "wall s" "own s" "÷ plain month" "CSV vs plain" "wall s of each rep"
  row --- ---: ---: ---: --- ---
  row "plain run of the month" "$(calc %.2f w w="$plain_w")" — 1.00 "(reference)" "$(paste -sd' ' "$out/plain.walls")"
  row "daily run of day 30" "$(calc %.2f w w="$daily_w")" "$(calc %.2f o o="$(median "$out/daily.own")")" \
    "$(calc %.3f 'd / p' d="$daily_w" p="$plain_w")" "$(csv_check "$out/daily.csv" "$out/plain.csv")" \
    "$(paste -sd' ' "$out/daily.walls")"
  row "checkpointing run of days 1-29 (once)" "$(calc %.2f w w="$first29")" — \
    "$(calc %.2f 'f / p' f="$first29" p="$plain_w")" — —
  echo
  # Each checkpoint against its day file.
  local f day
  : >"$out/ckpt.ratios"
  for f in "$ck"/*.ckpt; do
    day=$(basename "$f" .ckpt)
    echo "$(calc %.4f 'c / d' c="$(stat -c %s "$f")" d="$(stat -c %s "$lake/$day".json*)")" >>"$out/ckpt.ratios"
  done
  echo "- checkpoint size ÷ its day file's: median $(median "$out/ckpt.ratios"), largest $(sort -g "$out/ckpt.ratios" | tail -n 1)" \
    "($(ls "$ck"/*.ckpt | wc -l) checkpoints, $(du -sm "$ck" | cut -f1) MB on disk for $(calc %.0f 'b / 1e6' b="$bytes") MB of day files)"
  echo "- the daily run takes $(calc %.1f '100 * d / p' d="$daily_w" p="$plain_w") % of the plain run's wall time"
}

# --- run
echo
echo "bda benchmark  $(date -u '+%F %T UTC')  host $(hostname), $cores cores ($(lscpu | sed -n 's/^Model name: *//p')), $(free -g | awk '/^Mem:/ { print $2 }') GiB"
echo "commit $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo ' (working tree has changes)'); build $build_dir ($build_type$( [[ $source_dir -ef $repo ]] || echo ", source $source_dir"))"
echo "$(mpirun --version | head -n 1); node $(node --version 2>/dev/null || echo "not installed"); THP $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo "?")"
echo "$reps reps, each running every configuration in turn; medians"

first=true
for c in "${cases[@]}"; do
  prepare_lake "$c"
  out="$data/out-$c"
  rm -rf "$out"
  mkdir -p "$out"
  bytes=$(stat -c %s "${files[@]}" | awk '{ s += $1 } END { print s }')
  configs=(cat etl1 etl2)
  [[ $first == false ]] || configs+=(etl4 etl8)
  # A peer that failed on one case (out of memory on the big month, say) is tried again on the next.
  for p in "${peers[@]}"; do [[ ${missing[$p]:-} != "failed in"* ]] || unset "missing[$p]"; done
  for p in "${peers[@]}"; do [[ -n ${missing[$p]:-} ]] || configs+=("$p"); done

  echo
  echo "## case $c: bda-gen --month $MONTH ${case_gen_args[$c]}"
  echo
  jq -r --arg mb "$(calc %.0f 'b / 1e6' b="$bytes")" \
    '"\(.files | length) files, \($mb) MB, \(.lines) lines, \(.records) records, \(.rejected) rejected, \(.contracts) contracts"' "$manifest"
  bda_log "case $c: warming the page cache"
  cat "${files[@]}" >/dev/null
  for ((rep = 1; rep <= reps; rep++)); do
    bda_log "case $c: rep $rep of $reps"
    for id in "${configs[@]}"; do
      [[ -n ${missing[$id]:-} ]] || run_config "$id" "$rep"
    done
  done
  declare -A wall=() rss=()
  for id in "${configs[@]}"; do
    wall[$id]=$(median "$out/$id.walls")
    rss[$id]=$(median "$out/$id.rss")
  done
  main_table
  [[ $first == false ]] || scaling_table
  [[ $first == false || $daily == false ]] || daily_table
  if [[ $first == true && $warehouse == true ]]; then
    bench_warehouse_load "$out/etl2.csv" "$out"
    bench_warehouse_api "$out"
  fi
  first=false
done
