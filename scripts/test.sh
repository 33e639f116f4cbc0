#!/usr/bin/env bash
# Installs what is missing (apt-get, as root), builds, and runs the whole test suite with ctest. Then
# builds the unit and MPI tests a second time with Clang, AddressSanitizer and UBSan, runs them, and
# runs the record-parser fuzzer for 60 s (scripts/fuzz.sh, when it exists). A failure of either part
# fails the script; the main suite's ctest summary is repeated at the end.
#   scripts/test.sh                        # everything
#   scripts/test.sh -R e2e                 # extra arguments go to the main suite's ctest
#   BDA_SKIP_SANITIZE=1 scripts/test.sh    # no sanitizer build (a local shortcut; ignored when CI=true)
# Build directories: $BDA_BUILD_DIR (default build/), $BDA_SANITIZE_BUILD_DIR (default build-asan/).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

readonly FUZZ_SECONDS=60
timings=()
step_rc=0
# timed NAME COMMAND...: runs COMMAND in a subshell with errexit on, records its wall time, and sets
# step_rc to its status. Never call it after `||`, `&&` or `if`: bash ignores errexit inside those.
timed() {
  local name=$1 start=$SECONDS
  shift
  set +e
  (set -e; "$@")
  step_rc=$?
  set -e
  timings+=("$(printf '  %-30s %5d s' "$name" $((SECONDS - start)))$([ $step_rc -eq 0 ] || echo "  FAILED (exit $step_rc)")")
}
# ctest_logged DIR LOG ARGS...: ctest on the build in DIR, its output also kept in LOG.
ctest_logged() {
  local dir=$1 log=$2
  shift 2
  ctest --test-dir "$dir" "$@" 2>&1 | tee "$log"
}

timed "dependencies" bda_install_dependencies
[ $step_rc -eq 0 ] || exit $step_rc
timed "build (Release)" bda_build -DBDA_FAULT_INJECTION=ON # the fault tests inject failures
[ $step_rc -eq 0 ] || exit $step_rc
timed "DuckDB peer (npm)" bda_install_duckdb_peer
[ $step_rc -eq 0 ] ||
  bda_log "could not install @duckdb/node-api: e2e.duckdb_crosscheck fails under CI=true, is skipped elsewhere"
export BDA_DUCKDB_NODE_API=$BDA_DUCKDB_NODE_API_FILE
bda_mpi_env

bda_log "running the tests"
main_log=$BDA_BUILD_DIR/ctest-main.log
timed "main suite (ctest)" ctest_logged "$BDA_BUILD_DIR" "$main_log" --output-on-failure --timeout 600 "$@"
main_rc=$step_rc

sanitize=run
if [ "${BDA_SKIP_SANITIZE:-}" = 1 ]; then
  if [ "${CI:-}" = true ]; then
    bda_log "CI=true: BDA_SKIP_SANITIZE=1 is ignored, the sanitizer build runs"
  else
    sanitize=skipped
  fi
fi
sanitize_rc=0
sanitize_log=$BDA_SANITIZE_BUILD_DIR/ctest-sanitize.log
if [ $sanitize = run ]; then
  rm -f "$sanitize_log"
  timed "sanitizer build (clang++)" bda_build_sanitized
  sanitize_rc=$step_rc
fi
if [ $sanitize = run ] && [ $sanitize_rc -eq 0 ]; then
  bda_log "running the unit and MPI tests under ASan+UBSan"
  export UBSAN_OPTIONS=print_stacktrace=1 # a UBSan report aborts (-fno-sanitize-recover); say where
  timed "sanitizer tests (ctest -L)" ctest_logged "$BDA_SANITIZE_BUILD_DIR" "$sanitize_log" --output-on-failure \
    --timeout 600 --no-tests=error -L 'unit|mpi'
  sanitize_rc=$step_rc
  if [ -f "$BDA_ROOT/scripts/fuzz.sh" ]; then
    bda_log "fuzzing for ${FUZZ_SECONDS}s"
    timed "fuzzing (scripts/fuzz.sh)" env BDA_FUZZ_BUILD_DIR="$BDA_SANITIZE_BUILD_DIR" \
      bash "$BDA_ROOT/scripts/fuzz.sh" "$FUZZ_SECONDS"
    [ $sanitize_rc -ne 0 ] || sanitize_rc=$step_rc
  fi
fi

bda_log "times"
printf '%s\n' "${timings[@]}" >&2
if [ $sanitize = skipped ]; then
  bda_log "sanitizer suite: skipped (BDA_SKIP_SANITIZE=1)"
elif [ $sanitize_rc -ne 0 ]; then
  bda_log "sanitizer suite FAILED (exit $sanitize_rc): its build, a test or the fuzzer, see above"
else
  bda_log "sanitizer suite (ASan+UBSan): $(grep '% tests passed, ' "$sanitize_log")"
fi
bda_log "main suite"
sed -n '/% tests passed, /,$p' "$main_log" # ctest's closing lines, once more
[ $main_rc -eq 0 ] && [ $sanitize_rc -eq 0 ]
