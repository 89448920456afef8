#!/usr/bin/env bash
# Serve the site with gunicorn and one background task worker per queue, each
# supervised: one that ends is started again, so a worker that dies never takes
# the site down, nor the site the workers. Ctrl-C (or TERM) stops them all.
#
#   scripts/serve.sh [PORT]      (BIN=.venv/bin and LISTEN=127.0.0.1 by default)
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${BIN:-.venv/bin}"
LISTEN="${LISTEN:-127.0.0.1}"
PORT="${1:-${PORT:-8000}}"
# gunicorn's processes and threads per process (docs/operations.md).
WEB_WORKERS="${WEB_WORKERS:-2}"
WEB_THREADS="${WEB_THREADS:-4}"
# The queues of settings.TASKS: long jobs (imports) on one, exports on the other.
QUEUES=(default exports sms)

# The database, uploads and exports hold personal data: readable by this account only.
umask 077

# supervise NAME COMMAND...: run COMMAND and start it again whenever it ends. Gives
# up (and so stops everything) after 5 starts in a row that each lasted under
# 10 s: a port already in use or a broken setting is not fixed by trying again.
#
# Each command runs in its own session: Ctrl-C reaches only this script, whose
# trap stops each with one TERM. (A gunicorn worker hit by the terminal's SIGINT
# and its master's signal at once sometimes hangs until the graceful timeout.)
supervise() {
  local name=$1 child=0 quick=0 started status
  shift
  # child is 0 between runs ("kill 0" would signal the whole process group).
  trap 'if ((child)); then kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; fi; exit 0' TERM
  while :; do
    started=$SECONDS
    setsid "$@" &
    child=$!
    status=0
    wait "$child" || status=$?
    child=0
    if ((SECONDS - started < 10)); then quick=$((quick + 1)); else quick=0; fi
    if ((quick >= 5)); then
      echo "serve.sh: $name keeps ending as it starts (status $status); giving up." >&2
      exit 1
    fi
    echo "serve.sh: $name ended (status $status); starting it again." >&2
    sleep 1 &
    wait $! || true
  done
}

supervise web "$BIN/gunicorn" gonghui.wsgi -b "$LISTEN:$PORT" \
  --workers "$WEB_WORKERS" --threads "$WEB_THREADS" --graceful-timeout 10 &
supervisors=($!)
for queue in "${QUEUES[@]}"; do
  # jobs_worker marks failed, as it starts, the jobs its predecessor left unfinished.
  supervise "task worker ($queue)" "$BIN/gonghui" jobs_worker --queue-name "$queue" &
  supervisors+=($!)
done

stop() {
  trap - INT TERM HUP EXIT
  kill -TERM "${supervisors[@]}" 2>/dev/null || true
  wait "${supervisors[@]}" 2>/dev/null || true
}
trap stop INT TERM HUP EXIT

echo "Serving http://$LISTEN:$PORT/ with a task worker for each queue (${QUEUES[*]}); Ctrl-C stops them all."
# A supervisor ends only when it gives up; then the trap stops the others.
status=0
wait -n "${supervisors[@]}" || status=$?
exit "$status"
