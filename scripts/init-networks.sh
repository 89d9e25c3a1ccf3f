#!/usr/bin/env bash
# Creates the host Docker networks Cyroid uses, idempotently:
#   ${CYROID_MGMT_NETWORK:-cyroid-mgmt}     ${CYROID_MGMT_SUBNET:-172.30.0.0/24}   (api, db, traefik)
#   ${CYROID_RANGES_NETWORK:-cyroid-ranges} ${CYROID_RANGES_SUBNET:-172.30.1.0/24} (one DinD per range)
# Gateway: the subnet's first address (.1). Labels cyroid.managed=true and
# cyroid.role=mgmt|ranges. An existing network with another subnet is an error.
# A new cyroid-ranges gets com.docker.network.bridge.enable_icc=false (no traffic between DinDs); one that exists
# without it is kept, the walls' own rule covers it.
# Then the walls on the host's firewall (scripts/host-walls.sh; the server applies them again at every start):
# as root with iptables on the host directly, else in a short-lived container of ${DIND_IMAGE:-cyroid/dind:latest}.
# CYROID_HOST_WALLS=false skips them.
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=init-networks.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

docker info >/dev/null 2>&1 || die "no Docker engine answers (run scripts/ensure-engine.sh first)"

# First host address of an IPv4 CIDR (network address + 1).
gateway_of() {
  local cidr=$1 ip prefix a b c d n mask
  [[ "$cidr" =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})/([0-9]{1,2})$ ]] \
    || die "not an IPv4 CIDR: $cidr"
  a=${BASH_REMATCH[1]} b=${BASH_REMATCH[2]} c=${BASH_REMATCH[3]} d=${BASH_REMATCH[4]} prefix=${BASH_REMATCH[5]}
  ((a < 256 && b < 256 && c < 256 && d < 256 && prefix <= 30)) || die "bad CIDR: $cidr"
  n=$(((a << 24) | (b << 16) | (c << 8) | d))
  mask=$(((0xFFFFFFFF << (32 - prefix)) & 0xFFFFFFFF))
  [ $((n & mask)) -eq "$n" ] || die "$cidr is not a network address (host bits set)"
  n=$(((n & mask) + 1))
  ip="$(((n >> 24) & 255)).$(((n >> 16) & 255)).$(((n >> 8) & 255)).$((n & 255))"
  echo "$ip"
}

ensure_network() {
  local name=$1 subnet=$2 role=$3 gw existing
  gw=$(gateway_of "$subnet")
  if docker network inspect "$name" >/dev/null 2>&1; then
    existing=$(docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}} {{end}}' "$name")
    existing=${existing% }
    if [ "$existing" != "$subnet" ]; then
      die "network $name exists with subnet '${existing:-none}', expected $subnet. Remove it (docker network rm $name, after disconnecting its containers) or set the matching subnet in the environment."
    fi
    log "network $name exists ($subnet)"
    return 0
  fi
  log "creating network $name ($subnet, gateway $gw, role $role)"
  local options=()
  [ "$role" = ranges ] && options=(--opt com.docker.network.bridge.enable_icc=false)
  docker network create --driver bridge --subnet "$subnet" --gateway "$gw" "${options[@]}" \
    --label cyroid.managed=true --label "cyroid.role=$role" "$name" >/dev/null
}

# The Linux bridge of a network: its bridge name option, or Docker's default br-<12 characters of the id>.
bridge_of() {
  local named
  named=$(docker network inspect -f '{{index .Options "com.docker.network.bridge.name"}}' "$1")
  if [ -n "$named" ] && [ "$named" != "<no value>" ]; then
    echo "$named"
  else
    echo "br-$(docker network inspect -f '{{.Id}}' "$1" | cut -c1-12)"
  fi
}

apply_walls() {
  local walls ranges_bridge mgmt_bridge
  walls="$(cd "$(dirname "$0")" && pwd)/host-walls.sh"
  ranges_bridge=$(bridge_of "${CYROID_RANGES_NETWORK:-cyroid-ranges}")
  mgmt_bridge=$(bridge_of "${CYROID_MGMT_NETWORK:-cyroid-mgmt}")
  if [ "$(id -u)" = 0 ] && command -v iptables >/dev/null 2>&1; then
    CYROID_RANGES_BRIDGE=$ranges_bridge CYROID_MGMT_BRIDGE=$mgmt_bridge bash "$walls" apply
  else
    docker run --rm --network host --cap-add NET_ADMIN --cap-add NET_RAW \
      --label cyroid.managed=true --label cyroid.role=probe \
      -e CYROID_RANGES_BRIDGE="$ranges_bridge" -e CYROID_MGMT_BRIDGE="$mgmt_bridge" \
      --entrypoint bash "${DIND_IMAGE:-cyroid/dind:latest}" -c "$(cat "$walls")" host-walls apply
  fi
}

ensure_network "${CYROID_MGMT_NETWORK:-cyroid-mgmt}" "${CYROID_MGMT_SUBNET:-172.30.0.0/24}" mgmt
ensure_network "${CYROID_RANGES_NETWORK:-cyroid-ranges}" "${CYROID_RANGES_SUBNET:-172.30.1.0/24}" ranges
if [ "${CYROID_HOST_WALLS:-true}" = false ]; then
  log "host walls skipped (CYROID_HOST_WALLS=false): see docs/security.md"
else
  apply_walls
fi
