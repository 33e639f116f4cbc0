#!/usr/bin/env bash
# A private one-node Slurm (munged + slurmctld + slurmd) on this machine, for tests and demos.
#
#   eval "$(cluster/local-slurm.sh start DIR)"   # prints `export SLURM_CONF=DIR/etc/slurm.conf`
#   sbatch --wait -N 1 -n 2 cluster/slurm/bda-month.sbatch ...
#   cluster/local-slurm.sh stop DIR              # idempotent; safe in an EXIT trap
#   cluster/local-slurm.sh status DIR            # sinfo/squeue of the private cluster
#
# Everything lives under DIR: slurm.conf, a munge key (root-owned copy, mode 400, --key-file), the
# munge socket/pid/log/seed files, slurmctld state, slurmd spool, pid files and logs. Nothing
# system-wide is configured or started: the daemons get every path on their command line or in
# the private slurm.conf, and clients find it through SLURM_CONF. Ports are picked free.
# Missing Debian packages (slurmctld slurmd slurm-client munge) are installed when run as root.
#
# The node is NodeName=localhost (127.0.0.1) with the CPUs `slurmd -C` reports, in one default
# partition. A job asking for more tasks than that pends forever, so callers stay at -N 1 -n <=CPUs.
# Processes are tracked without cgroups (proctrack/linuxproc, task/none), so it runs in containers.
set -euo pipefail

readonly PACKAGES=(slurmctld slurmd slurm-client munge)
readonly COMMANDS=(munged slurmctld slurmd sinfo sbatch scontrol)
readonly START_TIMEOUT=60  # seconds for the node to reach "idle"
readonly STOP_TIMEOUT=15   # seconds between SIGTERM and SIGKILL
readonly NODE=localhost

log() { echo "local-slurm: $*" >&2; }
die() { echo "local-slurm: error: $*" >&2; exit 1; }
usage() { die "usage: $0 start|stop|status DIR"; }

# Installs what is missing. apt-get install starts no daemon we rely on: ours use private paths.
ensure_packages() {
  local cmd missing=0
  for cmd in "${COMMANDS[@]}"; do command -v "$cmd" >/dev/null || missing=1; done
  ((missing)) || return 0
  [[ $(id -u) -eq 0 ]] || die "Slurm/munge are missing; install ${PACKAGES[*]} (apt-get, as root)"
  log "installing ${PACKAGES[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null; } ||
    die "apt-get install ${PACKAGES[*]} failed"
  for cmd in "${COMMANDS[@]}"; do command -v "$cmd" >/dev/null || die "$cmd still missing after apt-get"; done
}

# A TCP port nobody listens on (the range avoids the usual ephemeral range 32768-60999).
port_in_use() { ss -Htln "sport = :$1" 2>/dev/null | grep -q . || (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 12000))
    [[ " $* " == *" $port "* ]] && continue
    port_in_use "$port" || { echo "$port"; return 0; }
  done
  die "found no free TCP port in 20000-31999"
}

node_cpus() {
  local cpus
  cpus=$(slurmd -C 2>/dev/null | sed -n 's/.*CPUs=\([0-9]\+\).*/\1/p' | head -n 1)
  echo "${cpus:-$(nproc)}"
}

# Pid from a pid file when that process is still the daemon named; empty otherwise.
live_pid() { # live_pid PIDFILE COMM
  local pid
  [[ -s $1 ]] || return 0
  pid=$(tr -dc '0-9' <"$1")
  [[ -n $pid && -r /proc/$pid/comm && $(</proc/"$pid"/comm) == "$2" ]] && echo "$pid"
  return 0
}

