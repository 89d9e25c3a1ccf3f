#!/usr/bin/env bash
# The whole test suite: unit tests, axon-test fixtures, the api tests on fakes of the engine ports, the house rules
# (ArchUnit), and the integration tests (*IT) that deploy real ranges on the real Docker engine and run the event
# store on a real PostgreSQL (a Testcontainers container of the locally built cyroid/postgres image). Prepares the
# machine the way scripts/run.sh does, plus that image. Fails when an integration test was skipped or none ran: a
# run without the real engine is not green.
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=test.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
cd "$CYROID_ROOT"

scripts/ensure-build-tools.sh
scripts/check-compose.sh          # the production stack's file validates (docker-compose config)
scripts/prepare.sh
scripts/build-large-vm-image.sh   # a 350 MB VM image for the large-image tests
scripts/build-postgres-image.sh

export AXONIQ_UPDATE_CHECKER_DISABLED=true
# No registry is reachable, so Testcontainers' Ryuk cannot be pulled: the tests stop their containers themselves.
export TESTCONTAINERS_RYUK_DISABLED=true
# The engine is local and test containers publish their ports on 127.0.0.1 only; without this, Testcontainers run
# inside a container (/.dockerenv) would start an alpine container (from a registry) to find a gateway address.
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
# Every container the tests start through Testcontainers carries this run's label; whatever a killed test JVM left
# behind goes when this script ends. (Only this run's: other runs may share the engine.)
CYROID_TEST_RUN="test-$(date +%s)-$$"
export CYROID_TEST_RUN
remove_test_containers() {
  local left
  left=$(docker ps -aq --filter "label=cyroid.test-run=$CYROID_TEST_RUN" 2>/dev/null || true)
  if [ -n "$left" ]; then
    log "removing test containers left behind: $(echo "$left" | wc -l)"
    # shellcheck disable=SC2086 # one id per word
    docker rm -f -v $left >/dev/null 2>&1 || true
  fi
}
trap remove_test_containers EXIT

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
