"""Load the console with a mixed workload from many accounts at once (`make load`).

The production setup (``scripts/serve.sh``: gunicorn and a task worker per queue)
serves a copy of a small demo county on a free loopback port. Each of ``--users``
virtual users signs in with an account of its own through the sign-in page and
then, for ``--seconds``, repeats without pause an action picked at random by
weight: search the person list by a surname, open a person found, register a
person (the form, then the POST), approve an aid application awaiting it (the
awaiting list, the decision form, the POST) and export a search as Excel. Every
request is timed. Then a bare Django view (``bench/bare_wsgi.py``) is served with
the same gunicorn settings and loaded by as many users, for comparison.

    python bench/load.py --seconds 600            # by hand (make load)
    python bench/load.py --seconds 60             # CI (CI=true make test)

The demo county is built once under ``--var-dir``/pristine (about 15 s at the
default scale) and copied afresh for every run, so writes never accumulate.
The exit status is 1 on any error: a 5xx answer, a connection error, a timeout
or an answer other than the one expected (a 4xx, a form refused). A decision
that another user took first is expected and counted as "taken".
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
#: Weights of the actions of one virtual user's loop.
ACTIONS = {"search": 40, "open": 25, "register": 10, "approve": 15, "export": 10}
#: Common surnames: a search by one finds tens to hundreds of people in the demo.
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
ACCOUNT_PREFIX = "load"
#: The password of the demo accounts (README.md), given to the load accounts too.
PASSWORD = "Gonghui-Demo-2026"
TIMEOUT = 60
SIGN_IN = ("sign-in form", "sign in")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PERSON_LINK = re.compile(r'href="/people/(\d+)/"')
APPLICATION_LINK = re.compile(r'href="/aid/(\d+)/"')
FORM_ERROR = re.compile(r'class="errorlist nonfield"[^>]*>\s*<li>([^<]+)')
#: Weights of GB 11643-1999 §6 for the check character of an ID number.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


class UnexpectedAnswer(Exception):
    """An answer other than the one the action expects: counted as an error."""


# --- one browser ---------------------------------------------------------------------


class Browser:
    """One user's HTTP/1.1 connection (kept alive) and cookies, timing every request."""

    def __init__(self, host: str, port: int, stats: Stats):
        self.host, self.port, self.stats = host, port, stats
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.last_used = 0.0

    def request(
        self,
        name: str,
        method: str,
        path: str,
        form: dict | None = None,
        expect=(200,),
        headers: dict | None = None,
    ) -> tuple[int, dict, str]:
        # gunicorn closes a connection idle for 2 s (--keep-alive): reconnect before
        # that rather than retry a POST the server may have taken.
        if self.connection is None or time.monotonic() - self.last_used > 1.5:
            self.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        headers = {
            "Host": f"{self.host}:{self.port}",
            "Accept-Language": "zh-hans",
            **(headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.host}:{self.port}"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            self.stats.record(name, time.perf_counter() - started, f"{type(exc).__name__}")
            self.close()
            raise UnexpectedAnswer(f"{method} {path}: {exc!r}") from None
        finally:
            self.last_used = time.monotonic()
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie, _, _ = header.partition(";")
            key, _, value = cookie.partition("=")
            if value and "max-age=0" not in header.lower():
                self.cookies[key.strip()] = value.strip()
            else:
                self.cookies.pop(key.strip(), None)
        if response.will_close:
            self.close()
        status = response.status
        error = None if status in expect else f"HTTP {status}"
        self.stats.record(name, elapsed, error)
        if error:
            raise UnexpectedAnswer(f"{method} {path}: {status}")
        text = (
            content.decode("utf-8", "replace")
            if "text" in (response.getheader("Content-Type") or "")
            else ""
        )
        return status, dict(response.headers), text

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def csrf(self, page: str) -> str:
        match = CSRF_FIELD.search(page)
        if not match:
            raise UnexpectedAnswer("a form page without a CSRF token")
        return match.group(1)


# --- statistics ----------------------------------------------------------------------


@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    notes: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, name: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[name].append(seconds)
            if error:
                self.errors[name] += 1
                self.notes[f"{name}: {error}"] += 1

    def note(self, what: str) -> None:
        with self.lock:
            self.notes[what] += 1

    def summary(self, seconds: float) -> dict:
        rows = {
            name: figures(times, self.errors[name], seconds) for name, times in self.times.items()
        }
        # Signing in happens before the timed window: reported, but not in the totals.
        timed = [name for name in self.times if name not in SIGN_IN]
        every = [t for name in timed for t in self.times[name]]
        return {
            "requests": rows,
            "overall": figures(every, sum(self.errors[name] for name in timed), seconds),
            "sign_in_errors": sum(self.errors[name] for name in SIGN_IN),
            "notes": dict(self.notes),
        }


def percentile(sorted_times: list[float], share: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not sorted_times:
        return 0.0
    index = max(0, min(len(sorted_times) - 1, round(share * len(sorted_times) + 0.5) - 1))
    return round(sorted_times[index] * 1000, 1)


def figures(times: list[float], errors: int, seconds: float) -> dict:
    ordered = sorted(times)
    return {
        "count": len(times),
        "errors": errors,
        "rps": round(len(times) / seconds, 1) if seconds else 0.0,
        "p50_ms": percentile(ordered, 0.50),
        "p95_ms": percentile(ordered, 0.95),
    }


# --- the virtual user ----------------------------------------------------------------


def id_number(rng: random.Random, regions: list[str]) -> str:
    """A valid resident ID number (GB 11643-1999): region, birth date, sequence, check."""
    born = date(1965, 1, 1) + timedelta(days=rng.randrange(365 * 35))
    first17 = f"{rng.choice(regions)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


class User:
    def __init__(self, browser: Browser, username: str, rng: random.Random, regions: list[str]):
        self.browser, self.username, self.rng, self.regions = browser, username, rng, regions
        self.people: list[str] = []

    def sign_in(self) -> None:
        _, _, page = self.browser.request("sign-in form", "GET", "/accounts/login/")
        form = {
            "csrfmiddlewaretoken": self.browser.csrf(page),
            "username": self.username,
            "password": PASSWORD,
        }
        self.browser.request("sign in", "POST", "/accounts/login/", form, expect=(302,))

    def search(self) -> None:
        query = urlencode({"q": self.rng.choice(SURNAMES)})
        _, _, page = self.browser.request("search", "GET", f"/people/?{query}")
        self.people = PERSON_LINK.findall(page) or self.people

    def open(self) -> None:
        if not self.people:
            return self.search()
        self.browser.request("open a person", "GET", f"/people/{self.rng.choice(self.people)}/")

    def register(self) -> None:
        _, _, page = self.browser.request("register (form)", "GET", "/people/new/")
        name = self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=2))
        form = {
            "csrfmiddlewaretoken": self.browser.csrf(page),
            "name": name,
            "id_number": id_number(self.rng, self.regions),
        }
        self.browser.request("register (POST)", "POST", "/people/new/", form, expect=(302,))

    def approve(self) -> None:
        _, _, page = self.browser.request("awaiting list", "GET", "/aid/?show=awaiting")
        awaiting = APPLICATION_LINK.findall(page)
        if not awaiting:
            self.browser.stats.note("approve: none awaiting")
            return
        path = f"/aid/{self.rng.choice(awaiting)}/decide/"
        _, _, page = self.browser.request("decide (form)", "GET", path, expect=(200, 302))
        if "csrfmiddlewaretoken" not in page:
            self.browser.stats.note("approve: taken before the form")  # decided meanwhile
            return
        form = {
            "csrfmiddlewaretoken": self.browser.csrf(page),
            "decision": "approve",
            "amount": "",
            "comment": "",
        }
        status, _, page = self.browser.request(
            "decide (POST)", "POST", path, form, expect=(200, 302, 403)
        )
        if status == 302:
            self.browser.stats.note("approve: approved")
            return
        # The form again with the refusal (200: a ValidationError, 403: PermissionDenied):
        # another user decided first and the application left this user's level.
        refusal = FORM_ERROR.search(page)
        if refusal is None:
            raise UnexpectedAnswer(f"POST {path}: {status} without a refusal on the form")
        self.browser.stats.note(f"approve: taken ({status}: {refusal.group(1).strip()})")

    def export(self) -> None:
        query = urlencode({"q": self.rng.choice(SURNAMES), "export": "xlsx"})
        status, headers, _ = self.browser.request(
            "export (Excel)", "GET", f"/people/?{query}", expect=(200, 302)
        )
        if status == 200 and "spreadsheetml" not in headers.get("Content-Type", ""):
            raise UnexpectedAnswer(f"export answered {headers.get('Content-Type')}")
        self.browser.stats.note("export: inline" if status == 200 else "export: background job")


