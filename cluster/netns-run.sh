#!/usr/bin/env bash
# Runs an MPI command across N test "hosts" on this machine: network namespaces bda-h1..bda-hN,
# each with its own hostname (UTS namespace), joined through a bridge in a hub namespace.
#
#   cluster/netns-run.sh N [MPIRUN-OPTION...] -- COMMAND [ARG...]
#   cluster/netns-run.sh 2 -- build/bin/bda-etl --lake lake --month 2022-04 --out april.csv --summary april.json
#   BDA_NETNS_SLOTS=2 cluster/netns-run.sh 2 --tag-output -- hostname     # 4 ranks, 2 per host
#
# Host bda-hK is network namespace bda-hK with interface bda0 = 127.100.0.K/24 (veth; its peer hK
# sits on bridge br0 in namespace bda-hub). Only loopback and 127.100.0.0/24 exist in there (no
# IPv6, no default route), so nothing can leave: route_localnet=1 lets 127/8 addresses travel
# over the veths, and lo keeps only 127.0.0.1/32 so that 127.100.0.x is not taken as local.
# A private hosts file (bind-mounted over /etc/hosts inside each host's mount namespace) maps
# bda-hK to its address.
#
# mpirun itself runs on bda-h1 and starts one rank per host (BDA_NETNS_SLOTS per host if set):
#   mpirun -np N*SLOTS --host bda-h1:SLOTS,...  --mca plm_rsh_agent <netns-rsh-agent.sh>
#          --mca btl_tcp_if_include bda0 --mca oob_tcp_if_include bda0 [MPIRUN-OPTION...] COMMAND
# The agent (cluster/netns-rsh-agent.sh) plays ssh: `ip netns exec bda-hK unshare --uts` with
# `hostname bda-hK`, so each rank's gethostname() names its host. The filesystem is shared, as on
# a cluster with a shared /home. Exits with mpirun's exit code.
#
# Needs root (ip netns, unshare), iproute2 and util-linux. The namespaces are removed on every exit
# (trap, also on failure or a signal); runs are serialized with a lock, and namespaces left by a
# killed run are removed by the next one.
set -euo pipefail

readonly HOST_PREFIX=bda-h HUB=bda-hub IFACE=bda0 BRIDGE=br0 NET=127.100.0 MAX_HOSTS=200
readonly LOCK_FILE=/run/lock/bda-netns-run.lock LOCK_TIMEOUT=600

die() { echo "netns-run: error: $*" >&2; exit 2; }
usage() { die "usage: $0 N [MPIRUN-OPTION...] -- COMMAND [ARG...]"; }

