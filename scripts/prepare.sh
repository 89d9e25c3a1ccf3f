#!/usr/bin/env bash
# Prepares this machine for Cyroid, idempotently: Docker engine (and the image
# tools), the DinD image, the VM image, the sample desktop VM image (VNC), the
# host networks. The PostgreSQL image of
# the integration tests is not part of it: scripts/test.sh builds it
# (scripts/build-postgres-image.sh).
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=prepare.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

start=$SECONDS
for step in ensure-engine build-dind-image build-vm-image build-desktop-vm-image init-networks; do
  log "== $step"
  "$CYROID_ROOT/scripts/$step.sh"
done
log "done in $((SECONDS - start)) s"
