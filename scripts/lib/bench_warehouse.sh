# shellcheck shell=bash disable=SC2154 # the variables are bench.sh's
# scripts/bench.sh --warehouse: bda-etl's warehouse load of a month against the floor, the mariadb
# client's own LOAD DATA LOCAL INFILE of the same CSV into a copy of customer_behavior, in a private
# server under bench-data/db. Source it from bench.sh (uses repo, data, etl, lake, MONTH, FIRST_DAY,
# LAST_DAY, reps, RUN_TIMEOUT, die, median, calc, row).

bench_db_started=false
bench_warehouse_stop() {
  [[ $bench_db_started == false ]] || bash "$repo/scripts/db.sh" stop "$data/db" >/dev/null 2>&1 || true
}

# bench_warehouse_load CSV OUT: CSV is bda-etl's CSV of the month in $lake; logs go to OUT.
bench_warehouse_load() {
  local csv=$1 out=$2 db_dir="$data/db" m rows rep t0 t1
  echo
  if ! command -v mariadbd >/dev/null && [[ ! -x /usr/sbin/mariadbd ]]; then
    echo "warehouse load: not run (no MariaDB server; scripts/test.sh installs it)"
    return 0
  fi
  # A warehouse of two million customers wants its tables in memory: 2 GiB of buffer pool (the
  # period's rows and indexes are about 0.6 GB) instead of db.sh's 256 MiB test default.
  bda_log "warehouse load: starting a private MariaDB in $db_dir (buffer pool ${BDA_DB_BUFFER_POOL:-2G})"
  BDA_DB_BUFFER_POOL=${BDA_DB_BUFFER_POOL:-2G} bash "$repo/scripts/db.sh" start "$db_dir" --fresh >"$out/db.log" 2>&1 ||
    die "could not start MariaDB (see $out/db.log)"
  bench_db_started=true
  # shellcheck disable=SC1091
  source "$db_dir/env"
  "$etl" --init-db --db-socket "$BDA_DB_SOCKET" --db-user "$BDA_DB_ADMIN_USER" >>"$out/db.log" 2>&1 || die "--init-db failed"
  bash "$repo/scripts/db.sh" accounts "$db_dir" >>"$out/db.log" 2>&1 || die "db.sh accounts failed"
  m=(mariadb --no-defaults --socket="$BDA_DB_SOCKET" --user="$BDA_DB_ADMIN_USER" --local-infile=1 bda)
  "${m[@]}" -e "CREATE TABLE floor_cb LIKE customer_behavior"
  # The second floor: the same CSV into a table with the primary key only (no checks, no
  # generated columns, no secondary index), what the server's LOAD DATA costs at the least.
  "${m[@]}" -e "CREATE TABLE floor_plain (Contract VARBINARY(1024) NOT NULL PRIMARY KEY, c BIGINT NOT NULL,
    m BIGINT NOT NULL, s BIGINT NOT NULL, t BIGINT NOT NULL, r BIGINT NOT NULL, mw VARCHAR(5), taste VARCHAR(40),
    dc SMALLINT UNSIGNED, act DECIMAL(5, 2)) ENGINE = InnoDB"
  # The run's contract count (a quoted Contract may hold a line break, so lines are not rows).
  rows=$(jq -r .contracts "$out/etl2-1.json" 2>/dev/null) || rows=$(($(wc -l <"$csv") - 1))
  for ((rep = 1; rep <= reps; rep++)); do
    bda_log "warehouse load: rep $rep of $reps"
    timeout "$RUN_TIMEOUT" mpirun -np 2 "$etl" --lake "$lake" --month "$MONTH" --out "$out/wh.csv" \
      --db-socket "$BDA_DB_SOCKET" --db-user "$BDA_DB_LOADER_USER" \
      --db-password-file "$BDA_DB_LOADER_PASSWORD_FILE" --progress none 2>"$out/wh-$rep.err" ||
      { cat "$out/wh-$rep.err" >&2; die "bda-etl with the warehouse load failed (rep $rep)"; }
    # the loader's closing line: "... in W s (transcode ..., LOAD DATA L s, ...)"
    sed -n 's/.* in \([0-9.]*\) s (transcode.*LOAD DATA \([0-9.]*\) s.*/\1 \2/p' "$out/wh-$rep.err" >>"$out/wh.times"
    grep -o 'in [0-9.]* s (transcode.*' "$out/wh-$rep.err" >>"$out/wh.phases" || true
    "${m[@]}" -e "TRUNCATE floor_cb"
    t0=$EPOCHREALTIME
    "${m[@]}" -e "LOAD DATA LOCAL INFILE '$csv' INTO TABLE floor_cb CHARACTER SET binary
      FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '' LINES TERMINATED BY '\\n' IGNORE 1 LINES
      (Contract, ChildDuration, MovieDuration, SportDuration, TVDuration, RelaxDuration, @mw, Taste, DateCount,
       Activeness) SET period_start = '$FIRST_DAY', period_end = '$LAST_DAY', MostWatch = NULLIF(@mw, ''), run_id = 0"
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$out/floor.walls"
    "${m[@]}" -e "TRUNCATE floor_plain"
    t0=$EPOCHREALTIME
    "${m[@]}" -e "LOAD DATA LOCAL INFILE '$csv' INTO TABLE floor_plain CHARACTER SET binary
      FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '' LINES TERMINATED BY '\\n' IGNORE 1 LINES"
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$out/plain.walls"
  done
  "${m[@]}" -e "DROP TABLE floor_cb, floor_plain"
  cut -d' ' -f1 "$out/wh.times" >"$out/wh.whole"
  cut -d' ' -f2 "$out/wh.times" >"$out/wh.load"
  local whole load floor plain
  whole=$(median "$out/wh.whole") load=$(median "$out/wh.load") floor=$(median "$out/floor.walls")
  plain=$(median "$out/plain.walls")
  echo "warehouse load of the $rows rows of the first case into a private MariaDB:"
  echo
  row "load" "median s" "rows/s" "÷ floor time"
  row "---" "---:" "---:" "---:"
  row "floor: mariadb client LOAD DATA LOCAL INFILE into a copy of customer_behavior" "$(calc %.3f t t="$floor")" \
    "$(calc %.0f 'r / t' r="$rows" t="$floor")" "1.00"
  row "floor: the same into a table with the primary key only" "$(calc %.3f t t="$plain")" \
    "$(calc %.0f 'r / t' r="$rows" t="$plain")" "$(calc %.2f 't / f' t="$plain" f="$floor")"
  row "bda-etl loader: its two LOAD DATA streams into the staging table" "$(calc %.3f t t="$load")" "$(calc %.0f 'r / t' r="$rows" t="$load")" \
    "$(calc %.2f 't / f' t="$load" f="$floor")"
  row "bda-etl loader: whole load" "$(calc %.3f t t="$whole")" "$(calc %.0f 'r / t' r="$rows" t="$whole")" \
    "$(calc %.2f 't / f' t="$whole" f="$floor")"
  echo
  echo "(whole load: transcode + LOAD DATA into the staging table + its secondary indexes + partition"
  echo " exchange + summaries, per-day rows, run log and COMMIT + drop of the old period's partition + data"
  echo " mart refresh; every rep after the first replaces the period loaded before it. Each rep's phases:"
  sed 's/^/   /' "$out/wh.phases"
  echo " Goal: the whole load ≤ 8 s and ≤ 1.5× the primary-key-only floor: $(calc %.2f 'w / p' w="$whole" p="$plain")×)"
}

