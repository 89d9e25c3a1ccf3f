#!/usr/bin/env bash
# Builds Cyroid and starts it on :8080 (SERVER_PORT) with the embedded stores under ./data and the sample
# blueprint registered. Prepares the machine first (Docker engine, DinD and VM images, host networks).
#   scripts/run.sh                 server in the foreground (Ctrl-C stops it)
#   scripts/run.sh --background    server in the background, log in data/cyroid.log; returns once it is healthy
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=run.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
cd "$CYROID_ROOT"

background=0
[ "${1:-}" = "--background" ] && background=1

scripts/ensure-build-tools.sh
scripts/prepare.sh

log "building the server (mvn package, tests skipped: scripts/test.sh runs them)"
mvn -B -q -DskipTests package

export AXONIQ_UPDATE_CHECKER_DISABLED=true   # Axon's update checker would call an outside host
export CYROID_SAMPLE_BLUEPRINT=true
export CYROID_DATA_DIR="${CYROID_DATA_DIR:-$CYROID_ROOT/data}"
port="${SERVER_PORT:-8080}"
mkdir -p "$CYROID_DATA_DIR"

if [ -n "${CYROID_ADMIN_PASSWORD:-}" ]; then
  login="user admin, password from CYROID_ADMIN_PASSWORD"
else
  login="user admin, password in the log line 'generated password for user 'admin'' (or set CYROID_ADMIN_PASSWORD)"
fi
cat >&2 <<MSG
[run.sh] Cyroid on http://localhost:$port   API: /api/v1   docs: /swagger-ui.html   health: /actuator/health
[run.sh] log in with HTTP Basic: $login
[run.sh] e.g. curl -u admin:PASSWORD http://localhost:$port/api/v1/blueprints
MSG

jar="$CYROID_ROOT/api/target/cyroid-api.jar"
if [ "$background" = 0 ]; then
  exec java -Daxoniq.update-checker.disabled=true -jar "$jar"
fi

logfile="$CYROID_DATA_DIR/cyroid.log"
nohup java -Daxoniq.update-checker.disabled=true -jar "$jar" >"$logfile" 2>&1 &
pid=$!
echo "$pid" >"$CYROID_DATA_DIR/cyroid.pid"
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/actuator/health" >/dev/null 2>&1; then
    log "server up (pid $pid), log in $logfile"
    grep -m1 "generated password" "$logfile" >&2 || true
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || { tail -n 30 "$logfile" >&2; die "the server exited; see $logfile"; }
  sleep 1
done
die "the server did not become healthy within 120 s; see $logfile"
