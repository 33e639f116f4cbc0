#!/usr/bin/env bash
# e2e: bda-etl and the DuckDB peer (../shared/peers/duckdb-etl.mjs, an independent SQL implementation
# of SPEC.md §2-4) write byte-identical CSVs for the same generated dirty lake.
#   bash tests/e2e/duckdb_crosscheck_test.sh <bin dir> <source dir>
# Finds @duckdb/node-api in $BDA_DUCKDB_NODE_API (its lib/index.js, or its package folder, or a
# folder holding node_modules/@duckdb/node-api), else in <build dir>/peers or <source dir>/build/peers;
# scripts/test.sh installs it into <build dir>/peers (bda_install_duckdb_peer). This test never
# installs anything. When node, the peer script or @duckdb/node-api is missing it FAILS under CI
# (CI=true) and exits 77 elsewhere, which ctest reports as skipped (SKIP_RETURN_CODE), never as
# passed. $BDA_DUCKDB_PEER overrides the peer script's path.
set -euo pipefail

bin_dir=${1:?usage: duckdb_crosscheck_test.sh <bin dir> <source dir>}
src_dir=${2:?usage: duckdb_crosscheck_test.sh <bin dir> <source dir>}
etl="$bin_dir/bda-etl"
gen="$bin_dir/bda-gen"
build_dir=$(cd "$bin_dir/.." && pwd)
readonly FROM=2022-04-01 TO=2022-04-05 LINES_PER_DAY=20000 DIRTY_SHARE=0.05 SEED=11
readonly MPI_TIMEOUT=60 PEER_TIMEOUT=300
readonly API_IN_MODULES=node_modules/@duckdb/node-api/lib/index.js
readonly SKIP=77 # SKIP_RETURN_CODE in tests/e2e/tests.cmake

fail() { echo "FAIL: $*" >&2; exit 1; }
# The cross-check cannot run: a failure in CI, a skip (never a pass) on a developer's machine.
unavailable() {
  if [[ "${CI:-}" == true ]]; then
    fail "$* (CI=true: the DuckDB cross-check must run; scripts/test.sh installs the peer)"
  fi
  echo "SKIP: $* (scripts/test.sh installs the peer into <build dir>/peers)"
  exit "$SKIP"
}
[[ -x "$etl" ]] || fail "no bda-etl at $etl"
[[ -x "$gen" ]] || fail "no bda-gen at $gen"

peer=${BDA_DUCKDB_PEER:-$src_dir/../shared/peers/duckdb-etl.mjs}
[[ -f "$peer" ]] || unavailable "no DuckDB peer script at $peer (set BDA_DUCKDB_PEER)"
command -v node >/dev/null || unavailable "node is not installed, cannot run the DuckDB peer"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- find @duckdb/node-api
api=
candidates=()
if [[ -n "${BDA_DUCKDB_NODE_API:-}" ]]; then
  candidates+=("$BDA_DUCKDB_NODE_API" "$BDA_DUCKDB_NODE_API/lib/index.js" "$BDA_DUCKDB_NODE_API/$API_IN_MODULES")
fi
candidates+=("$build_dir/peers/$API_IN_MODULES" "$src_dir/build/peers/$API_IN_MODULES")
for c in "${candidates[@]}"; do
  if [[ -f "$c" ]]; then
    api=$c
    break
  fi
done
[[ -n "$api" ]] || unavailable "@duckdb/node-api is not installed (looked for ${candidates[*]})"
api=$(cd "$(dirname "$api")" && pwd)/$(basename "$api")
DUCKDB_NODE_API=$api timeout 60 node --input-type=module \
  -e 'await import(process.env.DUCKDB_NODE_API)' >/dev/null 2>"$work/import.err" ||
  { cat "$work/import.err" >&2; fail "node cannot load $api (a broken install? remove its folder and rerun scripts/test.sh)"; }

# --- the same lake for both
"$gen" --out "$work/lake" --from "$FROM" --to "$TO" --lines-per-day "$LINES_PER_DAY" --dirty-share "$DIRTY_SHARE" \
  --seed "$SEED" --quiet --manifest "$work/manifest.json" || fail "bda-gen failed"

rc=0
timeout -k 10 "$MPI_TIMEOUT" mpirun -np 2 --oversubscribe "$etl" --lake "$work/lake" --from "$FROM" --to "$TO" \
  --out "$work/bda.csv" --summary "$work/bda.json" --quiet 2>"$work/bda.err" || rc=$?
[[ $rc -ne 124 ]] || fail "bda-etl did not finish within ${MPI_TIMEOUT}s"
[[ $rc -eq 0 ]] || { cat "$work/bda.err" >&2; fail "bda-etl exited with $rc"; }

rc=0
DUCKDB_NODE_API=$api timeout "$PEER_TIMEOUT" node "$peer" --lake "$work/lake" --from "$FROM" --to "$TO" \
  --out "$work/duck.csv" --threads 2 --summary 2>"$work/duck.err" || rc=$?
[[ $rc -eq 0 ]] || { cat "$work/duck.err" >&2; fail "the DuckDB peer exited with $rc"; }

# --- compare
[[ -s "$work/bda.csv" ]] || fail "bda-etl wrote no CSV"
[[ -s "$work/duck.csv" ]] || fail "the DuckDB peer wrote no CSV"
if ! cmp -s "$work/duck.csv" "$work/bda.csv"; then
  echo "FAIL: bda-etl's CSV differs from DuckDB's ($(wc -l <"$work/bda.csv") vs $(wc -l <"$work/duck.csv") lines);" \
    "first differing lines (< duckdb, > bda-etl):" >&2
  diff "$work/duck.csv" "$work/bda.csv" | head -n 20 >&2 || true
  exit 1
fi
# The peer's count of counted records (its --summary line on stderr) agrees too.
duck_counted=$(grep -o '"counted":"\?[0-9]*' "$work/duck.err" | grep -o '[0-9]*$' || true)
bda_records=$(jq -r .lines.records "$work/bda.json")
[[ "$duck_counted" == "$bda_records" ]] ||
  fail "counted records: DuckDB says '$duck_counted', bda-etl says '$bda_records'"
[[ "$bda_records" == "$(jq -r .records "$work/manifest.json")" ]] ||
  fail "bda-etl counted $bda_records records, bda-gen's manifest says $(jq -r .records "$work/manifest.json")"
echo "PASS: bda-etl (2 ranks) and DuckDB agree byte for byte: $(jq -r .contracts "$work/bda.json") contracts," \
  "$bda_records records ($api)"
