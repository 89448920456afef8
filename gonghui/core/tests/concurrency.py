"""What the PostgreSQL concurrency tests share besides the ``on_postgres`` fixture
(``gonghui/conftest.py``): ``run_together``, which releases many calls at once."""

from __future__ import annotations

import threading

from django.db import connections


def run_together(calls) -> list:
    """Run each call in its own thread (own connection), all released at once by a
    barrier. Returns what each call returned or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects every outcome
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
