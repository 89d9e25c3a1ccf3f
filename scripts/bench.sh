#!/usr/bin/env bash
# The Cyroid benchmark harness (issue 6): deploy latency cold and warm against a plain docker CLI script, a large
# image into 1 and 10 ranges, a burst of ranges, density, destroy and a deploy+destroy loop, and the API under load.
# Prints one table (and the machine) to stdout and writes it as markdown to BENCH_OUT. See docs/performance.md,
# "Benchmark harness".
#
# Usage: scripts/bench.sh                       everything, full size
#        BENCH_PHASES=deploy,cli BENCH_RUNS=3 scripts/bench.sh
# Env (defaults):  BENCH_PHASES (all: deploy,cli,large,burst,density,destroy,api)  BENCH_RUNS (10)
#   BENCH_CYCLES (100)  BENCH_BURST (30)  BENCH_DENSITY_MAX (40)  BENCH_DENSITY_LIMIT_MS (30000)  BENCH_SETTLE (30 s)
#   BENCH_POOL_SIZE (2, the warm server)  BENCH_API_RATE (200/s)  BENCH_API_SECONDS (20)
#   BENCH_SSE_SUBSCRIBERS (500)  BENCH_TIMEOUT (300 s per wait)  BENCH_BUILD (1; 0 reuses api/target/cyroid-api.jar)
#   BENCH_OUT (target/bench/bench-<date>.md)  BENCH_RECONCILE (false)
#
# Three servers of its own, one after the other, each on a free loopback port with its own data and socket
# folders, all with the shipped shared images (the sample's image): "cold" (CYROID_POOL_SIZE=0) for the cold
# deploys, burst, density, destroy and API phases, "warm" (CYROID_POOL_SIZE=BENCH_POOL_SIZE) for the warm deploys,
# and "large" (no pool) for the large image, which its first deploy adds to the shared images. Their reconciler is off by default: on a shared engine it would remove other servers'
# ranges as orphans. Everything it makes is removed at the end, also after a failure or Ctrl-C: its ranges by
# their range-id labels, pool DinDs by their bind mount from its socket folder, the CLI baseline's objects by the
# label cyroid.bench. The HTTP side is scripts/bench/Bench.java (JDK only), compiled once into a temp folder.
set -Eeuo pipefail
export LC_ALL=C AXONIQ_UPDATE_CHECKER_DISABLED=true
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=bench.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

PHASES=${BENCH_PHASES:-all}
[ "$PHASES" = all ] && PHASES=deploy,cli,large,burst,density,destroy,api
RUNS=${BENCH_RUNS:-10}
CYCLES=${BENCH_CYCLES:-100}
BURST=${BENCH_BURST:-30}
DENSITY_MAX=${BENCH_DENSITY_MAX:-40}
DENSITY_LIMIT_MS=${BENCH_DENSITY_LIMIT_MS:-30000}
SETTLE=${BENCH_SETTLE:-30}
POOL_SIZE=${BENCH_POOL_SIZE:-2}
API_RATE=${BENCH_API_RATE:-200}
API_SECONDS=${BENCH_API_SECONDS:-20}
SSE_SUBSCRIBERS=${BENCH_SSE_SUBSCRIBERS:-500}
RECONCILE=${BENCH_RECONCILE:-false}
STAMP=$(date -u +%Y%m%dT%H%MZ)
OUT=${BENCH_OUT:-$CYROID_ROOT/target/bench/bench-$STAMP.md}
DIND_IMAGE=${DIND_IMAGE:-cyroid/dind:latest}
VM_IMAGE=cyroid/vm-busybox:latest
LARGE_IMAGE=cyroid/vm-large:latest
RANGES_NETWORK=${CYROID_RANGES_NETWORK:-cyroid-ranges}
BENCH_BP="$CYROID_ROOT/scripts/bench/bench-blueprint.yaml"
LARGE_BP="$CYROID_ROOT/scripts/bench/bench-large.yaml"
SAMPLE_BP="$CYROID_ROOT/api/src/main/resources/samples/corp-lan.yaml"
for n in RUNS CYCLES BURST DENSITY_MAX DENSITY_LIMIT_MS SETTLE POOL_SIZE API_RATE API_SECONDS SSE_SUBSCRIBERS; do
  [[ "${!n}" =~ ^[0-9]+$ ]] || die "BENCH_$n must be a number, not '${!n}'"
