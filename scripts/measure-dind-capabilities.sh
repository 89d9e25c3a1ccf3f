#!/usr/bin/env bash
# Measures which capabilities a DinD needs: the source of DindSecurity.CAPABILITIES (docs/security.md, "The
# capability set, measured").
#
# Usage: scripts/measure-dind-capabilities.sh [GOLDEN_VOLUME] [CAP...]
#   GOLDEN_VOLUME: a complete shared-images volume (docker volume ls | grep cyroid-golden), mounted read-only as
#   Cyroid does, so that the entrypoint's copy of its engine state is part of the trial; "-" for none (the VM
#   image is then loaded with docker save | docker load).
#   CAP...: trials to run; "kept" is the measured set itself, any other name is the measured set without that
#   capability. Default: kept, then each kept capability left out in turn.
#
# One trial = a throwaway DinD (--network none, --cgroupns private, tmpfs /run, seccomp and AppArmor unconfined,
# systempaths=unconfined, no device rule: the capabilities mode) with --cap-drop ALL and the trial's --cap-add list,
# then in it, one step after the other: the inner engine answers; an internal and a plain bridge network; a VM
# with sysctls and memory/CPU/pids limits; a router VM with NET_ADMIN and a second network; docker exec; ping
# between them; nsenter into a VM's network namespace to replace its routes; iptables-restore with -m physdev and
# -m conntrack in a chain jumped to from DOCKER-USER; the VM's memory limit in its cgroup; a VM restart.
# Prints the first failing steps of each trial with their error. Everything created carries
# cyroid.test=capability-measure and is removed on exit.
set -Eeuo pipefail
export LC_ALL=C
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=measure-dind-capabilities.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

GOLDEN=${1:--}
shift || true
DIND_IMAGE=${DIND_IMAGE:-cyroid/dind:latest}
VM_IMAGE=cyroid/vm-busybox:latest
KEPT=(SYS_ADMIN NET_ADMIN CHOWN DAC_OVERRIDE FOWNER FSETID MKNOD KILL SETGID SETUID SETPCAP SETFCAP
      NET_BIND_SERVICE NET_RAW SYS_CHROOT AUDIT_WRITE)
TRIALS=("$@")
[ ${#TRIALS[@]} -gt 0 ] || TRIALS=(kept "${KEPT[@]}")

cleanup() {
  local ids
  ids=$(docker ps -aq --filter label=cyroid.test=capability-measure)
  [ -z "$ids" ] || docker rm -f -v $ids >/dev/null 2>&1 || true
}
trap cleanup EXIT

# The steps, run by sh inside the DinD; each prints "ok <step>" or "FAIL <step>: <last lines of its output>".
INNER=$(cat <<'STEPS'
step() { n=$1; shift; if out=$("$@" 2>&1); then echo "ok $n"; else echo "FAIL $n: $(echo "$out" | tail -2 | tr '\n' ' ')"; fi; }
i=0; until docker info >/dev/null 2>&1; do i=$((i+1)); [ $i -gt 60 ] && { echo "FAIL engine-start"; exit 0; }; sleep 1; done
echo "ok engine-start"
step internal-network docker network create --internal --subnet 10.77.1.0/24 n1
step bridge-network docker network create --subnet 10.77.2.0/24 n2
step vm-with-limits docker run -d --name vm1 --network n1 --ip 10.77.1.10 --sysctl net.ipv4.ip_forward=0 --memory 64m --cpus 0.5 --pids-limit 50 VM_IMAGE
step router-vm docker run -d --name vm2 --network n2 --cap-add NET_ADMIN --sysctl net.ipv4.ip_forward=1 VM_IMAGE
step second-network docker network connect --ip 10.77.1.20 n1 vm2
step exec docker exec vm1 ip addr
step ping docker exec vm1 ping -c1 -W2 10.77.1.20
pid=$(docker inspect -f '{{.State.Pid}}' vm1 2>/dev/null || echo 0)
step nsenter-routes nsenter -t "$pid" -n sh -c 'while ip route del default 2>/dev/null; do :; done; ip route replace 10.99.0.0/24 via 10.77.1.20'
step iptables-restore sh -c 'iptables -N DOCKER-USER 2>/dev/null || true; printf "*filter\n:M - [0:0]\n-A M -m physdev --physdev-is-bridged -j ACCEPT\n-A M -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN\nCOMMIT\n" | iptables-restore --noflush && iptables -I DOCKER-USER -j M'
step vm-memory-limit sh -c 'id=$(docker inspect -f {{.Id}} vm1); f=$(find /sys/fs/cgroup -maxdepth 4 -path "*$id*" \( -name memory.limit_in_bytes -o -name memory.max \) | head -1); [ -n "$f" ] && grep -qx 67108864 "$f"'
step vm-restart sh -c 'docker restart -t1 vm1 >/dev/null && docker exec vm1 true'
STEPS
)
INNER=${INNER//VM_IMAGE/$VM_IMAGE}

for trial in "${TRIALS[@]}"; do
  caps=(--cap-drop ALL)
  for cap in "${KEPT[@]}"; do [ "$cap" = "$trial" ] || caps+=(--cap-add "$cap"); done
  name="cyroid-capmeasure-$$-$trial"
  golden=()
  [ "$GOLDEN" = - ] || golden=(--mount "type=volume,src=$GOLDEN,dst=/var/lib/cyroid-golden,readonly")
  if ! docker run -d --name "$name" --label cyroid.managed=true --label cyroid.test=capability-measure \
      --network none --cgroupns private --tmpfs /run:rw,exec "${caps[@]}" --security-opt seccomp=unconfined \
      --security-opt apparmor=unconfined --security-opt systempaths=unconfined "${golden[@]}" "$DIND_IMAGE" >/dev/null; then
    echo "$trial: FAIL create"; continue
  fi
  if [ "$GOLDEN" = - ]; then
    for _ in $(seq 30); do docker exec "$name" docker info >/dev/null 2>&1 && break; sleep 1; done
    docker save "$VM_IMAGE" | docker exec -i "$name" docker load >/dev/null 2>&1 || true
  fi
  result=$(docker exec "$name" sh -c "$INNER" 2>&1 || true)
  if ! docker exec "$name" true 2>/dev/null; then
    result="$result FAIL DinD exited: $(docker logs --tail 2 "$name" 2>&1 | tr '\n' ' ')"
  fi
  failed=$(echo "$result" | grep FAIL | head -2 | cut -c1-300 || true)
  if [ -z "$failed" ]; then
    echo "${trial}: ok, every step"
  else
    echo "${trial}: $failed" | tr '\n' ' '; echo
  fi
  docker rm -f -v "$name" >/dev/null 2>&1 || true
done
