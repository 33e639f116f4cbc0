#!/usr/bin/env bash
# e2e: bad lakes and bad command lines fail cleanly. For each case: the exit status, exactly one
# "bda-etl: error:" line (from rank 0, also at 2 ranks) naming the date / file / option at fault,
# no CSV (nor a leftover temporary file) at --out, and no hang (every mpirun runs under timeout).
#   bash tests/e2e/bad_input_test.sh <bin dir> <source dir>
set -euo pipefail

bin_dir=${1:?usage: bad_input_test.sh <bin dir> <source dir>}
etl="$bin_dir/bda-etl"
gen="$bin_dir/bda-gen"
readonly FROM=2022-04-01 TO=2022-04-05 LINES_PER_DAY=10000 DIRTY_SHARE=0.05 SEED=5
readonly MPI_TIMEOUT=60

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failures=0 cases=0
fail() { echo "FAIL: $*" >&2; exit 1; }
problem() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
[[ -x "$etl" ]] || fail "no bda-etl at $etl"
[[ -x "$gen" ]] || fail "no bda-gen at $gen"
command -v jq >/dev/null || fail "jq is needed to read the JSON summaries (apt-get install jq)"

# --- a dirty lake, and lake variants made from it
"$gen" --out "$work/lake" --from "$FROM" --to "$TO" --lines-per-day "$LINES_PER_DAY" --dirty-share "$DIRTY_SHARE" \
  --seed "$SEED" --quiet --manifest "$work/manifest.json" || fail "bda-gen failed"
[[ $(jq -r '[.rejects[]] | add' "$work/manifest.json") -gt 0 ]] || fail "test setup: the lake has no dirty lines"
lake_variant() { # lake_variant NAME: a fresh copy of the lake at $work/lakes/NAME
  rm -rf "$work/lakes/$1"
  mkdir -p "$work/lakes"
  cp -a "$work/lake" "$work/lakes/$1"
  echo "$work/lakes/$1"
}
gz_last_lake() { # gz_last_lake NAME: days 1-4 plain, the last day (rank 1's share at 2 ranks) as .json.gz
  local dir
  dir=$(lake_variant "$1")
  gzip "$dir/20220405.json"
  echo "$dir"
}

# run NAME NP ARGS...: bda-etl at NP ranks; sets rc; stderr in $work/NAME.err. Outputs go to
# $work/o/NAME/ (use $out), so a failed run can be checked for leftovers. One rank runs as a
# singleton (no mpirun, as the --help example does): mpirun adds ~2 s to every failing run.
run() {
  local name=$1 np=$2 launcher=()
  shift 2
  cases=$((cases + 1))
  ((np == 1)) || launcher=(mpirun -np "$np" --oversubscribe)
  rc=0
  timeout -k 10 "$MPI_TIMEOUT" "${launcher[@]}" "$etl" "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then
    problem "$name: bda-etl at $np ranks hung (killed after ${MPI_TIMEOUT}s)"
  fi
}
out_dir() { mkdir -p "$work/o/$1"; echo "$work/o/$1"; }

expect_exit() { # expect_exit NAME WANT: WANT is a number or "nonzero"
  local name=$1 want=$2
  if [[ $want == nonzero ]]; then
    [[ $rc -ne 0 ]] || problem "$name: exit status 0, expected a failure"
  else
    [[ $rc -eq $want ]] || problem "$name: exit status $rc, expected $want"
  fi
}
# expect_error NAME NEEDLE...: exactly one error line, not an MPI_Abort from a rank > 0, holding every needle
expect_error() {
  local name=$1 errors line needle
  shift
  errors=$(grep -c '^bda-etl: error' "$work/$name.err" || true)
  if [[ $errors -ne 1 ]]; then
    problem "$name: expected exactly one 'bda-etl: error' line on stderr, got $errors:"
    sed 's/^/    /' "$work/$name.err" | head -n 20 >&2
    return 0
  fi
  line=$(grep '^bda-etl: error' "$work/$name.err")
  if grep -q "MPI_ABORT was invoked" "$work/$name.err"; then
    problem "$name: the job was aborted by one rank instead of failing together: $line"
  fi
  for needle in "$@"; do
    [[ $line == *"$needle"* ]] || problem "$name: the error message does not name '$needle': $line"
  done
}
expect_warning() { # expect_warning NAME NEEDLE: succeeded, no error line, a warning naming NEEDLE
  local name=$1 needle=$2
  if grep -q '^bda-etl: error' "$work/$name.err"; then problem "$name: an error line on a successful run"; fi
  grep '^bda-etl: warning' "$work/$name.err" | grep -qF -- "$needle" ||
    { problem "$name: no warning naming '$needle' on stderr:"; sed 's/^/    /' "$work/$name.err" | head -n 10 >&2; }
}
expect_empty_dir() { # expect_empty_dir NAME DIR: no CSV, no temporary file left behind
  local name=$1 dir=$2 left
  left=$(ls -A "$dir" 2>/dev/null || true)
  [[ -z $left ]] || problem "$name: files left in the output folder after a failure: $(echo $left)"
}