done
for p in ${PHASES//,/ }; do
  case "$p" in deploy|cli|large|burst|density|destroy|api) ;; *) die "unknown phase '$p' in BENCH_PHASES" ;; esac
done
has() { [[ ",$PHASES," == *",$1,"* ]]; }

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# --------------------------------------------------------------------------------------------------------- state
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cyroid-bench.XXXXXX")
SOCK_BASE=$(mktemp -d /tmp/cyb.XXXXXX)   # short: unix socket paths are limited to 107 bytes
RESULTS="$WORK/results"
CLASSES="$WORK/classes"
TAG="bench-$STAMP-$$"
LOGDIR="$(dirname "$OUT")/logs-$STAMP"
: >"$RESULTS"
: >"$WORK/cli-ranges"
SERVER_PID=""
SERVER_TAG=""
SAMPLER_PID=""
PASSWORD="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export BENCH_PASSWORD="$PASSWORD"

# Everything this run made, by what marks it as ours: range ids (from the results and the socket folders), the
# CLI baseline's label, and bind mounts from our socket folder (pool DinDs, whatever their labels).
remove_leftovers() {
  local ids c vols
  ids=$( { awk '$1 == "range" && $2 != "-" { print $2 }' "$RESULTS"; \
           find "$SOCK_BASE" -mindepth 2 -maxdepth 2 -type d -printf '%f\n' 2>/dev/null; } | sort -u)
  for id in $ids; do
    docker ps -aq --filter "label=cyroid.range-id=$id" | xargs -r docker rm -f -v >/dev/null 2>&1
    docker volume ls -q --filter "label=cyroid.range-id=$id" | xargs -r docker volume rm >/dev/null 2>&1
    docker network ls -q --filter "label=cyroid.range-id=$id" | xargs -r docker network rm >/dev/null 2>&1
  done
  docker ps -aq --filter "label=cyroid.bench=$TAG" | xargs -r docker rm -f -v >/dev/null 2>&1
  docker volume ls -q --filter "label=cyroid.bench=$TAG" | xargs -r docker volume rm >/dev/null 2>&1
  for c in $(docker ps -aq --filter label=cyroid.managed=true); do
    # shellcheck disable=SC2016 # a Go template
    if docker inspect -f '{{range .Mounts}}{{.Source}} {{end}}' "$c" 2>/dev/null | grep -q "$SOCK_BASE/"; then
      vols=$(docker inspect -f '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}' "$c")
      docker rm -f -v "$c" >/dev/null 2>&1
      # shared volumes (a golden volume) go only when no other container uses them: rm refuses otherwise
      for v in $vols; do docker volume rm "$v" >/dev/null 2>&1 || true; done
    fi
  done
  return 0
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  mkdir -p "$LOGDIR"
  cp "$WORK/server-$SERVER_TAG.log" "$LOGDIR/" 2>/dev/null || true
  SERVER_PID=""
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM ERR
  set +e
  [ -n "$SAMPLER_PID" ] && kill "$SAMPLER_PID" 2>/dev/null
  stop_server
  log "removing what the run made"
  remove_leftovers
  rm -rf "$SOCK_BASE" "$WORK"
  [ "$rc" = 0 ] || log "failed (exit $rc); everything it created is removed; server logs in $LOGDIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "command failed at line $LINENO"' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# Bench.java, results to the results file (and to $WORK/last for the caller).
bench() {
  local rc=0
  java -cp "$CLASSES" Bench "$@" >"$WORK/last" || rc=$?
  cat "$WORK/last" >>"$RESULTS"
  return "$rc"
}
value() { echo "value $1 $2" >>"$RESULTS"; }
sample() { echo "sample $1 $2" >>"$RESULTS"; }

# ------------------------------------------------------------------------------------------------------ prepare
for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; log "waiting for the Docker engine"; sleep 10; done
docker info >/dev/null 2>&1 || die "no Docker engine answers: run scripts/run.sh or scripts/prepare.sh first"
if ! image_exists "$DIND_IMAGE" || ! image_exists "$VM_IMAGE"; then
  log "images missing: running scripts/prepare.sh"
  "$CYROID_ROOT/scripts/prepare.sh"
fi
if has large && ! image_exists "$LARGE_IMAGE"; then
  "$CYROID_ROOT/scripts/build-large-vm-image.sh"
fi
docker network inspect "$RANGES_NETWORK" >/dev/null 2>&1 || "$CYROID_ROOT/scripts/init-networks.sh"
command -v javac >/dev/null 2>&1 || die "javac not found: run scripts/ensure-build-tools.sh"
JAR="$CYROID_ROOT/api/target/cyroid-api.jar"
if [ "${BENCH_BUILD:-1}" = 1 ] || [ ! -f "$JAR" ]; then
  log "building the server (mvn -B -q -DskipTests package)"
  (cd "$CYROID_ROOT" && mvn -B -q -Dstyle.color=never -DskipTests package) >&2
fi
cp "$JAR" "$WORK/cyroid-api.jar"   # a build in this checkout during the run must not pull the jar away
mkdir -p "$CLASSES" "$(dirname "$OUT")"
javac -encoding UTF-8 -d "$CLASSES" "$CYROID_ROOT/scripts/bench/Bench.java"

mem_total=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
value machine.date "$(date -u +%Y-%m-%dT%H:%MZ)"
value machine.cores "$(nproc)"
value machine.memory "$mem_total"
value machine.engine "$(docker version -f '{{.Server.Version}}' 2>/dev/null || echo '?')"
value machine.storage "$(docker info -f '{{.Driver}}, cgroup v{{.CgroupVersion}}' 2>/dev/null || echo '?')"
value machine.load "$(cut -d' ' -f1 /proc/loadavg)"
value phases "$PHASES"

# --------------------------------------------------------------------------------------------------- the server
free_port() {   # below the ephemeral range, and no socket of any state on it
  local p
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % 12000))
    [ -z "$(ss -Htan "( sport = :$p )" 2>/dev/null)" ] && ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null \
      && { echo "$p"; return 0; }
  done
  die "no free port found"
}

