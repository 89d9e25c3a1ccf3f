#!/usr/bin/env bash
# Benchmark: how long Cyroid takes from POST /api/v1/ranges to DEPLOYED for the sample blueprint (corp-lan: two
# networks, two VMs, one of them on both networks), against a baseline that does the same Docker work by hand with
# the plain docker CLI. Prints min/median/max of each and the ratio of the medians. See docs/performance.md.
#
# Usage: scripts/bench-deploy.sh [RUNS]        RUNS sequential deploys of each kind (default 3, env BENCH_RUNS)
# Env: BENCH_PORT (18080), BENCH_POLL_MS (100), BENCH_TIMEOUT (180 s per wait), BENCH_SERVER_ARGS (extra arguments
#      for the server, e.g. --axon.eventhandling.processors.range-projection.mode=tracking), DIND_IMAGE.
#
# (a) Cyroid: starts its own server in the background from a COPY of api/target/cyroid-api.jar (built with
#     `mvn -B -q -DskipTests package` only when missing) in a temp folder, with its own temp CYROID_DATA_DIR, a
#     short temp CYROID_SOCKET_DIR, SERVER_PORT=18080 (env BENCH_PORT), a random CYROID_ADMIN_PASSWORD and
#     CYROID_SAMPLE_BLUEPRINT=true. Per run: POST, then GET the range every BENCH_POLL_MS (100) ms until DEPLOYED;
#     then DELETE and wait for DESTROYED. RUNS sequential runs, then one run of 2 concurrent deploys.
# (b) Baseline: the same steps with the docker CLI and the flags DockerRangeEngine uses: docker run the DinD
#     (security mode as the server chose it, --cgroupns private, tmpfs /run, named volume on /var/lib/docker, a
#     socket folder bind-mounted on /run/cyroid, network cyroid-ranges, the blueprint's memory/cpus), wait for the
#     inner engine on its unix socket, create the two networks (internal, exact subnet and gateway), docker save |
#     docker -H unix://... load the VM image, create each VM with its first --ip and `network connect --ip` the
#     others before starting it. Then remove it all. RUNS sequential runs, then 2 concurrent.
#
# Everything it creates carries cyroid.managed=true and a cyroid.range-id label (bench-... for the baseline, the
# range's id for Cyroid) and is removed on exit, also after a failure or Ctrl-C. Needs a Docker engine with the
# images and networks of scripts/prepare.sh (run here when the images are missing), Java 17, curl and GNU date.
set -Eeuo pipefail
export LC_ALL=C
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=bench-deploy.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

RUNS=${1:-${BENCH_RUNS:-3}}
PORT=${BENCH_PORT:-18080}
POLL_MS=${BENCH_POLL_MS:-100}
TIMEOUT_S=${BENCH_TIMEOUT:-180}
DIND_IMAGE=${DIND_IMAGE:-cyroid/dind:latest}
VM_IMAGE=cyroid/vm-busybox:latest
RANGES_NETWORK=${CYROID_RANGES_NETWORK:-cyroid-ranges}
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not '$RUNS'"
POLL_S=$(awk -v ms="$POLL_MS" 'BEGIN { printf "%.3f", ms / 1000 }')

# The sample blueprint (api/src/main/resources/samples/corp-lan.yaml), spelled out for the baseline.
BP_MEMORY=2g
BP_CPUS=2

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }
iso_ms() { date -u -d "$1" +%s%3N; }

# ---------------------------------------------------------------------------------------------------------- state
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cyroid-bench.XXXXXX")
SOCKS=$(mktemp -d /tmp/cyb.XXXXXX)   # short: unix socket paths are limited to 107 bytes
RESULTS="$WORK/results"
mkdir -p "$RESULTS" "$WORK/data"
: >"$WORK/cyroid-ranges" ; : >"$WORK/bench-ranges"
SERVER_PID=""
BG_PIDS=""   # concurrent runs in flight
PASSWORD="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
BASE="http://127.0.0.1:$PORT"
API="$BASE/api/v1"
TAG="bench-$(date +%s)-$$"

