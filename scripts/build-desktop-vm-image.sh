#!/usr/bin/env bash
# Builds the sample graphical range "VM" image ${DESKTOP_VM_IMAGE:-cyroid/vm-desktop:latest} from Debian packages
# (debootstrap --variant=minbase, no registry): TigerVNC's Xvnc (X server and VNC server in one) on display :0,
# port 5900, bound to the VM's loopback only and without a password, the twm window manager, a coloured root
# window and an xterm, so that the desktop is visibly non-blank. Cyroid reaches the port from inside the VM's
# network namespace (docs/architecture.md, "Consoles"); nothing else can.
#
# Usage: scripts/build-desktop-vm-image.sh [--force]
# Env: DESKTOP_VM_IMAGE, CYROID_DEBIAN_MIRROR (default: the mirror apt uses here), CYROID_DEBIAN_SUITE (bookworm).
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=build-desktop-vm-image.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

IMAGE=${DESKTOP_VM_IMAGE:-cyroid/vm-desktop:latest}
SUITE=${CYROID_DEBIAN_SUITE:-bookworm}
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) die "unknown argument: $arg" ;;
  esac
done

docker info >/dev/null 2>&1 || die "no Docker engine answers (run scripts/ensure-engine.sh first)"

if [ "$FORCE" = 0 ] && image_exists "$IMAGE"; then
  log "image $IMAGE already exists (use --force to rebuild)"
  exit 0
fi

[ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ] || die "needs root on Debian (debootstrap)"
apt_ensure debootstrap

start=$SECONDS
mirror=$(debian_mirror)
# Downloaded .debs are kept under the project's .cache/ (shared with the DinD image) to speed re-runs.
cache="$CYROID_ROOT/.cache/debootstrap/$SUITE"
mkdir -p "$cache"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cyroid-desktop-rootfs.XXXXXX")
cid=""
# shellcheck disable=SC2064
trap 'rm -rf "$tmp"; [ -z "$cid" ] || docker rm -f "$cid" >/dev/null 2>&1 || true' EXIT
r="$tmp/rootfs"
# Only Depends are installed (debootstrap ignores Recommends). twm rather than openbox or icewm: their image
# loaders pull in ghostscript, librsvg, HEIF codecs and python3 (about 150 MB more); Xvnc's built-in fonts suffice.
packages=tigervnc-standalone-server,twm,xterm,x11-xserver-utils,procps,iproute2
log "debootstrap $SUITE from $mirror with $packages (cache: .cache/debootstrap/$SUITE)"
if ! debootstrap --variant=minbase --cache-dir="$cache" --include="$packages" \
      "$SUITE" "$r" "$mirror" >"$tmp/debootstrap.log" 2>&1; then
  tail -n 30 "$tmp/debootstrap.log" >&2
  die "debootstrap failed"
fi

# The VM's command. bash is PID 1: it must forward SIGTERM, or `docker stop` waits out its grace period.
cat >"$r/usr/local/bin/cyroid-desktop" <<'DESKTOP'
#!/bin/bash
# Starts the desktop of a Cyroid sample VM: Xvnc on :0 (VNC port ${VNC_PORT:-5900}, loopback only, no password:
# only Cyroid reaches it, through the VM's network namespace), a coloured root window, twm and an xterm.
set -u
export DISPLAY=:0 HOME=/root USER=root
trap 'kill $(jobs -p) 2>/dev/null; exit 0' TERM INT
rm -f /tmp/.X0-lock /tmp/.X11-unix/X0
Xvnc :0 -geometry "${VNC_GEOMETRY:-1280x800}" -depth 24 -rfbport "${VNC_PORT:-5900}" -localhost -nolisten tcp \
  -SecurityTypes None -AlwaysShared -desktop "$(hostname)" &
for _ in $(seq 100); do [ -S /tmp/.X11-unix/X0 ] && break; sleep 0.1; done
xsetroot -solid '#2e5e7e'
twm &
xterm -geometry 100x30+60+60 -title "$(hostname)" &
wait
DESKTOP
chmod 0755 "$r/usr/local/bin/cyroid-desktop"
# Slimmer image: no package caches or lists, no docs or translations. Also dropped, though their packages stay
# registered: Mesa's DRI drivers and the LLVM they need (about 140 MB; Xvnc renders in software and starts without
# them, only OpenGL programs would miss them) and the C compiler proper behind cpp (xrdb's, unused here).
rm -rf "$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/* \
       "$r"/usr/share/doc/* "$r"/usr/share/man/* "$r"/usr/share/locale/* "$r"/usr/share/info/* \
       "$r"/usr/lib/x86_64-linux-gnu/dri "$r"/usr/lib/x86_64-linux-gnu/libLLVM-*.so* \
       "$r"/usr/lib/x86_64-linux-gnu/libz3.so* "$r"/usr/lib/gcc/x86_64-linux-gnu/*/cc1

old_id=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
log "docker import -> $IMAGE"
tar -C "$r" -c . | docker import \
  -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  -c 'LABEL cyroid.managed=true' \
  -c 'EXPOSE 5900' \
  -c 'CMD ["/usr/local/bin/cyroid-desktop"]' \
  - "$IMAGE" >/dev/null
rm -rf "$tmp"

# Smoke test: the VNC server answers with its RFB banner on the container's loopback.
cid=$(docker run -d --network none --label cyroid.managed=true --label cyroid.role=image-build "$IMAGE")
banner=$(docker exec "$cid" bash -c 'for _ in $(seq 100); do
    if exec 3<>/dev/tcp/127.0.0.1/5900; then head -c 12 <&3; exit 0; fi 2>/dev/null; sleep 0.1; done; exit 1' \
  || true)
[[ "$banner" == "RFB 003.00"* ]] || die "smoke test of $IMAGE failed: no RFB banner on port 5900 (got '$banner')"
docker rm -f "$cid" >/dev/null
cid=""

new_id=$(docker image inspect -f '{{.Id}}' "$IMAGE")
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
  docker rmi "$old_id" >/dev/null 2>&1 || true   # the previous, now untagged build
fi
log "built $IMAGE in $((SECONDS - start)) s ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1000000}'))"
