"""Approving many applications at once: each under the single approval's rules,
each in its own savepoint, every refusal reported with its reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gonghui.aid import services
from gonghui.aid.models import AidApplication, FundEntry
from gonghui.aid.vocabularies import AidStatus, EntryKind, StepAction

from .bulk import at_county, at_township, t1_users
from .conftest import illness_consent
from .needy_files import needy_file


def snapshot(application):
    application = AidApplication.objects.get(pk=application.pk)
    return (
        application.status,
        application.current_level_id,
        application.amount,
        application.first_county_approver_id,
        application.steps.count(),
        FundEntry.objects.filter(application=application).count(),
    )


def test_a_mixed_batch_approves_what_it_may_and_reports_each_refusal(county, aid):
    ok1, ok2, own, household_member, reserved_twice = at_county(county, aid, 100, 5)
    (still_at_township,) = at_township(county, aid, 110, 1)
    services.aid_application_approve(by=county.admin, application=reserved_twice)
    services.staff_person_link(by=county.superuser, user=aid.admin2, person=own.person)
    needy_file(own.person, county.t1, household=(household_member.person,))
    refused = [own, household_member, still_at_township, reserved_twice]
    before = {a.pk: snapshot(a) for a in refused}

    result = services.aid_applications_approve(
        by=aid.admin2,
        applications=[ok1, own, household_member, still_at_township, ok2, reserved_twice],
        comment="批量审批",
    )

    assert [a.pk for a in result.approved] == [ok1.pk, ok2.pk]
    reasons = {a.pk: message for a, message in result.refused}
    assert reasons == {
        own.pk: "Nobody may decide on aid for themselves.",
        household_member.pk: "Nobody may decide on aid for their own household.",
        still_at_township.pk: f"This application awaits a decision at {county.t1.name}.",
        reserved_twice.pk: "This application is not awaiting approval (it is approved, "
        "awaiting payment).",
    }
    for application in (ok1, ok2):
        application.refresh_from_db()
        assert application.status == AidStatus.APPROVED
        assert application.current_level is None
        last = application.steps.last()
        assert (last.action, last.by, last.comment) == (
            StepAction.FINAL_APPROVAL,
            aid.admin2,
            "批量审批",
        )
        entries = FundEntry.objects.filter(application=application)
        assert list(entries.values_list("kind", "amount")) == [
            (EntryKind.RESERVE, Decimal("1000.00"))
        ]
    assert {a.pk: snapshot(a) for a in refused} == before
    aid.relief_fund.refresh_from_db()
    assert aid.relief_fund.reserved == Decimal("3000.00")
    assert FundEntry.objects.filter(kind=EntryKind.RESERVE).count() == 3


def test_applications_out_of_scope_are_refused_and_left_untouched(county, aid):
    (at_t1,) = at_township(county, aid, 120, 1)
    before = snapshot(at_t1)

    result = services.aid_applications_approve(by=county.t2staff, applications=[at_t1])

    assert result.approved == []
    assert [(a.pk, m) for a, m in result.refused] == [
        (at_t1.pk, "This application is outside your scope.")
    ]
    assert snapshot(at_t1) == before


def test_below_the_top_the_batch_sends_each_application_one_level_up(county, aid):
    clerk, approver = t1_users(county)
    waiting = at_township(county, aid, 130, 3)

    result = services.aid_applications_approve(by=approver, applications=waiting)

    assert len(result.sent_on) == 3
    assert set(
        AidApplication.objects.filter(pk__in=[a.pk for a in waiting]).values_list(
            "current_level", flat=True
        )
    ) == {county.root.pk}
    assert not FundEntry.objects.exists()
    # Whoever entered them may not approve them, in a batch as alone.
    again = at_township(county, aid, 140, 1)
    result = services.aid_applications_approve(by=clerk, applications=again)
    assert [m for _a, m in result.refused] == ["Whoever entered an application cannot approve it."]


def test_when_the_fund_runs_out_only_the_applications_that_no_longer_fit_are_refused(county, aid):
    aid.relief_fund.budget = Decimal("2500.00")
    aid.relief_fund.save()
    first, second, third = at_county(county, aid, 150, 3)

    result = services.aid_applications_approve(by=county.admin, applications=[first, second, third])

    assert [a.pk for a in result.finally_approved] == [first.pk, second.pk]
    assert [(a.pk, m) for a, m in result.refused] == [
        (third.pk, "The fund has only ¥500.00 left; ¥1000.00 cannot be reserved.")
    ]
    aid.relief_fund.refresh_from_db()
    assert aid.relief_fund.reserved == Decimal("2000.00")
    third.refresh_from_db()
    assert (third.status, third.current_level) == (AidStatus.SUBMITTED, county.root)


def test_a_lowered_rule_caps_what_a_batch_approves(county, aid):
    (application,) = at_county(county, aid, 160, 1, amount="1500.00")
    aid.relief.max_amount = Decimal("1200.00")
    aid.relief.save()

    result = services.aid_applications_approve(by=county.admin, applications=[application])

    assert [m for _a, m in result.refused] == [
        "¥1500.00 is above what the programme's rule allows here: ¥1200.00."
    ]
    assert not FundEntry.objects.exists()


def test_large_amounts_in_a_batch_still_need_two_different_county_approvers(county, aid):
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

    first = services.aid_applications_approve(by=county.admin, applications=[application])
    assert [a.pk for a in first.awaiting_second_approver] == [application.pk]
    same = services.aid_applications_approve(by=county.admin, applications=[application])
    assert [m for _a, m in same.refused] == [
        "Above ¥10000.00 a second, different approver is needed."
    ]
    assert not FundEntry.objects.exists()
    second = services.aid_applications_approve(by=aid.admin2, applications=[application])
    assert [a.status for a in second.finally_approved] == [AidStatus.APPROVED]
    aid.illness_fund.refresh_from_db()
    assert aid.illness_fund.reserved == Decimal("15000.00")


def test_a_user_without_the_right_to_approve_is_refused_outright(county, aid):
    waiting = at_county(county, aid, 170, 1)
    with pytest.raises(PermissionDenied):
        services.aid_applications_approve(by=county.leader, applications=waiting)


def queries_to_approve(by, applications) -> int:
    with CaptureQueriesContext(connection) as captured:
        result = services.aid_applications_approve(by=by, applications=applications)
    assert len(result.approved) == len(applications)
    return len(captured)


def test_each_further_application_costs_only_its_own_writes(county, aid):
    few = queries_to_approve(county.admin, at_county(county, aid, 200, 2, amount="100.00"))
    many = queries_to_approve(county.admin, at_county(county, aid, 300, 12, amount="100.00"))
    # Per application only a savepoint and its release, the application's row
    # and its audit entry (with the audit's read of the row before); the steps,
    # the ledger rows and the fund's balance are written once per batch.
    assert many - few <= 10 * 5


def test_an_application_given_twice_is_decided_once(county, aid):
    (application,) = at_county(county, aid, 400, 1)

    result = services.aid_applications_approve(
        by=county.admin, applications=[application, application]
    )

    assert [a.pk for a in result.approved] == [application.pk]
    assert result.refused == []
    assert FundEntry.objects.filter(application=application).count() == 1
