#!/usr/bin/env bash
# e2e: one dirty lake (plain and gzip days) gives byte-identical CSV and quarantine files at 1, 2, 3
# and 4 ranks, and every run summary accounts for exactly what bda-gen's manifest says it wrote.
#   bash tests/e2e/rank_invariance_test.sh <bin dir> <source dir>
set -euo pipefail

bin_dir=${1:?usage: rank_invariance_test.sh <bin dir> <source dir>}
etl="$bin_dir/bda-etl"
gen="$bin_dir/bda-gen"
readonly FROM=2022-04-01 TO=2022-04-05 LINES_PER_DAY=20000 DIRTY_SHARE=0.05 SEED=20220401
readonly GZIP_DAYS=(20220402 20220405) # one in the middle, and the last day (a high rank's share)
readonly RANK_COUNTS=(1 2 3 4)
readonly MPI_TIMEOUT=60

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failures=0
fail() { echo "FAIL: $*" >&2; exit 1; }
check_eq() { # check_eq WHAT ACTUAL EXPECTED: records a failure, keeps going so every mismatch is shown
  if [[ "$2" != "$3" ]]; then
    echo "FAIL: $1: got '$2', expected '$3'" >&2
    failures=$((failures + 1))
  fi
}
[[ -x "$etl" ]] || fail "no bda-etl at $etl"
[[ -x "$gen" ]] || fail "no bda-gen at $gen"
command -v jq >/dev/null || fail "jq is needed to read the JSON summaries (apt-get install jq)"
command -v python3 >/dev/null || fail "python3 is needed to parse the CSV"

# --- the lake: plain days, with a few days swapped for the same content gzip-compressed
gen_args=(--from "$FROM" --to "$TO" --lines-per-day "$LINES_PER_DAY" --dirty-share "$DIRTY_SHARE"
          --seed "$SEED" --quiet)
"$gen" --out "$work/lake" "${gen_args[@]}" --manifest "$work/manifest.json" || fail "bda-gen (plain) failed"
"$gen" --out "$work/lake-gz" "${gen_args[@]}" --gzip --manifest "$work/manifest-gz.json" ||
  fail "bda-gen --gzip failed"
for day in "${GZIP_DAYS[@]}"; do
  [[ -f "$work/lake-gz/$day.json.gz" ]] || fail "bda-gen --gzip wrote no $day.json.gz"
  # Same seed, same lines: only then does the plain run's manifest describe the mixed lake.
  gzip -dc "$work/lake-gz/$day.json.gz" | cmp -s - "$work/lake/$day.json" ||
    fail "bda-gen --gzip wrote other lines for $day than bda-gen without --gzip (same --seed)"
  rm "$work/lake/$day.json"
  mv "$work/lake-gz/$day.json.gz" "$work/lake/"
done

# --- run at each rank count
for np in "${RANK_COUNTS[@]}"; do
  rc=0
  timeout -k 10 "$MPI_TIMEOUT" mpirun -np "$np" --oversubscribe "$etl" --lake "$work/lake" --from "$FROM" --to "$TO" \
    --out "$work/np$np.csv" --quarantine "$work/np$np.tsv" --summary "$work/np$np.json" --quiet \
    2>"$work/np$np.err" || rc=$?
  [[ $rc -ne 124 ]] || fail "bda-etl at $np ranks did not finish within ${MPI_TIMEOUT}s"
  [[ $rc -eq 0 ]] || { cat "$work/np$np.err" >&2; fail "bda-etl at $np ranks exited with $rc"; }
  for f in csv tsv json; do [[ -s "$work/np$np.$f" ]] || fail "bda-etl at $np ranks wrote no np$np.$f"; done
done

# --- outputs are byte-identical to the 1-rank run
for np in "${RANK_COUNTS[@]:1}"; do
  for f in csv tsv; do
    if ! cmp -s "$work/np1.$f" "$work/np$np.$f"; then
      echo "FAIL: the $f at $np ranks differs from the one at 1 rank; first differing lines:" >&2
      diff "$work/np1.$f" "$work/np$np.$f" | head -n 10 >&2 || true
      failures=$((failures + 1))
    fi
  done
done

# --- every summary accounts for the manifest
m() { jq -r "$1" "$work/manifest.json"; }
reasons=$(jq -r -s '[.[0].rejects // {}, .[1].lines.rejects // {}] | map(keys) | add | unique | .[]' \
  "$work/manifest.json" "$work/np1.json")
