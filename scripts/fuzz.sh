#!/usr/bin/env bash
# Builds the record parser's differential fuzzer with clang++ and runs it for SECONDS.
#
#   scripts/fuzz.sh SECONDS [libFuzzer options...]
#
# Configures ${BDA_FUZZ_BUILD_DIR:-build-fuzz} (relative to the repository root unless absolute)
# with -DBDA_BUILD_FUZZERS=ON (a new tree with clang++; an existing one keeps its settings), builds record_parser_fuzzer, and runs it on a copy of
# tests/fuzz/corpus/record_parser in a temporary directory (the committed seeds are never
# written to), with tests/fuzz/record_parser.dict. Exits non-zero on a finding and prints where
# the crashing input was kept (under fuzz-findings/ in the build directory) and how to replay it.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

usage() { sed -n '2,10s/^# \{0,1\}//p' "$0"; }
die() { echo "fuzz.sh: error: $*" >&2; exit 2; }

(($# >= 1)) || { usage >&2; die "SECONDS is required"; }
case $1 in -h | --help) usage; exit 0 ;; esac
seconds=$1
shift
[[ $seconds =~ ^[1-9][0-9]*$ ]] || die "SECONDS must be a positive integer, got '$seconds'"

readonly MAX_LEN=65536 # the fuzzer skips longer inputs; real lines are a few hundred bytes
build_dir=${BDA_FUZZ_BUILD_DIR:-build-fuzz}
[[ $build_dir = /* ]] || build_dir="$BDA_ROOT/$build_dir"
seeds="$BDA_ROOT/tests/fuzz/corpus/record_parser"
dict="$BDA_ROOT/tests/fuzz/record_parser.dict"

command -v clang++ >/dev/null || bda_install_packages clang
bda_install_packages libclang-rt-14-dev

bda_log "building record_parser_fuzzer into $build_dir"
if [ -f "$build_dir/CMakeCache.txt" ]; then # an existing tree (e.g. CI's sanitizer build) keeps its settings
  cmake -S "$BDA_ROOT" -B "$build_dir" -DBDA_BUILD_FUZZERS=ON >/dev/null
else
  cmake -S "$BDA_ROOT" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DBDA_BUILD_FUZZERS=ON >/dev/null
fi
cmake --build "$build_dir" --target record_parser_fuzzer -j "$(nproc)"
fuzzer="$build_dir/fuzz/record_parser_fuzzer"
[ -x "$fuzzer" ] || die "$fuzzer was not built (is the compiler Clang?)"

work=$(mktemp -d "${TMPDIR:-/tmp}/bda-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/artifacts"
cp "$seeds"/* "$work/corpus/"

bda_log "fuzzing for ${seconds}s (corpus copy in $work)"
status=0
# From the temporary directory, so that files libFuzzer writes to its working directory (-jobs logs) go there.
(cd "$work" && "$fuzzer" "$work/corpus" -max_total_time="$seconds" -max_len="$MAX_LEN" -dict="$dict" \
  -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$@") || status=$?

shopt -s nullglob
artifacts=("$work/artifacts"/*)
if ((status != 0 || ${#artifacts[@]} > 0)); then
  findings="$build_dir/fuzz-findings"
  mkdir -p "$findings"
  for a in "${artifacts[@]}"; do cp "$a" "$findings/"; done
  echo "fuzz.sh: the fuzzer found a problem (exit $status)." >&2
  for a in "${artifacts[@]}"; do
    echo "  crashing input: $findings/$(basename "$a")   replay: $fuzzer $findings/$(basename "$a")" >&2
  done
  exit 1
fi
bda_log "no finding in ${seconds}s"
