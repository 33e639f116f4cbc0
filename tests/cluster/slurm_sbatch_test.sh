#!/usr/bin/env bash
# cluster: the real cluster/slurm/bda-month.sbatch (bda-months.sbatch, bda-daily.sbatch) under a private one-node
# Slurm (cluster/local-slurm.sh): `sbatch --wait -N 1 -n 2` writes the CSV byte-identical to a
# 1-rank run, with both launchers (srun --mpi=pmix when available, mpirun); a job with a missing
# day and one with a usage error end FAILED with bda-etl's exit code (1, 2) as the job's exit code.
# Installs slurmctld slurmd slurm-client munge when missing (as root).
#   bash tests/cluster/slurm_sbatch_test.sh <bin dir> <source dir>
set -euo pipefail

TEST=slurm_sbatch_test
bin_dir=${1:?usage: slurm_sbatch_test.sh <bin dir> <source dir>}
src=$(cd "${2:?usage: slurm_sbatch_test.sh <bin dir> <source dir>}" && pwd)
bin_dir=$(cd "$bin_dir" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$src/tests/cluster/common.sh"
readonly FROM=2022-04-01 TO=2022-04-03 LINES_PER_DAY=20000
readonly SLURM_START_TIMEOUT=180 # includes apt-get install on a fresh machine
readonly JOB_TIMEOUT=90          # sbatch --wait, per job
# Every wait is cut to what is left of BUDGET, below ctest's TIMEOUT (300): ctest kills with
# SIGKILL, which no trap survives, and the daemons would outlive the test.
readonly BUDGET=280
readonly TASKS=2                 # never more than the node's CPUs: such a job would pend forever

# within WANT: the timeout for the next wait, at most what is left of BUDGET.
within() {
  local left=$((BUDGET - SECONDS))
  ((left > 5)) || fail "out of time: ${SECONDS}s of the ${BUDGET}s budget used"
  echo $(($1 < left ? $1 : left))
}

need_bins "$bin_dir"
[[ $(id -u) -eq 0 ]] || fail "needs root (it starts munged, slurmctld and slurmd)"
[[ $(nproc) -ge $TASKS ]] || fail "needs $TASKS CPUs for -n $TASKS, this machine has $(nproc)"

work=$(mktemp -d "${TMPDIR:-/tmp}/bda-slurm-test.XXXXXX")
cleanup() {
  bash "$src/cluster/local-slurm.sh" stop "$work/slurm" || true
  rm -rf "$work"
}
trap cleanup EXIT

make_lake "$work/lake" "$FROM" "$TO" "$LINES_PER_DAY"
reference_csv "$work/ref.csv" --lake "$work/lake" --from "$FROM" --to "$TO"

start=$SECONDS
slurm_env=$(timeout -k 5 "$(within "$SLURM_START_TIMEOUT")" bash "$src/cluster/local-slurm.sh" start "$work/slurm") ||
  fail "cluster/local-slurm.sh start did not bring up a local Slurm (see its messages above)"
eval "$slurm_env"
[[ -f ${SLURM_CONF:-} ]] || fail "local-slurm.sh start printed no usable SLURM_CONF: $slurm_env"
note "local Slurm up in $((SECONDS - start))s"

# submit NAME DIR SCRIPT [SBATCH-OPTIONS...] -- BDA-ETL-ARGS...: runs the job to its end, sbatch
# started in DIR (the job's SLURM_SUBMIT_DIR; its working directory is $work); sets job_id, job_rc
# (sbatch --wait's exit code) and job_log. The job gets the environment without the
# OMPI_ALLOW_RUN_AS_ROOT* variables: the script must set them itself.
submit() {
  local name=$1 dir=$2 script=$3 opts=()
  shift 3
  while [[ $1 != -- ]]; do opts+=("$1"); shift; done
  shift
  local limit
  limit=$(within "$JOB_TIMEOUT")
  job_rc=0
  (cd "$dir" && exec env -u OMPI_ALLOW_RUN_AS_ROOT -u OMPI_ALLOW_RUN_AS_ROOT_CONFIRM \
    timeout -k 5 "$limit" sbatch --parsable --wait -N 1 -n "$TASKS" --chdir="$work" \
    "${opts[@]}" "$script" "$@") >"$work/$name.sbatch" 2>&1 || job_rc=$?
  job_id=$(grep -m1 -oE '^[0-9]+' "$work/$name.sbatch" || true)
  [[ -n $job_id ]] || { cat "$work/$name.sbatch" >&2; fail "$name: sbatch did not accept the job"; }
  [[ $job_rc -ne 124 && $job_rc -ne 137 ]] ||
    fail "$name: job $job_id did not end within ${limit}s ($(squeue -h -j "$job_id" -o '%T %r' 2>/dev/null))"
  job_log=$work/bda-month-$job_id.out
}

# job_field ID FIELD: JobState / ExitCode of a finished job, from sacct when this Slurm keeps
# accounting; the private cluster has none, so from scontrol (it keeps finished jobs MinJobAge).
job_field() {
  local v
  if v=$(sacct -n -X -P -j "$1" -o "$2" 2>/dev/null) && [[ -n $v ]]; then
    v=${v%%$'\n'*}
    echo "${v%% *}"
  else
    scontrol show job "$1" | grep -oE "(^| )$2=[^ ]+" | head -n 1 | sed "s/.*$2=//"
  fi
}

# expect_job NAME STATE EXIT: sbatch --wait's exit code and the job record both say so.
expect_job() {
  local name=$1 state=$2 code=$3 got_state got_code
  got_state=$(job_field "$job_id" JobState)
  got_code=$(job_field "$job_id" ExitCode)
  if [[ $job_rc -ne ${code%%:*} || $got_state != "$state" || $got_code != "$code" ]]; then
    echo "---- $job_log" >&2
    cat "$job_log" >&2 || true
    fail "$name: job $job_id: sbatch --wait returned $job_rc, JobState=$got_state ExitCode=$got_code; expected $((${code%%:*})), $state, $code"
  fi
}

# --- the monthly script, submitted from the source tree, with each launcher
for launcher in auto mpirun; do
  BDA_BIN_DIR=$bin_dir BDA_LAUNCHER=$launcher submit "ok-$launcher" "$src" cluster/slurm/bda-month.sbatch -- \
    --lake "$work/lake" --from "$FROM" --to "$TO" --out "$work/ok-$launcher.csv" --quiet
  expect_job "ok-$launcher" COMPLETED 0:0
  same_csv "ok-$launcher (job $job_id)" "$work/ok-$launcher.csv" "$work/ref.csv"
  summary=$work/bda-month-$job_id.summary.json # the script's default --summary
  [[ -s $summary ]] || fail "ok-$launcher: no default run summary at $summary"
  [[ $(summary_field "$summary" 's["status"]') == ok ]] || fail "ok-$launcher: the summary's status is not ok"
  ranks=$(summary_field "$summary" 's["ranks"]')
  [[ $ranks == "$TASKS" ]] || fail "ok-$launcher: the job ran $ranks ranks, not the allocation's $TASKS"
  used=$(sed -n 's/^bda-month: \(srun\|mpirun\) .*/\1/p' "$job_log" | head -n 1)
  [[ -n $used && ($launcher == auto || $used == "$launcher") ]] ||
    fail "ok-$launcher: the log $job_log names launcher '$used'"
  note "ok-$launcher: job $job_id COMPLETED 0:0 with $used, $ranks ranks, CSV identical"
done

# --- a missing day: bda-etl exits 1, and so must the job. Submitted from a directory below a copy
# of the repository layout, without BDA_BIN_DIR: the script finds the repo from SLURM_SUBMIT_DIR.
mkdir -p "$work/repo/cluster/slurm" "$work/repo/build" "$work/repo/jobs/april" "$work/holey"
cp "$src/cluster/slurm/bda-month.sbatch" "$work/repo/cluster/slurm/"
ln -s "$bin_dir" "$work/repo/build/bin"
cp "$work/lake/20220401.json" "$work/lake/20220403.json" "$work/holey/"
submit missing-day "$work/repo/jobs/april" ../../cluster/slurm/bda-month.sbatch -- \
  --lake "$work/holey" --from "$FROM" --to "$TO" --out "$work/missing-day.csv" --quiet
grep -q "^bda-month: .* $work/repo/build/bin/bda-etl " "$job_log" ||
  { cat "$job_log" >&2; fail "missing-day: the script did not find bda-etl through SLURM_SUBMIT_DIR ($work/repo)"; }
grep -q 'bda-etl: error: .*no day file for 2022-04-02' "$job_log" ||
  { cat "$job_log" >&2; fail "missing-day: the job log $job_log lacks bda-etl's error"; }
expect_job missing-day FAILED 1:0
[[ ! -e $work/missing-day.csv ]] || fail "missing-day: the failed run left a CSV"
summary=$work/bda-month-$job_id.summary.json
[[ $(summary_field "$summary" 's["status"]') == failed ]] || fail "missing-day: the summary's status is not failed"
note "missing-day: job $job_id FAILED 1:0"

# --- a usage error: bda-etl exits 2, so the job's exit code is 2 (not just "non-zero")
BDA_BIN_DIR=$bin_dir submit usage "$src" cluster/slurm/bda-month.sbatch -- \
  --lake "$work/lake" --month 2022-13 --out "$work/usage.csv" --quiet
grep -q 'bda-etl: error' "$job_log" || { cat "$job_log" >&2; fail "usage: the job log lacks bda-etl's error"; }
expect_job usage FAILED 2:0
note "usage: job $job_id FAILED 2:0"

# --- the daily template (scrontab's job): the month so far from checkpoints; the second run of the
# day parses nothing and writes the same CSV
for run in first again; do
  BDA_BIN_DIR=$bin_dir submit "daily-$run" "$src" cluster/slurm/bda-daily.sbatch -- \
    --lake "$work/lake" --checkpoints "$work/daily/ckpt" --out-dir "$work/daily/out" --day "$TO" -- --quiet
  job_log=$work/bda-daily-$job_id.out
  expect_job "daily-$run" COMPLETED 0:0
  same_csv "daily-$run (job $job_id)" "$work/daily/out/2022-04.csv" "$work/ref.csv"
  want_reused=0
  [[ $run == first ]] || want_reused=3
  reused=$(summary_field "$work/daily/out/2022-04.summary.json" 's["checkpoints"]["reused"]')
  [[ $reused == "$want_reused" ]] || fail "daily-$run: $reused days from checkpoints, not $want_reused"
  note "daily-$run: job $job_id COMPLETED 0:0, CSV identical, $reused days from checkpoints"
done

# --- the array variant: one month per array task, {month} in the arguments
make_lake "$work/lake2" 2022-04-01 2022-05-31 200
months=(2022-04 2022-05)
BDA_BIN_DIR=$bin_dir BDA_MONTHS="${months[*]}" submit months "$src" cluster/slurm/bda-months.sbatch \
  --array=0-$((${#months[@]} - 1)) -- --lake "$work/lake2" --out "$work/months/{month}.csv" --quiet
for i in "${!months[@]}"; do
  month=${months[i]}
  job_id=${job_id%%_*}_$i
  job_log=$work/bda-months-${job_id}.out
  expect_job "months[$i]" COMPLETED 0:0
  reference_csv "$work/ref-$month.csv" --lake "$work/lake2" --month "$month"
  same_csv "months[$i] ($month)" "$work/months/$month.csv" "$work/ref-$month.csv"
  summary=$work/bda-months-${job_id}-$month.summary.json
  [[ $(summary_field "$summary" 's["period"]["first"]') == "$month-01" ]] ||
    fail "months[$i]: the summary $summary is not for $month"
done
note "months: array job ${job_id%%_*}, one COMPLETED task per month, CSVs identical"
note "PASS in $SECONDS s"
