#!/usr/bin/env bash
# Restarts the host Docker engine the way a host reboot or an engine upgrade would: dockerd stops gracefully
# (SIGTERM: it stops every container, which is what leaves the DinDs of the ranges exited), then it is started again
# in the background exactly as ensure-engine.sh starts it, and the script returns once the engine answers.
#
# For a machine of its own only: every container on the engine stops, also those of anyone else using it.
# Root, with dockerd started by hand or by ensure-engine.sh (no systemd). dockerd is started again with the command
# line it had. CYROID_DOCKERD_PIDFILE (default /var/run/docker.pid) picks another engine, e.g. a scratch engine
# started with --pidfile; the readiness check uses DOCKER_HOST like any docker command.
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=restart-engine.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

DOCKERD_LOG=${CYROID_DOCKERD_LOG:-/var/log/cyroid-dockerd.log}
WAIT_SECONDS=${CYROID_ENGINE_WAIT:-60}
PID_FILE=${CYROID_DOCKERD_PIDFILE:-/var/run/docker.pid}

[ "$(id -u)" -eq 0 ] || die "run as root: it stops and starts dockerd"
[ -f "$PID_FILE" ] || die "no $PID_FILE: dockerd is not running, or not started the way ensure-engine.sh starts it"
pid=$(cat "$PID_FILE")
kill -0 "$pid" 2>/dev/null || die "dockerd (pid $pid from $PID_FILE) is not running"
[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = dockerd ] || die "pid $pid from $PID_FILE is not dockerd"

# its command line, NUL-separated, to start it again the same way
mapfile -d '' cmdline <"/proc/$pid/cmdline"
[ "${#cmdline[@]}" -gt 0 ] || die "cannot read the command line of dockerd (pid $pid)"

log "stopping dockerd (pid $pid): it stops every container first"
start=$(date +%s)
kill -TERM "$pid"
# dockerd gives each container its stop timeout (10 s by default) before it kills it
for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
kill -0 "$pid" 2>/dev/null && die "dockerd (pid $pid) did not stop within ${WAIT_SECONDS} s"
log "dockerd stopped after $(($(date +%s) - start)) s; starting it again (log: $DOCKERD_LOG)"

setsid nohup "${cmdline[@]}" >>"$DOCKERD_LOG" 2>&1 </dev/null &
for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
  if docker info >/dev/null 2>&1; then
    log "docker engine answers again, $(($(date +%s) - start)) s after the stop began"
    exit 0
  fi
  sleep 0.5
done
log "last lines of $DOCKERD_LOG:"
tail -n 20 "$DOCKERD_LOG" >&2 || true
die "dockerd did not answer within ${WAIT_SECONDS} s of its start"
