#!/usr/bin/env bash
# Builds the tiny range "VM" image ${VM_IMAGE:-cyroid/vm-busybox:latest} from
# Debian's busybox-static: /bin/busybox plus a link for every applet, a minimal
# /etc/passwd and /etc/group, /tmp; CMD sleep infinity. No registry needed.
#
# Usage: scripts/build-vm-image.sh [--force]
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=build-vm-image.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

IMAGE=${VM_IMAGE:-cyroid/vm-busybox:latest}
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg" ;;
  esac
done

docker info >/dev/null 2>&1 || die "no Docker engine answers (run scripts/ensure-engine.sh first)"

if [ "$FORCE" = 0 ] && image_exists "$IMAGE"; then
  log "image $IMAGE already exists (use --force to rebuild)"
  exit 0
fi

if ! pkg_installed busybox-static; then
  if [ ! -f /etc/debian_version ] || [ "$(id -u)" -ne 0 ]; then
    die "needs Debian's busybox-static (apt-get install busybox-static)"
  fi
  apt_ensure busybox-static
fi
BUSYBOX=$(dpkg -L busybox-static | grep -E '/bin/busybox$' | head -n1)
[ -x "$BUSYBOX" ] || die "busybox-static is installed but its binary was not found"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cyroid-vm-rootfs.XXXXXX")
# shellcheck disable=SC2064
trap "rm -rf '$tmp'" EXIT
r="$tmp/rootfs"
mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,proc,sys,dev,run,var/www}
chmod 1777 "$r/tmp"
install -m 0755 "$BUSYBOX" "$r/bin/busybox"

# One symlink per applet, at the path busybox itself lists (--list-full).
n=0
while read -r applet; do
  [ -n "$applet" ] || continue
  [ "$applet" = bin/busybox ] && continue
  mkdir -p "$r/$(dirname "$applet")"
  [ -e "$r/$applet" ] || ln -s /bin/busybox "$r/$applet"
  n=$((n + 1))
done < <("$BUSYBOX" --list-full)

cat >"$r/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$r/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
GROUP
echo 'hosts: files dns' >"$r/etc/nsswitch.conf"

# Every tool the range scenarios and tests rely on must be there.
for tool in sh sleep ip ping nc httpd wget; do
  found=""
  for d in bin sbin usr/bin usr/sbin; do [ -e "$r/$d/$tool" ] && found=1; done
  [ -n "$found" ] || die "busybox applet '$tool' is missing"
done

old_id=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
log "docker import ($n applets) -> $IMAGE"
tar -C "$r" -c . | docker import \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'LABEL cyroid.managed=true' \
  -c 'CMD ["sleep","infinity"]' \
  - "$IMAGE" >/dev/null

# Smoke test: the tools run inside the image.
docker run --rm --network none "$IMAGE" sh -c \
  'for t in sh sleep ip ping nc httpd wget; do command -v $t >/dev/null || { echo "missing $t"; exit 1; }; done' \
  || die "smoke test of $IMAGE failed"
new_id=$(docker image inspect -f '{{.Id}}' "$IMAGE")
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
  docker rmi "$old_id" >/dev/null 2>&1 || true   # the previous, now untagged build
fi
log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.1f MB", $1/1000000}'))"
