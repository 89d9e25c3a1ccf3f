#!/usr/bin/env bash
# Builds the PostgreSQL image ${CYROID_POSTGRES_IMAGE:-cyroid/postgres:15} offline, from Debian's packages:
# debootstrap --variant=minbase with postgresql-15, then docker import. No registry is needed. The entrypoint
# (docker/postgres-entrypoint.sh) honours POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB like the official
# `postgres` image, so the integration tests use it through Testcontainers' PostgreSQLContainer as a compatible
# substitute for `postgres`.
#
# Usage: scripts/build-postgres-image.sh [--force]
#   --force  rebuild even if the image is up to date
# The image carries a label cyroid.postgres-source with a hash of the entrypoint and the Debian suite: an image
# built from another version of them is rebuilt. Needs root on Debian (debootstrap).
# Env: CYROID_POSTGRES_IMAGE, CYROID_DEBIAN_MIRROR (default: the mirror apt uses here),
#      CYROID_DEBIAN_SUITE (default bookworm, whose PostgreSQL is 15).
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=build-postgres-image.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

IMAGE=${CYROID_POSTGRES_IMAGE:-cyroid/postgres:15}
SUITE=${CYROID_DEBIAN_SUITE:-bookworm}
PG_MAJOR=15
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg" ;;
  esac
done

docker info >/dev/null 2>&1 || die "no Docker engine answers (run scripts/ensure-engine.sh first)"

SOURCE_HASH=$( (cat "$CYROID_ROOT/docker/postgres-entrypoint.sh"; echo "$SUITE postgresql-$PG_MAJOR") \
  | sha256sum | cut -c1-16)
if [ "$FORCE" = 0 ] && image_exists "$IMAGE"; then
  built_from=$(docker image inspect -f '{{index .Config.Labels "cyroid.postgres-source"}}' "$IMAGE" 2>/dev/null || true)
  if [ "$built_from" = "$SOURCE_HASH" ]; then
    log "image $IMAGE is up to date (use --force to rebuild)"
    exit 0
  fi
  log "image $IMAGE was built from other sources (${built_from:-unlabelled}, now $SOURCE_HASH): rebuilding"
fi

[ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ] \
  || die "building $IMAGE needs root on Debian (debootstrap)"
apt_ensure debootstrap

mirror=$(debian_mirror)
# Downloaded .debs are kept under the project's .cache/ to speed re-runs (shared with build-dind-image.sh).
cache="$CYROID_ROOT/.cache/debootstrap/$SUITE"
mkdir -p "$cache"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cyroid-postgres-rootfs.XXXXXX")
# shellcheck disable=SC2064
trap "rm -rf '$tmp'" EXIT
r="$tmp/rootfs"
# minbase has no /sbin/init, so invoke-rc.d starts no server in the chroot while the packages are configured.
log "debootstrap $SUITE with postgresql-$PG_MAJOR from $mirror (cache: .cache/debootstrap/$SUITE)"
if ! debootstrap --variant=minbase --cache-dir="$cache" --include="postgresql-$PG_MAJOR" \
      "$SUITE" "$r" "$mirror" >"$tmp/debootstrap.log" 2>&1; then
  tail -n 30 "$tmp/debootstrap.log" >&2
  die "debootstrap failed"
fi
bin="/usr/lib/postgresql/$PG_MAJOR/bin"
[ -x "$r$bin/postgres" ] || die "no $bin/postgres in the image's root filesystem"

# The package's own cluster (pg_createcluster in its postinst) is not used: the entrypoint runs initdb in PGDATA.
rm -rf "$r/etc/postgresql/$PG_MAJOR" "$r/var/lib/postgresql/$PG_MAJOR"
install -d -o "$(chroot "$r" id -u postgres)" -g "$(chroot "$r" id -g postgres)" -m 0700 \
  "$r/var/lib/postgresql/data"
install -D -m 0755 "$CYROID_ROOT/docker/postgres-entrypoint.sh" "$r/usr/local/bin/cyroid-postgres-entrypoint"
# Slimmer image: no package caches or lists, no docs.
rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/* \
       "$r"/usr/share/doc/* "$r"/usr/share/man/* "$r"/usr/share/locale/*

old_id=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
log "docker import -> $IMAGE"
tar -C "$r" -c . | docker import \
  -c "ENV PATH=$bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  -c 'ENV PGDATA=/var/lib/postgresql/data' \
  -c 'ENV LANG=C.UTF-8' \
  -c 'VOLUME /var/lib/postgresql/data' \
  -c 'EXPOSE 5432' \
  -c 'LABEL cyroid.managed=true' \
  -c "LABEL cyroid.postgres-source=$SOURCE_HASH" \
  -c 'ENTRYPOINT ["/usr/local/bin/cyroid-postgres-entrypoint"]' \
  -c 'CMD ["postgres"]' \
  - "$IMAGE" >/dev/null
rm -rf "$tmp"
trap - EXIT

# Smoke test: the server initialises, and answers with a password over TCP inside the container.
name="cyroid-postgres-smoke-$$"
docker run -d --name "$name" --network none --label cyroid.managed=true --label cyroid.role=smoke-test \
  -e POSTGRES_USER=smoke -e POSTGRES_PASSWORD=smoke -e POSTGRES_DB=smoke "$IMAGE" >/dev/null
smoke_ok=0
for _ in $(seq 1 120); do
  if docker exec -e PGPASSWORD=smoke "$name" psql -h 127.0.0.1 -U smoke -d smoke -tAc 'select 1' 2>/dev/null \
       | grep -qx 1; then
    smoke_ok=1
    break
  fi
  [ "$(docker inspect -f '{{.State.Running}}' "$name")" = true ] || break
  sleep 0.5
done
ready_lines=$(docker logs "$name" 2>&1 | grep -c 'database system is ready to accept connections' || true)
[ "$smoke_ok" = 1 ] && [ "$ready_lines" = 2 ] || {
  docker logs "$name" 2>&1 | tail -n 30 >&2
  docker rm -f -v "$name" >/dev/null 2>&1 || true
  die "smoke test of $IMAGE failed (query answered: $smoke_ok, 'ready' lines: $ready_lines, expected 2)"
}
docker rm -f -v "$name" >/dev/null

new_id=$(docker image inspect -f '{{.Id}}' "$IMAGE")
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
  docker rmi "$old_id" >/dev/null 2>&1 || true   # the previous, now untagged build
fi
log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1000000}'))"
