#!/usr/bin/env bash
# The hand-made golden lake (tests/data/golden, see its README.md) through the real bda-etl at
# 1, 2 and 3 ranks: the CSV must match expected.csv byte for byte, the summary must hold the
# expected line accounting and the quarantine every rejected line with its file, line and reason.
#
# Usage: bash golden_lake_test.sh <bin dir> <source dir>
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 <bin dir> <source dir>" >&2
  exit 2
fi
BIN=$1
SRC=$2
GOLDEN=$SRC/tests/data/golden
ETL=$BIN/bda-etl
MPIRUN=${MPIEXEC:-mpirun}

fail() {
  echo "golden_lake_test: FAIL: $*" >&2
  exit 1
}

[[ -x $ETL ]] || fail "$ETL is not an executable"
[[ -f $GOLDEN/expected.csv ]] || fail "$GOLDEN/expected.csv is missing"

T=$(mktemp -d "${TMPDIR:-/tmp}/bda-golden-lake.XXXXXX")
trap 'rm -rf "$T"' EXIT

# run_etl <label> [launcher...]: runs the job into $T/<label>/.
run_etl() {
  local label=$1
  shift
  mkdir -p "$T/$label"
  # The golden lake is a third rejects by design: no reject limit.
  if ! "$@" "$ETL" --lake "$GOLDEN" --from 2022-04-01 --to 2022-04-04 --allow-missing-days --max-rejects none \
      --out "$T/$label/out.csv" --summary "$T/$label/summary.json" --quarantine "$T/$label/q.tsv" --quiet \
      2> "$T/$label/stderr"; then
    cat "$T/$label/stderr" >&2
    fail "$label: bda-etl exited with an error"
  fi
}

# check_run <label>: the CSV, the summary and the quarantine of one run.
check_run() {
  local label=$1 dir=$T/$1
  if ! cmp "$dir/out.csv" "$GOLDEN/expected.csv"; then
    diff -u "$GOLDEN/expected.csv" "$dir/out.csv" >&2 || true
    fail "$label: out.csv differs from tests/data/golden/expected.csv"
  fi

  python3 - "$label" "$dir/summary.json" "$dir/q.tsv" "$GOLDEN" <<'PY' || fail "$label: summary or quarantine is wrong"
import gzip, json, os, sys

label, summary_path, quarantine_path, golden = sys.argv[1:5]
errors = []

def expect(what, got, want):
    if got != want:
        errors.append(f"{what}: got {got!r}, expected {want!r}")

s = json.load(open(summary_path))
expect("status", s.get("status"), "ok")
expect("period.days", s["period"]["days"], 4)
expect("period.missing_days", s["period"]["missing_days"], ["2022-04-04"])
expect("input.files", s["input"]["files"], 3)
lines = s["lines"]
expect("lines.read", lines["read"], 49)
expect("lines.blank", lines["blank"], 5)
expect("lines.records", lines["records"], 28)
expect("lines.rejected", lines["rejected"], 16)
expect("lines.rejects", lines["rejects"], {
    "malformed_json": 4, "not_object": 2, "missing_field": 3, "bad_contract": 2,
    "unknown_app": 2, "bad_duration": 3, "line_too_long": 0})
expect("contracts", s["contracts"], 13)

# The quarantine: the header, then exactly the expected (file, line, reason) rows in input order,
# each with the raw text of that line of that file.
def file_lines(name):
    path = os.path.join(golden, name)
    data = gzip.open(path).read() if name.endswith(".gz") else open(path, "rb").read()
    return data.split(b"\n")

raw = open(quarantine_path, "rb").read()
rows = raw.split(b"\n")
expect("quarantine header", rows[0], b"file\tline\treason\ttext")
expect("quarantine ends with a newline", raw.endswith(b"\n"), True)
got = []
for row in rows[1:-1]:
    parts = row.split(b"\t", 3)
    if len(parts) != 4:
        errors.append(f"quarantine row is not 4 tab-separated fields: {row!r}")
        continue
    name = os.path.basename(parts[0].decode())
    line_no = int(parts[1])
    got.append((name, line_no, parts[2].decode()))
    source_lines = file_lines(name)
    want_text = source_lines[line_no - 1] if 0 < line_no <= len(source_lines) else None
    # Compare without a CR of a CRLF line end: the SPEC leaves its place in the TSV open.
    if want_text is None or parts[3].rstrip(b"\r") != want_text.rstrip(b"\r"):
        errors.append(f"quarantine text of {name}:{line_no} is {parts[3]!r}, the file holds {want_text!r}")

want = []
with open(os.path.join(golden, "expected_rejects.tsv")) as f:
    next(f)
    for row in f:
        name, line_no, reason = row.rstrip("\n").split("\t")
        want.append((name, int(line_no), reason))
if got != want:
    errors.append("quarantine rows differ:\n  got      " + repr(got) + "\n  expected " + repr(want))

for e in errors:
    print(f"golden_lake_test: {label}: {e}", file=sys.stderr)
sys.exit(1 if errors else 0)
PY

  grep -q "2022-04-04" "$dir/stderr" || fail "$label: no warning about the missing day 2022-04-04 on stderr"
}

run_etl np1
check_run np1

for n in 2 3; do
  run_etl "np$n" "$MPIRUN" -np "$n" --oversubscribe
  check_run "np$n"
  cmp "$T/np1/out.csv" "$T/np$n/out.csv" || fail "np$n: out.csv differs from the 1-rank run"
  cmp "$T/np1/q.tsv" "$T/np$n/q.tsv" || fail "np$n: q.tsv differs from the 1-rank run"
done

echo "golden_lake_test: OK (1, 2 and 3 ranks)"
