#!/usr/bin/env bash
# Builds the Cyroid DinD image ${DIND_IMAGE:-cyroid/dind:latest}.
#
# Usage: scripts/build-dind-image.sh [--force] [--official|--offline]
#   --force     rebuild even if the image is up to date
# The image carries a label cyroid.dind-source with a hash of docker/daemon.json, docker/dind-entrypoint.sh and
# docker/Dockerfile.dind-base: an image built from other versions of them is rebuilt.
#   --official  build FROM docker:dind (docker/Dockerfile.dind-base); pulls
#               docker:dind if it is not present locally (needs a registry)
#   --offline   build from Debian packages with debootstrap + docker import
# Default (auto): docker:dind present locally -> official; otherwise, where
# debootstrap can run (Debian, root) -> offline, so that no registry is
# contacted; otherwise try to pull docker:dind (20 s timeout).
# Env: DIND_IMAGE, CYROID_DEBIAN_MIRROR (default: the mirror apt uses here),
#      CYROID_DEBIAN_SUITE (default bookworm).
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=build-dind-image.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

IMAGE=${DIND_IMAGE:-cyroid/dind:latest}
SUITE=${CYROID_DEBIAN_SUITE:-bookworm}
FORCE=0
MODE=auto
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --official) MODE=official ;;
    --offline) MODE=offline ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg" ;;
  esac
done

docker info >/dev/null 2>&1 || die "no Docker engine answers (run scripts/ensure-engine.sh first)"

SOURCE_HASH=$(cat "$CYROID_ROOT/docker/daemon.json" "$CYROID_ROOT/docker/dind-entrypoint.sh" \
  "$CYROID_ROOT/docker/Dockerfile.dind-base" | sha256sum | cut -c1-16)
if [ "$FORCE" = 0 ] && image_exists "$IMAGE"; then
  built_from=$(docker image inspect -f '{{index .Config.Labels "cyroid.dind-source"}}' "$IMAGE" 2>/dev/null || true)
  if [ "$built_from" = "$SOURCE_HASH" ]; then
    log "image $IMAGE is up to date (use --force to rebuild)"
    exit 0
  fi
  log "image $IMAGE was built from other sources (${built_from:-unlabelled}, now $SOURCE_HASH): rebuilding"
fi

can_debootstrap() { [ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ]; }

build_official() {
  if ! image_exists docker:dind; then
    log "pulling docker:dind (20 s timeout)"
    timeout 20 docker pull -q docker:dind >/dev/null 2>&1 || return 1
  fi
  log "docker build -f docker/Dockerfile.dind-base docker/ -> $IMAGE"
  docker build -q -t "$IMAGE" --label "cyroid.dind-source=$SOURCE_HASH" \
    -f "$CYROID_ROOT/docker/Dockerfile.dind-base" "$CYROID_ROOT/docker" >/dev/null
}

build_offline() {
  can_debootstrap || die "offline build needs root on Debian (debootstrap); or use --official on a host that reaches a registry"
  apt_ensure debootstrap
  local mirror cache tmp
  mirror=$(debian_mirror)
  # Downloaded .debs are kept under the project's .cache/ to speed re-runs.
  cache="$CYROID_ROOT/.cache/debootstrap/$SUITE"
  mkdir -p "$cache"
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/cyroid-dind-rootfs.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  log "debootstrap $SUITE from $mirror (cache: .cache/debootstrap/$SUITE)"
  if ! debootstrap --variant=minbase --cache-dir="$cache" \
        --include=docker.io,iptables,iproute2,ca-certificates \
        "$SUITE" "$tmp/rootfs" "$mirror" >"$tmp/debootstrap.log" 2>&1; then
    tail -n 30 "$tmp/debootstrap.log" >&2
    die "debootstrap failed"
  fi
  local r="$tmp/rootfs"
  install -D -m 0644 "$CYROID_ROOT/docker/daemon.json" "$r/etc/docker/daemon.json"
  install -D -m 0755 "$CYROID_ROOT/docker/dind-entrypoint.sh" "$r/usr/local/bin/cyroid-dind-entrypoint"
  mkdir -p "$r/run/cyroid" "$r/var/lib/docker"
  # Slimmer image: no package caches or lists, no docs.
  rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/* \
         "$r"/usr/share/doc/* "$r"/usr/share/man/* "$r"/usr/share/locale/*
  log "docker import -> $IMAGE"
  tar -C "$r" -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'VOLUME /var/lib/docker' \
    -c 'LABEL cyroid.managed=true' \
    -c "LABEL cyroid.dind-source=$SOURCE_HASH" \
    -c 'ENTRYPOINT ["/usr/local/bin/cyroid-dind-entrypoint"]' \
    - "$IMAGE" >/dev/null
  rm -rf "$tmp"
  trap - EXIT
}

old_id=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
case "$MODE" in
  official) build_official || die "cannot build from docker:dind (no registry? try --offline)" ;;
  offline) build_offline ;;
  auto)
    if image_exists docker:dind; then
      build_official
    elif can_debootstrap; then
      build_offline
    elif ! build_official; then
      die "docker:dind cannot be pulled and debootstrap cannot run here (needs root on Debian)"
    fi ;;
esac
# A rebuild leaves the previous image untagged: drop it unless something uses it.
new_id=$(docker image inspect -f '{{.Id}}' "$IMAGE")
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
  docker rmi "$old_id" >/dev/null 2>&1 || true
fi
log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1000000}'))"
