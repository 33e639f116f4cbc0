# shellcheck shell=bash
# Shared by tests/cluster/*_test.sh (sourced after `set -euo pipefail`, with TEST set to the name):
# failure reporting, the binaries, a generated lake and its 1-rank reference CSV.

fail() { echo "$TEST: FAIL: $*" >&2; exit 1; }
note() { echo "$TEST: $*" >&2; }

# need_bins BIN_DIR: sets ETL and GEN.
need_bins() {
  ETL=$1/bda-etl
  GEN=$1/bda-gen
  [[ -x $ETL ]] || fail "no executable bda-etl at $ETL (build the bda-etl target)"
  [[ -x $GEN ]] || fail "no executable bda-gen at $GEN (build the bda-gen target)"
  command -v python3 >/dev/null || fail "python3 is needed to read the run summaries"
  command -v mpirun >/dev/null || fail "mpirun is needed (apt-get install openmpi-bin)"
}

# make_lake DIR FROM TO LINES_PER_DAY: a deterministic lake with a few dirty lines.
make_lake() {
  "$GEN" --out "$1" --from "$2" --to "$3" --lines-per-day "$4" --dirty-share 0.01 --seed 20220401 --quiet ||
    fail "bda-gen --out $1 --from $2 --to $3 failed"
}

# reference_csv OUT ARGS...: a plain 1-rank bda-etl run (no mpirun), the CSV every run must match.
reference_csv() {
  local out=$1
  shift
  OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "$ETL" "$@" --out "$out" --quiet ||
    fail "the 1-rank reference run (bda-etl $* --out $out) failed"
  [[ -s $out ]] || fail "the 1-rank reference run wrote no $out"
}

# same_csv WHAT ACTUAL EXPECTED: byte-identical, or FAIL with the first differing lines.
same_csv() {
  [[ -s $2 ]] || fail "$1: no CSV at $2"
  if ! cmp -s "$2" "$3"; then
    diff "$3" "$2" | head -n 10 >&2 || true
    fail "$1: $2 differs from the 1-rank reference $3"
  fi
}

# summary_field FILE PYTHON-EXPR: evaluates EXPR with s = the parsed summary, prints the result.
summary_field() {
  python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2" ||
    fail "cannot read $2 from the summary $1"
}