# start_server TAG POOL_SIZE GOLDEN_IMAGES: sets SERVER_PID, MODE, BENCH_API, BP_BENCH, BP_LARGE, BP_SAMPLE
start_server() {
  local attempt
  for attempt in 1 2 3; do
    start_server_once "$@" && return 0
    grep -q 'already in use' "$WORK/server-$1.log" || die "the server exited during start"
    log "port taken meanwhile (attempt $attempt); again on another port"
  done
  die "the server did not start"
}

start_server_once() {
  local tag=$1 pool=$2 golden=$3 port start
  port=$(free_port)
  SERVER_TAG=$tag
  mkdir -p "$WORK/data-$tag" "$SOCK_BASE/$tag"
  log "starting the $tag server on 127.0.0.1:$port (pool $pool, golden images '${golden:-none}')"
  (
    cd "$WORK"
    export SERVER_PORT="$port" CYROID_ADMIN_PASSWORD="$PASSWORD" CYROID_DATA_DIR="$WORK/data-$tag" \
           CYROID_SOCKET_DIR="$SOCK_BASE/$tag" CYROID_POOL_SIZE="$pool" CYROID_GOLDEN_IMAGES="$golden" \
           CYROID_RECONCILE_ENABLED="$RECONCILE"
    exec java -Daxoniq.update-checker.disabled=true -jar "$WORK/cyroid-api.jar" --server.address=127.0.0.1 \
      >"$WORK/server-$tag.log" 2>&1
  ) &
  SERVER_PID=$!
  export BENCH_API="http://127.0.0.1:$port"
  start=$(now_ms)
  until curl -fs -o /dev/null "$BENCH_API/actuator/health"; do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      tail -n 30 "$WORK/server-$tag.log" >&2
      wait "$SERVER_PID" 2>/dev/null || true
      SERVER_PID=""
      return 1
    fi
    [ $(( $(now_ms) - start )) -lt 240000 ] || { tail -n 30 "$WORK/server-$tag.log" >&2; die "server not healthy after 240 s"; }
    sleep 0.5
  done
  log "server healthy after $(( ($(now_ms) - start) / 1000 )) s"
  MODE=$(sed -nE 's/.*security mode ([A-Z]+).*/\1/p' "$WORK/server-$tag.log" | head -n1)
  [ -n "$MODE" ] || die "the server did not log its DinD security mode"
  value machine.mode "$MODE"
  BP_BENCH=$(register "$BENCH_BP")
  BP_LARGE=$(register "$LARGE_BP")
  BP_SAMPLE=$(register "$SAMPLE_BP")
}

