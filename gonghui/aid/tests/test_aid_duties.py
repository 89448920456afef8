"""Separation of duties without dead ends (aid.duties): a level where no one else
may decide passes the application up, with the reason recorded; the county never
passes it and says what it waits for; queues hold only what the reader may act on;
whoever entered an application neither decides on it nor pays it."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.accounts.models import Role
from gonghui.aid import services
from gonghui.aid.models import AidApplication
from gonghui.aid.vocabularies import AidStatus, StepAction
from gonghui.conftest import make_user

from .conftest import approve_all_levels, consent, relief_application


def above_the_limit(county, aid, *, by, person) -> AidApplication:
    """An illness application of ¥15,000, above the ¥10,000 that two county approvers
    decide, submitted by ``by``."""
    consent(county.admin, person)
    application = services.aid_application_create(
        by=by,
        campaign=aid.illness_campaign,
        person=person,
        amount_requested=Decimal("15000.00"),
        total_cost=Decimal("40000.00"),
        insurance_reimbursement=Decimal("5000.00"),
        diagnosis_category="cancer",
        bank_name="工商银行",
        bank_account="6222020200001111",
    )
    return services.aid_application_submit(by=by, application=application)


def passes(application: AidApplication) -> list[tuple[str, str]]:
    return [
        (step.level.code, step.comment)
        for step in application.steps.filter(action=StepAction.PASS_UP).select_related("level")
    ]


def test_a_union_whose_only_account_entered_the_application_passes_it_up(county, aid):
    # chair2 is G2's only account, and entered it.
    application = relief_application(county, aid, person=aid.p2, by=county.chair2)

    assert application.current_level == county.t1
    [(level, reason)] = passes(application)
    assert level == "G2"
    assert "entered this application" in reason
    services.aid_application_approve(by=county.t1staff, application=application)


def test_a_union_with_another_account_keeps_the_application(county, aid):
    application = relief_application(county, aid)  # chair1 entered; g1clerk decides at G1
    assert application.current_level == county.g1
    assert passes(application) == []


def test_a_level_with_no_account_at_all_is_passed_with_that_reason(county, aid):
    # p3 has no union: the chain is T2 → county; T2's one account entered it.
    application = relief_application(county, aid, person=aid.p3, by=county.t2staff)
    assert application.current_level == county.root
    [(level, reason)] = passes(application)
    assert level == "T2"
    assert "entered this application" in reason
    # Without any account at T1, an application approved at G1 goes straight on.
    county.t1staff.is_active = False
    county.t1staff.save()
    other = relief_application(county, aid, person=aid.p1, amount="500.00")
    other = services.aid_application_approve(by=aid.g1clerk, application=other)
    assert other.current_level == county.root
    assert passes(other) == [("T1", "No account at 东镇总工会 has the right to decide on aid.")]
    actions = list(other.steps.values_list("action", flat=True))
    assert actions == [StepAction.SUBMIT, StepAction.APPROVE, StepAction.PASS_UP]


def test_an_account_linked_to_the_applicants_household_does_not_count(county, aid):
    services.staff_person_link(by=county.admin, user=aid.g1clerk, person=aid.p1)
    application = relief_application(county, aid)
    assert application.current_level == county.t1
    assert "household" in passes(application)[0][1]


def test_the_county_is_never_passed_and_says_what_it_waits_for(county, aid):
    """Above ¥10,000 two county approvers: with admin2 the enterer and admin the
    first approver, no one is left, and the page says so."""
    application = above_the_limit(county, aid, by=aid.admin2, person=aid.p3)
    application = services.aid_application_approve(by=county.t2staff, application=application)
    application = services.aid_application_approve(by=county.admin, application=application)

    assert application.status == AidStatus.SUBMITTED
    assert application.current_level == county.root
    reason = services.duties.waiting_reason(application, services.duties.decider_for(county.admin))
    assert "the first has approved and it awaits the second" in reason
    assert "You gave the first approval" in reason
    assert "give the right to decide on aid to another account" in reason
    # A third county approver ends the wait.
    third = make_user("county3", county.root, Role.STAFF)
    assert "another account" not in services.duties.waiting_reason(
        application, services.duties.decider_for(third)
    )
    application = services.aid_application_approve(by=third, application=application)
    assert application.status == AidStatus.APPROVED


def awaiting_ids(client, user) -> list[int]:
    response = client(user).get("/aid/?show=awaiting")
    return [row.pk for row in response.context["page_obj"]]


def test_the_queue_lists_only_what_the_reader_may_decide(county, aid, client_for):
    own = relief_application(county, aid, person=aid.p3, by=county.admin)  # at T2
    services.aid_application_approve(by=county.t2staff, application=own)  # now at the county
    forwarded = relief_application(county, aid)
    services.aid_application_approve(by=aid.g1clerk, application=forwarded)
    services.aid_application_approve(by=county.t1staff, application=forwarded)

    # admin entered `own`: only `forwarded` awaits it; admin2 may decide both.
    assert awaiting_ids(client_for, county.admin) == [forwarded.pk]
    assert sorted(awaiting_ids(client_for, aid.admin2)) == sorted([own.pk, forwarded.pk])
    home = client_for(county.admin).get("/").content.decode()
    assert "/aid/?show=awaiting" in home


def test_the_queue_leaves_out_an_application_the_reader_approved_once(county, aid, client_for):
    application = above_the_limit(county, aid, by=county.chair1, person=aid.p1)
    for approver in (aid.g1clerk, county.t1staff, county.admin):
        application = services.aid_application_approve(by=approver, application=application)
    assert application.first_county_approver == county.admin

    assert awaiting_ids(client_for, county.admin) == []
    assert awaiting_ids(client_for, aid.admin2) == [application.pk]


def test_whoever_entered_an_application_may_not_pay_it(county, aid, client_for):
    application = relief_application(county, aid, person=aid.p3, by=aid.admin2)
    services.aid_application_approve(by=county.t2staff, application=application)
    application = services.aid_application_approve(by=county.admin, application=application)
    assert application.status == AidStatus.APPROVED

    with pytest.raises(PermissionDenied, match="cannot record its payment"):
        services.aid_application_pay(by=aid.admin2, application=application)
    page = client_for(aid.admin2).get(application.get_absolute_url()).content.decode()
    assert 'id="pay-form"' not in page
    assert "Whoever entered an application cannot record its payment." in page
    assert list(client_for(aid.admin2).get("/aid/payments/").context["applications"]) == []

    services.aid_application_pay(by=county.admin, application=application)
    application.refresh_from_db()
    assert application.status == AidStatus.PAID


def test_the_page_says_whom_the_application_waits_for(county, aid, client_for):
    application = relief_application(county, aid, person=aid.p2, by=county.chair2)

    chair = client_for(county.chair2).get(application.get_absolute_url())
    assert chair.context["waiting_reason"] == "It awaits a decision at 东镇总工会."
    assert 'id="decide-form"' not in chair.content.decode()
    assert "Passed up: no one else at this level may decide" in chair.content.decode()

    township = client_for(county.t1staff).get(application.get_absolute_url())
    assert township.context["waiting_reason"] == "It awaits your decision."
    assert 'id="decide-form"' in township.content.decode()


def test_approve_all_levels_still_finishes(county, aid):
    application = approve_all_levels(county, aid, relief_application(county, aid))
    assert application.status == AidStatus.APPROVED
