"""An application's way up the tree: each level approves, returns or rejects; the
amount can only go down; duties are separated."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gonghui.accounts.models import Role
from gonghui.aid import services
from gonghui.aid.models import AidApplication, FundEntry
from gonghui.aid.vocabularies import AidStatus, EntryKind, StepAction
from gonghui.conftest import make_user

from .conftest import approve_all_levels, illness_consent, relief_application


def test_the_application_climbs_grassroots_township_county_and_reserves_money(county, aid):
    application = relief_application(county, aid)
    assert application.current_level == county.g1

    application = services.aid_application_approve(
        by=aid.g1clerk, application=application, amount=Decimal("800.00"), comment="核实"
    )
    assert application.current_level == county.t1
    application = services.aid_application_approve(by=county.t1staff, application=application)
    assert application.current_level == county.root
    application = services.aid_application_approve(by=county.admin, application=application)

    application.refresh_from_db()
    assert application.status == AidStatus.APPROVED
    assert application.amount == Decimal("800.00")
    steps = list(application.steps.values_list("action", "level", "by", "amount"))
    assert steps == [
        (StepAction.SUBMIT, None, county.chair1.pk, Decimal("1000.00")),
        (StepAction.APPROVE, county.g1.pk, aid.g1clerk.pk, Decimal("800.00")),
        (StepAction.APPROVE, county.t1.pk, county.t1staff.pk, None),
        (StepAction.FINAL_APPROVAL, county.root.pk, county.admin.pk, Decimal("800.00")),
    ]
    aid.relief_fund.refresh_from_db()
    assert aid.relief_fund.reserved == Decimal("800.00")
    assert FundEntry.objects.get(application=application).kind == EntryKind.RESERVE


def test_an_application_without_a_union_starts_at_its_township(county, aid):
    # Entered at the county, so T2's one account may decide (aid.duties).
    application = relief_application(county, aid, person=aid.p3, by=county.admin)
    assert application.current_level == county.t2


def test_the_amount_can_be_reduced_but_never_raised(county, aid):
    application = relief_application(county, aid, amount="1000.00")
    with pytest.raises(ValidationError, match="not raised above ¥1000.00"):
        services.aid_application_approve(
            by=aid.g1clerk, application=application, amount=Decimal("1000.01")
        )
    application.refresh_from_db()
    assert application.current_level == county.g1
    assert application.steps.count() == 1


def test_whoever_entered_it_cannot_approve_it(county, aid):
    application = relief_application(county, aid)
    with pytest.raises(PermissionDenied, match="entered"):
        services.aid_application_approve(by=county.chair1, application=application)


def test_nobody_approves_aid_for_themselves(county, aid):
    services.staff_person_link(by=county.admin, user=aid.g1clerk, person=aid.p1)
    make_user("g1third", county.g1, Role.GRASSROOTS_CHAIR)  # so G1 keeps a decider
    application = relief_application(county, aid)
    with pytest.raises(PermissionDenied, match="themselves"):
        services.aid_application_approve(by=aid.g1clerk, application=application)


def test_approving_out_of_scope_is_refused(county, aid):
    application = relief_application(county, aid)
    with pytest.raises(PermissionDenied, match="outside your scope"):
        services.aid_application_approve(by=county.chair2, application=application)
    with pytest.raises(PermissionDenied, match="outside your scope"):
        services.aid_application_approve(by=county.t2staff, application=application)
    application.refresh_from_db()
    assert application.current_level == county.g1


def test_a_higher_level_cannot_jump_the_queue(county, aid):
    application = relief_application(county, aid)
    with pytest.raises(PermissionDenied, match="awaits a decision at"):
        services.aid_application_approve(by=county.admin, application=application)


def test_a_returned_application_is_changed_and_starts_again_at_the_bottom(county, aid):
    application = relief_application(county, aid)
    application = services.aid_application_approve(by=aid.g1clerk, application=application)
    with pytest.raises(ValidationError):
        services.aid_application_return(by=county.t1staff, application=application, comment=" ")
    application = services.aid_application_return(
        by=county.t1staff, application=application, comment="缺少收入证明"
    )
    assert application.status == AidStatus.RETURNED
    application = services.aid_application_update(
        by=county.chair1,
        application=application,
        amount_requested=Decimal("900.00"),
        bank_name="工商银行",
        bank_account="6222020200001111",
    )
    application = services.aid_application_submit(by=county.chair1, application=application)
    assert application.current_level == county.g1
    assert application.amount == Decimal("900.00")


def test_a_rejection_needs_a_reason_and_frees_the_year_for_a_new_application(county, aid):
    application = relief_application(county, aid)
    with pytest.raises(ValidationError, match="needs a reason"):
        services.aid_application_reject(by=aid.g1clerk, application=application, comment="")
    services.aid_application_reject(by=aid.g1clerk, application=application, comment="不符合条件")
    application.refresh_from_db()
    assert application.status == AidStatus.REJECTED
    second = relief_application(county, aid)
    assert second.status == AidStatus.SUBMITTED


def test_large_amounts_need_two_different_county_approvers(county, aid):
    illness_consent(county, aid.p1)
    application = services.aid_application_create(
        by=county.chair1,
        campaign=aid.illness_campaign,
        person=aid.p1,
        amount_requested=Decimal("15000.00"),
        diagnosis_category="cancer",
        total_cost=Decimal("50000.00"),
        insurance_reimbursement=Decimal("20000.00"),
        bank_account="6222020200001111",
    )
    application = services.aid_application_submit(by=county.chair1, application=application)
    services.aid_application_approve(by=aid.g1clerk, application=application)
    services.aid_application_approve(by=county.t1staff, application=application)
    application = services.aid_application_approve(by=county.admin, application=application)
    assert application.status == AidStatus.SUBMITTED
    assert application.first_county_approver == county.admin
    with pytest.raises(PermissionDenied, match="second, different approver"):
        services.aid_application_approve(by=county.admin, application=application)
    assert not FundEntry.objects.filter(application=application).exists()
    application = services.aid_application_approve(by=aid.admin2, application=application)
    assert application.status == AidStatus.APPROVED
    assert list(application.steps.values_list("action", flat=True))[-2:] == [
        StepAction.FIRST_APPROVAL,
        StepAction.FINAL_APPROVAL,
    ]


def test_approval_past_the_fund_is_refused_and_leaves_the_application_waiting(county, aid):
    aid.relief_fund.budget = Decimal("500.00")
    aid.relief_fund.save()
    application = relief_application(county, aid, amount="1000.00")
    services.aid_application_approve(by=aid.g1clerk, application=application)
    services.aid_application_approve(by=county.t1staff, application=application)
    with pytest.raises(ValidationError, match="only ¥500.00 left"):
        services.aid_application_approve(by=county.admin, application=application)
    application.refresh_from_db()
    assert application.status == AidStatus.SUBMITTED
    assert application.current_level == county.root
    assert application.steps.count() == 3
    assert not FundEntry.objects.exists()


def test_a_decided_application_cannot_be_decided_again(county, aid):
    application = approve_all_levels(county, aid, relief_application(county, aid))
    with pytest.raises(ValidationError, match="not awaiting approval"):
        services.aid_application_reject(by=county.admin, application=application, comment="x")
    assert AidApplication.objects.get(pk=application.pk).status == AidStatus.APPROVED