for np in "${RANK_COUNTS[@]}"; do
  s() { jq -r "$1" "$work/np$np.json"; }
  check_eq "np$np status" "$(s .status)" ok
  check_eq "np$np ranks" "$(s .ranks)" "$np"
  check_eq "np$np per_rank entries" "$(s '.per_rank | length')" "$np"
  check_eq "np$np period.days" "$(s .period.days)" 5
  check_eq "np$np input.files" "$(s .input.files)" 5
  check_eq "np$np lines.read (manifest lines)" "$(s .lines.read)" "$(m .lines)"
  check_eq "np$np lines.blank (manifest blank_lines)" "$(s .lines.blank)" "$(m .blank_lines)"
  check_eq "np$np lines.records (manifest records)" "$(s .lines.records)" "$(m .records)"
  check_eq "np$np contracts (manifest contracts)" "$(s .contracts)" "$(m .contracts)"
  for reason in $reasons; do
    check_eq "np$np lines.rejects.$reason" "$(s ".lines.rejects.\"$reason\" // 0")" "$(m ".rejects.\"$reason\" // 0")"
  done
  check_eq "np$np lines.rejected (sum of manifest rejects)" "$(s .lines.rejected)" "$(m '[.rejects[]] | add // 0')"
  check_eq "np$np read = blank + records + rejected" "$(s '.lines.read')" \
    "$(s '.lines.blank + .lines.records + .lines.rejected')"
  # per-rank shares add up: every byte and line read exactly once
  check_eq "np$np sum of per_rank bytes (input.bytes)" "$(s '[.per_rank[].bytes] | add')" "$(s .input.bytes)"
  check_eq "np$np input.bytes (size of the day files)" "$(s .input.bytes)" \
    "$(cat "$work"/lake/2022040?.json* | wc -c)"
  check_eq "np$np sum of per_rank lines" "$(s '[.per_rank[].lines] | add')" "$(s .lines.read)"
  check_eq "np$np sum of per_rank records" "$(s '[.per_rank[].records] | add')" "$(s .lines.records)"
  check_eq "np$np sum of per_rank rejected" "$(s '[.per_rank[].rejected] | add')" "$(s .lines.rejected)"
  check_eq "np$np sum of per_rank contracts_after_reduce" "$(s '[.per_rank[].contracts_after_reduce] | add')" \
    "$(s .contracts)"
  check_eq "np$np per_rank ranks in order" "$(s '[.per_rank[].rank] | map(tostring) | join(",")')" \
    "$(seq -s, 0 $((np - 1)))"
done
counts='{lines, blank_lines, records, rejects, contracts, total_duration}'
check_eq "the counts in the --gzip manifest (same seed)" "$(jq -cS "$counts" "$work/manifest-gz.json")" \
  "$(jq -cS "$counts" "$work/manifest.json")"

# --- the CSV itself: one row per contract; durations and DateCounts add up to the manifest's
read -r header rows total by_category histogram < <(python3 - "$work/np1.csv" <<'EOF'
import csv, json, sys
with open(sys.argv[1], newline='') as f:
    r = list(csv.reader(f))
header = r[0] == ['Contract', 'ChildDuration', 'MovieDuration', 'SportDuration', 'TVDuration', 'RelaxDuration',
                  'MostWatch', 'Taste', 'DateCount', 'Activeness']
cats = ['Child', 'Movie', 'Sport', 'TV', 'Relax']
by_cat = {c: sum(int(row[1 + i]) for row in r[1:]) for i, c in enumerate(cats)}
hist = {}
for row in r[1:]:
    hist[row[8]] = hist.get(row[8], 0) + 1
print(str(header).lower(), len(r) - 1, sum(by_cat.values()), json.dumps(by_cat, separators=(',', ':'), sort_keys=True),
      json.dumps(hist, separators=(',', ':'), sort_keys=True))
EOF
)
check_eq "CSV header" "$header" true
check_eq "CSV rows (manifest contracts)" "$rows" "$(m .contracts)"
check_eq "CSV sum of the five durations (manifest total_duration)" "$total" "$(m .total_duration)"
check_eq "CSV duration per category (manifest duration_by_category)" "$by_category" \
  "$(jq -cS .duration_by_category "$work/manifest.json")"
check_eq "CSV contracts per DateCount (manifest date_count_histogram)" "$histogram" \
  "$(jq -cS '.date_count_histogram | with_entries(select(.value > 0))' "$work/manifest.json")"

# --- the quarantine: a header, then one entry per rejected line
check_eq "quarantine header" "$(head -n 1 "$work/np1.tsv")" "$(printf 'file\tline\treason\ttext')"
check_eq "quarantine entries (lines.rejected)" "$(tail -n +2 "$work/np1.tsv" | awk -F'\t' '$2 ~ /^[0-9]+$/' | wc -l)" \
  "$(jq -r .lines.rejected "$work/np1.json")"
for reason in $reasons; do
  check_eq "quarantine entries for $reason" \
    "$(tail -n +2 "$work/np1.tsv" | awk -F'\t' -v r="$reason" '$3 == r && $2 ~ /^[0-9]+$/' | wc -l)" \
    "$(m ".rejects.\"$reason\" // 0")"
done

# each entry names the right file and line: its text is that line of the day file
bad_entries=$(python3 - "$work/np1.tsv" <<'EOF'
import gzip, sys
files, bad = {}, []
with open(sys.argv[1], 'rb') as q:
    entries = q.read().split(b'\n')[1:-1]
for e in entries:
    path, line, reason, text = e.split(b'\t', 3)
    if path not in files:
        opener = gzip.open if path.endswith(b'.gz') else open
        with opener(path.decode(), 'rb') as f:
            files[path] = f.read().split(b'\n')
    lines = files[path]
    n = int(line)
    if not (1 <= n <= len(lines)) or lines[n - 1].rstrip(b'\r') != text.rstrip(b'\r'):
        bad.append(e[:200])
print(len(bad))
for e in bad[:5]:
    print('  mismatch:', e, file=sys.stderr)
EOF
)
check_eq "quarantine entries whose text is not that line of that file" "$bad_entries" 0

if ((failures > 0)); then
  echo "FAIL: $failures check(s) failed" >&2
  exit 1
fi
echo "PASS: identical CSV and quarantine at ranks ${RANK_COUNTS[*]}; summaries match the manifest" \
  "($(m .lines) lines, $(m .records) records, $(m '[.rejects[]] | add // 0') rejected, $(m .contracts) contracts)"
