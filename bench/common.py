"""What the benchmark scripts share: Django set-up on the benchmark database, a
signed-in test client, and the median of timed runs.

The database is the demo county built once with
``GONGHUI_VAR_DIR=/tmp/bench-1m gonghui demo --scale 1000000 --seed 1``;
every script reads ``GONGHUI_VAR_DIR`` like the application does.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

# The test client's host name, and no warning about static files never collected here.
setup_test_environment()
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

#: Timed runs per figure after the warm-up runs; the median is reported.
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "2"))


def require_demo(minimum_workers: int = 1) -> None:
    from gonghui.people.models import Person

    count = Person.objects.count()
    if count < minimum_workers:
        sys.exit(
            f"The database under GONGHUI_VAR_DIR={os.environ.get('GONGHUI_VAR_DIR', '(default)')} "
            f"holds {count} workers; build it with `gonghui demo --scale 1000000 --seed 1`."
        )


def signed_in_client(username: str) -> Client:
    """A test client signed in as ``username``, past the second factor where one is required."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gonghui.accounts.models import User

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    if user.requires_otp:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def median_ms(run: Callable[[], object], *, runs: int = RUNS, warmup: int = WARMUP) -> dict:
    """Median, min and max milliseconds of ``runs`` calls after ``warmup`` untimed ones."""
    for _ in range(warmup):
        run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return {
        "median_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "runs": runs,
    }
