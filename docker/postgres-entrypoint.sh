#!/bin/sh
# Entrypoint of cyroid/postgres (scripts/build-postgres-image.sh): Debian's PostgreSQL, started the way the
# official `postgres` image starts, so that the image can stand in for it (Testcontainers' PostgreSQLContainer,
# docker-compose). POSIX sh.
#
#  - Arguments: `postgres [options]`, or options alone (`-c fsync=off`), which go to postgres.
#  - First start on an empty $PGDATA: initdb with superuser $POSTGRES_USER (default postgres) and password
#    $POSTGRES_PASSWORD (required), password (scram-sha-256) authentication over TCP; then a temporary server on the
#    unix socket only creates database $POSTGRES_DB (default: the user's name) and stops again. That temporary
#    server logs "database system is ready to accept connections" once, the real one a second time: Testcontainers
#    waits for that line twice, as with the official image.
#  - Runs postgres as the user postgres (root only prepares the folders), in the foreground, logging to stderr.
set -eu

PGDATA=${PGDATA:-/var/lib/postgresql/data}
export PGDATA

case "${1:-}" in
  ''|-*) set -- postgres "$@" ;;
esac

if [ "$1" != postgres ]; then
  exec "$@"
fi

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 0700 "$PGDATA"
  chmod 2775 /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

POSTGRES_USER=${POSTGRES_USER:-postgres}
POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "cyroid/postgres: POSTGRES_PASSWORD is not set: the superuser needs a password" >&2
    exit 1
  fi
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  # the official image: every host may connect, with a password
  printf '\nhost all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"

  pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -p 5432" start
  if [ "$POSTGRES_DB" != postgres ]; then
    # a name from the environment, quoted as an identifier (psql's :"var")
    psql -v ON_ERROR_STOP=1 -X -q --username="$POSTGRES_USER" --dbname=postgres -v db="$POSTGRES_DB" <<'SQL'
CREATE DATABASE :"db";
SQL
  fi
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "cyroid/postgres: init process complete; starting the server"
fi

# listen on every address first, so that options given to the container can still override it
shift
exec postgres -c listen_addresses='*' "$@"
