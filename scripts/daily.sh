#!/bin/bash
# The daily run: the month so far, from its day checkpoints plus the newest day, into the CSV, the
# per-day table and (with the warehouse options) the warehouse's month-to-date period.
#
#   scripts/daily.sh --lake DIR --checkpoints DIR --out-dir DIR [--day YYYY-MM-DD] [--wait]
#                    [-- bda-etl options, e.g. --config /etc/bda/etl.conf]
#
#   --day D          the newest day to include (default: yesterday in local time: the platform
#                    exports a day's file after the day ends); the run covers the 1st of D's month
#                    to D, so on the 1st it starts the new month and on the month's last day it is
#                    the whole month
#   --wait           if another daily run holds the lock, wait for it (default: exit 75 at once)
#   --allow-missing  a day of the month without a file is allowed (bda-etl --allow-missing-days);
#                    by default a missing day file, the new one included, fails the run
#
# Outputs in --out-dir, replaced atomically by every run of the month: YYYY-MM.csv (the OLAP CSV),
# YYYY-MM.daily.csv, YYYY-MM.rejects.tsv and YYYY-MM.summary.json (which days were parsed, which
# taken from their checkpoints, and why). Running a day again gives the same outputs and, with the
# warehouse options, the same warehouse (the month-to-date period is replaced, not added).
#
# Environment:
#   BDA_BIN_DIR  the directory holding bda-etl (default: <repo>/build/bin)
#   BDA_LAUNCH   how to start the ranks (default: "mpirun -np 2"; e.g. "mpirun --hostfile hosts -np 16",
#                or "srun" inside a Slurm allocation, see cluster/slurm/bda-daily.sbatch)
#
# Exit status: bda-etl's (0 ok, 1 the run failed, 2 bad usage), 75 when another daily run is going.
set -euo pipefail
shopt -s inherit_errexit

die() { echo "bda-daily: error: $*" >&2; exit 2; }

lake='' checkpoints='' out_dir='' day='' wait_for_lock=0 allow_missing=0
etl_args=()
while (($#)); do
  case $1 in
    --lake) lake=${2:?--lake needs a directory}; shift 2 ;;
    --checkpoints) checkpoints=${2:?--checkpoints needs a directory}; shift 2 ;;
    --out-dir) out_dir=${2:?--out-dir needs a directory}; shift 2 ;;
    --day) day=${2:?--day needs a date}; shift 2 ;;
    --wait) wait_for_lock=1; shift ;;
    --allow-missing) allow_missing=1; shift ;;
    --) shift; etl_args=("$@"); break ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see scripts/daily.sh --help)" ;;
  esac
done
[[ -n $lake ]] || die "--lake DIR is required"
[[ -n $checkpoints ]] || die "--checkpoints DIR is required"
[[ -n $out_dir ]] || die "--out-dir DIR is required"
[[ -n $day ]] || day=$(date -d yesterday +%F)
[[ $day =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] && date -d "$day" +%F >/dev/null 2>&1 ||
  die "--day '$day' is not a date YYYY-MM-DD"
month=${day:0:7}
first="$month-01"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin_dir=${BDA_BIN_DIR:-$repo/build/bin}
[[ -x $bin_dir/bda-etl ]] || die "$bin_dir/bda-etl not found: build first, or set BDA_BIN_DIR"
read -r -a launch <<<"${BDA_LAUNCH:-mpirun -np 2}"

mkdir -p "$checkpoints" "$out_dir"
# One daily run at a time: two would write the same checkpoints and load the same period. The lock
# lives with the checkpoints, so runs on different hosts sharing them exclude each other too
# (flock over NFS needs a server with lock support; a local directory always works).
lock=$checkpoints/.daily.lock
exec 9>>"$lock"
if ! flock -n 9; then
  ((wait_for_lock)) || { echo "bda-daily: another daily run holds $lock; not starting (--wait queues behind it)" >&2; exit 75; }
  echo "bda-daily: another daily run holds $lock; waiting for it" >&2
  flock 9
fi

missing=()
((allow_missing)) && missing=(--allow-missing-days)
echo "bda-daily: $first..$day (month to date) with checkpoints in $checkpoints" >&2
status=0
"${launch[@]}" "$bin_dir/bda-etl" --lake "$lake" --from "$first" --to "$day" "${missing[@]}" \
  --checkpoints "$checkpoints" --month-to-date --out "$out_dir/$month.csv" --daily "$out_dir/$month.daily.csv" \
  --quarantine "$out_dir/$month.rejects.tsv" --summary "$out_dir/$month.summary.json" \
  "${etl_args[@]}" || status=$?
exit "$status"
