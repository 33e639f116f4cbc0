#!/usr/bin/env bash
# e2e: the same generated lake stored as .json and as .json.gz gives identical CSVs (and the same
# line accounting) at 1 and 2 ranks. One gzip day is multi-member (concatenated gzip streams, as
# pigz/bgzip or `cat a.gz b.gz` make): gunzip reads it whole, so must bda-etl.
#   bash tests/e2e/gzip_input_test.sh <bin dir> <source dir>
set -euo pipefail

bin_dir=${1:?usage: gzip_input_test.sh <bin dir> <source dir>}
etl="$bin_dir/bda-etl"
gen="$bin_dir/bda-gen"
readonly FROM=2022-04-01 TO=2022-04-05 LINES_PER_DAY=20000 DIRTY_SHARE=0.05 SEED=7
readonly MULTI_MEMBER_DAY=20220403
readonly MPI_TIMEOUT=60

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failures=0
fail() { echo "FAIL: $*" >&2; exit 1; }
check_eq() { # check_eq WHAT ACTUAL EXPECTED
  if [[ "$2" != "$3" ]]; then
    echo "FAIL: $1: got '$2', expected '$3'" >&2
    failures=$((failures + 1))
  fi
}
[[ -x "$etl" ]] || fail "no bda-etl at $etl"
[[ -x "$gen" ]] || fail "no bda-gen at $gen"
command -v jq >/dev/null || fail "jq is needed to read the JSON summaries (apt-get install jq)"

# --- one lake, two encodings: plain from bda-gen, gzip made here from the very same bytes
"$gen" --out "$work/plain" --from "$FROM" --to "$TO" --lines-per-day "$LINES_PER_DAY" \
  --dirty-share "$DIRTY_SHARE" --seed "$SEED" --quiet --manifest "$work/manifest.json" || fail "bda-gen failed"
mkdir "$work/gz"
for f in "$work"/plain/*.json; do
  day=$(basename "$f" .json)
  if [[ $day == "$MULTI_MEMBER_DAY" ]]; then
    half=$(( $(wc -l <"$f") / 2 ))
    { head -n "$half" "$f" | gzip -1; tail -n +"$((half + 1))" "$f" | gzip -1; } >"$work/gz/$day.json.gz"
  else
    gzip -6 -c "$f" >"$work/gz/$day.json.gz"
  fi
  gzip -dc "$work/gz/$day.json.gz" | cmp -s - "$f" || fail "test setup: $day.json.gz does not inflate to $day.json"
done
[[ $(ls "$work/gz" | wc -l) -eq 5 ]] || fail "test setup: expected 5 day files, got $(ls "$work/gz")"

run_etl() { # run_etl NP LAKE NAME
  local np=$1 lake=$2 name=$3 rc=0
  timeout -k 10 "$MPI_TIMEOUT" mpirun -np "$np" --oversubscribe "$etl" --lake "$work/$lake" --from "$FROM" --to "$TO" \
    --out "$work/$name.csv" --summary "$work/$name.json" --quarantine "$work/$name.tsv" --quiet \
    2>"$work/$name.err" || rc=$?
  [[ $rc -ne 124 ]] || fail "$name: bda-etl at $np ranks did not finish within ${MPI_TIMEOUT}s"
  [[ $rc -eq 0 ]] || { cat "$work/$name.err" >&2; fail "$name: bda-etl at $np ranks on $lake exited with $rc"; }
  [[ -s "$work/$name.csv" ]] || fail "$name: no CSV written"
}

for np in 1 2; do
  run_etl "$np" plain "plain-np$np"
  run_etl "$np" gz "gz-np$np"
done

for name in gz-np1 plain-np2 gz-np2; do
  if ! cmp -s "$work/plain-np1.csv" "$work/$name.csv"; then
    echo "FAIL: $name.csv differs from plain-np1.csv; first differing lines:" >&2
    diff "$work/plain-np1.csv" "$work/$name.csv" | head -n 10 >&2 || true
    failures=$((failures + 1))
  fi
  # The quarantine names the file, so compare it with .json.gz renamed to .json.
  if ! cmp -s "$work/plain-np1.tsv" <(sed "s#^$work/gz/\([0-9]*\)\.json\.gz\t#$work/plain/\1.json\t#" "$work/$name.tsv"); then
    echo "FAIL: $name.tsv lists other rejected lines (or line numbers) than plain-np1.tsv; first differences:" >&2
    diff "$work/plain-np1.tsv" <(sed "s#^$work/gz/\([0-9]*\)\.json\.gz\t#$work/plain/\1.json\t#" "$work/$name.tsv") |
      head -n 10 >&2 || true
    failures=$((failures + 1))
  fi
done

m() { jq -r "$1" "$work/manifest.json"; }
for name in plain-np1 gz-np1 plain-np2 gz-np2; do
  s() { jq -r "$1" "$work/$name.json"; }
  check_eq "$name status" "$(s .status)" ok
  check_eq "$name lines.read" "$(s .lines.read)" "$(m .lines)"
  check_eq "$name lines.blank" "$(s .lines.blank)" "$(m .blank_lines)"
  check_eq "$name lines.records" "$(s .lines.records)" "$(m .records)"
  check_eq "$name lines.rejected" "$(s .lines.rejected)" "$(m '[.rejects[]] | add // 0')"
  check_eq "$name contracts" "$(s .contracts)" "$(m .contracts)"
  check_eq "$name sum of per_rank bytes" "$(s '[.per_rank[].bytes] | add')" "$(s .input.bytes)"
done
for name in gz-np1 gz-np2; do
  check_eq "$name: day files read as gzip" "$(jq -r '[.input.day_files[] | select(.gzip)] | length' "$work/$name.json")" 5
  check_eq "$name input.bytes (compressed size)" "$(jq -r .input.bytes "$work/$name.json")" \
    "$(cat "$work"/gz/*.json.gz | wc -c)"
done
# At 2 ranks the five whole gzip files are shared out, not all read by one rank.
check_eq "gz-np2: ranks that read some bytes" "$(jq -r '[.per_rank[] | select(.bytes > 0)] | length' "$work/gz-np2.json")" 2

if ((failures > 0)); then
  echo "FAIL: $failures check(s) failed" >&2
  exit 1
fi
echo "PASS: .json and .json.gz (one multi-member) give identical CSVs and quarantines at 1 and 2 ranks" \
  "($(m .lines) lines, $(m .contracts) contracts)"
