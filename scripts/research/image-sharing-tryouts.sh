#!/usr/bin/env bash
# RESEARCH ONLY (issue 6). One-off tries whose outcome (often an error) is documented in
# docs/research/image-sharing.md: inner overlay2 on a kernel overlayfs and on fuse-overlayfs, the inner btrfs
# storage driver, and a fresh DinD's start time and idle memory. Output goes to stdout.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/research/image-sharing-lib.sh
. "$HERE/image-sharing-lib.sh"
set +e
ensure_net
G=cyroid-imgres-golden
cleanup() {
  imgres_cleanup; rm -rf "$WORK/ovl" "$WORK/xfs.img" "$WORK/btrfs.img"
}
trap cleanup EXIT
cleanup

echo "== golden state (a DinD loads $IMG, then stops)"
docker volume create "${LABELS[@]}" $G >/dev/null
start_dind $G type=volume,src=$G,dst=/var/lib/docker && wait_engine $G
docker save "$IMG" | inner $G load; stop_dind $G; docker rm $G >/dev/null
GD=$(docker volume inspect -f '{{.Mountpoint}}' $G)

try_merged() { # LABEL NAME: a DinD whose /var/lib/docker is $WORK/ovl/NAME/merged
  local name=$2
  start_dind "$name" "type=bind,src=$WORK/ovl/$name/merged,dst=/var/lib/docker"
  if wait_engine "$name" 20; then
    echo "-- $1: engine answers"; inner "$name" info 2>/dev/null | grep -E 'Storage Driver|Backing'
    inner "$name" images; inner "$name" run --rm --network none --entrypoint /bin/true "$IMG" && echo "-- $1: container ran"
  else
    echo "-- $1: engine did not start; last log lines:"; docker logs --tail 5 "$name" 2>&1
  fi
  docker rm -f "$name" >/dev/null
}

echo "== (d1) kernel overlayfs: lower = golden state, upper = per range; inner overlay2 on top"
n=cyroid-imgres-ovl; mkdir -p "$WORK/ovl/$n"/{upper,work,merged}
mount -t overlay cyroid-imgres -o "lowerdir=$GD,upperdir=$WORK/ovl/$n/upper,workdir=$WORK/ovl/$n/work" "$WORK/ovl/$n/merged" \
  && try_merged "kernel overlayfs" $n
umount "$WORK/ovl/$n/merged"

echo "== (d2) fuse-overlayfs on the host: lower = golden state, upper = per range; inner overlay2 on top"
n=cyroid-imgres-fuse; mkdir -p "$WORK/ovl/$n"/{upper,work,merged}
fuse-overlayfs -o "lowerdir=$GD,upperdir=$WORK/ovl/$n/upper,workdir=$WORK/ovl/$n/work" "$WORK/ovl/$n/merged" \
  && try_merged "fuse-overlayfs" $n
umount "$WORK/ovl/$n/merged"

echo "== (c') inner engine with the btrfs storage driver on a btrfs loop file system"
truncate -s 8G "$WORK/btrfs.img"; mkfs.btrfs -q "$WORK/btrfs.img"; mkdir -p "$WORK/btrfs"; mount -o loop "$WORK/btrfs.img" "$WORK/btrfs"
btrfs -q subvolume create "$WORK/btrfs/golden"
sed 's/"overlay2"/"btrfs"/' "$HERE/../../docker/daemon.json" >"$WORK/daemon-btrfs.json"
n=cyroid-imgres-btrfsdrv
start_dind $n "type=bind,src=$WORK/btrfs/golden,dst=/var/lib/docker" -v "$WORK/daemon-btrfs.json:/etc/docker/daemon.json:ro"
if wait_engine $n 20; then
  inner $n info 2>/dev/null | grep -E 'Storage Driver|Build Version'
  t=$(now); docker save "$IMG" | inner $n load; echo "load: $(since "$t") s"
  t=$(now); inner $n run --rm --network none --entrypoint /bin/true "$IMG" && echo "container ran: $(since "$t") s"
  stop_dind $n; docker rm $n >/dev/null
  btrfs subvolume list "$WORK/btrfs" | head
  t=$(now); btrfs -q subvolume snapshot "$WORK/btrfs/golden" "$WORK/btrfs/r1"; echo "snapshot: $(since "$t") s"
  echo "note: the image's layers are nested subvolumes; a snapshot does not include nested subvolumes:"
  ls "$WORK/btrfs/r1/btrfs/subvolumes" | head -3; ls "$WORK/btrfs/r1/btrfs/subvolumes/"* 2>&1 | head -3
  start_dind $n "type=bind,src=$WORK/btrfs/r1,dst=/var/lib/docker" -v "$WORK/daemon-btrfs.json:/etc/docker/daemon.json:ro"
  wait_engine $n 20 && inner $n run --rm --network none --entrypoint /bin/true "$IMG" && echo "snapshot with btrfs driver: container ran"
  docker rm -f $n >/dev/null
else docker logs --tail 5 $n 2>&1; docker rm -f $n >/dev/null; fi
umount "$WORK/btrfs"

echo "== fresh DinD: start until the engine answers (10 one after the other), then idle memory"
for k in $(seq 1 10); do
  n=cyroid-imgres-idle-$k; docker volume create "${LABELS[@]}" $n >/dev/null
  t=$(now); start_dind $n type=volume,src=$n,dst=/var/lib/docker; wait_engine $n; echo "dind_start_s $k $(since "$t")"
done
sleep 20
docker stats --no-stream --format '{{.Name}} {{.MemUsage}} {{.CPUPerc}}' $(docker ps -q --filter label=cyroid.test=image-research)
free -m