stop_daemon() { # stop_daemon PIDFILE COMM
  local pid waited
  pid=$(live_pid "$1" "$2")
  if [[ -n $pid ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((waited = 0; waited < STOP_TIMEOUT * 10; waited++)); do
      [[ -d /proc/$pid ]] || break
      sleep 0.1
    done
    if [[ -d /proc/$pid ]]; then
      log "$2 ($pid) ignored SIGTERM for ${STOP_TIMEOUT}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$1"
}

log_tails() {
  local f
  for f in "$dir"/log/*.log; do
    [[ -f $f ]] || continue
    echo "---- last lines of $f" >&2
    tail -n 20 "$f" >&2
  done
}

write_conf() { # write_conf CTLD_PORT SLURMD_PORT CPUS MPI
  cat >"$dir/etc/slurm.conf" <<EOF
# Private one-node cluster written by cluster/local-slurm.sh; nothing here is system-wide.
ClusterName=bdalocal
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$1
SlurmdPort=$2
AuthType=auth/munge
AuthInfo=socket=$dir/munge-socket/munged.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/slurmd
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$dir/etc/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=$4
ReturnToService=2
MailProg=/bin/true
# Finished jobs stay visible to scontrol for 10 minutes (there is no accounting database).
MinJobAge=600
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$3 State=UNKNOWN
PartitionName=local Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
  : >"$dir/etc/plugstack.conf"
}

start() {
  ensure_packages
  [[ -z $(live_pid "$dir/run/slurmctld.pid" slurmctld) ]] || die "a local Slurm already runs in $dir (stop it first)"
  mkdir -p "$dir"/{etc,munge,munge-socket,state,spool/slurmd,run,log}
  chmod 700 "$dir/munge"
  chmod 755 "$dir/munge-socket" # munged insists that everybody may reach its socket

  # munge: a fresh key and every path of its own, so the system's munged (if any) is untouched.
  if [[ ! -s $dir/munge/munge.key ]]; then
    (umask 077 && head -c 1024 /dev/urandom >"$dir/munge/munge.key")
  fi
  chown "$(id -u):$(id -g)" "$dir/munge/munge.key"
  chmod 400 "$dir/munge/munge.key"
  munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge-socket/munged.socket" \
    --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" \
    </dev/null >>"$dir/log/munged.log" 2>&1 || { log_tails; die "munged did not start"; }

  # MpiDefault=none: mpirun's own srun (which starts its orteds) needs no PMI; the sbatch scripts
  # ask for --mpi=pmix explicitly when they launch ranks with srun.
  local ctld_port slurmd_port mpi=none
  ctld_port=$(free_port)
  slurmd_port=$(free_port "$ctld_port")
  write_conf "$ctld_port" "$slurmd_port" "$(node_cpus)" "$mpi"
  export SLURM_CONF=$dir/etc/slurm.conf

  # Both daemons fork into the background and write their pid files; -c: a cold start (no old state).
  slurmctld -c -f "$SLURM_CONF" </dev/null >>"$dir/log/slurmctld.out" 2>&1 ||
    { log_tails; stop; die "slurmctld did not start"; }
  slurmd -f "$SLURM_CONF" -N "$NODE" </dev/null >>"$dir/log/slurmd.out" 2>&1 ||
    { log_tails; stop; die "slurmd did not start"; }

  local state="" waited
  for ((waited = 0; waited < START_TIMEOUT * 2; waited++)); do
    state=$(timeout 10 sinfo -h -n "$NODE" -o %t 2>/dev/null || true)
    [[ $state == idle ]] && break
    sleep 0.5
  done
  if [[ $state != idle ]]; then
    log "node $NODE is '${state:-unreachable}' after ${START_TIMEOUT}s, not idle"
    timeout 10 scontrol show node "$NODE" >&2 2>/dev/null || true
    log_tails
    stop
    die "the local Slurm in $dir did not come up"
  fi
  log "up: node $NODE idle, $(sinfo -h -n "$NODE" -o %c) CPUs, slurmctld port $ctld_port, MpiDefault=$mpi"
  printf 'export SLURM_CONF=%q\n' "$SLURM_CONF"
}

stop() {
  export SLURM_CONF=$dir/etc/slurm.conf
  # Running jobs first (their steps would outlive slurmd), then the daemons, then munged.
  if [[ -n $(live_pid "$dir/run/slurmctld.pid" slurmctld) ]]; then
    timeout 10 scancel --full --quiet --user="$(id -un)" >/dev/null 2>&1 || true
  fi
  stop_daemon "$dir/run/slurmd.pid" slurmd
  stop_daemon "$dir/run/slurmctld.pid" slurmctld
  stop_daemon "$dir/run/munged.pid" munged
}

status() {
  export SLURM_CONF=$dir/etc/slurm.conf
  [[ -n $(live_pid "$dir/run/slurmctld.pid" slurmctld) ]] || die "no local Slurm runs in $dir"
  sinfo
  squeue
}

[[ $# -eq 2 ]] || usage
action=$1
dir=$2
[[ $action == start ]] && mkdir -p "$dir"
[[ -d $dir ]] || { [[ $action == stop ]] && exit 0; die "no such directory: $dir"; }
dir=$(cd "$dir" && pwd)
case $action in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
