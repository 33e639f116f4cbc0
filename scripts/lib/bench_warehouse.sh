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
  bda_log "warehouse load: starting a private MariaDB in $db_dir"
  bash "$repo/scripts/db.sh" start "$db_dir" --fresh >"$out/db.log" 2>&1 || die "could not start MariaDB (see $out/db.log)"
  bench_db_started=true
  # shellcheck disable=SC1091
  source "$db_dir/env"
  "$etl" --init-db --db-socket "$BDA_DB_SOCKET" --db-user "$BDA_DB_ADMIN_USER" >>"$out/db.log" 2>&1 || die "--init-db failed"
  bash "$repo/scripts/db.sh" accounts "$db_dir" >>"$out/db.log" 2>&1 || die "db.sh accounts failed"
  m=(mariadb --no-defaults --socket="$BDA_DB_SOCKET" --user="$BDA_DB_ADMIN_USER" --local-infile=1 bda)
  "${m[@]}" -e "CREATE TABLE floor_cb LIKE customer_behavior"
  rows=$(($(wc -l <"$csv") - 1))
  for ((rep = 1; rep <= reps; rep++)); do
    bda_log "warehouse load: rep $rep of $reps"
    timeout "$RUN_TIMEOUT" mpirun -np 2 "$etl" --lake "$lake" --month "$MONTH" --out "$out/wh.csv" \
      --db-socket "$BDA_DB_SOCKET" --db-user "$BDA_DB_LOADER_USER" \
      --db-password-file "$BDA_DB_LOADER_PASSWORD_FILE" --progress none 2>"$out/wh-$rep.err" ||
      { cat "$out/wh-$rep.err" >&2; die "bda-etl with the warehouse load failed (rep $rep)"; }
    # the loader's closing line: "... in W s (transcode ..., LOAD DATA L s, ...)"
    sed -n 's/.* in \([0-9.]*\) s (transcode.*LOAD DATA \([0-9.]*\) s.*/\1 \2/p' "$out/wh-$rep.err" >>"$out/wh.times"
    "${m[@]}" -e "TRUNCATE floor_cb"
    t0=$EPOCHREALTIME
    "${m[@]}" -e "LOAD DATA LOCAL INFILE '$csv' INTO TABLE floor_cb CHARACTER SET binary
      FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '' LINES TERMINATED BY '\\n' IGNORE 1 LINES
      (Contract, ChildDuration, MovieDuration, SportDuration, TVDuration, RelaxDuration, @mw, Taste, DateCount,
       Activeness) SET period_start = '$FIRST_DAY', period_end = '$LAST_DAY', MostWatch = NULLIF(@mw, ''), run_id = 0"
    t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' >>"$out/floor.walls"
  done
  cut -d' ' -f1 "$out/wh.times" >"$out/wh.whole"
  cut -d' ' -f2 "$out/wh.times" >"$out/wh.load"
  local whole load floor
  whole=$(median "$out/wh.whole") load=$(median "$out/wh.load") floor=$(median "$out/floor.walls")
  echo "warehouse load of the $rows rows of the first case into a private MariaDB:"
  echo
  row "load" "median s" "rows/s" "÷ floor time"
  row "---" "---:" "---:" "---:"
  row "floor: mariadb client LOAD DATA LOCAL INFILE" "$(calc %.3f t t="$floor")" \
    "$(calc %.0f 'r / t' r="$rows" t="$floor")" "1.00"
  row "bda-etl loader: its LOAD DATA" "$(calc %.3f t t="$load")" "$(calc %.0f 'r / t' r="$rows" t="$load")" \
    "$(calc %.2f 't / f' t="$load" f="$floor")"
  row "bda-etl loader: whole load" "$(calc %.3f t t="$whole")" "$(calc %.0f 'r / t' r="$rows" t="$whole")" \
    "$(calc %.2f 't / f' t="$whole" f="$floor")"
  echo
  echo "(whole load: transcode + delete of the old period + LOAD DATA + per-day rows + run log + COMMIT +"
  echo " data mart refresh; goals: its LOAD DATA within 1/0.8 of the floor, the whole load under 2×)"
}
