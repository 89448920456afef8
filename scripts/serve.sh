#!/usr/bin/env bash
# Serve the site with gunicorn and run one background task worker beside it.
# Ctrl-C (or either process ending) stops both.
#
#   scripts/serve.sh [PORT]      (BIN=.venv/bin and LISTEN=127.0.0.1 by default)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${BIN:-.venv/bin}"
LISTEN="${LISTEN:-127.0.0.1}"
PORT="${1:-${PORT:-8000}}"

# Each in its own session: Ctrl-C reaches only this script, whose trap stops
# both with one TERM each. (A gunicorn worker hit by the terminal's SIGINT and
# its master's signal at once sometimes hangs until the graceful timeout.)
setsid "$BIN/gonghui" db_worker &
worker=$!
setsid "$BIN/gunicorn" gonghui.wsgi -b "$LISTEN:$PORT" --workers 2 --threads 4 \
  --graceful-timeout 10 &
web=$!

stop() {
  trap - INT TERM HUP EXIT
  kill -TERM "$web" "$worker" 2>/dev/null || true
  wait "$web" "$worker" 2>/dev/null || true
}
trap stop INT TERM HUP EXIT

echo "Serving http://$LISTEN:$PORT/ with one task worker beside it; Ctrl-C stops both."
# Whichever ends first (or Ctrl-C) ends the other through the trap.
wait -n "$web" "$worker"
