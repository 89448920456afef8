"""Aid at a million workers: the precision check on submit, the county's "missed" and
"duplicates" reports, and approving 1,000 applications in bulk.

The database is a demo county with its care data (about 200,000 past aid
applications at a million workers). A copy of the benchmark database gets
them with ``gonghui demo --care-only``; the approval and the submit are timed
inside transactions that are rolled back, so the database is left as found.

    cp -a /tmp/bench-1m /tmp/care-1m
    GONGHUI_VAR_DIR=/tmp/care-1m gonghui migrate
    GONGHUI_VAR_DIR=/tmp/care-1m gonghui demo --care-only
    GONGHUI_VAR_DIR=/tmp/care-1m python bench/aid_care.py [--json]

Targets (median): precision check on submit 50 ms; each report 2 s for the
county administrator; approving 1,000 applications 5 s.
"""

from __future__ import annotations

import json
import sys

from common import RUNS, median_ms, require_demo, signed_in_client
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.aid import selectors, services
from gonghui.aid.models import AidApplication
from gonghui.aid.vocabularies import AidStatus

PRECISION_MS = 50
REPORT_MS = 2000
BULK_MS = 5000
BULK_COUNT = 1000
#: Runs of the bulk approval (each writes and rolls back a thousand approvals).
BULK_RUNS = min(RUNS, 5)


def rolled_back(work):
    """Run ``work`` in a transaction that is always rolled back."""

    def run():
        with transaction.atomic():
            result = work()
            transaction.set_rollback(True)
        return result

    return run


def applicant_with_history(year: int) -> AidApplication:
    """This year's draft whose applicant has the most earlier applications."""
    drafts = AidApplication.objects.filter(year=year, status=AidStatus.DRAFT)
    return (
        drafts.annotate(history=Count("person__aid"))
        .select_related("programme", "person", "campaign", "organisation")
        .order_by("-history", "pk")
        .first()
    )


def main() -> None:
    require_demo(100_000)
    year = timezone.localdate().year
    admin = User.objects.get(username="admin")
    clerk = User.objects.get(username="aid_clerk")
    past = AidApplication.objects.filter(year__lt=year).count()
    if not past:
        sys.exit("No aid applications: add them with `gonghui demo --care-only`.")
    results: dict[str, dict] = {}

    draft = applicant_with_history(year)
    flags = [flag.code for flag in selectors.precision_flags(draft)]
    context = {"applicant_applications": draft.history, "flags": flags}
    results["precision flags"] = {
        **context,
        **median_ms(lambda: selectors.precision_flags(draft)),
        "target_ms": PRECISION_MS,
    }
    results["submit (with the checks)"] = {
        **context,
        **median_ms(
            rolled_back(lambda: services.aid_application_submit(by=clerk, application=draft))
        ),
        "target_ms": PRECISION_MS,
    }

    client = signed_in_client("admin")
    for name, url_name, selector in (
        ("missed", "aid:missed", lambda: list(selectors.missed_report(admin, year)[:500])),
        ("duplicates", "aid:duplicates", lambda: selectors.duplicates_report(admin, year)),
    ):
        rows = len(selector())
        results[f"{name} report (selector)"] = {
            "rows": rows,
            **median_ms(selector),
            "target_ms": REPORT_MS,
        }
        url = reverse(url_name)

        def page(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        results[f"{name} report (page)"] = {
            "rows": rows,
            **median_ms(page),
            "target_ms": REPORT_MS,
        }

    bulk = getattr(services, "aid_applications_approve", None)
    waiting = list(
        AidApplication.objects.filter(
            status=AidStatus.SUBMITTED, current_level=admin.organisation
        ).order_by("pk")[:BULK_COUNT]
    )
    if bulk is None:
        results[f"approve {BULK_COUNT} in bulk"] = {"not available": True}
    else:
        outcome = {}

        def approve():
            result = bulk(by=admin, applications=waiting)
            outcome["approved"], outcome["refused"] = len(result.approved), len(result.refused)
            return result

        timing = median_ms(rolled_back(approve), runs=BULK_RUNS, warmup=1)
        results[f"approve {len(waiting)} in bulk"] = {
            **outcome,
            **timing,
            "target_ms": BULK_MS,
        }

    if "--json" in sys.argv:
        print(json.dumps({"past_applications": past, **results}, ensure_ascii=False, indent=2))
        return
    print(f"{past:,} past aid applications")
    print(f"{'measure':34}{'median ms':>11}{'min':>9}{'max':>9}  target")
    for name, r in results.items():
        if "median_ms" not in r:
            print(f"{name:34}{'not available':>29}")
            continue
        verdict = "ok" if r["median_ms"] <= r["target_ms"] else "MISSED"
        detail = {k: v for k, v in r.items() if k not in ("median_ms", "min_ms", "max_ms", "runs")}
        detail.pop("target_ms")
        print(
            f"{name:34}{r['median_ms']:>11}{r['min_ms']:>9}{r['max_ms']:>9}  "
            f"≤ {r['target_ms']} ms {verdict}  {detail}"
        )


if __name__ == "__main__":
    main()
