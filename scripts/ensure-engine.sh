#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine, and that the tools the
# image scripts need (debootstrap, busybox-static) are installed.
#
# - If `docker info` answers, the engine is left as it is.
# - Otherwise, as root on Debian: installs docker.io (+ iptables) if missing,
#   starts dockerd in the background (no systemd here), logs to
#   /var/log/cyroid-dockerd.log, and waits up to 60 s for it to answer.
# Idempotent: safe to run again and again.
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=ensure-engine.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

DOCKERD_LOG=${CYROID_DOCKERD_LOG:-/var/log/cyroid-dockerd.log}
WAIT_SECONDS=${CYROID_ENGINE_WAIT:-60}

is_debian_root() { [ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; }

engine_answers() { docker info >/dev/null 2>&1; }

ensure_image_tools() {
  # build-dind-image.sh (offline path) needs debootstrap, build-vm-image.sh
  # needs busybox-static. Only installable here on Debian as root.
  if is_debian_root; then
    apt_ensure debootstrap busybox-static
  else
    pkg_installed debootstrap busybox-static 2>/dev/null \
      || log "note: debootstrap/busybox-static not checked (not root on Debian); the image scripts will say if they need them"
  fi
}

if engine_answers; then
  log "docker engine answers ($(docker version -f '{{.Server.Version}}' 2>/dev/null || echo '?'))"
  ensure_image_tools
  exit 0
fi

if ! is_debian_root; then
  die "no Docker engine answers and this is not root on Debian. Install and start a Docker engine (Debian: apt-get install docker.io iptables; then start dockerd), and make sure 'docker info' works for this user."
fi

apt_ensure docker.io iptables debootstrap busybox-static

# A dockerd may already be starting (another run, or one that is slow): do not
# start a second one on the same data root.
running_pid=""
if [ -f /var/run/docker.pid ]; then
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then running_pid=$pid; fi
fi

if [ -n "$running_pid" ]; then
  log "dockerd already running (pid $running_pid), waiting for it to answer"
else
  log "starting dockerd in the background (log: $DOCKERD_LOG)"
  # setsid+nohup: the engine must outlive this script and its process group.
  setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
fi

for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
  if engine_answers; then
    log "docker engine answers after ~$((i / 2)) s ($(docker version -f '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    exit 0
  fi
  sleep 0.5
done
log "last lines of $DOCKERD_LOG:"
tail -n 20 "$DOCKERD_LOG" >&2 || true
die "dockerd did not answer within ${WAIT_SECONDS} s"