# bench_warehouse_api OUT: bda-dashboard on the loaded warehouse (read-only account), each API call
# 100 times in a row, warm; p50 and p95 of curl's total time (goal: every p95 ≤ 150 ms); then the
# page draw times.
bench_warehouse_api() {
  local out=$1 dash="$build_dir/bin/bda-dashboard" url="" pid deadline ep i
  [[ $bench_db_started == true ]] || return 0
  [[ -x $dash ]] || { echo "API latency: not measured (no $dash)"; return 0; }
  command -v curl >/dev/null || { echo "API latency: not measured (no curl)"; return 0; }
  "$dash" --port 0 --db-socket "$BDA_DB_SOCKET" --db-user "$BDA_DB_REPORT_USER" \
    --db-password-file "$BDA_DB_REPORT_PASSWORD_FILE" >"$out/dashboard.log" 2>&1 &
  pid=$!
  deadline=$((SECONDS + 20))
  while [[ -z $url ]] && ((SECONDS < deadline)); do
    sleep 0.2
    url=$(grep -o 'serving http://[0-9.]*:[0-9]*' "$out/dashboard.log" | head -n 1 | sed 's/^serving //') || true
  done
  [[ -n $url ]] || { kill "$pid" 2>/dev/null; echo "API latency: bda-dashboard did not start ($out/dashboard.log)"; return 0; }
  local p="period=$FIRST_DAY..$LAST_DAY" pages
  pages=$(curl -s "$url/api/customers?$p&page_size=20" | jq .pages)
  local endpoints=("periods" "overview?$p" "overview?$p&segment=Loyal+Customer&most_watch=TV" "segments?$p"
    "categories?$p" "tastes?$p" "activeness_histogram?$p&bins=20" "segment_mostwatch?$p" "daily?$p" "last_load"
    "customers?$p&page_size=20" "customers?$p&page_size=20&page=3000" "customers?$p&page_size=20&page=$((pages / 2))"
    "customers?$p&page_size=20&page=$pages" "customers?$p&page_size=20&sort=contract&order=asc&page=$((pages / 2))"
    "customers?$p&page_size=20&segment=Loyal+Customer" "customers?$p&page_size=20&search=DNH12"
    "customer?contract_hex=$(curl -s "$url/api/customers?$p&page_size=1" | jq -r '.rows[0].contract_hex')")
  echo
  echo "API latency on the loaded month (bda-dashboard, warm, 100 requests each; curl's total time):"
  echo
  row "GET /api/…" "status" "p50 ms" "p95 ms"
  row "---" "---" "---:" "---:"
  for ep in "${endpoints[@]}"; do
    : >"$out/api.times"
    local status=""
    for ((i = 0; i < 100; i++)); do
      curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$url/api/$ep" >>"$out/api.times"
    done
    status=$(cut -d' ' -f1 "$out/api.times" | sort -u | paste -sd/)
    row "$ep" "$status" "$(cut -d' ' -f2 "$out/api.times" | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", v[int(NR * 0.5)] * 1000 }')" \
      "$(cut -d' ' -f2 "$out/api.times" | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", v[int(NR * 0.95)] * 1000 }')"
  done
  bench_page_draw "$url" "$out"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# bench_page_draw URL OUT: both pages drawn in headless Chromium, 5 times each (page_draw.mjs),
