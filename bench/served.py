"""What the page benchmarks against the real server share (``portal_home.py``,
``card_check.py``): clients in threads, the production setup (``scripts/serve.sh``)
serving the benchmark database, a bare Django view served by gunicorn with the same
settings in the same run, and the figures printed side by side."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from load import Stats, free_port, run_bare, stop, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
WARM_UP_SECONDS = 3
TARGET_P95_MS = 60
TARGET_SHARE = 0.25


def run_clients(clients: int, seconds: float, loop: Callable[[int, float], None]) -> float:
    """``loop(index, deadline)`` in ``clients`` threads at once; returns the seconds taken."""
    deadline = time.monotonic() + seconds
    began = time.monotonic()
    threads = [
        threading.Thread(target=loop, args=(i, deadline), daemon=True) for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    return time.monotonic() - began


def against_serve(
    var_dir: Path, log_name: str, seconds: float, run: Callable[[int, float, Stats], float]
) -> tuple[Stats, float]:
    """``run(port, seconds, stats)`` against ``scripts/serve.sh`` serving ``var_dir``,
    after a warm-up; returns the timed run's Stats and the seconds it took."""
    port = free_port()
    env = {**os.environ, "BIN": str(Path(sys.executable).parent)}
    env.pop("DATABASE_URL", None)
    log = open(var_dir / log_name, "w")  # noqa: SIM115 - open while the server runs
    server = subprocess.Popen(
        ["bash", "scripts/serve.sh", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        wait_until_up(port, server)
        run(port, WARM_UP_SECONDS, Stats())  # templates, caches, connections
        stats = Stats()
        return stats, run(port, seconds, stats)
    finally:
        stop(server)
        log.close()


def bare(clients: int, seconds: float) -> dict:
    """The bare Django view's figures, served like the application."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "bench.bare_wsgi",
            "-b",
            f"127.0.0.1:{port}",
        ]
        # As scripts/serve.sh serves the application.
        + ["--workers", os.environ.get("WEB_WORKERS", "2")]
        + ["--threads", os.environ.get("WEB_THREADS", "4")],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(port, server)
        run_bare(port, clients, WARM_UP_SECONDS, Stats())
        stats = Stats()
        took = run_bare(port, clients, seconds, stats)
        return stats.summary(took)["overall"]
    finally:
        stop(server)


def report(name: str, page: dict, base: dict, heading: str, notes: dict) -> int:
    """Print the page's figures beside the bare view's and the verdict; 1 on errors."""
    share = page["rps"] / base["rps"] if base["rps"] else 0.0
    print(f"\n{heading}")
    print(f"{'':20} {'count':>7} {'errors':>6} {'rps':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for label, row in ((name, page), ("bare Django view", base)):
        print(
            f"{label:20} {row['count']:7} {row['errors']:6} {row['rps']:8} "
            f"{row['p50_ms']:8} {row['p95_ms']:8}"
        )
    verdict = "ok" if page["p95_ms"] <= TARGET_P95_MS and share >= TARGET_SHARE else "MISSED"
    print(
        f"share of the bare view's rps: {share:.2f} (target ≥ {TARGET_SHARE}); "
        f"p95 {page['p95_ms']} ms (target ≤ {TARGET_P95_MS} ms): {verdict}"
    )
    print("notes:", notes)
    return 1 if page["errors"] else 0