def run_users(port: int, accounts: list[str], seconds: float, stats: Stats, regions, seed: int):
    """Sign every account in, then run the weighted loop on each until ``seconds`` pass."""
    names, weights = list(ACTIONS), list(ACTIONS.values())
    deadline = [0.0]

    def begin() -> None:  # run once, by the last thread to arrive, before any is released
        deadline[0] = time.monotonic() + seconds

    start = threading.Barrier(len(accounts) + 1, action=begin)

    def loop(index: int, username: str) -> None:
        rng = random.Random(seed * 1000 + index)
        user = User(Browser("127.0.0.1", port, stats), username, rng, regions)
        signed_in = True
        try:
            user.sign_in()
        except UnexpectedAnswer as exc:
            stats.note(f"sign in failed: {exc}")
            signed_in = False
        start.wait()
        while signed_in and time.monotonic() < deadline[0]:
            action = rng.choices(names, weights)[0]
            try:
                getattr(user, action)()
            except UnexpectedAnswer as exc:
                if len(stats.notes) < 200:
                    stats.note(f"{action}: {exc}")
        user.browser.close()

    threads = [
        threading.Thread(target=loop, args=(i, a), daemon=True) for i, a in enumerate(accounts)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began = deadline[0] - seconds
    for thread in threads:
        thread.join(seconds + TIMEOUT * 2)
    return time.monotonic() - began


def run_bare(port: int, users: int, seconds: float, stats: Stats) -> float:
    deadline = time.monotonic() + seconds

    def loop() -> None:
        browser = Browser("127.0.0.1", port, stats)
        while time.monotonic() < deadline:
            try:
                browser.request("bare view", "GET", "/")
            except UnexpectedAnswer:
                pass
        browser.close()

    began = time.monotonic()
    threads = [threading.Thread(target=loop, daemon=True) for _ in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + TIMEOUT * 2)
    return time.monotonic() - began


# --- the database and the servers ----------------------------------------------------


def create_accounts(count: int) -> None:
    """Create the load accounts in the database of GONGHUI_VAR_DIR (run with Django):
    union staff spread over the county federation and its townships, so that they
    search, register and approve at different levels."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from gonghui.accounts.models import Role, User, role_group
    from gonghui.core.idnumbers import known_county_codes
    from gonghui.orgs.models import Organisation, OrgKind

    root = Organisation.objects.get(parent=None)
    places = [
        root,
        *Organisation.objects.filter(parent=root, kind=OrgKind.TOWNSHIP).order_by("code")[:3],
    ]
    encoded, group = make_password(PASSWORD), role_group(Role.STAFF)
    for index in range(count):
        user = User.objects.create(
            username=f"{ACCOUNT_PREFIX}{index + 1:02d}",
            password=encoded,
            organisation=places[index % len(places)],
            must_change_password=False,
            password_changed_at=timezone.now(),
        )
        user.groups.add(group)
    print(json.dumps({"regions": list(known_county_codes()[:50]) or ["110101"]}))


def gonghui(var_dir: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "GONGHUI_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)  # the load runs on its own SQLite copy
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def prepare(var_dir: Path, *, scale: int, seed: int, accounts: int) -> tuple[Path, list[str]]:
    """Build the pristine demo county once, then copy it for this run."""
    pristine, run = var_dir / "pristine", var_dir / "run"
    ready = pristine / "load-ready.json"
    python, bin_dir = sys.executable, Path(sys.executable).parent
    wanted = {"scale": scale, "seed": seed, "accounts": accounts}
    if not ready.exists() or json.loads(ready.read_text())["built"] != wanted:
        shutil.rmtree(pristine, ignore_errors=True)
        pristine.mkdir(parents=True, mode=0o700)
        print(f"load: building the demo county (--scale {scale}) in {pristine} ...", flush=True)
        gonghui(pristine, str(bin_dir / "gonghui"), "migrate", "--no-input", "-v", "0")
        gonghui(pristine, str(bin_dir / "gonghui"), "collectstatic", "--no-input", "-v", "0")
        gonghui(
            pristine,
            str(bin_dir / "gonghui"),
            "demo",
            "--scale",
            str(scale),
            "--seed",
            str(seed),
            stdout=subprocess.DEVNULL,
        )
        made = gonghui(
            pristine,
            python,
            __file__,
            "--create-accounts",
            str(accounts),
            capture_output=True,
            text=True,
        )
        regions = json.loads(made.stdout.strip().splitlines()[-1])["regions"]
        ready.write_text(json.dumps({"built": wanted, "regions": regions}))
    else:
        # A county built by an older checkout: its tables and static files brought up
        # to this one's (migrations added since would otherwise fail every page).
        gonghui(pristine, str(bin_dir / "gonghui"), "migrate", "--no-input", "-v", "0")
        gonghui(pristine, str(bin_dir / "gonghui"), "collectstatic", "--no-input", "-v", "0")
    shutil.rmtree(run, ignore_errors=True)
    shutil.copytree(pristine, run)
    return run, json.loads(ready.read_text())["regions"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(
                f"load: the server on port {port} ended as it started (status {process.returncode})"
            )
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/accounts/login/")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"load: nothing answers on port {port} after {seconds:.0f} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- report --------------------------------------------------------------------------


def report(app: dict, bare: dict, args) -> None:
    print(f"\nload: {args.users} users for {args.seconds:.0f} s against scripts/serve.sh on SQLite")
    print(f"{'request':20} {'count':>7} {'errors':>6} {'rps':>7} {'p50 ms':>8} {'p95 ms':>8}")
    rows = [*sorted(app["requests"].items())]
    rows += [("all requests", app["overall"]), ("bare Django view", bare["overall"])]
    for name, row in rows:
        print(f"{name:20} {row['count']:7} {row['errors']:6} {row['rps']:7}", end="")
        print(f" {row['p50_ms']:8} {row['p95_ms']:8}")
    print("outcomes:", json.dumps(app["notes"], ensure_ascii=False, sort_keys=True))
    if bare["notes"]:
        print("bare view:", json.dumps(bare["notes"], ensure_ascii=False, sort_keys=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--bare-seconds", type=float, help="default: a tenth of --seconds, 10–60")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--var-dir", type=Path, default=Path("/tmp/gonghui-load"))
    parser.add_argument("--scale", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--create-accounts", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.create_accounts:
        create_accounts(args.create_accounts)
        return 0
    bare_seconds = args.bare_seconds or min(60.0, max(10.0, args.seconds / 10))

    run_dir, regions = prepare(args.var_dir, scale=args.scale, seed=args.seed, accounts=args.users)
    accounts = [f"{ACCOUNT_PREFIX}{i + 1:02d}" for i in range(args.users)]
    port, bare_port = free_port(), free_port()
    env = {**os.environ, "GONGHUI_VAR_DIR": str(run_dir), "BIN": str(Path(sys.executable).parent)}
    env.pop("DATABASE_URL", None)
    log = open(run_dir / "serve.log", "w")  # noqa: SIM115 - open while the server runs
    server = subprocess.Popen(
        ["bash", "scripts/serve.sh", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        wait_until_up(port, server)
        print(
            f"load: {args.users} users on http://127.0.0.1:{port}/ for {args.seconds:.0f} s ...",
            flush=True,
        )
        app_stats = Stats()
        took = run_users(port, accounts, args.seconds, app_stats, regions, args.seed)
        app = app_stats.summary(took)
    finally:
        stop(server)
        log.close()

    bare_server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "bench.bare_wsgi",
            "-b",
            f"127.0.0.1:{bare_port}",
            "--workers",
            "2",
            "--threads",
            "4",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(bare_port, bare_server)
        bare_stats = Stats()
        took = run_bare(bare_port, args.users, bare_seconds, bare_stats)
        bare = bare_stats.summary(took)
    finally:
        stop(bare_server)

    report(app, bare, args)
    if args.json:
        args.json.write_text(json.dumps({"app": app, "bare": bare}, ensure_ascii=False, indent=1))
    errors = app["overall"]["errors"] + app["sign_in_errors"] + bare["overall"]["errors"]
    failed_sign_ins = [note for note in app["notes"] if note.startswith("sign in failed")]
    tracebacks = (run_dir / "serve.log").read_text(errors="replace").count("Traceback")
    if errors or failed_sign_ins or tracebacks:
        print(
            f"load: FAILED: {errors} errors, {len(failed_sign_ins)} failed sign-ins, "
            f"{tracebacks} tracebacks in {run_dir / 'serve.log'}"
        )
        return 1
    print("load: no errors.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