register() {
  local body id
  body=$(curl -s -u "admin:$PASSWORD" -H 'Content-Type: application/yaml' --data-binary "@$1" \
           "$BENCH_API/api/v1/blueprints")
  id=$(grep -o '"id":"[^"]*"' <<<"$body" | head -n1 | cut -d'"' -f4)
  [ -n "$id" ] || die "registering $1 failed: $body"
  echo "$id"
}

# ids of the "range" lines of the last bench call that reached DEPLOYED, and their DinD container ids
last_ranges() { awk '$1 == "range" && $3 == "DEPLOYED" { print $2 }' "$WORK/last"; }
last_dinds() { awk '$1 == "range" && $3 == "DEPLOYED" && $5 != "-" { print $5 }' "$WORK/last"; }

destroy_last() {
  last_ranges >"$WORK/to-destroy"
  [ -s "$WORK/to-destroy" ] || return 0
  cp "$WORK/last" "$WORK/last-deployed"
  bench destroy ids="$WORK/to-destroy" series="${1:-destroy.bulk}"
  cp "$WORK/last-deployed" "$WORK/last"
}

# ---------------------------------------------------------------------------------------------- measurements
# Memory of the host engine: dockerd and containerd in our own pid namespace (the DinDs' inner engines run in
# theirs), RSS in bytes.
engine_rss() {
  local self p comm sum=0 kb
  self=$(readlink /proc/self/ns/pid)
  for p in /proc/[0-9]*; do
    comm=$(cat "$p/comm" 2>/dev/null) || continue
    case "$comm" in dockerd|containerd) ;; *) continue ;; esac
    [ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$self" ] || continue
    kb=$(awk '/^VmRSS/ { print $2 }' "$p/status" 2>/dev/null || echo 0)
    sum=$((sum + ${kb:-0}))
  done
  echo $((sum * 1024))
}

