"""Payment (发放): only approved applications, once each, spending the reservation;
cancelling before payment gives the reservation back; bulk payment is all or nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gonghui.aid import ledger, services
from gonghui.aid.models import Payment
from gonghui.aid.vocabularies import AidStatus, StepAction

from .conftest import approve_all_levels, relief_application


def test_paying_spends_the_reservation_once(county, aid):
    application = approve_all_levels(county, aid, relief_application(county, aid))
    payment = services.aid_application_pay(by=county.admin, application=application, reference="B1")
    assert payment.amount == Decimal("1000.00")
    application.refresh_from_db()
    assert application.status == AidStatus.PAID
    assert application.steps.last().action == StepAction.PAY
    fund = aid.relief_fund
    fund.refresh_from_db()
    assert (fund.reserved, fund.spent, fund.available) == (
        Decimal("0.00"),
        Decimal("1000.00"),
        Decimal("9000.00"),
    )
    assert ledger.ledger_balances(fund) == (fund.reserved, fund.spent)
    with pytest.raises(ValidationError, match="already been paid"):
        services.aid_application_pay(by=county.admin, application=application)
    assert Payment.objects.count() == 1


def test_an_application_not_yet_approved_cannot_be_paid(county, aid):
    application = relief_application(county, aid)
    with pytest.raises(ValidationError, match="Only an approved application can be paid"):
        services.aid_application_pay(by=county.admin, application=application)
    assert not Payment.objects.exists()
    aid.relief_fund.refresh_from_db()
    assert aid.relief_fund.spent == 0


def test_a_chair_cannot_pay(county, aid):
    application = approve_all_levels(county, aid, relief_application(county, aid))
    with pytest.raises(PermissionDenied):
        services.aid_application_pay(by=county.chair1, application=application)


def test_cancelling_an_approved_application_releases_its_money(county, aid):
    application = approve_all_levels(county, aid, relief_application(county, aid))
    services.aid_application_cancel(by=county.admin, application=application, comment="已离职")
    aid.relief_fund.refresh_from_db()
    assert aid.relief_fund.available == Decimal("10000.00")
    assert ledger.ledger_balances(aid.relief_fund) == (Decimal("0.00"), Decimal("0.00"))
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        services.aid_application_cancel(by=county.admin, application=application, comment="x")


def test_bulk_payment_is_all_or_nothing(county, aid):
    approved = approve_all_levels(county, aid, relief_application(county, aid))
    waiting = relief_application(county, aid, person=aid.p2, by=county.chair2)
    with pytest.raises(ValidationError, match="李二: Only an approved application"):
        services.aid_applications_pay(by=county.admin, applications=[approved, waiting])
    approved.refresh_from_db()
    assert approved.status == AidStatus.APPROVED
    assert not Payment.objects.exists()
    payments = services.aid_applications_pay(by=county.admin, applications=[approved])
    assert [p.application_id for p in payments] == [approved.pk]
