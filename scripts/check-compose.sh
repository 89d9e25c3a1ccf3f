#!/usr/bin/env bash
# Validates docker-compose.yml the way Debian's docker-compose reads it (`docker-compose config -q`), with the
# variables the file requires set to dummy values; installs docker-compose when missing (as root, like
# ensure-build-tools.sh). Fails when the file is invalid. Starts nothing.
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=check-compose.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
cd "$CYROID_ROOT"

command -v docker-compose >/dev/null 2>&1 || apt_ensure docker-compose

# Only the variables the file marks required (${VAR:?}); everything else must have a default in the file.
CYROID_ADMIN_PASSWORD=dummy-admin-password POSTGRES_PASSWORD=dummy-postgres-password \
  docker-compose -f docker-compose.yml config -q || die "docker-compose.yml is not valid (docker-compose config)"
# Without them it must refuse: the file may not fall back to a default password.
if env -u CYROID_ADMIN_PASSWORD -u POSTGRES_PASSWORD docker-compose -f docker-compose.yml config -q >/dev/null 2>&1;
then
  die "docker-compose.yml accepted no CYROID_ADMIN_PASSWORD / POSTGRES_PASSWORD: they must be required"
fi
log "docker-compose.yml is valid ($(docker-compose version --short 2>/dev/null || echo docker-compose))"
