#!/usr/bin/env bash
# cluster: bda-etl with 2 ranks on 2 test hosts (network namespaces bda-h1, bda-h2 from
# cluster/netns-run.sh, talking TCP over 127.100.0.0/24): the CSV is byte-identical to a 1-rank
# run, the run summary's per_rank hosts are bda-h1 and bda-h2, the rows crossed the namespace
# bridge, a failing run's exit code comes back, and no namespace is left behind.
#   bash tests/cluster/netns_mpirun_test.sh <bin dir> <source dir>
set -euo pipefail

TEST=netns_mpirun_test
bin_dir=${1:?usage: netns_mpirun_test.sh <bin dir> <source dir>}
src=$(cd "${2:?usage: netns_mpirun_test.sh <bin dir> <source dir>}" && pwd)
bin_dir=$(cd "$bin_dir" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$src/tests/cluster/common.sh"
readonly FROM=2022-04-01 TO=2022-04-03 LINES_PER_DAY=20000
readonly HOSTS=2
readonly MPI_TIMEOUT=100 # per run; two runs stay below ctest's TIMEOUT (300), whose SIGKILL no trap survives

need_bins "$bin_dir"
[[ $(id -u) -eq 0 ]] || fail "needs root (ip netns, unshare)"
command -v ip >/dev/null || fail "ip (iproute2) is needed"
command -v unshare >/dev/null || fail "unshare (util-linux) is needed"

work=$(mktemp -d "${TMPDIR:-/tmp}/bda-netns-test.XXXXXX")
chmod 755 "$work"
netns_pid=""
cleanup() {
  # netns-run.sh removes its namespaces itself; this only stops a run still going.
  if [[ -n $netns_pid ]]; then
    kill -TERM "$netns_pid" 2>/dev/null || true
    wait "$netns_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

left_namespaces() { ip netns list 2>/dev/null | grep -oE '^bda-(h[0-9]+|hub)\b' | tr '\n' ' ' || true; }

# run_hosts NAME BDA-ETL-ARGS...: bda-etl on $HOSTS namespace hosts; sets run_rc, stderr in $work/NAME.err.
run_hosts() {
  local name=$1
  shift
  run_rc=0
  timeout -k 10 "$MPI_TIMEOUT" bash "$src/cluster/netns-run.sh" "$HOSTS" -- "$ETL" "$@" 2>"$work/$name.err" &
  netns_pid=$!
  wait "$netns_pid" || run_rc=$?
  netns_pid=""
  [[ $run_rc -ne 124 && $run_rc -ne 137 ]] ||
    { cat "$work/$name.err" >&2; fail "$name: no result within ${MPI_TIMEOUT}s"; }
  [[ -z $(left_namespaces) ]] || fail "$name: netns-run.sh left namespaces behind: $(left_namespaces)"
}

make_lake "$work/lake" "$FROM" "$TO" "$LINES_PER_DAY"
reference_csv "$work/ref.csv" --lake "$work/lake" --from "$FROM" --to "$TO"
[[ -z $(left_namespaces) ]] || note "namespaces of an earlier run exist ($(left_namespaces)); netns-run.sh removes them"

# --- the good run
run_hosts ok --lake "$work/lake" --from "$FROM" --to "$TO" --out "$work/hosts.csv" --summary "$work/hosts.json" --quiet
[[ $run_rc -eq 0 ]] || { cat "$work/ok.err" >&2; fail "bda-etl on $HOSTS namespace hosts exited with $run_rc"; }
same_csv "bda-etl on $HOSTS namespace hosts" "$work/hosts.csv" "$work/ref.csv"
summary=$work/hosts.json
[[ $(summary_field "$summary" 's["status"]') == ok ]] || fail "the summary's status is not ok"
[[ $(summary_field "$summary" 's["ranks"]') == "$HOSTS" ]] || fail "the summary names $(summary_field "$summary" 's["ranks"]') ranks, not $HOSTS"
rank_hosts=$(summary_field "$summary" '" ".join(r["host"] for r in sorted(s["per_rank"], key=lambda r: r["rank"]))')
[[ $rank_hosts == "bda-h1 bda-h2" ]] ||
  fail "per_rank hosts are '$rank_hosts', expected 'bda-h1 bda-h2' (one rank in each namespace)"
for r in 0 1; do
  bytes=$(summary_field "$summary" "s['per_rank'][$r]['bytes']")
  [[ $bytes -gt 0 ]] || fail "rank $r read no bytes"
done
received=$(summary_field "$summary" 's["rank0_bytes_received"]')
[[ $received -gt 0 ]] || fail "rank 0 received nothing from rank 1"
# What bda-h2 sent over the bridge covers what rank 0 received from it.
sent=$(sed -n 's/.*bda-h2 sent \([0-9]*\) received.*/\1/p' "$work/ok.err")
[[ -n $sent && $sent -ge $received ]] ||
  { cat "$work/ok.err" >&2; fail "bda-h2 sent ${sent:-?} bytes over the bridge, less than rank0_bytes_received $received"; }
note "ok: CSV identical, ranks on $rank_hosts, bda-h2 sent $sent bytes over the bridge (rank 0 received $received)"

# --- a failing run (a missing day) across the hosts: bda-etl's exit code 1 comes back
mkdir "$work/holey"
cp "$work/lake/20220401.json" "$work/lake/20220403.json" "$work/holey/"
run_hosts missing-day --lake "$work/holey" --from "$FROM" --to "$TO" --out "$work/holey.csv" --quiet
[[ $run_rc -eq 1 ]] || { cat "$work/missing-day.err" >&2; fail "missing-day: exit code $run_rc, expected bda-etl's 1"; }
grep -q 'no day file for 2022-04-02' "$work/missing-day.err" ||
  { cat "$work/missing-day.err" >&2; fail "missing-day: bda-etl's error did not come back"; }
[[ ! -e $work/holey.csv ]] || fail "missing-day: the failed run left a CSV"
note "missing-day: exit code 1, error reported, namespaces removed"
note "PASS in $SECONDS s"