jvm_rss() { awk '/^VmRSS/ { printf "%.0f\n", $2 * 1024 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0; }

# The cgroup memory of containers (full ids on stdin): "usage working-set" in bytes, summed; working set = usage
# without the inactive page cache (what docker stats shows).
cgroup_mem() {
  local id dir usage inactive su=0 sw=0
  while read -r id; do
    [ -n "$id" ] || continue
    for dir in "/sys/fs/cgroup/memory/docker/$id" "/sys/fs/cgroup/system.slice/docker-$id.scope" \
               "/sys/fs/cgroup/docker/$id" ""; do
      [ -z "$dir" ] || [ -d "$dir" ] && break
    done
    [ -n "$dir" ] || continue
    if [ -f "$dir/memory.usage_in_bytes" ]; then
      usage=$(cat "$dir/memory.usage_in_bytes")
      inactive=$(awk '$1 == "total_inactive_file" { print $2 }' "$dir/memory.stat")
    else
      usage=$(cat "$dir/memory.current")
      inactive=$(awk '$1 == "inactive_file" { print $2 }' "$dir/memory.stat")
    fi
    su=$((su + usage)); sw=$((sw + usage - ${inactive:-0}))
  done
  echo "$su $sw"
}

# Full ids of the DinDs of this run's current server: containers with a bind mount from its socket folder.
my_dinds() {
  local ids
  ids=$(docker ps -q --filter label=cyroid.managed=true)
  [ -n "$ids" ] || return 0
  # shellcheck disable=SC2016,SC2086 # a Go template; ids are words
  docker inspect -f '{{.Id}} {{range .Mounts}}{{.Source}} {{end}}' $ids 2>/dev/null \
    | grep -F " $SOCK_BASE/$SERVER_TAG/" | cut -d' ' -f1 || true
}

sampler() {   # every second: engine-rss dind-usage dind-ws jvm-rss
  while :; do
    echo "$(engine_rss) $(my_dinds | cgroup_mem) $(jvm_rss)"
    sleep 1
  done
}

# Disk of the given DinD containers (ids on stdin): du of every volume they mount (a shared golden volume once),
# and of bind sources inside the engine's volume folder.
dinds_disk() {
  local root paths=() c m
  root=$(docker info -f '{{.DockerRootDir}}')
  while read -r c; do
    [ -n "$c" ] || continue
    # shellcheck disable=SC2016 # a Go template
    while read -r m; do
      [ -n "$m" ] || continue
      case "$m" in
        volume:*) paths+=("$(docker volume inspect -f '{{.Mountpoint}}' "${m#volume:}")") ;;
        bind:"$root"/volumes/*) paths+=("${m#bind:}") ;;
      esac
    done < <(docker inspect -f '{{range .Mounts}}{{.Type}}:{{if eq .Type "volume"}}{{.Name}}{{else}}{{.Source}}{{end}}{{"\n"}}{{end}}' "$c")
  done
  [ "${#paths[@]}" -gt 0 ] || { echo 0; return; }
  printf '%s\n' "${paths[@]}" | sort -u | tr '\n' '\0' | xargs -0 du -sxkc 2>/dev/null | awk 'END { printf "%.0f\n", $1 * 1024 }'
}

heap_after_gc() {
  jcmd "$SERVER_PID" GC.run >/dev/null
  sleep 1
  jcmd "$SERVER_PID" GC.heap_info | grep -o 'used [0-9]*K' | head -n1 | tr -d K | awk '{ printf "%.0f\n", $2 * 1024 }'
}

# ------------------------------------------------------------------------------------------- the CLI baseline
# The bench blueprint, parsed from its one-line-per-item flow style: "NET name subnet gateway" and
# "VM name image net=ip... -- command...", and "RES memory cpus".
plan() {
  awk '
    /^networks:/ { sec = "n" } /^vms:/ { sec = "v" }
    /^resources:/ { m = $0; sub(/.*memory: */, "", m); sub(/[,}].*/, "", m)
                    c = $0; sub(/.*cpus: */, "", c); sub(/[,}].*/, "", c); print "RES", m, c }
    /^  - \{/ {
      line = $0
      name = line; sub(/.*\{name: */, "", name); sub(/,.*/, "", name)
      if (sec == "n") {
        s = line; sub(/.*subnet: */, "", s); sub(/[,}].*/, "", s)
        g = line; sub(/.*gateway: */, "", g); sub(/[,}].*/, "", g)
        print "NET", name, s, g
      } else if (sec == "v") {
        img = line; sub(/.*image: */, "", img); sub(/,.*/, "", img)
        out = "VM " name " " img
        rest = line
        while (match(rest, /network: *[^,]+, *ip: *[0-9.]+/)) {
          nic = substr(rest, RSTART, RLENGTH); rest = substr(rest, RSTART + RLENGTH)
          n = nic; sub(/network: */, "", n); sub(/,.*/, "", n)
          ip = nic; sub(/.*ip: */, "", ip)
          out = out " " n "=" ip
        }
        cmd = line; if (sub(/.*command: *\[/, "", cmd)) { sub(/\].*/, "", cmd); gsub(/, */, " ", cmd); out = out " -- " cmd }
        print out
      }
    }' "$1"
}

# The DinD's rights, as DockerRangeEngine.securityFor gives them in the server's mode (into the array SEC).
security_flags() {
  if [ "$MODE" = PRIVILEGED ]; then
    SEC=(--privileged)
  else
    # CAPABILITIES (DindSecurity.CAPABILITIES); systempaths=unconfined = its empty MaskedPaths/ReadonlyPaths
    SEC=(--cap-drop ALL --security-opt seccomp=unconfined --security-opt apparmor=unconfined
         --security-opt systempaths=unconfined)
    for cap in CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP SETFCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT AUDIT_WRITE MKNOD NET_ADMIN SYS_ADMIN; do SEC+=(--cap-add "$cap"); done
  fi
}

