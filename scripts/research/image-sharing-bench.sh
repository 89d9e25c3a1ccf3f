#!/usr/bin/env bash
# RESEARCH ONLY (issue 6, item 1). Seeds $IMG into N fresh DinDs one after the other with one option and
# records times and disk to $WORK/results/results.csv. Not part of Cyroid; see docs/research/image-sharing.md.
#
# Usage: image-sharing-bench.sh OPTION N RUN
#   OPTION: a (save|load per range), a-file (save once to a file, load per range), b (registry pull),
#           c-copy (cp -a of a golden volume), c-xfs (cp --reflink on XFS in a loop file),
#           c-btrfs (btrfs subvolume snapshot in a loop file), d-share (golden layers shared read-only)
# Every range's time = from "create its /var/lib/docker" to "a container from the image ran in it",
# including the DinD's start; one-time preparation (registry push, golden state) is recorded as prep.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/research/image-sharing-lib.sh
. "$HERE/image-sharing-lib.sh"
OPT=$1 N=$2 RUN=$3
REG=cyroid-imgres-registry REGPORT=${REGPORT:-15987}
GOLDEN=cyroid-imgres-golden
ensure_net; guard_disk
names=()
cleanup_run() {
  stop_rm "${names[@]}" "$GOLDEN" "$REG"
  for m in $(awk -v w="$WORK/" 'index($2, w) == 1 { print $2 }' /proc/self/mounts | sort -r); do umount "$m" || umount -l "$m"; done
  local v; v=$(docker volume ls -q --filter label=cyroid.test=image-research); [ -z "$v" ] || docker volume rm $v >/dev/null
  for f in "$WORK/xfs.img" "$WORK/btrfs.img"; do
    for l in $(losetup -j "$f" -O NAME -n 2>/dev/null); do losetup -d "$l"; done; rm -f "$f"; done
  rm -rf "$WORK/tar" "$WORK/ovl"
}
trap cleanup_run EXIT
cleanup_run
root0=$(fs_used_kb /)

# ---- one-time preparation --------------------------------------------------------------------------------
t=$(now); FS=""
golden_into() { # MOUNTSPEC: a DinD loads the image into that state once, then stops
  start_dind "$GOLDEN" "$1"; wait_engine "$GOLDEN"
  docker save "$IMG" | inner "$GOLDEN" load >/dev/null; run_check "$GOLDEN"; stop_dind "$GOLDEN"; docker rm "$GOLDEN" >/dev/null
}
loopfs() { # TYPE: a sparse file with a file system, loop-mounted on $WORK/TYPE
  truncate -s 24G "$WORK/$1.img"
  if [ "$1" = xfs ]; then mkfs.xfs -q -m reflink=1 "$WORK/$1.img"; else mkfs.btrfs -q "$WORK/$1.img"; fi
  mkdir -p "$WORK/$1"; mount -o loop "$WORK/$1.img" "$WORK/$1"
}
bindvol() { # NAME DIR: a labelled local volume that is a bind of DIR (docker volume rm leaves DIR)
  docker volume create "${LABELS[@]}" -o type=none -o o=bind -o device="$2" "$1" >/dev/null; }
case "$OPT" in
  a) ;;
  a-file) mkdir -p "$WORK/tar"; docker save -o "$WORK/tar/img.tar" "$IMG" ;;
  b)
    docker volume create "${LABELS[@]}" "$REG" >/dev/null
    docker run -d --name "$REG" "${LABELS[@]}" --network "$NET" -p "127.0.0.1:$REGPORT:5000" \
      -v "$REG:/var/lib/docker-registry" cyroid/registry-research:latest >/dev/null
    until curl -fs "http://127.0.0.1:$REGPORT/v2/" >/dev/null; do sleep 0.1; done
    docker tag "$IMG" "127.0.0.1:$REGPORT/$IMG"; docker push -q "127.0.0.1:$REGPORT/$IMG" >/dev/null
    docker rmi "127.0.0.1:$REGPORT/$IMG" >/dev/null ;;
  c-copy|d-share)
    docker volume create "${LABELS[@]}" "$GOLDEN" >/dev/null; golden_into "type=volume,src=$GOLDEN,dst=/var/lib/docker" ;;
  c-xfs|c-btrfs)
    FS=${OPT#c-}; loopfs "$FS"; fs0=$(fs_used_kb "$WORK/$FS")
    if [ "$FS" = btrfs ]; then btrfs -q subvolume create "$WORK/$FS/golden"; else mkdir "$WORK/$FS/golden"; fi
    bindvol "$GOLDEN" "$WORK/$FS/golden"; golden_into "type=volume,src=$GOLDEN,dst=/var/lib/docker" ;;
  *) echo "unknown option $OPT" >&2; exit 2 ;;
esac
prep=$(since "$t"); record "$OPT" "$N" "$RUN" prep_s "$prep"
[ -z "$FS" ] || record "$OPT" "$N" "$RUN" fs_golden_kb "$(( $(fs_used_kb "$WORK/$FS") - fs0 ))"

