#!/bin/sh
# Open MPI's rsh agent for the test hosts of cluster/netns-run.sh: where mpirun would run
# `ssh HOST orted ...`, this runs the orted command in network namespace HOST with its own UTS
# namespace (hostname HOST) and the private hosts file named by BDA_NETNS_HOSTS_FILE.
#
#   mpirun --mca plm_rsh_agent cluster/netns-rsh-agent.sh --host bda-h1,bda-h2 ...
#
# Like ssh, the command words are joined with spaces and run by a shell (mpirun quotes for that).
set -eu

[ $# -ge 2 ] || { echo "netns-rsh-agent: usage: $0 HOST COMMAND..." >&2; exit 255; }
host=$1
shift
case $host in
  bda-h[0-9]*) ;;
  *) echo "netns-rsh-agent: $host is not a netns-run.sh test host (bda-hK)" >&2; exit 255 ;;
esac
[ -e "/run/netns/$host" ] || { echo "netns-rsh-agent: no network namespace $host" >&2; exit 255; }

# `ip netns exec` gives a private mount namespace, so the bind mount of the hosts file stays there.
# shellcheck disable=SC2016 # the single-quoted script expands its own arguments
exec ip netns exec "$host" unshare --uts -- sh -c '
  hostname "$1" || exit 255
  if [ -n "${BDA_NETNS_HOSTS_FILE:-}" ]; then mount --bind "$BDA_NETNS_HOSTS_FILE" /etc/hosts || exit 255; fi
  shift
  eval "$*"' netns-rsh-agent "$host" "$@"
