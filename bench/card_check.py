"""The console's card check (``/scan/``) under load, beside a bare Django view served
the same way.

Union staff at the county desk check the electronic cards of many different members
of the million-worker county: ``--clients`` connections at once post a card's code
(a signed token, as the QR carries it) to ``/scan/`` without pause, against the
production setup (``scripts/serve.sh``) on loopback. Every check is written to the
security log, so each request also writes. Then a bare Django view
(``bench/bare_wsgi.py``) is served by gunicorn with the same settings and asked by as
many clients. Targets (issue: worker portal): p95 ≤ 60 ms, and at least a quarter of
the bare view's requests per second.

    GONGHUI_VAR_DIR=/tmp/bench-1m .venv/bin/python bench/card_check.py --seconds 30
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import Browser, Stats, UnexpectedAnswer, free_port, run_bare, stop, wait_until_up  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 60
TARGET_SHARE = 0.25
STAFF = "county_staff"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def prepare(count: int) -> dict:
    """Run inside Django: a signed-in session of the county's staff account, and the
    card codes of ``count`` members spread over the county."""
    import common  # noqa: F401  (sets Django up on GONGHUI_VAR_DIR)
    from django.conf import settings
    from django.test import Client

    from gonghui.accounts.models import User
    from gonghui.people.models import Person
    from gonghui.portal.membership import card_token

    client = Client()
    client.force_login(User.objects.get(username=STAFF))
    members = Person.objects.members().exclude(card_number="").order_by("pk")
    step = max(1, members.count() // count)
    tokens = [card_token(p) for p in members.only("pk", "card_number")[::step][:count]]
    cookie = settings.SESSION_COOKIE_NAME
    return {"cookie": cookie, "session": client.cookies[cookie].value, "tokens": tokens}


def run_checks(port: int, setup: dict, clients: int, seconds: float, stats: Stats) -> float:
    deadline = time.monotonic() + seconds
    tokens = setup["tokens"]

    def loop(index: int) -> None:
        browser = Browser("127.0.0.1", port, stats)
        browser.cookies = {setup["cookie"]: setup["session"]}
        try:
            _status, _headers, page = browser.request("check form", "GET", "/scan/")
        except UnexpectedAnswer:
            return
        token = CSRF_FIELD.search(page).group(1)
        n = index
        while time.monotonic() < deadline:
            n += clients  # a different member's card on every request
            form = {"csrfmiddlewaretoken": token, "token": tokens[n % len(tokens)]}
            try:
                browser.request("card check", "POST", "/scan/", form)
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
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        args.prepare.write_text(json.dumps(prepare(args.members)))
        return 0
    if "GONGHUI_VAR_DIR" not in os.environ:
        sys.exit("card_check: set GONGHUI_VAR_DIR to the benchmark county (see bench/common.py)")
    var_dir = Path(os.environ["GONGHUI_VAR_DIR"])
    setup_file = var_dir / "card-check.json"
    python = sys.executable
    subprocess.run(
        [python, __file__, "--members", str(args.members), "--prepare", str(setup_file)],
        check=True,
    )
    setup = json.loads(setup_file.read_text())
    setup_file.unlink()

    port, bare_port = free_port(), free_port()
    env = {**os.environ, "BIN": str(Path(python).parent)}
    env.pop("DATABASE_URL", None)
    log = open(var_dir / "card-check-serve.log", "w")  # noqa: SIM115 - open while it serves
    server = subprocess.Popen(
        ["bash", "scripts/serve.sh", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        wait_until_up(port, server)
        run_checks(port, setup, args.clients, 3, Stats())  # warm-up
        stats = Stats()
        took = run_checks(port, setup, args.clients, args.seconds, stats)
        app = stats.summary(took)
    finally:
        stop(server)
        log.close()

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

    check, base = app["requests"]["card check"], bare["overall"]
    share = check["rps"] / base["rps"] if base["rps"] else 0.0
    cards = len(setup["tokens"])
    print(f"\ncard check: {cards} cards, {args.clients} clients, {args.seconds:.0f} s")
    print(f"{'':20} {'count':>7} {'errors':>6} {'rps':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, row in (("card check", check), ("bare Django view", base)):
        print(
            f"{name:20} {row['count']:7} {row['errors']:6} {row['rps']:8} "
            f"{row['p50_ms']:8} {row['p95_ms']:8}"
        )
    verdict = "ok" if check["p95_ms"] <= TARGET_P95_MS and share >= TARGET_SHARE else "MISSED"
    print(
        f"share of the bare view's rps: {share:.2f} (target ≥ {TARGET_SHARE}); "
        f"p95 {check['p95_ms']} ms (target ≤ {TARGET_P95_MS} ms): {verdict}"
    )
    print("notes:", json.dumps(app["notes"], ensure_ascii=False))
    return 1 if check["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
