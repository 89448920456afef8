"""Concurrent approvals and payments on PostgreSQL: threads on separate
connections, released together by a barrier, must still move money once.

SQLite serialises every writer and ignores ``select_for_update``, so these
run in the PostgreSQL pass only (``make test-pg``).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gonghui.aid import ledger, services
from gonghui.aid.models import AidApplication, FundEntry, Payment
from gonghui.aid.vocabularies import AidStatus, EntryKind
from gonghui.core.tests.concurrency import run_together

from .conftest import approve_all_levels, register, relief_application

pytestmark = pytest.mark.postgres


def at_county_level(county, aid, application):
    application = services.aid_application_approve(by=aid.g1clerk, application=application)
    return services.aid_application_approve(by=county.t1staff, application=application)


def test_two_approvers_at_once_make_one_approval_and_one_reservation(on_postgres, county, aid):
    application = at_county_level(county, aid, relief_application(county, aid))
    results = run_together(
        [
            lambda: services.aid_application_approve(by=county.admin, application=application),
            lambda: services.aid_application_approve(by=aid.admin2, application=application),
        ]
    )
    approved = [r for r in results if isinstance(r, AidApplication)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(approved), len(refused)) == (1, 1), results
    assert "not awaiting approval" in refused[0].messages[0]
    assert FundEntry.objects.filter(application=application, kind=EntryKind.RESERVE).count() == 1
    aid.relief_fund.refresh_from_db()
    assert aid.relief_fund.reserved == Decimal("1000.00")


def test_twenty_concurrent_payments_of_one_application_pay_it_once(on_postgres, county, aid):
    application = approve_all_levels(county, aid, relief_application(county, aid))
    payers = [county.admin, aid.admin2]
    results = run_together(
        [
            (lambda by: lambda: services.aid_application_pay(by=by, application=application))(
                payers[i % 2]
            )
            for i in range(20)
        ]
    )
    paid = [r for r in results if isinstance(r, Payment)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(paid), len(refused)) == (1, 19), results
    assert Payment.objects.filter(application=application).count() == 1
    fund = aid.relief_fund
    fund.refresh_from_db()
    assert (fund.reserved, fund.spent) == (Decimal("0.00"), Decimal("1000.00"))
    assert ledger.ledger_balances(fund) == (fund.reserved, fund.spent)


def test_fifty_concurrent_approvals_of_a_thousand_from_ten_thousand_exactly_ten_succeed(
    on_postgres, county, aid
):
    from gonghui.accounts.models import Role
    from gonghui.conftest import make_user

    # Entered by T1 staff, so the first level (T1) is approved by a second T1 account.
    t1clerk = make_user("t1clerk", county.t1, Role.STAFF)
    applications = []
    for seq in range(50):
        person = register(county, 100 + seq, f"工人{seq}", county.e1)  # file kept by T1
        application = relief_application(
            county, aid, person=person, amount="1000.00", by=county.t1staff
        )
        applications.append(application)
    for application in applications:
        services.aid_application_approve(by=t1clerk, application=application)
    approvers = [county.admin, aid.admin2]
    results = run_together(
        [
            (lambda by, app: lambda: services.aid_application_approve(by=by, application=app))(
                approvers[i % 2], application
            )
            for i, application in enumerate(applications)
        ]
    )
    approved = [r for r in results if isinstance(r, AidApplication)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    unexpected = [
        r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)
    ]
    assert unexpected == []
    assert (len(approved), len(refused)) == (10, 40)
    assert all("left" in r.messages[0] for r in refused)
    fund = aid.relief_fund
    fund.refresh_from_db()
    assert fund.available == Decimal("0.00")
    assert ledger.ledger_balances(fund) == (Decimal("10000.00"), Decimal("0.00"))
    assert AidApplication.objects.filter(status=AidStatus.APPROVED).count() == 10
