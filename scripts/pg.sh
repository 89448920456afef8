#!/usr/bin/env bash
# Make PostgreSQL answer on 127.0.0.1:$GONGHUI_PG_PORT (default 5432) with a
# role and database `gonghui` (password `gonghui`). The role may create
# databases, because pytest-django creates `test_gonghui` beside it.
#
# Safe to run again: a running server, an existing role or database is kept.
# `scripts/pg.sh stop` stops the server (fast shutdown: every connection is cut);
# with `scripts/pg.sh` after it, the restart of make test-pg's fault drill.
#   root:      starts Debian's cluster (pg_ctlcluster), creating it if there is none.
#   otherwise: runs a private cluster under var/pg owned by the calling user.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${GONGHUI_PG_PORT:-5432}"
ROLE=gonghui
PASSWORD=gonghui
DATABASE=gonghui

PGBIN="$(compgen -G "/usr/lib/postgresql/*/bin" | sort -V | tail -n 1 || true)"
if [ -z "$PGBIN" ]; then
  echo "pg.sh: PostgreSQL is not installed (Debian package 'postgresql')." >&2
  exit 1
fi
VERSION="$(basename "$(dirname "$PGBIN")")"

ACTION="${1:-start}"

ready() { "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; }

wait_ready() {
  for _ in $(seq 1 60); do
    ready && return 0
    sleep 0.5
  done
  echo "pg.sh: PostgreSQL was started but nothing answers on 127.0.0.1:$PORT." >&2
  command -v pg_lsclusters >/dev/null && pg_lsclusters >&2
  return 1
}

if [ "$ACTION" = stop ]; then
  if [ "$(id -u)" -eq 0 ]; then
    pg_ctlcluster "$VERSION" main stop -m fast
  else
    "$PGBIN/pg_ctl" -D "$PWD/var/pg" -w -m fast stop >/dev/null
  fi
  echo "pg.sh: PostgreSQL stopped"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  if ! ready; then
    if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$VERSION main"; then
      echo "pg.sh: creating PostgreSQL $VERSION cluster 'main' on port $PORT"
      pg_createcluster --port "$PORT" "$VERSION" main >/dev/null
    fi
    echo "pg.sh: starting PostgreSQL $VERSION/main"
    pg_ctlcluster "$VERSION" main start
    wait_ready
  fi
  admin_psql() { runuser -u postgres -- "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -p "$PORT" "$@"; }
else
  DATA="$PWD/var/pg"
  if ! ready; then
    if [ ! -f "$DATA/PG_VERSION" ]; then
      echo "pg.sh: initialising a private cluster in $DATA"
      mkdir -p "$DATA"
      "$PGBIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    echo "pg.sh: starting the private cluster in $DATA"
    "$PGBIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
      -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1" start >/dev/null
    wait_ready
  fi
  admin_psql() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres "$@"; }
fi

if ! admin_psql -d postgres -c "SELECT 1" >/dev/null 2>&1; then
  echo "pg.sh: a server answers on 127.0.0.1:$PORT but this user cannot administer it." >&2
  echo "Run 'sudo scripts/pg.sh' once, or set GONGHUI_PG_PORT to a free port." >&2
  exit 1
fi

admin_psql -d postgres <<SQL
SELECT 'CREATE ROLE $ROLE' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE')\gexec
ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
-- Test data need not survive a crash; commits return sooner without the flush.
ALTER ROLE $ROLE SET synchronous_commit = off;
SELECT 'CREATE DATABASE $DATABASE OWNER $ROLE'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DATABASE')\gexec
SQL
echo "pg.sh: PostgreSQL ready at postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
