#!/usr/bin/env bash
# Measures the smallest memory and CPU share a range's DinD runs with: the source of BlueprintValidator's
# MIN_MEMORY_BYTES and MIN_CPUS (docs/blueprints.md, "Resources").
#
# Usage: scripts/measure-dind-minimums.sh MEMORY CPUS [TRIALS] [VMS] [EXEC]
#   e.g. scripts/measure-dind-minimums.sh 96m 0.05 3 1
#        scripts/measure-dind-minimums.sh 188m 0.1 3 1 max   (env and command at BlueprintValidator's limits)
#
# One trial = what DockerRangeEngine does for a range, with the docker CLI: a named volume on /var/lib/docker, a
# socket folder bind-mounted on /run/cyroid, tmpfs /run, --cgroupns private, --pids-limit 4096, the security flags
# of the chosen mode (DIND_SECURITY_MODE: capabilities (default) or privileged), --memory MEMORY --cpus CPUS. Then:
#   1. wait until the inner engine answers on its socket, at most DIND_STARTUP_TIMEOUT (60) s, as the engine does;
#   2. docker save | docker -H unix://... load the VM image;
#   3. start VMS VMs (default 1) `sleep 3600` on --network none, wait 2 s, check that every VM and the DinD still run.
#      With EXEC=max each VM gets the largest env and command BlueprintValidator accepts: seven env entries of
#      131071 bytes ("K1=xxx...", MAX_ARG_BYTES) and `sh -c 'sleep 3600'` with a last argument that fills
#      MAX_EXEC_BYTES (1 MiB, counting a NUL and an 8-byte pointer per string).
# Prints one line per trial: ok/FAIL, seconds until the engine answered, seconds for load + VMs, peak memory of the
# DinD's cgroup (memory.max_usage_in_bytes, cgroup v1), its OOM kill count and its processes/threads (pids.current).
# Everything created carries cyroid.managed=true and cyroid.test=validation-measure and is removed on exit.
set -Eeuo pipefail
export LC_ALL=C
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=measure-dind-minimums.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

MEMORY=${1:?memory, e.g. 128m}
CPUS=${2:?cpus, e.g. 0.1}
TRIALS=${3:-3}
VMS=${4:-1}
EXEC=${5:-small}
MODE=${DIND_SECURITY_MODE:-capabilities}
TIMEOUT_S=${DIND_STARTUP_TIMEOUT:-60}
DIND_IMAGE=${DIND_IMAGE:-cyroid/dind:latest}
VM_IMAGE=cyroid/vm-busybox:latest
LABELS=(--label cyroid.managed=true --label cyroid.test=validation-measure)
SOCKS=$(mktemp -d /tmp/cym.XXXXXX) # short: unix socket paths are limited to 107 bytes

cleanup() {
  local ids
  ids=$(docker ps -aq --filter label=cyroid.test=validation-measure)
  [ -z "$ids" ] || docker rm -f -v $ids >/dev/null 2>&1 || true
  ids=$(docker volume ls -q --filter label=cyroid.test=validation-measure)
  [ -z "$ids" ] || docker volume rm $ids >/dev/null 2>&1 || true
  rm -rf "$SOCKS"
}
trap cleanup EXIT

security_flags() {
  if [ "$MODE" = privileged ]; then
    echo --privileged
  else
    # the capabilities mode as DindSecurity gives it (docs/security.md)
    echo --cap-drop ALL --security-opt seccomp=unconfined \
         --security-opt apparmor=unconfined --security-opt systempaths=unconfined
    for cap in CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP SETFCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT AUDIT_WRITE MKNOD NET_ADMIN SYS_ADMIN; do echo --cap-add "$cap"; done
  fi
}

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

