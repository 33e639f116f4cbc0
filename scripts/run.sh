#!/usr/bin/env bash
# The main job end to end on built-in sample data: installs what is missing, builds, generates a
# sample April lake and runs bda-etl on 2 ranks.
#   scripts/run.sh
# Environment: BDA_SAMPLE_LINES_PER_DAY (default 100000), BDA_RANKS (default 2), BDA_BUILD_DIR.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

lines_per_day="${BDA_SAMPLE_LINES_PER_DAY:-100000}"
ranks="${BDA_RANKS:-2}"
sample="$BDA_BUILD_DIR/sample"
lake="$sample/lake-2022-04"
out="$sample/out"

bda_install_dependencies
bda_build
bda_mpi_env

if [ ! -f "$lake/.complete-$lines_per_day" ]; then
  bda_log "generating a sample April ($lines_per_day lines a day) in $lake"
  rm -rf "$lake"
  "$BDA_BUILD_DIR/bin/bda-gen" --out "$lake" --month 2022-04 --lines-per-day "$lines_per_day" \
    --manifest "$sample/lake-2022-04.manifest.json"
  touch "$lake/.complete-$lines_per_day"
fi

bda_log "running bda-etl on $ranks ranks"
mkdir -p "$out"
oversubscribe=()
[ "$ranks" -gt "$(nproc)" ] && oversubscribe=(--oversubscribe)
mpirun -np "$ranks" "${oversubscribe[@]}" "$BDA_BUILD_DIR/bin/bda-etl" \
  --lake "$lake" --month 2022-04 \
  --out "$out/customer_behavior_2022-04.csv" \
  --summary "$out/summary_2022-04.json" \
  --quarantine "$out/rejects_2022-04.tsv"

echo
echo "OLAP CSV:   $out/customer_behavior_2022-04.csv ($(($(wc -l < "$out/customer_behavior_2022-04.csv") - 1)) contracts)"
echo "Summary:    $out/summary_2022-04.json"
echo "Quarantine: $out/rejects_2022-04.tsv"
echo
head -n 6 "$out/customer_behavior_2022-04.csv" | column -s, -t
