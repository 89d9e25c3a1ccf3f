#!/usr/bin/env bash
# Cyroid's walls on the HOST engine's firewall (issue 7, docs/security.md "Walls"):
#   - no DinD reaches another DinD on cyroid-ranges (both directions),
#   - nothing crosses between cyroid-ranges and cyroid-mgmt (both directions),
#   - no DinD opens a connection to the host itself (any host address, through cyroid-ranges);
#     answers to connections the host opened still pass.
# Two chains of our own, CYROID-FORWARD (jumped to first from DOCKER-USER) and CYROID-INPUT (jumped to first from
# INPUT), every rule commented "cyroid...". Idempotent: the chains are rewritten in one iptables-restore
# transaction, and each jump exists exactly once. Nothing else on the host is touched.
#
# Usage: host-walls.sh apply|remove|show   with CYROID_RANGES_BRIDGE and CYROID_MGMT_BRIDGE set to the Linux
# bridge names of the two networks (br-<first 12 characters of the network id> unless the network sets
# com.docker.network.bridge.name). The server runs this at start in a short-lived container of the DinD image
# (host network, NET_ADMIN); scripts/init-networks.sh runs it on the host. Needs root and the iptables variant
# (nft or legacy) that dockerd uses: the one that has the DOCKER-USER chain.
set -euo pipefail

action=${1:-apply}
ranges=${CYROID_RANGES_BRIDGE:-}
mgmt=${CYROID_MGMT_BRIDGE:-}

fail() {
  echo "host-walls: $*" >&2
  exit 3
}

ipt=
for candidate in iptables-nft iptables-legacy iptables; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -w 5 -n -L DOCKER-USER >/dev/null 2>&1; then
    ipt=$candidate
    break
  fi
done
[ -n "$ipt" ] || fail "no DOCKER-USER chain in any iptables variant: does the host engine manage iptables" \
  "(dockerd --iptables=true)?"
restore=$ipt-restore

# Deletes every copy of a jump (a crashed earlier run, an edited rule), so exactly one is inserted afterwards.
drop_jumps() {
  local chain=$1 target=$2
  while "$ipt" -w 5 -D "$chain" -m comment --comment cyroid -j "$target" 2>/dev/null; do :; done
}

# The jump goes first (a rule someone put before it could accept what the walls drop), then older copies below it
# go, so there is no moment without one.
first_jump() {
  local chain=$1 target=$2 position
  "$ipt" -w 5 -I "$chain" 1 -m comment --comment cyroid -j "$target"
  for position in $("$ipt" -w 5 -S "$chain" 2>/dev/null | tail -n +2 | grep -n -- "-j $target\$" | cut -d: -f1 | sort -rn); do
    if [ "$position" -gt 1 ]; then
      "$ipt" -w 5 -D "$chain" "$position"
    fi
  done
}

case "$action" in
  show)
    for chain in CYROID-FORWARD CYROID-INPUT; do
      "$ipt" -w 5 -S "$chain" 2>/dev/null || echo "# $chain: absent"
    done
    exit 0
    ;;
  remove)
    drop_jumps DOCKER-USER CYROID-FORWARD
    drop_jumps INPUT CYROID-INPUT
    for chain in CYROID-FORWARD CYROID-INPUT; do
      "$ipt" -w 5 -F "$chain" 2>/dev/null || true
      "$ipt" -w 5 -X "$chain" 2>/dev/null || true
    done
    echo "host-walls: removed ($ipt)"
    exit 0
    ;;
  apply) ;;
  *) fail "unknown action '$action' (apply, remove or show)" ;;
esac

name_ok='^[A-Za-z0-9_.-]{1,15}$'
[[ "$ranges" =~ $name_ok ]] || fail "CYROID_RANGES_BRIDGE '$ranges' is not an interface name"
[[ "$mgmt" =~ $name_ok ]] || fail "CYROID_MGMT_BRIDGE '$mgmt' is not an interface name"

# Traffic between two containers of one bridge only meets iptables with br_netfilter on; Docker turns it on for
# its own bridges. Without it the DinD-to-DinD wall does not hold: say so loudly, the other walls still do.
nf=/proc/sys/net/bridge/bridge-nf-call-iptables
if [ -r "$nf" ] && [ "$(cat "$nf")" != 1 ]; then
  echo "host-walls: WARNING $nf is not 1: traffic between two DinDs on $ranges bypasses iptables" >&2
fi

# ":CHAIN - [0:0]" creates the chain if missing and empties it; with --noflush nothing else changes, and the
# whole set is applied at once, so there is no moment without walls when they are replaced.
"$restore" -w 5 --noflush <<EOF
*filter
:CYROID-FORWARD - [0:0]
:CYROID-INPUT - [0:0]
-A CYROID-FORWARD -i $ranges -o $ranges -m comment --comment "cyroid: no DinD reaches another DinD" -j DROP
-A CYROID-FORWARD -i $ranges -o $mgmt -m comment --comment "cyroid: ranges never reach cyroid-mgmt" -j DROP
-A CYROID-FORWARD -i $mgmt -o $ranges -m comment --comment "cyroid: cyroid-mgmt never reaches ranges" -j DROP
-A CYROID-INPUT -i $ranges -m conntrack --ctstate ESTABLISHED,RELATED -m comment --comment "cyroid: answers to the host" -j RETURN
-A CYROID-INPUT -i $ranges -m comment --comment "cyroid: ranges never reach the host" -j DROP
COMMIT
EOF

first_jump DOCKER-USER CYROID-FORWARD
first_jump INPUT CYROID-INPUT
echo "host-walls: applied ($ipt, ranges $ranges, mgmt $mgmt)"
