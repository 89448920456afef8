"""Fault drills on PostgreSQL (docs/security.md, "Load and fault drills").

- The database goes away under load and comes back, and the PostgreSQL cluster is
  restarted under load: requests meanwhile get the site's error page, and the same
  server answers again without being restarted.
- The task worker is killed in the middle of a roster import: the import is all
  there or not at all, the job says it was interrupted, and running it again
  imports every row once.

Both need servers in processes of their own sharing one database, so they run in
the PostgreSQL pass only (``make test-pg``), like ``aid/tests/test_aid_concurrency.py``.
A full disk during an upload is drilled on both engines in
``aid/tests/test_aid_evidence_disk_full.py`` and ``people/tests/test_roster_disk_full.py``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from openpyxl import Workbook

from gonghui.jobs.models import Job, JobStatus
from gonghui.people.models import Person
from gonghui.people.roster.services import roster_import_start

pytestmark = pytest.mark.postgres

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def on_postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("fault drills need PostgreSQL (DATABASE_URL=postgres://…)")


def database_url() -> str:
    """The URL of this test's database, for servers started in other processes."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def server_env(**extra) -> dict:
    return {**os.environ, "DATABASE_URL": database_url(), **extra}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- PostgreSQL goes away under load -----------------------------------------------


def admin_sql(sql: str, params=()) -> None:
    """Run ``sql`` from the cluster's ``postgres`` database: PostgreSQL refuses to close a
    database to connections from a connection to it."""
    import psycopg

    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(sql, params)


def cut_connections() -> None:
    """Cut every connection to this test's database but the test's own."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own = cursor.fetchone()[0]
    admin_sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
        (connection.settings_dict["NAME"], own),
    )


def database_down() -> None:
    """What a restart does to the application: every connection to its database is
    cut, and new ones are refused until it is back. Done to this test's database
    only, so that the other tests sharing the cluster (pytest-xdist) run on."""
    name = connection.settings_dict["NAME"]
    admin_sql(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
    cut_connections()


def database_up() -> None:
    name = connection.settings_dict["NAME"]
    admin_sql(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')


class Load:
    """Threads requesting a page over and over, each answer kept as (status, body)."""

    def __init__(self, url: str, cookie: str, threads: int = 4):
        self.url, self.cookie = url, cookie
        self.answers: list[tuple[int, str]] = []
        self.running = threading.Event()
        self.stopped = False
        self.threads = [threading.Thread(target=self.loop, daemon=True) for _ in range(threads)]
        for thread in self.threads:
            thread.start()

    def get(self) -> tuple[int, str]:
        request = urllib.request.Request(self.url, headers={"Cookie": self.cookie})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()
        except OSError as exc:  # no answer at all: the drill fails on it
            return 0, repr(exc)

    def loop(self) -> None:
        while not self.stopped:
            if not self.running.wait(0.1):
                continue
            self.answers.append(self.get())

    def run_for(self, seconds: float) -> list[tuple[int, str]]:
        self.answers = []
        self.running.set()
        time.sleep(seconds)
        self.running.clear()
        time.sleep(0.5)  # the requests in flight end
        return list(self.answers)

    def end(self) -> None:
        self.stopped = True
        for thread in self.threads:
            thread.join(35)


@contextmanager
def served_under_load(user, tmp_path):
    """A gunicorn worker like each of serve.sh's, and threads asking it for the person
    list as ``user``; yields the load and a function that reads the server's log."""
    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    log_file = log_path.open("wb")
    # One worker process, with threads that keep their connections.
    server = subprocess.Popen(
        [BIN / "gunicorn", "gonghui.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "1"]
        + ["--threads", "4"],
        cwd=ROOT,
        env=server_env(),
        stdout=subprocess.DEVNULL,
        # A file, not a pipe: the errors logged during the outage would fill a pipe
        # nobody reads and block the server.
        stderr=log_file,
    )
    load = Load(f"http://127.0.0.1:{port}/people/", cookie)
    try:
        deadline = time.monotonic() + 60
        while load.get()[0] != 200:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.3)
        yield load, lambda: log_path.read_text(errors="replace")
    finally:
        load.end()
        stop(server)
        log_file.close()
    assert server.returncode is not None  # stopped here, never restarted in between
    log = log_path.read_text(errors="replace")
    assert "Booting worker" in log and log.count("Booting worker") == 1, log[-2000:]


def assert_error_pages(answers) -> None:
    """Requests while the database was away: the site's own error page, nothing else."""
    assert answers and {status for status, _ in answers} == {500}, answers[:3]
    for _status, page in answers:
        assert 'class="error-page"' in page
        assert "Traceback" not in page
        assert "OperationalError" not in page


def test_the_database_going_away_under_load_gets_the_error_page_and_the_server_recovers(
    on_postgres, county, tmp_path
):
    """The outage of a restart, made on this test's database alone, so that the other
    tests sharing the cluster (pytest-xdist) run on; the cluster itself is restarted by
    the drill below, run alone."""
    with served_under_load(county.t1staff, tmp_path) as (load, _log):
        try:
            before = load.run_for(2)
            # Connections cut between requests: each thread's kept connection is dead,
            # and is replaced before it is used (CONN_HEALTH_CHECKS).
            cut_connections()
            after_cut = load.run_for(2)
            database_down()
            during = load.run_for(3)
            database_up()
            time.sleep(0.5)
            after = load.run_for(3)
        finally:
            database_up()

    assert before and {status for status, _ in before} == {200}
    assert after_cut and {status for status, _ in after_cut} == {200}
    assert_error_pages(during)
    assert after and {status for status, _ in after} == {200}


