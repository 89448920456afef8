"""A 20,000-row export on the real server while its job page is polled and others browse.

The whole site as ``make run`` serves it: ``scripts/serve.sh`` (gunicorn and a
supervised task worker per queue) on a free loopback port, with the demo county
in its own SQLite file under a temporary GONGHUI_VAR_DIR (in both test passes:
the server never uses the suite's database). Real HTTP clients sign in through
the login form. The job must finish, every response must be a 200, no process
may have died on "database is locked", and what the job wrote is owner-only.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
PASSWORD = "Gonghui-Demo-2026"  # README.md: the demo logins
POLLERS = 4
DEADLINE = 240  # seconds for the export, its polling and the browsing


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _descendants(pid: int) -> list[int]:
    found = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            pids = [int(p) for p in children.read_text().split()]
        except OSError:
            continue
        for child in pids:
            found += [child, *_descendants(child)]
    return found


class Browser:
    """One person's browser: its own cookies, signed in through the login form."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str, *, htmx: bool = False) -> tuple[int, str, bytes]:
        headers = {"HX-Request": "true"} if htmx else {}
        request = urllib.request.Request(self.base + path, headers=headers)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.url, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read()

    def sign_in(self, username: str) -> None:
        status, _url, page = self.get("/accounts/login/")
        assert status == 200
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.decode(), "username": username, "password": PASSWORD}
        ).encode()
        request = urllib.request.Request(
            self.base + "/accounts/login/", data=data, headers={"Referer": self.base + "/"}
        )
        with self.opener.open(request, timeout=60) as response:
            assert response.status == 200
            assert "/accounts/login/" not in response.url, f"{username} was not signed in"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo county served by scripts/serve.sh; stopped (TERM, then KILL) afterwards."""
    var = tmp_path_factory.mktemp("served") / "var"
    var.mkdir(mode=0o755)
    var.chmod(0o755)  # as a checkout's var/ was: the settings must close it
    env = {
        **os.environ,
        "GONGHUI_VAR_DIR": str(var),
        "DATABASE_URL": "",  # its own SQLite file, in the PostgreSQL pass too
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }
    for name in ("TASKS_BACKEND", "EXPORT_INLINE_MAX_ROWS", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    gonghui = str(BIN / "gonghui")
    subprocess.run([gonghui, "migrate", "--no-input", "-v", "0"], env=env, check=True, timeout=300)
    subprocess.run(
        [gonghui, "demo", "--scale", "20000", "--seed", "1"],
        env=env,
        check=True,
        timeout=300,
        stdout=subprocess.DEVNULL,
    )
    port = _free_port()
    log = var / "serve.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "serve.sh"), str(port)],
            cwd=ROOT,
            env={**env, "BIN": str(BIN), "LISTEN": "127.0.0.1"},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=5).close()
                break
            except OSError:
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.5)
        yield base, var, log, process.pid
    finally:
        started = _descendants(process.pid)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
        for pid in started:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_an_export_polled_by_four_clients_while_others_browse_finishes_and_no_request_fails(
    server,
):
    base, var, log, _serve_pid = server
    starter = Browser(base)
    starter.sign_in("county_staff")
    pollers = [Browser(base) for _ in range(POLLERS)]
    for poller in pollers:
        poller.sign_in("county_staff")
    others = [Browser(base), Browser(base)]
    others[0].sign_in("township1")
    others[1].sign_in("county_staff")

    status, url, _page = starter.get("/people/?export=xlsx")
    assert status == 200
    job_path = urllib.parse.urlparse(url).path
    assert re.fullmatch(r"/jobs/\d+/", job_path), url

    failures: list[str] = []
    finished = threading.Event()
    fragments: list[bytes] = []
    deadline = time.monotonic() + DEADLINE

    def poll(browser: Browser) -> None:
        while not finished.is_set() and time.monotonic() < deadline:
            status, _url, fragment = browser.get(job_path, htmx=True)
            if status != 200:
                failures.append(f"{job_path}: {status}")
            elif b"hx-trigger" not in fragment:  # the fragment stops polling when finished
                fragments.append(fragment)
                finished.set()
            time.sleep(0.25)

    def browse(browser: Browser) -> None:
        pages = ["/", "/people/", "/people/?page=3", "/jobs/", "/people/?q=%E5%BC%A0"]
        n = 0
        while not finished.is_set() and time.monotonic() < deadline:
            path = pages[n % len(pages)]
            status, _url, _page = browser.get(path)
            if status != 200:
                failures.append(f"{path}: {status}")
            n += 1

    threads = [threading.Thread(target=poll, args=(b,)) for b in pollers]
    threads += [threading.Thread(target=browse, args=(b,)) for b in others]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DEADLINE + 60)

    served = log.read_text()
    assert finished.is_set(), f"the job did not finish within {DEADLINE} s\n{served}"
    assert failures == [], served
    assert "database is locked" not in served
    assert "starting it again" not in served  # no process of the site died
    download = f"{job_path}download/".encode()
    assert download in fragments[0], fragments[0]
    status, _url, workbook = starter.get(download.decode())
    assert status == 200
    assert workbook.startswith(b"PK")  # an .xlsx is a zip
    assert len(workbook) > 200_000  # 20,000 rows, not an empty sheet

    # What the job wrote, and the database, are readable by their owner only.
    assert var.stat().st_mode & 0o777 == 0o700
    assert (var / "gonghui.sqlite3").stat().st_mode & 0o777 == 0o600
    assert (var / "media" / "jobs").stat().st_mode & 0o777 == 0o700
    for export in (var / "media" / "jobs").iterdir():
        assert export.stat().st_mode & 0o777 == 0o600, export


def _workers(serve_pid: int, queue: str) -> list[int]:
    found = []
    for pid in _descendants(serve_pid):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"jobs_worker" in command and queue.encode() in command:
            found.append(pid)
    return found


def test_a_task_worker_that_dies_is_started_again_and_the_site_stays_up(server):
    base, _var, log, serve_pid = server
    (worker,) = _workers(serve_pid, "exports")
    os.kill(worker, signal.SIGKILL)
    browser = Browser(base)
    browser.sign_in("township1")
    deadline = time.monotonic() + 30
    while True:
        assert browser.get("/people/")[0] == 200
        restarted = _workers(serve_pid, "exports")
        if restarted and restarted != [worker]:
            break
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.5)
    assert "task worker (exports) ended (status 137); starting it again." in log.read_text()
