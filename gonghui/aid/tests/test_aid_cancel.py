"""Cancelling: only the level holding an application cancels it (once approved, the
level that approved it last and above); the union it was entered for withdraws only
what has not left it. The page offers the button by the same rule."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.aid import ledger, services
from gonghui.aid.models import AidApplication, FundEntry
from gonghui.aid.vocabularies import AidStatus, StepAction

from .conftest import illness_consent, relief_application


def big_illness_application(county, aid) -> AidApplication:
    """¥30,000 of 大病救助 for p1, approved by G1, T1 and two county approvers."""
    illness_consent(county, aid.p1)
    application = services.aid_application_create(
        by=county.chair1,
        campaign=aid.illness_campaign,
        person=aid.p1,
        amount_requested=Decimal("30000.00"),
        diagnosis_category="cancer",
        total_cost=Decimal("90000.00"),
        insurance_reimbursement=Decimal("20000.00"),
        bank_account="6222020200001111",
    )
    application = services.aid_application_submit(by=county.chair1, application=application)
    for approver in (aid.g1clerk, county.t1staff, county.admin, aid.admin2):
        application = services.aid_application_approve(by=approver, application=application)
    assert application.status == AidStatus.APPROVED
    return application


def at_township(county, aid) -> AidApplication:
    application = relief_application(county, aid)
    return services.aid_application_approve(by=aid.g1clerk, application=application)


def at_county(county, aid) -> AidApplication:
    application = at_township(county, aid)
    return services.aid_application_approve(by=county.t1staff, application=application)


def snapshot(application: AidApplication) -> tuple:
    """What a refused cancel must leave as it was: the application, its steps, its fund."""
    application.refresh_from_db()
    fund = application.fund
    fund.refresh_from_db()
    return (
        application.status,
        application.current_level_id,
        application.steps.count(),
        fund.reserved,
        fund.spent,
        FundEntry.objects.filter(fund=fund).count(),
    )


@pytest.mark.parametrize("where", [at_township, at_county], ids=["township", "county"])
def test_a_chair_cannot_cancel_an_application_waiting_above(county, aid, where):
    application = where(county, aid)
    before = snapshot(application)

    with pytest.raises(PermissionDenied, match="awaits a decision at may cancel it"):
        services.aid_application_cancel(by=county.chair1, application=application, comment="撤回")

    assert snapshot(application) == before
    assert not application.steps.filter(action=StepAction.CANCEL).exists()


def test_the_township_cannot_cancel_what_waits_at_the_county(county, aid):
    application = at_county(county, aid)
    before = snapshot(application)
    with pytest.raises(PermissionDenied):
        services.aid_application_cancel(by=county.t1staff, application=application, comment="x")
    assert snapshot(application) == before


def test_a_chair_cannot_undo_the_countys_approval(county, aid):
    application = big_illness_application(county, aid)
    before = snapshot(application)
    assert before[3] == Decimal("30000.00")

    for lower in (county.chair1, aid.g1clerk, county.t1staff):
        with pytest.raises(PermissionDenied, match="approved the application"):
            services.aid_application_cancel(by=lower, application=application, comment="撤销")

    assert snapshot(application) == before
    assert ledger.ledger_balances(application.fund) == (Decimal("30000.00"), Decimal("0.00"))


def test_the_county_that_approved_it_can_cancel_it_and_the_money_comes_back(county, aid):
    application = big_illness_application(county, aid)
    services.aid_application_cancel(by=county.admin, application=application, comment="已离职")
    application.refresh_from_db()
    assert application.status == AidStatus.CANCELLED
    aid.illness_fund.refresh_from_db()
    assert aid.illness_fund.reserved == Decimal("0.00")
    assert application.steps.last().action == StepAction.CANCEL


def test_the_holding_township_can_cancel(county, aid):
    application = at_township(county, aid)
    services.aid_application_cancel(by=county.t1staff, application=application, comment="重复")
    application.refresh_from_db()
    assert application.status == AidStatus.CANCELLED
    assert application.current_level is None


def test_the_holding_county_can_cancel(county, aid):
    application = at_county(county, aid)
    services.aid_application_cancel(by=county.admin, application=application, comment="重复")
    application.refresh_from_db()
    assert application.status == AidStatus.CANCELLED


def test_the_entering_union_withdraws_its_application_until_it_forwards_it(county, aid):
    application = relief_application(county, aid)
    assert application.current_level == county.g1
    services.aid_application_cancel(by=county.chair1, application=application, comment="填错了")
    application.refresh_from_db()
    assert application.status == AidStatus.CANCELLED


def test_the_entering_union_withdraws_a_returned_application_and_the_township_does_not(county, aid):
    application = at_township(county, aid)
    application = services.aid_application_return(
        by=county.t1staff, application=application, comment="缺少证明"
    )
    with pytest.raises(PermissionDenied, match="entered for may withdraw it"):
        services.aid_application_cancel(by=county.t1staff, application=application, comment="x")
    application.refresh_from_db()
    assert application.status == AidStatus.RETURNED
    services.aid_application_cancel(by=county.chair1, application=application, comment="不再申请")
    application.refresh_from_db()
    assert application.status == AidStatus.CANCELLED


def test_a_refused_cancel_through_the_page_is_a_403_and_changes_nothing(county, aid, client_for):
    application = big_illness_application(county, aid)
    before = snapshot(application)
    response = client_for(county.chair1).post(f"/aid/{application.pk}/cancel/", {"comment": "撤销"})
    assert response.status_code == 403
    assert "approved the application" in response.content.decode()
    assert snapshot(application) == before


def offers_cancel(client_for, user, application) -> bool:
    page = client_for(user).get(f"/aid/{application.pk}/").content.decode()
    return 'id="cancel-form"' in page


def test_the_page_offers_cancel_only_to_the_level_holding_the_application(county, aid, client_for):
    def offered(application) -> list[str]:
        users = (county.chair1, county.t1staff, county.admin)
        return [u.username for u in users if offers_cancel(client_for, u, application)]

    application = relief_application(county, aid)
    assert offered(application) == ["chair1"]

    application = services.aid_application_approve(by=aid.g1clerk, application=application)
    assert offered(application) == ["t1staff"]

    application = services.aid_application_approve(by=county.t1staff, application=application)
    assert offered(application) == ["admin"]

    application = services.aid_application_approve(by=county.admin, application=application)
    assert application.status == AidStatus.APPROVED
    assert offered(application) == ["admin"]