cleanup() {
  local rc=$? id
  trap - EXIT INT TERM ERR
  set +e
  # shellcheck disable=SC2086
  [ -n "$BG_PIDS" ] && kill $BG_PIDS 2>/dev/null && wait $BG_PIDS 2>/dev/null
  # Cyroid ranges still alive: ask the server first (it owns them), then remove whatever is left by label.
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    while read -r id; do
      [ -n "$id" ] || continue
      if [ "$(range_status "$id")" != DESTROYED ]; then
        curl -s -o /dev/null -u "admin:$PASSWORD" -X DELETE "$API/ranges/$id"
        for _ in $(seq 1 100); do
          [ -z "$(docker ps -aq --filter "label=cyroid.range-id=$id")" ] && break
          sleep 0.2
        done
      fi
    done <"$WORK/cyroid-ranges"
    kill "$SERVER_PID" 2>/dev/null
    for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$SERVER_PID" 2>/dev/null
  fi
  cat "$WORK/cyroid-ranges" "$WORK/bench-ranges" 2>/dev/null | while read -r id; do
    [ -n "$id" ] && remove_by_label "$id"
  done
  rm -rf "$SOCKS" "$WORK"
  [ "$rc" = 0 ] || log "failed (exit $rc); everything it created is removed"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "command failed at line $LINENO"' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# Removes every host container and volume labelled with this range id.
remove_by_label() {
  docker ps -aq --filter "label=cyroid.range-id=$1" | xargs -r docker rm -f -v >/dev/null 2>&1
  docker volume ls -q --filter "label=cyroid.range-id=$1" | xargs -r docker volume rm >/dev/null 2>&1
  return 0
}

# ------------------------------------------------------------------------------------------------------- prepare
docker info >/dev/null 2>&1 || die "no Docker engine answers: run scripts/run.sh or scripts/prepare.sh first"
if ! image_exists "$DIND_IMAGE" || ! image_exists "$VM_IMAGE"; then
  log "images missing: running scripts/prepare.sh"
  "$CYROID_ROOT/scripts/prepare.sh"
fi
docker network inspect "$RANGES_NETWORK" >/dev/null 2>&1 || "$CYROID_ROOT/scripts/init-networks.sh"
command -v java >/dev/null 2>&1 || die "java not found: run scripts/ensure-build-tools.sh"
JAR="$CYROID_ROOT/api/target/cyroid-api.jar"
if [ ! -f "$JAR" ]; then
  log "api/target/cyroid-api.jar is missing: mvn -B -q -DskipTests package"
  (cd "$CYROID_ROOT" && mvn -B -q -DskipTests package)
fi
if curl -s -o /dev/null "$BASE/actuator/health"; then
  die "something already answers on port $PORT: stop it or set BENCH_PORT"
fi

# ------------------------------------------------------------------------------------------------- Cyroid server
cp "$JAR" "$WORK/cyroid-api.jar"
log "starting Cyroid on :$PORT (log: a temp folder, removed at the end)"
(
  cd "$WORK"
  export AXONIQ_UPDATE_CHECKER_DISABLED=true SERVER_PORT="$PORT" CYROID_ADMIN_PASSWORD="$PASSWORD" \
         CYROID_SAMPLE_BLUEPRINT=true CYROID_DATA_DIR="$WORK/data" CYROID_SOCKET_DIR="$SOCKS"
  # shellcheck disable=SC2086 # BENCH_SERVER_ARGS: extra server arguments, split on spaces (experiments)
  exec java -Daxoniq.update-checker.disabled=true -jar "$WORK/cyroid-api.jar" ${BENCH_SERVER_ARGS:-} \
    >"$WORK/server.log" 2>&1
) &
SERVER_PID=$!
start=$(now_ms)
until curl -fs -o /dev/null "$BASE/actuator/health"; do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    tail -n 30 "$WORK/server.log" >&2
    die "the server exited during start"
  fi
  [ $(( $(now_ms) - start )) -lt 180000 ] || { tail -n 30 "$WORK/server.log" >&2; die "server not healthy after 180 s"; }
  sleep 0.5
done
log "server healthy after $(( ($(now_ms) - start) / 1000 )) s"
MODE=$(sed -nE 's/.*security mode ([A-Z]+).*/\1/p' "$WORK/server.log" | head -n1)
[ -n "$MODE" ] || die "the server did not log its DinD security mode"

BLUEPRINT=""
for _ in $(seq 1 50); do
  BLUEPRINT=$(curl -fs -u "admin:$PASSWORD" "$API/blueprints" | grep -o '"id":"[^"]*"' | head -n1 | cut -d'"' -f4 || true)
  [ -n "$BLUEPRINT" ] && break
  sleep 0.2
done
[ -n "$BLUEPRINT" ] || die "the sample blueprint is not registered"

# The range's own status (the first "status" of the document; the VMs' come later).
range_status() {
  curl -s -u "admin:$PASSWORD" "$API/ranges/$1" | grep -o '"status":"[A-Z]*"' | head -n1 | cut -d'"' -f4
}
range_field() {   # a top-level string field of the range document
  curl -s -u "admin:$PASSWORD" "$API/ranges/$1" | grep -o "\"$2\":\"[^\"]*\"" | head -n1 | cut -d'"' -f4
}

# Waits until the range reaches $2; fails on FAILED or after TIMEOUT_S.
await_status() {
  local id=$1 want=$2 deadline=$(( $(now_ms) + TIMEOUT_S * 1000 )) status
  while :; do
    status=$(range_status "$id" || true)
    [ "$status" = "$want" ] && return 0
    if [ "$status" = FAILED ]; then
      log "range $id FAILED: $(range_field "$id" failureReason)"
      return 1
    fi
    [ "$(now_ms)" -lt "$deadline" ] || { log "range $id: no $want after $TIMEOUT_S s (last: ${status:-none})"; return 1; }
    sleep "$POLL_S"
  done
}

# (Both run functions rely on set -e: call them plainly or in the background, never after || or &&.)
# One deploy through the API. Appends to file $1:
#   client_ms server_ms destroy_ms accept_ms dind_ms networks_ms images_ms vms_ms seen_ms
# where the step times come from the event timestamps of /events (see the breakdown table).
cyroid_run() {
  local out=$1 name=$2 t0 t1 t2 id created deployed events
  t0=$(now_ms)
  id=$(curl -fs -u "admin:$PASSWORD" -H 'Content-Type: application/json' \
         -d "{\"blueprintId\":\"$BLUEPRINT\",\"name\":\"$name\"}" "$API/ranges" \
       | grep -o '"rangeId":"[^"]*"' | cut -d'"' -f4) || { log "POST /ranges failed"; return 1; }
  [ -n "$id" ] || { log "POST /ranges returned no rangeId"; return 1; }
  echo "$id" >>"$WORK/cyroid-ranges"
  await_status "$id" DEPLOYED || return 1
  t1=$(now_ms)
  created=$(range_field "$id" createdAt)
  deployed=$(range_field "$id" deployedAt)
  # "TYPE epoch_ms" per event, in order
  events=$(curl -fs -u "admin:$PASSWORD" "$API/ranges/$id/events" \
           | grep -o '"type":"[A-Za-z]*","timestamp":"[^"]*"' \
           | while IFS='"' read -r _ _ _ type _ _ _ ts _; do echo "$type $(iso_ms "$ts")"; done)
  curl -fs -o /dev/null -u "admin:$PASSWORD" -X DELETE "$API/ranges/$id" || { log "DELETE failed"; return 1; }
  await_status "$id" DESTROYED || return 1
  t2=$(now_ms)
  if [ -n "$(docker ps -aq --filter "label=cyroid.range-id=$id")$(docker volume ls -q --filter "label=cyroid.range-id=$id")" ]; then
    log "range $id is DESTROYED but labelled objects remain"; return 1
  fi
  echo "$((t1 - t0)) $(( $(iso_ms "$deployed") - $(iso_ms "$created") )) $((t2 - t1)) $(echo "$events" | awk -v t0="$t0" -v t1="$t1" '
    $1 == "RangeRequested" { req = $2 }  $1 == "DinDCreated" { dind = $2 }  $1 == "NetworkCreated" { net = $2 }
    $1 == "ImagesSeeded" { img = $2 }  $1 == "RangeDeployed" { dep = $2 }
    END { print req - t0, dind - req, net - dind, img - net, dep - img, t1 - dep }')" >>"$out"
}

# ------------------------------------------------------------------------------------------------------ baseline
security_flags() {
  if [ "$MODE" = PRIVILEGED ]; then
    echo --privileged
  else
    # DockerRangeEngine.securityFor(CAPABILITIES); systempaths=unconfined = its empty MaskedPaths/ReadonlyPaths
    echo --cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined \
         --security-opt apparmor=unconfined --security-opt systempaths=unconfined
  fi
}

# The same Docker work as the saga, by hand. Appends to file $1:
#   deploy_ms remove_ms dind_ms networks_ms images_ms vms_ms
baseline_run() {
  local out=$1 id=$2 name sock inner t0 t1 t2 ta tb tc labels
  name="cyroid-$id"
  sock="$SOCKS/$id"
  echo "$id" >>"$WORK/bench-ranges"
  labels=(--label cyroid.managed=true --label "cyroid.range-id=$id")
  mkdir -p "$sock"
  t0=$(now_ms)
  docker volume create "${labels[@]}" "$name-docker" >/dev/null
  # shellcheck disable=SC2046 # the flags are words on purpose
  docker run -d --name "$name" --hostname range "${labels[@]}" --label cyroid.role=dind \
    $(security_flags) --device-cgroup-rule 'a *:* rwm' \
    --network "$RANGES_NETWORK" --cgroupns private --memory "$BP_MEMORY" --cpus "$BP_CPUS" \
    --tmpfs /run:rw,exec \
    --mount "type=volume,src=$name-docker,dst=/var/lib/docker" \
    --mount "type=bind,src=$sock,dst=/run/cyroid" \
    "$DIND_IMAGE" >/dev/null
  # Wait for the inner engine on its socket, as the engine does (ping every 100 ms).
  local deadline=$(( $(now_ms) + 60000 ))
  until [ -S "$sock/docker.sock" ] && curl -fs -o /dev/null --unix-socket "$sock/docker.sock" http://inner/_ping; do
    [ "$(docker inspect -f '{{.State.Running}}' "$name")" = true ] || { docker logs --tail 10 "$name" >&2; return 1; }
    [ "$(now_ms)" -lt "$deadline" ] || { log "baseline $id: inner engine did not answer"; return 1; }
    sleep 0.1
  done
  ta=$(now_ms)
  inner=(docker -H "unix://$sock/docker.sock")
  "${inner[@]}" network create --driver bridge --internal --subnet 10.0.1.0/24 --gateway 10.0.1.1 \
    "${labels[@]}" lan >/dev/null
  "${inner[@]}" network create --driver bridge --internal --subnet 10.0.2.0/24 --gateway 10.0.2.1 \
    "${labels[@]}" dmz >/dev/null
  tb=$(now_ms)
  docker save "$VM_IMAGE" | "${inner[@]}" load -q >/dev/null
  tc=$(now_ms)
  "${inner[@]}" create --name web --hostname web "${labels[@]}" --env ROLE=web \
    --network lan --ip 10.0.1.10 "$VM_IMAGE" sleep infinity >/dev/null
  "${inner[@]}" network connect --ip 10.0.2.10 dmz web
  "${inner[@]}" start web >/dev/null
  "${inner[@]}" create --name db --hostname db "${labels[@]}" --env ROLE=db \
    --network lan --ip 10.0.1.20 "$VM_IMAGE" sleep infinity >/dev/null
  "${inner[@]}" start db >/dev/null
  t1=$(now_ms)
  # Same check as the real-engine tests: both VMs run with exactly their blueprint IPs.
  local ips
  # shellcheck disable=SC2016 # a Go template, not shell
  ips=$("${inner[@]}" inspect -f '{{.Name}}{{range $n, $e := .NetworkSettings.Networks}} {{$n}}={{$e.IPAddress}}{{end}}' web db | tr '\n' ' ')
  [ "$ips" = "/web dmz=10.0.2.10 lan=10.0.1.10 /db lan=10.0.1.20 " ] || { log "baseline $id: wrong IPs: $ips"; return 1; }
  docker rm -f -v "$name" >/dev/null
  docker volume rm "$name-docker" >/dev/null
  rm -rf "$sock"
  t2=$(now_ms)
  echo "$((t1 - t0)) $((t2 - t1)) $((ta - t0)) $((tb - ta)) $((tc - tb)) $((t1 - tc))" >>"$out"
}

# ----------------------------------------------------------------------------------------------------------- runs
LOAD0=$(cut -d" " -f1 /proc/loadavg)
log "mode $MODE, $RUNS sequential run(s) of each kind, then 2 concurrent; polling every $POLL_MS ms"
for i in $(seq 1 "$RUNS"); do
  cyroid_run "$RESULTS/cyroid-seq" "bench-seq-$i"
  log "cyroid  run $i: $(tail -n1 "$RESULTS/cyroid-seq" | awk '{print $1 " ms to DEPLOYED"}')"
  baseline_run "$RESULTS/base-seq" "$TAG-$i"
  log "baseline run $i: $(tail -n1 "$RESULTS/base-seq" | awk '{print $1 " ms"}')"
done

t0=$(now_ms)
cyroid_run "$RESULTS/cyroid-par" bench-par-a & p1=$!
cyroid_run "$RESULTS/cyroid-par" bench-par-b & p2=$!
BG_PIDS="$p1 $p2"
wait "$p1" || die "a concurrent Cyroid run failed"
wait "$p2" || die "a concurrent Cyroid run failed"
log "cyroid  2 concurrent: $(awk '{printf "%s ", $1}' "$RESULTS/cyroid-par")ms (wall incl. destroy $(( $(now_ms) - t0 )) ms)"
baseline_run "$RESULTS/base-par" "$TAG-pa" & p1=$!
baseline_run "$RESULTS/base-par" "$TAG-pb" & p2=$!
BG_PIDS="$p1 $p2"
wait "$p1" || die "a concurrent baseline run failed"
wait "$p2" || die "a concurrent baseline run failed"
BG_PIDS=""
log "baseline 2 concurrent: $(awk '{printf "%s ", $1}' "$RESULTS/base-par")ms"

# ---------------------------------------------------------------------------------------------------------- table
# min median max (seconds) of column $2 of file $1
stats() {
  awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '
    { v[NR] = $1 }
    END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
          printf "%4d  %7.2f  %7.2f  %7.2f", NR, v[1] / 1000, m / 1000, v[NR] / 1000 }'
}
median() { awk -v c="$2" '{ print $c }' "$1" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

cores=$(nproc)
engine=$(docker version -f '{{.Server.Version}}' 2>/dev/null || echo '?')
echo
echo "Cyroid deploy benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $cores cores, load average at start $LOAD0, Docker engine $engine, DinD mode $MODE"
echo "sample blueprint corp-lan (2 networks, 2 VMs); times in seconds"
printf '%-52s %4s  %7s  %7s  %7s\n' "measurement" "n" "min" "median" "max"
printf '%-52s %s\n' "Cyroid POST -> DEPLOYED seen by polling, sequential" "$(stats "$RESULTS/cyroid-seq" 1)"
printf '%-52s %s\n' "Cyroid createdAt -> deployedAt (server), sequential" "$(stats "$RESULTS/cyroid-seq" 2)"
printf '%-52s %s\n' "Cyroid POST -> DEPLOYED, 2 concurrent (each)" "$(stats "$RESULTS/cyroid-par" 1)"
printf '%-52s %s\n' "Cyroid DELETE -> DESTROYED (all runs)" "$(cat "$RESULTS/cyroid-seq" "$RESULTS/cyroid-par" >"$WORK/all"; stats "$WORK/all" 3)"
printf '%-52s %s\n' "baseline docker CLI deploy, sequential" "$(stats "$RESULTS/base-seq" 1)"
printf '%-52s %s\n' "baseline docker CLI deploy, 2 concurrent (each)" "$(stats "$RESULTS/base-par" 1)"
printf '%-52s %s\n' "baseline removal (all runs)" "$(cat "$RESULTS/base-seq" "$RESULTS/base-par" >"$WORK/allb"; stats "$WORK/allb" 2)"
echo
echo "where the time goes (medians of the sequential runs, seconds; Cyroid from the event timestamps of /events)"
printf '%-52s %8s  %8s\n' "step" "Cyroid" "baseline"
ms() { awk -v v="$1" 'BEGIN { printf "%8.2f", v / 1000 }'; }
printf '%-52s %s  %8s\n' "POST accepted -> RangeRequested appended" "$(ms "$(median "$RESULTS/cyroid-seq" 4)")" "-"
printf '%-52s %s  %s\n' "DinD created + started, inner engine answers" "$(ms "$(median "$RESULTS/cyroid-seq" 5)")" "$(ms "$(median "$RESULTS/base-seq" 3)")"
printf '%-52s %s  %s\n' "2 inner networks created" "$(ms "$(median "$RESULTS/cyroid-seq" 6)")" "$(ms "$(median "$RESULTS/base-seq" 4)")"
printf '%-52s %s  %s\n' "VM image copied in (save | load)" "$(ms "$(median "$RESULTS/cyroid-seq" 7)")" "$(ms "$(median "$RESULTS/base-seq" 5)")"
printf '%-52s %s  %s\n' "2 VMs created with their IPs and started" "$(ms "$(median "$RESULTS/cyroid-seq" 8)")" "$(ms "$(median "$RESULTS/base-seq" 6)")"
printf '%-52s %s  %8s\n' "RangeDeployed -> DEPLOYED seen by the polling client" "$(ms "$(median "$RESULTS/cyroid-seq" 9)")" "-"
echo
awk -v c="$(median "$RESULTS/cyroid-seq" 1)" -v b="$(median "$RESULTS/base-seq" 1)" \
    -v cp="$(median "$RESULTS/cyroid-par" 1)" -v bp="$(median "$RESULTS/base-par" 1)" 'BEGIN {
  printf "ratio Cyroid / baseline (medians): sequential %.2f, 2 concurrent %.2f\n", c / b, cp / bp }'