sel=(--from "$FROM" --to "$TO")

for np in 1 2; do
  # --- a missing day: an error naming the date; allowed, a warning and the day still counts in Activeness
  lake=$(lake_variant missing)
  rm "$lake/20220403.json"
  name=missing-day-np$np out=$(out_dir "$name")
  run "$name" "$np" --lake "$lake" "${sel[@]}" --out "$out/olap.csv" --quiet
  expect_exit "$name" nonzero
  expect_error "$name" 2022-04-03
  expect_empty_dir "$name" "$out"

  name=allow-missing-np$np out=$(out_dir "$name")
  run "$name" "$np" --lake "$lake" "${sel[@]}" --allow-missing-days --out "$out/olap.csv" \
    --summary "$work/$name.json" --quiet
  expect_exit "$name" 0
  expect_warning "$name" 2022-04-03
  if [[ -s "$out/olap.csv" && -s "$work/$name.json" ]]; then
    s() { jq -r "$1" "$work/$name.json"; }
    [[ $(s '.period.missing_days | join(",")') == 2022-04-03 ]] ||
      problem "$name: summary missing_days is $(jq -c .period.missing_days "$work/$name.json"), expected [\"2022-04-03\"]"
    [[ $(s .period.days) == 5 && $(s .input.files) == 4 ]] ||
      problem "$name: summary has $(s .period.days) days and $(s .input.files) files, expected 5 and 4"
    # D = 5 selected days: Activeness = DateCount * 20, and nobody is active on more than 4 days
    bad=$(python3 - "$out/olap.csv" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))[1:]
