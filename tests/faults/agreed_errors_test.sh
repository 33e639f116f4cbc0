#!/usr/bin/env bash
# Real (not injected) failures that only show after the scan, or on some ranks only, end the job the
# agreed way: a contract sum past 2^63-1 found when two ranks' partials meet, a day's duration sum past
# 2^63-1, a --config file readable on one rank only. Also SPEC 2b's output-path rule: an output that
# is an input or another output is refused before anything is read, and the input is untouched.
# Args: <bin dir> <source dir>.
set -euo pipefail
TEST=agreed_errors
source "$2/tests/cluster/common.sh"
need_bins "$1"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

hit() { printf '{"_index":"history","_source":{"Contract":"%s","Mac":"0C96E6E84A15","AppName":"%s","TotalDuration":%s}}\n' "$@"; }

# run NAME RANKS ARGS...: the job; sets RC, ELAPSED; stderr in $T/NAME.err.
run() {
  local name=$1 ranks=$2 start=$SECONDS
  shift 2
  set +e
  timeout 60 mpirun -np "$ranks" --oversubscribe "$@" --quiet 2>"$T/$name.err"
  RC=$?
  set -e
  ELAPSED=$((SECONDS - start))
}
# expect NAME CODE PATTERN [OUT_DIR]: exit CODE within seconds, one error line matching PATTERN, no
# output and no temporary file in OUT_DIR.
expect() {
  local name=$1 code=$2 pattern=$3 dir=${4:-}
  ((RC == code)) || fail "$name: exit code $RC, not $code: $(cat "$T/$name.err")"
  ((ELAPSED <= 20)) || fail "$name: took ${ELAPSED}s"
  [[ $(grep -c "^bda-etl: error:" "$T/$name.err") == 1 ]] || fail "$name: not one error line: $(cat "$T/$name.err")"
  grep -Eq "^bda-etl: error: $pattern" "$T/$name.err" || fail "$name: no message like '$pattern': $(cat "$T/$name.err")"
  if [[ -n $dir ]]; then
    local left
    left=$(ls -A "$dir")
    [[ -z $left ]] || fail "$name: left in $dir: $left"
  fi
  note "$name: $(grep "^bda-etl: error:" "$T/$name.err")"
}

# 1. A contract's Sport sum: 5e18 on day 1 (rank 0's file) + 5e18 on day 2 (rank 1's) passes 2^63-1;
#    each rank alone is fine, so the failure shows only in the reduce.
mkdir -p "$T/sum" "$T/sum.out"
{ hit BIG SPORT 5000000000000000000; hit SMALL KPLUS 10; } >"$T/sum/20220401.json"
{ hit BIG SPORT 5000000000000000000; hit SMALL KPLUS 10; } >"$T/sum/20220402.json"
run contract_sum 2 "$ETL" --lake "$T/sum" --from 2022-04-01 --to 2022-04-02 --out "$T/sum.out/o.csv" \
  --summary "$T/sum.json" --daily "$T/sum.out/d.csv"
expect contract_sum 1 "rank [01] on .*: the Sport duration of contract 'BIG' exceeds the 64-bit range" "$T/sum.out"
[[ $(summary_field "$T/sum.json" 's["status"]') == failed ]] || fail "contract_sum: the summary does not say failed"

# 2. One day's Sport total passes 2^63-1 over two contracts, whose lines two ranks read (one file
#    split by bytes): only the per-day sum on rank 0 sees it.
mkdir -p "$T/day" "$T/day.out"
{ hit A SPORT 5000000000000000000; for i in $(seq 200); do hit "C$i" KPLUS 1; done; hit B SPORT 5000000000000000000; } \
  >"$T/day/20220401.json"
run day_sum 2 "$ETL" --lake "$T/day" --date 2022-04-01 --out "$T/day.out/o.csv" --daily "$T/day.out/d.csv"
expect day_sum 1 "rank 0 on .*2022-04-01.*Sport|rank 0 on .*Sport.*2022-04-01" "$T/day.out"

# 3. A --config that rank 1 cannot read: the job fails on every rank, and the message is printed.
make_lake "$T/lake" 2022-04-01 2022-04-02 2000
mkdir -p "$T/cfg.out"
printf 'lake = %s\nfrom = 2022-04-01\nto = 2022-04-02\n' "$T/lake" >"$T/good.conf"
cat >"$T/rank1-other-config.sh" <<EOS
#!/bin/bash
# rank 1 is given a config file that does not exist on its host
if [[ \$OMPI_COMM_WORLD_RANK == 1 ]]; then exec "$ETL" --config "$T/missing.conf" --out "$T/cfg.out/o.csv" --quiet; fi
exec "$ETL" "\$@"
EOS
chmod +x "$T/rank1-other-config.sh"
run config 2 "$T/rank1-other-config.sh" --config "$T/good.conf" --out "$T/cfg.out/o.csv"
expect config 2 "rank 1 on .*: cannot read --config $T/missing.conf" "$T/cfg.out"

# 4. Output paths (SPEC 2b): refused before reading, the input untouched, nothing written.
cp "$T/lake/20220401.json" "$T/day1.copy"
R=(--lake "$T/lake" --from 2022-04-01 --to 2022-04-02)
mkdir -p "$T/paths"
ln -s "$T/lake/20220402.json" "$T/paths/link.csv"
run out_is_input 2 "$ETL" "${R[@]}" --out "$T/lake/20220401.json"
expect out_is_input 2 "(rank 0 on [^:]*: )?--out $T/lake/20220401.json would be a day file of the lake"
run quarantine_is_input 1 "$ETL" "${R[@]}" --out "$T/paths/o.csv" --quarantine "$T/paths/link.csv"
expect quarantine_is_input 2 "(rank 0 on [^:]*: )?--quarantine $T/paths/link.csv is the same file as day file $T/lake/20220402.json"
run summary_is_out 1 "$ETL" "${R[@]}" --out "$T/paths/o.csv" --summary "$T/paths/o.csv"
expect summary_is_out 2 "(rank 0 on [^:]*: )?--summary $T/paths/o.csv is the same file as --out $T/paths/o.csv"
run daily_is_out 2 "$ETL" "${R[@]}" --out "$T/paths/o.csv" --daily "$T/paths/./o.csv"
expect daily_is_out 2 "(rank 0 on [^:]*: )?--daily $T/paths/./o.csv is the same file as --out $T/paths/o.csv"
cmp -s "$T/lake/20220401.json" "$T/day1.copy" || fail "an input day file changed"
[[ $(ls -A "$T/paths") == link.csv ]] || fail "refused runs wrote into $T/paths: $(ls -A "$T/paths")"
note "every failure was agreed on by all ranks and reported once"
