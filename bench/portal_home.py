"""The worker portal's home under load, beside a bare Django view served the same way.

Many different workers, each signed into the portal (a session of their own, bound
to a person file of the benchmark county), ask for ``/m/`` over and over from
``--clients`` connections at once, against the production setup
(``scripts/serve.sh``: gunicorn, 2 workers) on loopback. Then a bare Django view
(``bench/bare_wsgi.py``) served by gunicorn with the same settings is asked by as
many clients. Targets (issue: worker portal): p95 ≤ 60 ms as the client sees it, and
at least a quarter of the bare view's requests per second.

    GONGHUI_VAR_DIR=/tmp/bench-1m .venv/bin/python bench/portal_home.py --seconds 30

The accounts (phones 1990xxxxxxx, bound to the first ``--workers`` people with a
file phone, spread over the county) are created once and kept; their sessions are
made afresh for each run and ended after it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import Browser, Stats, UnexpectedAnswer  # noqa: E402
from served import against_serve, bare, report, run_clients  # noqa: E402


def make_sessions(count: int) -> list[str]:
    """Run inside Django: ``count`` bound accounts (kept) with a fresh session each."""
    import common  # noqa: F401  (sets Django up on GONGHUI_VAR_DIR)
    from django.db import transaction
    from django.utils import timezone

    from gonghui.core.crypto import encrypt
    from gonghui.people.models import Person, phone_hash
    from gonghui.portal.models import PHONE_CONTEXT, WorkerAccount
    from gonghui.portal.services import session_start

    total = Person.objects.count()
    step = max(1, total // count)
    tokens = []
    with transaction.atomic():
        # Every step-th person: workers of every township and union, not one corner.
        ids = list(
            Person.objects.exclude(phone_hash="")
            .order_by("pk")
            .values_list("pk", flat=True)[::step][:count]
        )
        for n, person_id in enumerate(ids):
            phone = f"1990{n:07d}"
            account, _created = WorkerAccount.objects.get_or_create(
                phone_hash=phone_hash(phone),
                defaults={
                    "phone_encrypted": encrypt(phone, context=PHONE_CONTEXT),
                    "person_id": person_id,
                    "bound_at": timezone.now(),
                },
            )
            tokens.append(session_start(account))
    return tokens


def end_sessions(tokens_file: Path) -> None:
    import common  # noqa: F401
    from django.db import transaction

    from gonghui.portal.services import session_end

    with transaction.atomic():
        for token in json.loads(tokens_file.read_text()):
            session_end(token)
    tokens_file.unlink()


def run_workers(port: int, tokens: list[str], clients: int, seconds: float, stats: Stats) -> float:
    def loop(index: int, deadline: float) -> None:
        browser = Browser("127.0.0.1", port, stats)
        mine = tokens[index::clients]
        n = 0
        while time.monotonic() < deadline:
            # A different worker on every request of this connection.
            browser.cookies = {"gonghui_portal": mine[n % len(mine)]}
            n += 1
            try:
                browser.request("portal home", "GET", "/m/")
            except UnexpectedAnswer:
                pass
        browser.close()

    return run_clients(clients, seconds, loop)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2000, help="signed-in workers")
    parser.add_argument("--sessions-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--end-sessions", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sessions_out:
        args.sessions_out.write_text(json.dumps(make_sessions(args.workers)))
        return 0
    if args.end_sessions:
        end_sessions(args.end_sessions)
        return 0
    if "GONGHUI_VAR_DIR" not in os.environ:
        sys.exit("portal_home: set GONGHUI_VAR_DIR to the benchmark county (see bench/common.py)")
    var_dir = Path(os.environ["GONGHUI_VAR_DIR"])
    tokens_file = var_dir / "portal-sessions.json"
    python = sys.executable
    subprocess.run(
        [python, __file__, "--workers", str(args.workers), "--sessions-out", str(tokens_file)],
        check=True,
    )
    tokens = json.loads(tokens_file.read_text())
    try:
        stats, took = against_serve(
            var_dir,
            "portal-serve.log",
            args.seconds,
            lambda port, seconds, stats: run_workers(port, tokens, args.clients, seconds, stats),
        )
    finally:
        subprocess.run([python, __file__, "--end-sessions", str(tokens_file)], check=False)
    app = stats.summary(took)
    heading = f"portal home: {len(tokens)} workers, {args.clients} clients, {args.seconds:.0f} s"
    base = bare(args.clients, args.seconds)
    return report("portal home", app["overall"], base, heading, app["notes"])


if __name__ == "__main__":
    sys.exit(main())