# The d-share seed: metadata copied from the golden state, each layer's diff/ a symlink into the
# read-only golden mount; then the normal entrypoint.
SHARE_SEED='set -e
if [ ! -e /var/lib/docker/image ]; then
  tar -C /golden --exclude="./overlay2/*/diff" -cf - . | tar -C /var/lib/docker -xf -
  for d in /golden/overlay2/*/diff; do ln -s "$d" "/var/lib/docker/overlay2/$(basename "$(dirname "$d")")/diff"; done
fi
exec /usr/local/bin/cyroid-dind-entrypoint "$@"'

# ---- the ranges, one after the other ---------------------------------------------------------------------
total=$prep
for k in $(seq 1 "$N"); do
  name=cyroid-imgres-$OPT-$k; vol=$name; names+=("$name")
  t=$(now)
  case "$OPT" in
    a|a-file|b) docker volume create "${LABELS[@]}" "$vol" >/dev/null ;;
    c-copy) docker volume create "${LABELS[@]}" "$vol" >/dev/null
      docker run --rm "${LABELS[@]}" -v "$GOLDEN:/from:ro" -v "$vol:/to" --entrypoint cp "$DIND_IMAGE" -a /from/. /to/ ;;
    c-xfs) cp -a --reflink=always "$WORK/xfs/golden" "$WORK/xfs/$name"; bindvol "$vol" "$WORK/xfs/$name" ;;
    c-btrfs) btrfs -q subvolume snapshot "$WORK/btrfs/golden" "$WORK/btrfs/$name"; bindvol "$vol" "$WORK/btrfs/$name" ;;
    d-share) docker volume create "${LABELS[@]}" "$vol" >/dev/null ;;
  esac
  t_clone=$(since "$t")
  if [ "$OPT" = b ]; then
    start_dind "$name" "type=volume,src=$vol,dst=/var/lib/docker" -- --insecure-registry "$REG:5000"
  elif [ "$OPT" = d-share ]; then
    start_dind "$name" "type=volume,src=$vol,dst=/var/lib/docker" \
      --mount "type=volume,src=$GOLDEN,dst=/golden,readonly" --entrypoint /bin/sh -- -c "$SHARE_SEED" sh
  else
    start_dind "$name" "type=volume,src=$vol,dst=/var/lib/docker"
  fi
  wait_engine "$name"; t_engine=$(since "$t")
  case "$OPT" in
    a) docker save "$IMG" | inner "$name" load >/dev/null ;;
    a-file) inner "$name" load -i "$WORK/tar/img.tar" >/dev/null ;;
    b) inner "$name" pull -q "$REG:5000/$IMG" >/dev/null; inner "$name" tag "$REG:5000/$IMG" "$IMG" ;;
  esac
  run_check "$name"
  tr=$(since "$t"); total=$(awk -v a="$total" -v b="$tr" 'BEGIN { printf "%.2f", a + b }')
  record "$OPT" "$N" "$RUN" "range${k}_s" "$tr"
  record "$OPT" "$N" "$RUN" "range${k}_clone_s" "$t_clone"
  record "$OPT" "$N" "$RUN" "range${k}_engine_s" "$t_engine"
  record "$OPT" "$N" "$RUN" "total${k}_s" "$total"
  # disk after this many ranges
  if [ "$k" = 1 ] || [ "$k" = "$N" ]; then
    sync
    du_kb=0
    for v in $(docker volume ls -q --filter label=cyroid.test=image-research); do
      du_kb=$((du_kb + $(vol_du_kb "$v"))); done
    [ "$OPT" != a-file ] || du_kb=$((du_kb + $(du -sk "$WORK/tar" | cut -f1)))
    record "$OPT" "$N" "$RUN" "du_all_kb_after$k" "$du_kb"
    record "$OPT" "$N" "$RUN" "df_root_delta_kb_after$k" "$(( $(fs_used_kb /) - root0 ))"
    [ -z "$FS" ] || record "$OPT" "$N" "$RUN" "loopfile_alloc_kb_after$k" "$(du -k "$WORK/$FS.img" | cut -f1)"
    [ -z "$FS" ] || record "$OPT" "$N" "$RUN" "fs_used_delta_kb_after$k" "$(( $(fs_used_kb "$WORK/$FS") - fs0 ))"
    [ -z "$FS" ] || docker exec "$name" docker info 2>/dev/null | grep -E 'Storage Driver|Backing' >&2
    if [ "$k" = "$N" ] && [ "${SYSDF:-0}" = 1 ]; then
      docker system df -v 2>/dev/null | grep -E 'VOLUME NAME|cyroid-imgres' >"$WORK/results/sysdf-$OPT-$N-$RUN.txt" || true; fi
  fi
  guard_disk
done
# one range's writes stay in its own state: range 1 commits a new layer and removes the shared image;
# range N must not see the new image and must still run the original one
if [ "$N" -gt 1 ]; then
  r1=cyroid-imgres-$OPT-1 rn=cyroid-imgres-$OPT-$N
  inner "$r1" run --name writer --network none "$IMG" sh -c 'echo range1 > /etc/written-by-range1'
  inner "$r1" commit writer imgres-written >/dev/null; inner "$r1" rm writer >/dev/null
  inner "$r1" rmi -f "$IMG" >/dev/null
  if [ -z "$(inner "$rn" images -q imgres-written)" ] && run_check "$rn" \
     && inner "$r1" run --rm --network none imgres-written test -e /etc/written-by-range1; then
    record "$OPT" "$N" "$RUN" isolation ok; else record "$OPT" "$N" "$RUN" isolation LEAK; fi
fi
log "done $OPT N=$N run=$RUN total=${total}s"
