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
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import (  # noqa: E402
    Browser,
    Stats,
    UnexpectedAnswer,
    free_port,
    run_bare,
    stop,
    wait_until_up,
)

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 60
TARGET_SHARE = 0.25


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
    deadline = time.monotonic() + seconds

    def loop(index: int) -> None:
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

    began = time.monotonic()
    threads = [threading.Thread(target=loop, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    return time.monotonic() - began


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

    port, bare_port = free_port(), free_port()
    env = {**os.environ, "BIN": str(Path(python).parent)}
    env.pop("DATABASE_URL", None)
    log = open(var_dir / "portal-serve.log", "w")  # noqa: SIM115 - open while the server runs
    server = subprocess.Popen(
        ["bash", "scripts/serve.sh", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        wait_until_up(port, server)
        run_workers(port, tokens, args.clients, 3, Stats())  # warm: templates, caches
        stats = Stats()
        took = run_workers(port, tokens, args.clients, args.seconds, stats)
        app = stats.summary(took)
    finally:
        stop(server)
        log.close()
        subprocess.run([python, __file__, "--end-sessions", str(tokens_file)], check=False)

    bare_server = subprocess.Popen(
        [str(Path(python).parent / "gunicorn"), "bench.bare_wsgi", "-b", f"127.0.0.1:{bare_port}"]
        + ["--workers", "2", "--threads", "4"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(bare_port, bare_server)
        run_bare(bare_port, args.clients, 3, Stats())
        bare_stats = Stats()
        took = run_bare(bare_port, args.clients, args.seconds, bare_stats)
        bare = bare_stats.summary(took)
    finally:
        stop(bare_server)

    home, base = app["overall"], bare["overall"]
    share = home["rps"] / base["rps"] if base["rps"] else 0.0
    print(f"\nportal home: {len(tokens)} workers, {args.clients} clients, {args.seconds:.0f} s")
    print(f"{'':20} {'count':>7} {'errors':>6} {'rps':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, row in (("portal home", home), ("bare Django view", base)):
        print(
            f"{name:20} {row['count']:7} {row['errors']:6} {row['rps']:8} "
            f"{row['p50_ms']:8} {row['p95_ms']:8}"
        )
    verdict = "ok" if home["p95_ms"] <= TARGET_P95_MS and share >= TARGET_SHARE else "MISSED"
    print(
        f"share of the bare view's rps: {share:.2f} (target ≥ {TARGET_SHARE}); "
        f"p95 {home['p95_ms']} ms (target ≤ {TARGET_P95_MS} ms): {verdict}"
    )
    print("notes:", json.dumps(app["notes"], ensure_ascii=False))
    return 1 if home["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
