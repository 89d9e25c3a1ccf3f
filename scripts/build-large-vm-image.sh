#!/usr/bin/env bash
# Builds ${LARGE_VM_IMAGE:-cyroid/vm-large:latest}, a VM image of a few hundred megabytes for the tests and
# benchmarks that need real image weight: the DinD image's Debian root file system (about 350 MB), exported and
# imported again as a plain image whose command is `sleep infinity`. No registry needed.
#
# Usage: scripts/build-large-vm-image.sh [--force]
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=build-large-vm-image.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

IMAGE=${LARGE_VM_IMAGE:-cyroid/vm-large:latest}
SOURCE=${DIND_IMAGE:-cyroid/dind:latest}
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
image_exists "$SOURCE" || die "needs $SOURCE (scripts/build-dind-image.sh)"

cid=$(docker create --label cyroid.managed=true --label cyroid.role=image-build "$SOURCE" true)
# shellcheck disable=SC2064
trap "docker rm -f '$cid' >/dev/null 2>&1 || true" EXIT
docker export "$cid" | docker import \
  -c 'CMD ["sleep", "infinity"]' -c 'ENTRYPOINT []' -c 'LABEL cyroid.managed=true' - "$IMAGE" >/dev/null
log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1000000}'))"