bad = [r for r in rows if not (1 <= int(r[8]) <= 4 and r[9] == f"{int(r[8]) * 20}.00")]
print(len(bad) if rows else "no rows", *bad[:3])
EOF
    )
    [[ $bad == 0 ]] || problem "$name: rows whose Activeness is not DateCount/5 (or DateCount > 4): $bad"
  else
    problem "$name: no CSV or no summary written"
  fi

  # --- a day "file" that cannot be read: a directory by that name; a dangling symlink
  lake=$(lake_variant dir-day)
  rm "$lake/20220402.json"
  mkdir "$lake/20220402.json"
  name=dir-day-np$np out=$(out_dir "$name")
  run "$name" "$np" --lake "$lake" "${sel[@]}" --out "$out/olap.csv" --quiet
  expect_exit "$name" nonzero
  expect_error "$name" 20220402.json
  expect_empty_dir "$name" "$out"

  lake=$(lake_variant dangling)
  rm "$lake/20220402.json"
  ln -s "$work/no-such-file.json" "$lake/20220402.json"
  name=dangling-symlink-np$np out=$(out_dir "$name")
  run "$name" "$np" --lake "$lake" "${sel[@]}" --out "$out/olap.csv" --quiet
  expect_exit "$name" nonzero
  expect_error "$name" 2022-04-02
  expect_empty_dir "$name" "$out"

  # --- both names for one day (SPEC §1)
  lake=$(lake_variant both-names)
  gzip -c "$lake/20220401.json" >"$lake/20220401.json.gz"
  name=both-names-np$np out=$(out_dir "$name")
  run "$name" "$np" --lake "$lake" "${sel[@]}" --out "$out/olap.csv" --quiet
  expect_exit "$name" nonzero
  expect_error "$name" 20220401.json 20220401.json.gz
  expect_empty_dir "$name" "$out"

  # --- no lake at all
  name=no-lake-np$np out=$(out_dir "$name")
  run "$name" "$np" --lake "$work/no-such-lake" "${sel[@]}" --out "$out/olap.csv" --quiet
  expect_exit "$name" nonzero
  expect_error "$name" "$work/no-such-lake"
  expect_empty_dir "$name" "$out"

  # --- malformed command lines: exit 2, the message names the option (and the bad value)
  usage_case() { # usage_case NAME "NEEDLE|NEEDLE" ARGS...: ARGS get --out in the case's own folder
    local cname=$1-np$np needles=$2 o
    shift 2
    o=$(out_dir "$cname")
    run "$cname" "$np" "$@" --out "$o/olap.csv"
    expect_exit "$cname" 2
    IFS='|' read -r -a needle_list <<<"$needles"
    expect_error "$cname" "${needle_list[@]}"
    expect_empty_dir "$cname" "$o"
  }
  usage_case unknown-option '--bogus' --lake "$work/lake" "${sel[@]}" --bogus
  usage_case bad-date '--date|2022-02-30' --lake "$work/lake" --date 2022-02-30
  usage_case bad-from-date '--from|2022-02-30' --lake "$work/lake" --from 2022-02-30 --to 2022-03-01
  usage_case bad-month '--month|2022-13' --lake "$work/lake" --month 2022-13
  usage_case from-without-to '--from|--to' --lake "$work/lake" --from "$FROM"
  usage_case two-selections '--month|--date' --lake "$work/lake" --month 2022-04 --date 2022-04-01
  usage_case bad-max-rejects '--max-rejects|abc' --lake "$work/lake" "${sel[@]}" --max-rejects abc
  name=no-out-np$np
  run "$name" "$np" --lake "$work/lake" "${sel[@]}"
  expect_exit "$name" 2
  expect_error "$name" --out

  # --- outputs that cannot be written: fail before the scan, leave nothing behind
  name=out-under-file-np$np out=$(out_dir "$name")
  echo "not a folder" >"$out/plain-file"
  run "$name" "$np" --lake "$work/lake" "${sel[@]}" --out "$out/plain-file/olap.csv" --quiet
  expect_exit "$name" nonzero
  expect_error "$name" "$out/plain-file"
  [[ $(ls -A "$out") == plain-file && $(cat "$out/plain-file") == "not a folder" ]] ||
    problem "$name: the output folder changed: $(ls -A "$out")"

  name=out-is-dir-np$np out=$(out_dir "$name")
  mkdir "$out/olap.csv"
  run "$name" "$np" --lake "$work/lake" "${sel[@]}" --out "$out/olap.csv" --quiet
  expect_exit "$name" nonzero
  expect_error "$name" "$out/olap.csv"
  [[ $(ls -A "$out") == olap.csv && -d "$out/olap.csv" && -z $(ls -A "$out/olap.csv") ]] ||
    problem "$name: the output folder changed: $(ls -AR "$out")"

  name=quarantine-under-file-np$np out=$(out_dir "$name")
  echo "not a folder" >"$out/plain-file"
  run "$name" "$np" --lake "$work/lake" "${sel[@]}" --out "$out/olap.csv" \
    --quarantine "$out/plain-file/rejects.tsv" --quiet
  expect_exit "$name" nonzero
  expect_error "$name" "$out/plain-file"
  [[ $(ls -A "$out") == plain-file ]] || problem "$name: files left in the output folder: $(ls -A "$out")"

  # --- --max-rejects: no CSV, and an older CSV at --out survives untouched
  name=max-rejects-0-np$np out=$(out_dir "$name")
  run "$name" "$np" --lake "$work/lake" "${sel[@]}" --out "$out/olap.csv" --summary "$work/$name.json" \
    --max-rejects 0 --quiet
  expect_exit "$name" nonzero
  expect_error "$name" --max-rejects "$(jq -r '[.rejects[]] | add' "$work/manifest.json")"
  [[ $(ls -A "$out") == "" ]] || problem "$name: files left in the output folder: $(ls -A "$out")"
  [[ -s "$work/$name.json" && $(jq -r .status "$work/$name.json") == failed ]] ||
    problem "$name: the summary does not record the failure (status failed)"

  name=max-rejects-keeps-old-np$np out=$(out_dir "$name")
  echo "yesterday's result" >"$out/olap.csv"
  run "$name" "$np" --lake "$work/lake" "${sel[@]}" --out "$out/olap.csv" --max-rejects 1% --quiet
  expect_exit "$name" nonzero
  expect_error "$name" --max-rejects
  [[ $(ls -A "$out") == olap.csv && $(cat "$out/olap.csv") == "yesterday's result" ]] ||
    problem "$name: the existing CSV at --out was replaced or other files were left: $(ls -A "$out")"

  name=max-rejects-50pct-np$np out=$(out_dir "$name")
  run "$name" "$np" --lake "$work/lake" "${sel[@]}" --out "$out/olap.csv" --max-rejects 50% --quiet
  expect_exit "$name" 0
  [[ -s "$out/olap.csv" ]] || problem "$name: no CSV written under a limit that was not exceeded"

  # --- the default limit: an export that renamed AppName rejects every line; 10% stops it
  lake=$(lake_variant renamed-app)
  sed -i 's/"AppName"/"Application"/g' "$lake"/*.json
  name=default-limit-np$np out=$(out_dir "$name")
  run "$name" "$np" --lake "$lake" "${sel[@]}" --out "$out/olap.csv" --summary "$work/$name.json" --quiet
  expect_exit "$name" 1
  expect_error "$name" "--max-rejects 10%" "were rejected"
  expect_empty_dir "$name" "$out"
  [[ $(jq -r .max_rejects "$work/$name.json") == 10% ]] || problem "$name: the summary does not show the 10% default"
  name=limit-none-np$np out=$(out_dir "$name")
  run "$name" "$np" --lake "$lake" "${sel[@]}" --out "$out/olap.csv" --max-rejects none --quiet
  expect_exit "$name" 0
  [[ $(cat "$out/olap.csv") == Contract,* && $(wc -l <"$out/olap.csv") == 1 ]] ||
    problem "$name: --max-rejects none should write a header-only CSV"

  # --- broken gzip as the last day: at 2 ranks only rank 1 reads it
  lake=$(gz_last_lake corrupt-gz)
  size=$(stat -c %s "$lake/20220405.json.gz")
  printf '\377%.0s' $(seq 64) | dd of="$lake/20220405.json.gz" bs=1 seek=$((size / 2)) conv=notrunc status=none
  name=corrupt-gz-np$np out=$(out_dir "$name")
  run "$name" "$np" --lake "$lake" "${sel[@]}" --out "$out/olap.csv" --quiet
  expect_exit "$name" nonzero
  expect_error "$name" 20220405.json.gz
  expect_empty_dir "$name" "$out"

  lake=$(gz_last_lake truncated-gz)
  size=$(stat -c %s "$lake/20220405.json.gz")
  truncate -s $((size / 2)) "$lake/20220405.json.gz"
  name=truncated-gz-np$np out=$(out_dir "$name")
  run "$name" "$np" --lake "$lake" "${sel[@]}" --out "$out/olap.csv" --quiet
  expect_exit "$name" nonzero
  expect_error "$name" 20220405.json.gz
  expect_empty_dir "$name" "$out"
done

# The gzip cases above test a failure on rank 1 alone only if rank 0 does not read the last file:
# check on the intact lake that rank 0's share ends before it.
lake=$(gz_last_lake good-gz)
name=good-gz-np2 out=$(out_dir "$name")
run "$name" 2 --lake "$lake" "${sel[@]}" --out "$out/olap.csv" --summary "$work/$name.json" --quiet
expect_exit "$name" 0
if [[ -s "$work/$name.json" ]]; then
  before_last=$(cat "$lake"/2022040[1-4].json | wc -c)
  rank0=$(jq -r '.per_rank[0].bytes' "$work/$name.json")
  [[ $rank0 -le $before_last ]] ||
    problem "test setup: rank 0 reads $rank0 bytes, more than the $before_last before the gzip day"
else
  problem "$name: no summary written"
fi

if ((failures > 0)); then
  echo "FAIL: $failures problem(s) in $cases runs" >&2
  exit 1
fi
echo "PASS: $cases bad-input runs at 1 and 2 ranks failed (or warned) cleanly"