trial() {
  local n=$1 name sock id t0 ta tb result=ok why="" cg peak oom pids i
  name="cyroid-measure-$$-$n"
  sock="$SOCKS/$n"
  mkdir -p "$sock"
  docker volume create "${LABELS[@]}" "$name-docker" >/dev/null
  t0=$(now_ms)
  # shellcheck disable=SC2046 # the flags are words on purpose
  id=$(docker run -d --name "$name" --hostname range "${LABELS[@]}" $(security_flags) \
    --network none --cgroupns private --pids-limit 4096 \
    --memory "$MEMORY" --cpus "$CPUS" --tmpfs /run:rw,exec \
    --mount "type=volume,src=$name-docker,dst=/var/lib/docker" \
    --mount "type=bind,src=$sock,dst=/run/cyroid" "$DIND_IMAGE" 2>&1) || { result=FAIL; why="run: $id"; }
  local inner=(docker -H "unix://$sock/docker.sock")
  if [ "$result" = ok ]; then
    local deadline=$(( t0 + TIMEOUT_S * 1000 ))
    until [ -S "$sock/docker.sock" ] && curl -fs -o /dev/null --max-time 5 --unix-socket "$sock/docker.sock" http://inner/_ping; do
      if [ "$(docker inspect -f '{{.State.Running}}' "$name")" != true ]; then
        result=FAIL; why="DinD exited $(docker inspect -f 'code={{.State.ExitCode}} oom={{.State.OOMKilled}}' "$name")"; break
      fi
      if [ "$(now_ms)" -ge "$deadline" ]; then result=FAIL; why="no answer within ${TIMEOUT_S}s"; break; fi
      sleep 0.1
    done
  fi
  ta=$(now_ms)
  if [ "$result" = ok ]; then
    docker save "$VM_IMAGE" | timeout 120 "${inner[@]}" load -q >/dev/null 2>&1 || { result=FAIL; why="image load failed"; }
  fi
  if [ "$result" = ok ]; then
    local vm_args=(sleep 3600) env_args=() k
    if [ "$EXEC" = max ]; then
      for k in 1 2 3 4 5 6 7; do env_args+=(-e "K$k=$(head -c 131068 /dev/zero | tr '\0' x)"); done
      # 7 x (131071 + 9) + (2 + 9) + (2 + 9) + (10 + 9) = 917600; the last argument takes 1048576 - 917600 - 9
      vm_args=(sh -c 'sleep 3600' "$(head -c 130967 /dev/zero | tr '\0' y)")
    fi
    for i in $(seq 1 "$VMS"); do
      timeout 60 "${inner[@]}" run -d --network none --name "vm$i" "${env_args[@]}" "$VM_IMAGE" "${vm_args[@]}" \
        >/dev/null 2>"$SOCKS/err" || { result=FAIL; why="vm$i: $(tail -c 300 "$SOCKS/err" | tr '\n' ' ')"; break; }
    done
  fi
  tb=$(now_ms)
  if [ "$result" = ok ]; then
    sleep 2
    local running
    running=$(timeout 30 "${inner[@]}" ps -q --filter status=running 2>/dev/null | wc -l) || running=0
    [ "$running" -eq "$VMS" ] || { result=FAIL; why="$running of $VMS VMs running after 2 s"; }
    [ "$(docker inspect -f '{{.State.Running}}' "$name")" = true ] || { result=FAIL; why="DinD died"; }
  fi
  cg=/sys/fs/cgroup/memory/docker/$(docker inspect -f '{{.Id}}' "$name" 2>/dev/null || true)
  peak=$(cat "$cg/memory.max_usage_in_bytes" 2>/dev/null || echo 0)
  oom=$(awk '$1 == "oom_kill" { print $2 }' "$cg/memory.oom_control" 2>/dev/null || echo "?")
  pids=$(cat "${cg/memory/pids}/pids.current" 2>/dev/null || echo "?")
  printf '%s memory=%s cpus=%s vms=%s exec=%s engine=%.1fs load+vms=%.1fs peak=%dMiB oom_kills=%s pids=%s %s\n' \
    "$result" "$MEMORY" "$CPUS" "$VMS" "$EXEC" "$(awk -v d=$((ta - t0)) 'BEGIN{print d/1000}')" \
    "$(awk -v d=$((tb - ta)) 'BEGIN{print d/1000}')" $((peak / 1048576)) "${oom:-?}" "$pids" "$why"
  docker rm -f -v "$name" >/dev/null 2>&1 || true
  docker volume rm "$name-docker" >/dev/null 2>&1 || true
}

image_exists "$DIND_IMAGE" || die "image $DIND_IMAGE missing: run scripts/prepare.sh"
image_exists "$VM_IMAGE" || die "image $VM_IMAGE missing: run scripts/prepare.sh"
for t in $(seq 1 "$TRIALS"); do
  trial "$t"
done
