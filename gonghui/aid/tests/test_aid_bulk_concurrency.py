"""Bulk approvals at the same moment as each other and as single approvals, on
PostgreSQL: every application is approved once and the fund's rows sum to its
balance. SQLite serialises writers, so these run in the PostgreSQL pass only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gonghui.aid import ledger, services
from gonghui.aid.models import AidApplication, FundEntry
from gonghui.aid.vocabularies import AidStatus, EntryKind
from gonghui.core.tests.concurrency import run_together

from .bulk import at_county

pytestmark = pytest.mark.postgres


def test_two_overlapping_batches_at_once_approve_each_application_once(
    on_postgres,
    county,
    aid,
):
    applications = at_county(county, aid, 100, 8)
    first, second = applications[:6], applications[2:]

    results = run_together(
        [
            lambda: services.aid_applications_approve(by=county.admin, applications=first),
            lambda: services.aid_applications_approve(by=aid.admin2, applications=second[::-1]),
        ]
    )

    assert all(isinstance(r, services.BulkApproval) for r in results), results
    approved = [a.pk for r in results for a in r.approved]
    assert sorted(approved) == sorted(a.pk for a in applications)
    refused = [m for r in results for _a, m in r.refused]
    assert len(refused) == 4
    assert all("not awaiting approval" in m for m in refused)
    assert FundEntry.objects.filter(kind=EntryKind.RESERVE).count() == 8
    fund = aid.relief_fund
    fund.refresh_from_db()
    assert fund.reserved == Decimal("8000.00")
    assert ledger.ledger_balances(fund) == (fund.reserved, fund.spent)


def test_a_batch_and_single_approvals_at_once_never_reserve_past_the_budget(
    on_postgres,
    county,
    aid,
):
    applications = at_county(county, aid, 200, 14)
    batch, singles = applications[:7], applications[7:]

    results = run_together(
        [
            lambda: services.aid_applications_approve(by=county.admin, applications=batch),
            *[
                (
                    lambda app: (
                        lambda: services.aid_application_approve(by=aid.admin2, application=app)
                    )
                )(application)
                for application in singles
            ],
        ]
    )

    unexpected = [
        r for r in results if isinstance(r, Exception) and "left" not in " ".join(r.messages)
    ]
    assert unexpected == []
    assert AidApplication.objects.filter(status=AidStatus.APPROVED).count() == 10
    fund = aid.relief_fund
    fund.refresh_from_db()
    assert fund.available == Decimal("0.00")
    assert ledger.ledger_balances(fund) == (Decimal("10000.00"), Decimal("0.00"))