[[ $# -ge 3 && $1 =~ ^[0-9]+$ ]] || usage
hosts=$1
shift
((hosts >= 1 && hosts <= MAX_HOSTS)) || die "N must be 1..$MAX_HOSTS, not $hosts"
mpirun_opts=()
while [[ $# -gt 0 && $1 != -- ]]; do mpirun_opts+=("$1"); shift; done
[[ $# -ge 2 ]] || usage
shift
slots=${BDA_NETNS_SLOTS:-1}
[[ $slots =~ ^[1-9][0-9]*$ ]] || die "BDA_NETNS_SLOTS must be a positive number, not '$slots'"
[[ $(id -u) -eq 0 ]] || die "needs root (ip netns, unshare)"
for cmd in ip unshare flock mpirun; do command -v "$cmd" >/dev/null || die "$cmd is missing"; done

names=("$HUB")
for ((k = 1; k <= hosts; k++)); do names+=("$HOST_PREFIX$k"); done

netns_exists() { [[ -e /run/netns/$1 ]]; }

# Ends every process still inside a namespace (mpirun, orteds, ranks), then deletes it.
remove_netns() {
  local ns=$1 pids round
  netns_exists "$ns" || return 0
  for round in TERM TERM KILL; do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [[ -n $pids ]] || break
    # shellcheck disable=SC2086
    kill -"$round" $pids 2>/dev/null || true
    sleep 0.5
  done
  ip netns delete "$ns" 2>/dev/null || echo "netns-run: warning: could not delete namespace $ns" >&2
}

work=""
# shellcheck disable=SC2317 # called from the EXIT trap
teardown() {
  local ns
  for ns in "${names[@]}"; do remove_netns "$ns"; done
  [[ -n $work ]] && rm -rf "$work"
  return 0
}

# One run at a time: the namespace names are fixed.
mkdir -p "$(dirname "$LOCK_FILE")"
exec 9>"$LOCK_FILE"
flock -w "$LOCK_TIMEOUT" 9 || die "another netns-run.sh still holds $LOCK_FILE after ${LOCK_TIMEOUT}s"
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
for ns in "${names[@]}"; do
  if netns_exists "$ns"; then
    echo "netns-run: removing namespace $ns left by an earlier run" >&2
    remove_netns "$ns"
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/bda-netns.XXXXXX")
chmod 755 "$work"
{
  echo "127.0.0.1 localhost"
  for ((k = 1; k <= hosts; k++)); do echo "$NET.$k $HOST_PREFIX$k"; done
} >"$work/hosts"
chmod 644 "$work/hosts"
# A copy, so that the agent runs whatever the checkout's file modes are.
install -m 755 "$(dirname "${BASH_SOURCE[0]}")/netns-rsh-agent.sh" "$work/rsh-agent"

# ns_exec NS CMD...: runs CMD in namespace NS (a new mount namespace each time, as ip netns exec does).
ns_exec() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# No IPv6 anywhere (a veth would get an fe80:: address), loopback up with just 127.0.0.1/32.
isolate() {
  ns_exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ns_exec "$1" sysctl -qw net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.default.route_localnet=1
  ip -n "$1" link set lo up
  ip -n "$1" addr del 127.0.0.1/8 dev lo 2>/dev/null || true
  ip -n "$1" addr add 127.0.0.1/32 dev lo
}

ip netns add "$HUB"
isolate "$HUB"
ip -n "$HUB" link add "$BRIDGE" type bridge
ip -n "$HUB" link set "$BRIDGE" up
for ((k = 1; k <= hosts; k++)); do
  ns=$HOST_PREFIX$k
  ip netns add "$ns"
  isolate "$ns"
  # Both ends are created inside the namespaces: nothing appears in the caller's network.
  ip -n "$HUB" link add "h$k" type veth peer name "$IFACE" netns "$ns"
  ip -n "$HUB" link set "h$k" master "$BRIDGE" up
  ip -n "$ns" addr add "$NET.$k/24" dev "$IFACE"
  ip -n "$ns" link set "$IFACE" up
done

host_list=""
for ((k = 1; k <= hosts; k++)); do host_list+="${host_list:+,}$HOST_PREFIX$k:$slots"; done
export BDA_NETNS_HOSTS_FILE=$work/hosts
if [[ $(id -u) -eq 0 ]]; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
echo "netns-run: $hosts hosts ${HOST_PREFIX}1..$HOST_PREFIX$hosts ($NET.1-$NET.$hosts), $((hosts * slots)) ranks" >&2

# shellcheck disable=SC2016 # the single-quoted script expands its own arguments
# mpirun on bda-h1, as that host; the ranks on bda-h1 are its children, the others come via the agent.
ip netns exec "${HOST_PREFIX}1" unshare --uts -- sh -c '
  hostname "$1" && mount --bind "$BDA_NETNS_HOSTS_FILE" /etc/hosts || exit 2
  shift
  exec "$@"' netns-run "${HOST_PREFIX}1" \
  mpirun -np $((hosts * slots)) --host "$host_list" \
  --mca plm_rsh_agent "$work/rsh-agent" --mca plm_rsh_no_tree_spawn 1 \
  --mca oob_tcp_if_include "$IFACE" --mca btl_tcp_if_include "$IFACE" \
  --mca btl tcp,vader,self --mca pml ob1 \
  "${mpirun_opts[@]}" "$@" &
mpirun_pid=$!
rc=0
wait "$mpirun_pid" || rc=$?

# What crossed the bridge, per host (bytes the host sent/received on its veth): proof that the
# ranks talked over the namespace network.
traffic=""
for ((k = 1; k <= hosts; k++)); do
  stats=$(ip netns exec "$HUB" cat "/sys/class/net/h$k/statistics/rx_bytes" "/sys/class/net/h$k/statistics/tx_bytes" |
    tr '\n' ' ' || true)
  read -r sent received <<<"$stats"
  traffic+=" $HOST_PREFIX$k sent ${sent:-?} received ${received:-?};"
done
echo "netns-run: exit $rc; bytes over the bridge:${traffic%;}" >&2
exit "$rc"
