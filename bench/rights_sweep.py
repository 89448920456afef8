"""The nightly rights sweep at 100,000 cases and a million workers, and a handler's
case list.

The benchmark county has no cases of its own in that number: the script adds
synthetic ones (``CASES``, default 100,000, about a fifth of them past their due
day, spread over the county's organisations and its workers) inside a transaction
that is rolled back at the end, so the database is left as found. Each timed sweep
runs in a savepoint rolled back after it, so every run flags and escalates the same
cases afresh (the worst night: nothing flagged before). Work on a copy:

    cp -a /tmp/bench-1m /tmp/rights-1m
    GONGHUI_VAR_DIR=/tmp/rights-1m gonghui migrate
    GONGHUI_VAR_DIR=/tmp/rights-1m python bench/rights_sweep.py [--json]

Targets (median): the sweep 2 s; a handler's "my cases" list 100 ms.
"""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import timedelta

from common import median_ms, require_demo, signed_in_client
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.demo.care import insert_rows
from gonghui.orgs.models import Organisation
from gonghui.rights.models import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    Case,
    CaseKind,
    CaseStatus,
    Category,
    Channel,
    Complexity,
)
from gonghui.rights.services import rights_sweep

SWEEP_MS = 2000
LIST_MS = 100
CASES = int(os.environ.get("BENCH_CASES", "100000"))
SWEEP_RUNS = min(int(os.environ.get("BENCH_RUNS", "7")), 7)

FIELDS = [
    "tracking_code",
    "kind",
    "channel",
    "organisation",
    "anonymous",
    "category",
    "summary",
    "workers_involved",
    "is_group",
    "complexity",
    "intake_answers",
    "status",
    "handler",
    "received_at",
    "accepted_on",
    "due_on",
    "due_provisional",
    "decline_reason",
    "resolution",
    "resolution_terms",
    "callback_comment",
]


class Rollback(Exception):
    pass


def synthetic_rows(handler: User) -> list[tuple]:
    rng = random.Random(15)
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    now = timezone.now()
    statuses = [
        CaseStatus.RECEIVED,
        CaseStatus.ACCEPTED,
        CaseStatus.IN_MEDIATION,
        CaseStatus.IN_LEGAL_AID,
        CaseStatus.RESOLVED,
    ]
    rows = []
    for index in range(CASES):
        status = rng.choice(statuses)
        mine = index % 500 == 0
        due = today + timedelta(days=rng.randint(-40, 160))  # about a fifth overdue
        rows.append(
            (
                "".join(rng.choice(TRACKING_ALPHABET) for _i in range(TRACKING_LENGTH)),
                rng.choice(CaseKind.values),
                Channel.HOTLINE,
                handler.organisation_id if mine else rng.choice(organisations),
                False,
                rng.choice(Category.values),
                "bench",
                1,
                False,
                rng.choice(Complexity.values),
                [],
                status,
                handler.pk if mine else None,
                now - timedelta(days=rng.randint(1, 200)),
                None if status == CaseStatus.RECEIVED else today - timedelta(days=30),
                due,
                False,
                "",
                "" if status != CaseStatus.RESOLVED else "withdrawn",
                "",
                "",
            )
        )
    return rows


def main() -> None:
    require_demo(100_000)
    handler = User.objects.get(username="mediator")
    results: dict[str, dict] = {}
    try:
        with transaction.atomic():
            insert_rows(Case, FIELDS, synthetic_rows(handler))
            if connection.vendor == "sqlite":
                # The planner's statistics know the new rows, as they would after a night.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            counts = {}

            def sweep():
                with transaction.atomic():
                    counts.update(rights_sweep())
                    transaction.set_rollback(True)

            results["nightly sweep"] = {
                "cases": Case.objects.count(),
                **median_ms(sweep, runs=SWEEP_RUNS, warmup=1),
                **counts,
                "target_ms": SWEEP_MS,
            }
            # The same sweep again after a run is kept: nothing left to do.
            rights_sweep()
            results["second sweep the same night"] = {
                **median_ms(rights_sweep, runs=SWEEP_RUNS, warmup=0),
                **rights_sweep(),
                "target_ms": SWEEP_MS,
            }
            client = signed_in_client("mediator")
            url = reverse("rights:case-list") + "?mine=on"

            def handler_list():
                response = client.get(url)
                assert response.status_code == 200, response.status_code

            results["handler's cases"] = {
                "rows": Case.objects.filter(handler=handler).count(),
                **median_ms(handler_list),
                "target_ms": LIST_MS,
            }
            raise Rollback
    except Rollback:
        pass
    if "--json" in sys.argv:
        print(json.dumps(results, ensure_ascii=False, indent=2, default=str))
        return
    for name, r in results.items():
        verdict = "ok" if r["median_ms"] <= r["target_ms"] else "MISSED"
        extra = {
            k: v
            for k, v in r.items()
            if k not in ("median_ms", "min_ms", "max_ms", "runs", "target_ms")
        }
        print(
            f"{name:32} median {r['median_ms']:>8} ms (min {r['min_ms']}, max {r['max_ms']})"
            f"  ≤ {r['target_ms']} ms {verdict}  {extra}"
        )


if __name__ == "__main__":
    main()
