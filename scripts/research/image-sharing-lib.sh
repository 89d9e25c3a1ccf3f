#!/usr/bin/env bash
# RESEARCH ONLY (issue 6, item 1: images shared, not copied). Throwaway helpers for the measurements in
# docs/research/image-sharing.md; not used by Cyroid, its build or its tests.
#
# Everything created carries the labels cyroid.managed=true and cyroid.test=image-research and a name
# starting with cyroid-imgres-; `imgres_cleanup` removes exactly those (and the loop file systems below $WORK).
set -euo pipefail

DIND_IMAGE=${DIND_IMAGE:-cyroid/dind:latest}
IMG=${IMG:-cyroid/vm-large:latest}
WORK=${WORK:-/var/tmp/cyroid-image-research}
NET=${NET:-cyroid-imgres-net}
LABELS=(--label cyroid.managed=true --label cyroid.test=image-research)
mkdir -p "$WORK/sock" "$WORK/results"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
log() { printf '[imgres %s] %s\n' "$(date +%T)" "$*" >&2; }
record() { # option n run metric value
  printf '%s,%s,%s,%s,%s\n' "$1" "$2" "$3" "$4" "$5" >>"$WORK/results/results.csv"; log "RESULT $*"; }

ensure_net() {
  docker network inspect "$NET" >/dev/null 2>&1 || docker network create "${LABELS[@]}" "$NET" >/dev/null
}

sock() { echo "$WORK/sock/$1/docker.sock"; }
inner() { local n=$1; shift; docker -H "unix://$(sock "$n")" "$@"; }

# start_dind NAME MOUNTSPEC [extra docker run args...] [-- extra dockerd args...]
# MOUNTSPEC is a full --mount value for /var/lib/docker (volume or bind).
start_dind() {
  local name=$1 mountspec=$2; shift 2
  local pre=() post=() seen=0
  for a in "$@"; do if [ "$a" = "--" ]; then seen=1; elif [ $seen = 0 ]; then pre+=("$a"); else post+=("$a"); fi; done
  mkdir -p "$WORK/sock/$name"; rm -f "$(sock "$name")"
  docker run -d --name "$name" "${LABELS[@]}" --hostname range --network "$NET" \
    --cap-add ALL --cap-drop SYS_RESOURCE \
    --security-opt seccomp=unconfined --security-opt apparmor=unconfined --security-opt systempaths=unconfined \
    --device-cgroup-rule 'a *:* rwm' --cgroupns private --tmpfs /run:rw,exec \
    --mount "$mountspec" -v "$WORK/sock/$name:/run/cyroid" \
    ${pre[@]+"${pre[@]}"} "$DIND_IMAGE" ${post[@]+"${post[@]}"} >/dev/null
}

wait_engine() { # NAME [timeout s]
  local n=$1 t=${2:-60} i=0
  until inner "$n" version >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -lt $((t * 20)) ] || { log "engine of $n not answering"; docker logs --tail 20 "$n" >&2; return 1; }
    sleep 0.05
  done
}

run_check() { # NAME: a container from the image runs in the inner engine
  inner "$1" run --rm --network none --entrypoint /bin/true "$IMG"
}

stop_rm() { docker rm -f "$@" >/dev/null 2>&1 || true; }

# The inner engine of a stopped DinD must not be in use when its directory is cloned.
stop_dind() { docker stop -t 20 "$1" >/dev/null; }

fs_used_kb() { df -k --output=used "$1" | tail -1 | tr -d ' '; }
root_avail_gb() { df -BG --output=avail / | tail -1 | tr -dc 0-9; }
guard_disk() { local a; a=$(root_avail_gb); if [ "$a" -lt 20 ]; then log "ONLY ${a} GB free on /: stopping"; exit 3; fi; }

vol_du_kb() { # volume name -> kB used on host (du, counts hard links once)
  du -sxk "$(docker volume inspect -f '{{.Mountpoint}}' "$1")" | cut -f1; }

imgres_cleanup() {
  local ids
  ids=$(docker ps -aq --filter label=cyroid.test=image-research); [ -z "$ids" ] || docker rm -f $ids >/dev/null
  for m in $(awk -v w="$WORK/" 'index($2, w) == 1 { print $2 }' /proc/self/mounts | sort -r); do umount "$m" || umount -l "$m"; done
  ids=$(docker volume ls -q --filter label=cyroid.test=image-research); [ -z "$ids" ] || docker volume rm $ids >/dev/null
  for l in $(losetup -j "$WORK/xfs.img" -O NAME -n 2>/dev/null) $(losetup -j "$WORK/btrfs.img" -O NAME -n 2>/dev/null); do losetup -d "$l"; done
}