# median and worst. Needs playwright-core, which scripts/test.sh installs into the build tree.
bench_page_draw() {
  local url=$1 out=$2 playwright="$build_dir/web-test-node/node_modules/playwright-core/index.mjs"
  local chromium=${BDA_CHROMIUM:-/usr/bin/chromium} page
  echo
  if [[ ! -f $playwright || ! -x $chromium ]] || ! command -v node >/dev/null; then
    echo "page draw: not measured (needs node, $chromium and $playwright: run scripts/test.sh once)"
    return 0
  fi
  node "$repo/scripts/lib/page_draw.mjs" "$playwright" "$chromium" "$url" "$out/chromium-profile" 5 \
    >"$out/draw.times" 2>"$out/draw.err" || { echo "page draw: failed ($(tail -n 3 "$out/draw.err"))"; return 0; }
  echo "Page draw in headless Chromium (navigation to every figure drawn, 5 loads each; goal ≤ 2 s):"
  echo
  row "page" "median s" "worst s"
  row "---" "---:" "---:"
  for page in / /details; do
    awk -v p="$page" '$1 == p { print $2 }' "$out/draw.times" >"$out/draw.page"
    row "$page" "$(median "$out/draw.page")" "$(sort -g "$out/draw.page" | tail -n 1)"
  done
}
