"""The console's card check (``/scan/``) under load, beside a bare Django view served
the same way.

Union staff at the county desk check the electronic cards of many different members
of the million-worker county: ``--clients`` connections at once post a card's code
(a signed token, as the QR carries it) to ``/scan/`` without pause, as the desk page's
htmx sends it (the answer alone comes back), against the production setup
(``scripts/serve.sh``) on loopback. Every check is written to the security log, so
each request also writes; the answers are counted by result. Then a bare Django view
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
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import Browser, Stats, UnexpectedAnswer  # noqa: E402
from served import against_serve, bare, report, run_clients  # noqa: E402

STAFF = "county_staff"
#: The desk page sends its checks by htmx and gets the answer alone (the camera keeps running).
HTMX = {"HX-Request": "true"}
RESULT = re.compile(r'data-result="([a-z_]+)"')
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
    tokens = setup["tokens"]

    def loop(index: int, deadline: float) -> None:
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
                _status, _headers, answer = browser.request(
                    "card check", "POST", "/scan/", form, headers=HTMX
                )
            except UnexpectedAnswer:
                continue
            found = RESULT.search(answer)
            browser.stats.note(f"answer: {found.group(1) if found else 'none'}")
        browser.close()

    return run_clients(clients, seconds, loop)


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
    subprocess.run(
        [sys.executable, __file__, "--members", str(args.members), "--prepare", str(setup_file)],
        check=True,
    )
    setup = json.loads(setup_file.read_text())
    setup_file.unlink()
    stats, took = against_serve(
        var_dir,
        "card-check-serve.log",
        args.seconds,
        lambda port, seconds, stats: run_checks(port, setup, args.clients, seconds, stats),
    )
    app = stats.summary(took)
    cards = len(setup["tokens"])
    heading = f"card check: {cards} cards, {args.clients} clients, {args.seconds:.0f} s"
    base = bare(args.clients, args.seconds)
    return report("card check", app["requests"]["card check"], base, heading, app["notes"])


if __name__ == "__main__":
    sys.exit(main())
