#!/usr/bin/env bash
# The whole test suite: unit tests, axon-test fixtures, and the integration tests that deploy real ranges on the
# real Docker engine and run the event store on a real PostgreSQL. Prepares the machine the way scripts/run.sh
# does, plus PostgreSQL. Fails when an integration test was skipped or none ran: a run without the real engine is
# not green.
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=test.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
cd "$CYROID_ROOT"

scripts/ensure-build-tools.sh
scripts/prepare.sh
scripts/build-large-vm-image.sh   # a 350 MB VM image for the large-image tests
scripts/ensure-postgres.sh

export AXONIQ_UPDATE_CHECKER_DISABLED=true
export CYROID_TEST_POSTGRES_URL="${CYROID_TEST_POSTGRES_URL:-jdbc:postgresql://127.0.0.1:5432/${CYROID_PG_TEST_DB:-cyroid_test}}"
export CYROID_TEST_POSTGRES_USER="${CYROID_PG_USER:-cyroid}"
export CYROID_TEST_POSTGRES_PASSWORD="${CYROID_PG_PASSWORD:-cyroid}"

mvn -B clean verify "$@"

# Every integration test must have run, none skipped.
shopt -s nullglob
reports=(*/target/failsafe-reports/TEST-*.xml)
shopt -u nullglob
[ "${#reports[@]}" -gt 0 ] || die "no integration test report: the real-engine tests did not run"
ran=0
for report in "${reports[@]}"; do
  tests=$(sed -nE 's/.*<testsuite[^>]* tests="([0-9]+)".*/\1/p' "$report" | head -n1)
  skipped=$(sed -nE 's/.*<testsuite[^>]* skipped="([0-9]+)".*/\1/p' "$report" | head -n1)
  [ "${skipped:-0}" = 0 ] || die "$(basename "$report"): $skipped integration test(s) skipped"
  ran=$((ran + ${tests:-0}))
done
[ "$ran" -gt 0 ] || die "no integration test ran"
log "all green: $ran integration tests on the real engine, none skipped"
