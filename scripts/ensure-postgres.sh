#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on ${CYROID_PG_HOST:-127.0.0.1}:${CYROID_PG_PORT:-5432}
# with role ${CYROID_PG_USER:-cyroid} (password ${CYROID_PG_PASSWORD:-cyroid}),
# database ${CYROID_PG_DB:-cyroid} owned by it, and ${CYROID_PG_TEST_DB:-cyroid_test}.
# As root on Debian: installs the `postgresql` package if missing and starts
# the cluster with pg_ctlcluster (no systemd here). Idempotent.
set -euo pipefail
# shellcheck disable=SC2034 # used by lib.sh
CYROID_SCRIPT=ensure-postgres.sh
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

PG_HOST=${CYROID_PG_HOST:-127.0.0.1}
PG_PORT=${CYROID_PG_PORT:-5432}
PG_USER=${CYROID_PG_USER:-cyroid}
PG_PASSWORD=${CYROID_PG_PASSWORD:-cyroid}
PG_DB=${CYROID_PG_DB:-cyroid}
PG_TEST_DB=${CYROID_PG_TEST_DB:-cyroid_test}
WAIT_SECONDS=${CYROID_PG_WAIT:-60}

is_debian_root() { [ "$(id -u)" -eq 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; }

# Can the app's role log in to both databases already?
app_ready() {
  command -v psql >/dev/null 2>&1 || return 1
  local db
  for db in "$PG_DB" "$PG_TEST_DB"; do
    PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=3 psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" \
      -tAqc 'select 1' >/dev/null 2>&1 || return 1
  done
}

if ! is_debian_root; then
  app_ready && { log "PostgreSQL ready at $PG_HOST:$PG_PORT (role $PG_USER, dbs $PG_DB, $PG_TEST_DB)"; exit 0; }
  die "PostgreSQL is not ready at $PG_HOST:$PG_PORT and this is not root on Debian. Install PostgreSQL, then create role $PG_USER (password) and databases $PG_DB (owner $PG_USER) and $PG_TEST_DB."
fi

apt_ensure postgresql

# The newest installed cluster listening on PG_PORT; created if there is none.
cluster_line() { pg_lsclusters -h 2>/dev/null | awk -v port="$PG_PORT" '$3 == port' | sort -V | tail -n1; }
line=$(cluster_line)
if [ -z "$line" ]; then
  version=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n1)
  [ -n "$version" ] || die "postgresql is installed but no server version was found under /usr/lib/postgresql"
  log "creating cluster $version/main on port $PG_PORT"
  pg_createcluster -p "$PG_PORT" "$version" main >/dev/null
  line=$(cluster_line)
fi
read -r version cluster _port status _rest <<<"$line"
if [ "$status" != online ]; then
  log "starting cluster $version/$cluster (pg_ctlcluster)"
  pg_ctlcluster "$version" "$cluster" start
fi

for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
  pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break
  sleep 0.5
done
pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || die "PostgreSQL does not answer on $PG_HOST:$PG_PORT after ${WAIT_SECONDS} s"

# Superuser access through the local socket as the postgres OS user.
as_pg() { runuser -u postgres -- psql -p "$PG_PORT" -X -v ON_ERROR_STOP=1 -tAq "$@"; }
sql_lit() { printf "'%s'" "${1//\'/\'\'}"; }
sql_ident() { printf '"%s"' "${1//\"/\"\"}"; }

if [ "$(as_pg -c "select 1 from pg_roles where rolname = $(sql_lit "$PG_USER")")" = 1 ]; then
  as_pg -c "alter role $(sql_ident "$PG_USER") with login password $(sql_lit "$PG_PASSWORD")" >/dev/null
else
  log "creating role $PG_USER"
  as_pg -c "create role $(sql_ident "$PG_USER") with login password $(sql_lit "$PG_PASSWORD")" >/dev/null
fi
for db in "$PG_DB" "$PG_TEST_DB"; do
  if [ "$(as_pg -c "select 1 from pg_database where datname = $(sql_lit "$db")")" != 1 ]; then
    log "creating database $db (owner $PG_USER)"
    as_pg -c "create database $(sql_ident "$db") owner $(sql_ident "$PG_USER")" >/dev/null
  fi
done

app_ready || die "role $PG_USER cannot log in to $PG_DB/$PG_TEST_DB on $PG_HOST:$PG_PORT (check pg_hba.conf)"
log "PostgreSQL $version ready at $PG_HOST:$PG_PORT (role $PG_USER, dbs $PG_DB, $PG_TEST_DB)"