def pg_script(*args: str) -> None:
    env = {**os.environ, "GONGHUI_PG_PORT": str(connection.settings_dict["PORT"] or 5432)}
    subprocess.run(["bash", ROOT / "scripts" / "pg.sh", *args], cwd=ROOT, env=env, check=True)


@pytest.mark.cluster_restart
def test_postgresql_restarted_under_load_gets_the_error_page_and_the_server_recovers(
    on_postgres, county, tmp_path
):
    """The cluster itself stopped (fast shutdown: every connection cut) and started
    again under load. Every other connection to the cluster dies with it, so make
    test-pg runs this alone, after the pass (``-m cluster_restart``)."""
    if os.environ.get("GONGHUI_PG_RESTART_DRILL") != "1":
        pytest.skip(
            "restarts the whole PostgreSQL cluster: run alone, as make test-pg does "
            "(GONGHUI_PG_RESTART_DRILL=1 pytest -n 0 -m cluster_restart)"
        )
    with served_under_load(county.t1staff, tmp_path) as (load, _log):
        before = load.run_for(2)
        try:
            pg_script("stop")
            during = load.run_for(3)
        finally:
            pg_script()  # started again, as scripts/pg.sh starts it
            connection.close()  # this test's own connection died with the cluster
        time.sleep(0.5)
        after = load.run_for(3)

    assert before and {status for status, _ in before} == {200}
    assert_error_pages(during)
    assert after and {status for status, _ in after} == {200}


# --- the task worker is killed during a roster import ------------------------------

ROWS = 3000


def big_roster(path: Path, rows: int = ROWS) -> Path:
    """A roster of ``rows`` valid rows: long enough to kill its import midway."""
    from gonghui.people.tests.roster_fixtures import GROUP_ROW, HEADER_ROW, roster_id

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(GROUP_ROW))
    sheet.append(list(HEADER_ROW))
    name_column, id_column = HEADER_ROW.index("姓名"), HEADER_ROW.index("公民身份号码")
    for n in range(1, rows + 1):
        row = [""] * len(HEADER_ROW)
        row[0] = n
        row[name_column] = f"测试{n:05d}"
        row[id_column] = roster_id(n)
        sheet.append(row)
    workbook.save(path)
    return path


def start_import(county, path: Path) -> Job:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("花名册.xlsx", path.read_bytes())
    return roster_import_start(by=county.chair1, union=county.g1, upload=upload, dry_run=False)


def worker(var_dir: Path) -> subprocess.Popen:
    """``gonghui jobs_worker`` for the import queue, on this test's database; its
    report files go under ``var_dir``."""
    var_dir.mkdir(exist_ok=True)
    return subprocess.Popen(
        [BIN / "gonghui", "jobs_worker", "--queue-name", "default"],
        cwd=ROOT,
        env=server_env(GONGHUI_VAR_DIR=str(var_dir)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def writing_uncommitted() -> bool:
    """Whether another session holds a transaction that has written (PostgreSQL gives a
    transaction its id at its first write): the import's, once ``Writing`` is shown."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
            " AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL",
            [connection.settings_dict["NAME"]],
        )
        return cursor.fetchone()[0] > 0


def imported() -> int:
    return Person.objects.filter(name__startswith="测试").count()


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_a_worker_killed_during_a_roster_import_leaves_all_or_nothing_and_it_runs_again(
    on_postgres, county, settings, tmp_path
):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "exports"],
        }
    }
    roster = big_roster(tmp_path / "roster.xlsx")
    job = start_import(county, roster)
    var_dir = tmp_path / "worker-var"
    first = worker(var_dir)
    try:
        # Killed once it is writing: past the check, inside the import's transaction.
        wait_for(lambda: "Writing" in Job.objects.get(pk=job.pk).message, 240, "the check to end")
        wait_for(writing_uncommitted, 60, "the import to write")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()

    # All or nothing: the rows written so far were one uncommitted transaction.
    assert imported() in (0, ROWS)
    assert imported() == 0  # killed before its commit: nothing of it is left

    # The next worker to start marks the interrupted job failed, saying what to do.
    second = worker(var_dir)
    try:
        wait_for(
            lambda: Job.objects.get(pk=job.pk).status == JobStatus.FAILED, 60, "the job failed"
        )
        assert "stopped before this job finished" in Job.objects.get(pk=job.pk).message
        # Started again, the import runs whole, once.
        again = start_import(county, roster)
        wait_for(
            lambda: Job.objects.get(pk=again.pk).status in (JobStatus.DONE, JobStatus.FAILED),
            300,
            "the second import",
        )
    finally:
        stop(second)
    assert Job.objects.get(pk=again.pk).status == JobStatus.DONE
    assert imported() == ROWS
    names = list(Person.objects.filter(name__startswith="测试").values_list("name", flat=True))
    assert len(set(names)) == len(names) == ROWS  # each row once