# One deploy of the bench blueprint by hand, one step after the other, as DockerRangeEngine does it.
cli_run() {
  local id="$TAG-cli-$1" name sock t0 ta tb tc t1 kind a b c d nic vmname image first rest cmd=() labels
  local -a inner
  name="cyroid-range-$id"
  sock="$SOCK_BASE/cli/$id"
  echo "$id" >>"$WORK/cli-ranges"
  labels=(--label cyroid.managed=true --label "cyroid.range-id=$id" --label "cyroid.bench=$TAG")
  mkdir -p "$sock"
  read -r _ mem cpus < <(grep '^RES' "$WORK/plan")
  t0=$(now_ms)
  docker volume create "${labels[@]}" "$name-docker" >/dev/null
  security_flags
  docker run -d --name "$name" --hostname range "${labels[@]}" --label cyroid.role=dind "${SEC[@]}" \
    --network "$RANGES_NETWORK" --cgroupns private --memory "$mem" --cpus "$cpus" --pids-limit 4096 \
    --tmpfs /run:rw,exec \
    --mount "type=volume,src=$name-docker,dst=/var/lib/docker" \
    --mount "type=bind,src=$sock,dst=/run/cyroid" \
    "$DIND_IMAGE" >/dev/null
  local deadline=$(( $(now_ms) + 60000 ))
  until [ -S "$sock/docker.sock" ] && curl -fs -o /dev/null --unix-socket "$sock/docker.sock" http://inner/_ping; do
    [ "$(docker inspect -f '{{.State.Running}}' "$name")" = true ] || { docker logs --tail 10 "$name" >&2; return 1; }
    [ "$(now_ms)" -lt "$deadline" ] || { log "CLI $id: inner engine did not answer"; return 1; }
    sleep 0.1
  done
  ta=$(now_ms)
  inner=(docker -H "unix://$sock/docker.sock")
  while read -r kind a b c; do
    [ "$kind" = NET ] || continue
    "${inner[@]}" network create --driver bridge --internal --subnet "$b" --gateway "$c" "${labels[@]}" "$a" >/dev/null
  done <"$WORK/plan"
  tb=$(now_ms)
  for image in $(awk '$1 == "VM" { print $3 }' "$WORK/plan" | sort -u); do
    docker save "$image" | "${inner[@]}" load -q >/dev/null
  done
  tc=$(now_ms)
  while read -r kind vmname image rest; do
    [ "$kind" = VM ] || continue
    cmd=()
    [[ "$rest" == *" -- "* ]] && read -r -a cmd <<<"${rest#* -- }"
    read -r -a nics <<<"${rest%% -- *}"
    first=${nics[0]}
    "${inner[@]}" create --name "$vmname" --hostname "$vmname" "${labels[@]}" --label cyroid.role=vm \
      --network "${first%%=*}" --ip "${first#*=}" "$image" "${cmd[@]}" >/dev/null
    for nic in "${nics[@]:1}"; do
      "${inner[@]}" network connect --ip "${nic#*=}" "${nic%%=*}" "$vmname"
    done
    "${inner[@]}" start "$vmname" >/dev/null
  done < <(grep '^VM' "$WORK/plan")
  t1=$(now_ms)
  # the same outcome as Cyroid's: every VM runs with its blueprint IPs (checked outside the timing)
  # shellcheck disable=SC2016 # a Go template
  d=$("${inner[@]}" ps -q | xargs "${inner[@]}" inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' \
        | tr ' ' '\n' | grep -c . || true)
  [ "$d" = "$(grep '^VM' "$WORK/plan" | tr ' ' '\n' | grep -c '=')" ] || { log "CLI $id: $d addresses, not all VMs run"; return 1; }
  docker rm -f -v "$name" >/dev/null
  docker volume rm "$name-docker" >/dev/null
  rm -rf "$sock"
  sample cli $((t1 - t0))
  sample cli.step.DinDCreated $((ta - t0))
  sample cli.step.NetworkCreated $((tb - ta))
  sample cli.step.ImagesSeeded $((tc - tb))
  sample cli.step.VmStarted $((t1 - tc))
  log "cli run $1: $((t1 - t0)) ms (DinD $((ta - t0)), networks $((tb - ta)), images $((tc - tb)), VMs $((t1 - tc)))"
}

# ------------------------------------------------------------------------------------------------------ phases
phase_deploy_cli() {
  local i
  plan "$BENCH_BP" >"$WORK/plan"
  log "== deploy (cold) and cli: $RUNS runs each, interleaved, after one untimed warm-up of each"
  if has deploy; then bench deploy blueprint="$BP_BENCH" runs=1 series=warmup; fi
  if has cli; then
    cli_run warmup
    sed -i '/^sample cli/d' "$RESULTS"
  fi
  for i in $(seq 1 "$RUNS"); do
    if has deploy; then bench deploy blueprint="$BP_BENCH" runs=1 series=cold; fi
    if has cli; then cli_run "$i"; fi
  done
}

phase_burst() {
  log "== burst: $BURST ranges of corp-lan at once"
  sampler >"$WORK/samples" &
  SAMPLER_PID=$!
  local rc=0
  bench many blueprint="$BP_SAMPLE" count="$BURST" series=burst name=burst || rc=$?
  sleep 2
  kill "$SAMPLER_PID" 2>/dev/null || true
  wait "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=""
  value burst.count "$BURST"
  awk '{ for (i = 1; i <= 4; i++) if ($i > m[i]) m[i] = $i }
       END { print "value burst.peak.engine", m[1]; print "value burst.peak.dind_usage", m[2];
             print "value burst.peak.dind_ws", m[3]; print "value burst.peak.jvm", m[4] }' "$WORK/samples" >>"$RESULTS"
  destroy_last destroy.burst
  return "$rc"
}

phase_density() {
  log "== density: bench-6vm ranges one after another, up to $DENSITY_MAX"
  bench density blueprint="$BP_BENCH" max="$DENSITY_MAX" limit-ms="$DENSITY_LIMIT_MS"
  local n mem
  n=$(last_ranges | wc -l)
  if [ "$n" -gt 0 ]; then
    log "density: $n range(s) up; settling $SETTLE s before measuring their memory"
    sleep "$SETTLE"
    mem=$(last_dinds | cgroup_mem)
    value density.idle_usage "$(( ${mem% *} / n ))"
    value density.idle_ws "$(( ${mem#* } / n ))"
    value density.measured "$n"
    value density.settle_s "$SETTLE"
    log "density: per idle range $(( ${mem% *} / n / 1000000 )) MB usage, $(( ${mem#* } / n / 1000000 )) MB without page cache"
  fi
  destroy_last destroy.density
}

phase_destroy() {
  log "== destroy: $CYCLES deploy+destroy cycles"
  value cycle.heap_start "$(heap_after_gc)"
  local rc=0 ids left
  bench cycles blueprint="$BP_BENCH" count="$CYCLES" series=cycle || rc=$?
  ids=$(awk '$1 == "range" { print $2 }' "$WORK/last" | sort -u)
  # shellcheck disable=SC2016 # Go templates
  left=$( { docker ps -a --filter label=cyroid.managed=true --format '{{.Label "cyroid.range-id"}}';
            docker volume ls --filter label=cyroid.managed=true --format '{{.Label "cyroid.range-id"}}';
            docker network ls --filter label=cyroid.managed=true --format '{{.Label "cyroid.range-id"}}'; } \
          | grep -Fxf <(echo "$ids") | wc -l || true)
  value cycle.count "$CYCLES"
  value cycle.leftovers "$left"
  value cycle.heap_end "$(heap_after_gc)"
  return "$rc"
}

phase_api() {
  log "== api: one bench-6vm range, $SSE_SUBSCRIBERS SSE subscribers and a VM stop, then GET at $API_RATE/s"
  bench many blueprint="$BP_BENCH" count=1 series=api.setup name=api
  local id rc=0
  id=$(last_ranges | head -n1)
  [ -n "$id" ] || { log "api: the range did not deploy"; return 1; }
  cp "$WORK/last" "$WORK/api-range"
  bench fanout id="$id" subscribers="$SSE_SUBSCRIBERS" vm=web || rc=$?
  value api.rate "$API_RATE"
  value api.seconds "$API_SECONDS"
  bench load id="$id" rate="$API_RATE" seconds="$API_SECONDS" || rc=$?
  cp "$WORK/api-range" "$WORK/last"
  destroy_last destroy.api
  return "$rc"
}

phase_warm() {
  log "== deploy (warm): $RUNS runs, each after the pool is full"
  local rc=0
  java -cp "$CLASSES" Bench pool-wait timeout-s=600 || rc=$?
  if [ "$rc" = 4 ]; then
    value warm.na "n/a (no pool in this build)"
    return 0
  fi
  [ "$rc" = 0 ] || return "$rc"
  bench deploy blueprint="$BP_BENCH" runs=1 series=warmup pool=true
  bench deploy blueprint="$BP_BENCH" runs="$RUNS" series=warm pool=true
}

# The large image as a class meets it: the first range of a blueprint with an image that is not shared yet pays
# for the image (its DinD loads it, and the deploy adds it to the shared images in the background); the class's
# ten ranges, requested at once after that, start from the shared copy. Shared copies holding the large image from
# an earlier run are removed first (only unused ones: the engine refuses the others), so the first range pays.
phase_large() {
  local v start
  log "== large: cyroid/vm-large into 1 range, then into 10 at once"
  for v in $(docker volume ls -q --filter label=cyroid.role=golden 2>/dev/null); do
    if docker volume inspect -f '{{ index .Labels "cyroid.golden.images" }}' "$v" 2>/dev/null \
         | grep -q "$LARGE_IMAGE"; then
      docker volume rm "$v" >/dev/null 2>&1 && log "large: removed the unused shared copy $v of an earlier run"
    fi
  done
  value large.config "no warm pool; shared images at start: $VM_IMAGE; the first deploy adds $LARGE_IMAGE"
  bench many blueprint="$BP_LARGE" count=1 series=large1 name=large1
  value large1.disk_bytes "$(last_dinds | dinds_disk)"
  destroy_last destroy.large
  start=$(now_ms)
  until curl -fs -u "admin:$PASSWORD" "$BENCH_API/api/v1/pool" | grep -q "\"images\":\[[^]]*$LARGE_IMAGE"; do
    [ $(( $(now_ms) - start )) -lt 600000 ] || die "the large image was not added to the shared images in 600 s"
    sleep 0.5
  done
  value large.shared_build "$(sed -nE 's/.*shared images (cyroid-golden-[0-9a-f]+) built in ([0-9]+) ms.*/\2 ms/p' \
                              "$WORK/server-$SERVER_TAG.log" | tail -n1)"
  bench many blueprint="$BP_LARGE" count=10 series=large10 name=large10
  value large10.disk_bytes "$(last_dinds | dinds_disk)"
  destroy_last destroy.large
  log "large: disk $(awk '$2 == "large1.disk_bytes" { printf "1 range %.0f MB, ", $3 / 1e6 }
                          $2 == "large10.disk_bytes" { printf "10 ranges %.0f MB", $3 / 1e6 }' "$RESULTS")"
}

# Runs one phase in a subshell with set -e in force; a failed phase is logged and the next one runs.
run_phase() {
  local name=$1 rc=0
  shift
  set +e
  ( set -e; "$@" )
  rc=$?
  set -e
  if [ "$rc" != 0 ]; then
    log "phase $name FAILED (exit $rc); going on"
    value "phase.$name.failed" "exit $rc"
    FAILED_PHASES="${FAILED_PHASES:-} $name"
  fi
  return 0
}

# --------------------------------------------------------------------------------------------------------- runs
if has deploy || has cli || has burst || has density || has destroy || has api; then
  start_server cold 0 "$VM_IMAGE"
  if has deploy || has cli; then run_phase deploy-cli phase_deploy_cli; fi
  if has burst; then run_phase burst phase_burst; fi
  if has density; then run_phase density phase_density; fi
  if has destroy; then run_phase destroy phase_destroy; fi
  if has api; then run_phase api phase_api; fi
  stop_server
fi
if has deploy; then
  start_server warm "$POOL_SIZE" "$VM_IMAGE"
  run_phase warm phase_warm
  stop_server
fi
if has large; then
  start_server large 0 "$VM_IMAGE"
  run_phase large phase_large
  stop_server
fi

java -cp "$CLASSES" Bench report results="$RESULTS" >"$OUT"
if [ -n "${FAILED_PHASES:-}" ]; then
  printf '\nFailed phases:%s (see the server logs in %s)\n' "$FAILED_PHASES" "$LOGDIR" >>"$OUT"
fi
cp "$RESULTS" "${OUT%.md}.results"
cat "$OUT"
log "table written to $OUT (raw figures: ${OUT%.md}.results)"
