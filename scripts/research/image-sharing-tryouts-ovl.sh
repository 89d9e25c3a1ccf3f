#!/usr/bin/env bash
# RESEARCH ONLY (issue 6). Follow-up of image-sharing-tryouts.sh: dockerd renames tmp/ and runtimes/ at start,
# which a plain overlayfs refuses (EXDEV) for directories of the lower layer. Here: kernel overlayfs with
# redirect_dir=on, and fuse-overlayfs, so that the inner storage driver's own verdict shows.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/research/image-sharing-lib.sh
. "$HERE/image-sharing-lib.sh"
set +e
ensure_net
G=cyroid-imgres-golden
trap 'imgres_cleanup; rm -rf "$WORK/ovl"' EXIT
imgres_cleanup
docker volume create "${LABELS[@]}" $G >/dev/null
start_dind $G type=volume,src=$G,dst=/var/lib/docker && wait_engine $G
docker save "$IMG" | inner $G load; stop_dind $G; docker rm $G >/dev/null
GD=$(docker volume inspect -f '{{.Mountpoint}}' $G)
try() { # LABEL NAME MOUNT-COMMAND...
  local l=$1 n=$2; shift 2; mkdir -p "$WORK/ovl/$n"/{upper,work,merged}
  "$@" "$WORK/ovl/$n/merged" || { echo "-- $l: mount failed"; return; }
  start_dind "$n" "type=bind,src=$WORK/ovl/$n/merged,dst=/var/lib/docker"
  if wait_engine "$n" 20; then
    echo "-- $l: engine answers"; inner "$n" info 2>/dev/null | grep -E 'Storage Driver|Backing'
    inner "$n" run --rm --network none --entrypoint /bin/true "$IMG" && echo "-- $l: container ran"
  else echo "-- $l: engine did not start:"; docker logs "$n" 2>&1 | grep -iE 'level=(error|fatal)|failed to start|not supported|unsupported' | tail -4; fi
  docker rm -f "$n" >/dev/null; umount "$WORK/ovl/$n/merged"
}
echo "== kernel overlayfs, redirect_dir=on"
o=$WORK/ovl/cyroid-imgres-kovl
try "kernel overlayfs redirect_dir=on" cyroid-imgres-kovl mount -t overlay cyroid-imgres -o "redirect_dir=on,lowerdir=$GD,upperdir=$o/upper,workdir=$o/work"
echo "== fuse-overlayfs"
o=$WORK/ovl/cyroid-imgres-fovl
try "fuse-overlayfs" cyroid-imgres-fovl fuse-overlayfs -o "lowerdir=$GD,upperdir=$o/upper,workdir=$o/work"
