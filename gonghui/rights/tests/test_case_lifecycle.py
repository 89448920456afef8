"""Every step of a case, and every step refused."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gonghui.inbox.models import Message
from gonghui.rights import services
from gonghui.rights.models import Case, CaseEvent, CaseStatus


def test_a_mediation_goes_from_lodging_to_closing(county, neighbours, worker, lodge):
    case = lodge()
    assert case.status == CaseStatus.RECEIVED and case.due_on is not None
    assert len(case.tracking_code) == 16
    case = services.case_accept(by=county.t1staff, case=case)
    assert case.accepted_on == timezone.localdate()
    assert case.due_on == case.accepted_on + timedelta(days=15)  # calendar days, art. 14
    case = services.case_assign(by=county.t1staff, case=case, handler=neighbours.mediator)
    assert case.status == CaseStatus.ASSIGNED
    assert case.organisation == county.g1  # moved to the handler's organisation
    case = services.case_start_mediation(by=neighbours.mediator, case=case)
    assert case.status == CaseStatus.IN_MEDIATION
    case = services.case_resolve(
        by=neighbours.mediator,
        case=case,
        resolution="agreement",
        terms="单位分两期支付",
        recovered_amount=Decimal("12000.00"),
    )
    assert case.status == CaseStatus.RESOLVED and case.resolved_on
    case = services.case_callback(by=neighbours.mediator, case=case, satisfaction=5, comment="满意")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.satisfaction == 5 and case.closed_on and case.due_on is None
    assert case.recovered_amount == Decimal("12000.00")
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == [
        "lodge",
        "accept",
        "assign",
        "start_mediation",
        "resolve",
        "callback",
    ]
    # Every status change reached the worker; the assignment did too.
    assert Message.objects.filter(person=worker).count() == 6


def test_a_declined_case_tells_the_worker_why(county, worker, lodge):
    case = services.case_decline(by=county.t1staff, case=lodge(), reason="不属于劳动争议")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECLINED and case.due_on is None
    assert Message.objects.filter(person=worker, body="不属于劳动争议").exists()


def test_legal_aid_is_started_by_the_legal_aid_handler(county, neighbours, lodge):
    from gonghui.core.idnumbers import complete_id_number
    from gonghui.people.services import person_create

    person = person_create(
        by=county.admin,
        name="援助乙",
        id_number=complete_id_number("33010619800101002"),
        employer=county.e3,
    )
    case = lodge(by=county.t2staff, kind="legal_aid", workers=[person], employer=county.e3)
    case = services.case_accept(by=county.t2staff, case=case)
    case = services.case_assign(by=county.t2staff, case=case, handler=neighbours.legal_aid)
    case = services.case_start_legal_aid(by=neighbours.legal_aid, case=case)
    assert case.status == CaseStatus.IN_LEGAL_AID


@pytest.mark.parametrize(
    "step",
    ["resolve", "callback", "start_mediation", "assign"],
)
def test_a_step_the_status_does_not_allow_is_refused(county, neighbours, lodge, step):
    case = lodge()
    calls = {
        "resolve": lambda: services.case_resolve(
            by=county.t1staff, case=case, resolution="withdrawn"
        ),
        "callback": lambda: services.case_callback(by=county.t1staff, case=case, satisfaction=3),
        "start_mediation": lambda: services.case_start_mediation(by=county.t1staff, case=case),
        "assign": lambda: services.case_assign(
            by=county.t1staff, case=case, handler=neighbours.mediator
        ),
    }
    with pytest.raises(ValidationError, match="not possible for a case that is Received"):
        calls[step]()
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_accepting_twice_and_declining_an_accepted_case_are_refused(county, lodge):
    case = services.case_accept(by=county.t1staff, case=lodge())
    with pytest.raises(ValidationError):
        services.case_accept(by=county.t1staff, case=case)
    with pytest.raises(ValidationError):
        services.case_decline(by=county.t1staff, case=case, reason="x")
    with pytest.raises(ValidationError):
        services.case_callback(by=county.t1staff, case=case, satisfaction=4)


def test_the_wrong_start_for_the_kind_is_refused(county, neighbours, lodge):
    case = services.case_accept(by=county.t1staff, case=lodge(kind="mediation"))
    case = services.case_assign(by=county.t1staff, case=case, handler=neighbours.mediator)
    with pytest.raises(ValidationError, match="cannot take this step"):
        services.case_start_legal_aid(by=neighbours.mediator, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSIGNED


def test_decline_without_a_reason_agreement_without_terms_and_bad_satisfaction(
    county, neighbours, lodge
):
    case = lodge()
    with pytest.raises(ValidationError, match="reason the worker will see"):
        services.case_decline(by=county.t1staff, case=case, reason="  ")
    case = services.case_accept(by=county.t1staff, case=case)
    case = services.case_assign(by=county.t1staff, case=case, handler=neighbours.mediator)
    case = services.case_start_mediation(by=neighbours.mediator, case=case)
    with pytest.raises(ValidationError, match="terms of the agreement"):
        services.case_resolve(by=neighbours.mediator, case=case, resolution="agreement")
    case = services.case_resolve(by=neighbours.mediator, case=case, resolution="no_basis")
    with pytest.raises(ValidationError, match="from 1 to 5"):
        services.case_callback(by=neighbours.mediator, case=case, satisfaction=6)
    case.refresh_from_db()
    assert case.status == CaseStatus.RESOLVED


def test_a_case_without_worker_or_channel_is_refused_and_nothing_is_written(county, lodge):
    with pytest.raises(ValidationError) as refused:
        lodge(workers=[])
    assert "workers" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        lodge(channel="")
    assert "channel" in refused.value.error_dict
    with pytest.raises(ValidationError):
        lodge(channel="portal")  # staff do not lodge through the portal
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


def test_an_anonymous_case_names_no_worker(county, lodge):
    case = lodge(workers=[], anonymous=True)
    assert case.anonymous and not case.workers.exists()


def test_a_worker_lodges_through_the_portal_without_a_staff_account(county, worker):
    case = services.case_lodge(
        by=None,
        kind="complaint",
        channel="portal",
        category="overtime",
        summary="每天加班到十点",
        anonymous=True,
        organisation=county.t1,
    )
    assert case.channel == "portal" and case.lodged_by is None
    with pytest.raises(ValidationError):
        services.case_lodge(
            by=None,
            kind="complaint",
            channel="hotline",
            category="overtime",
            summary="x",
            anonymous=True,
            organisation=county.t1,
        )


def test_a_handler_outside_the_scope_is_refused_and_cannot_open_the_case(
    county, neighbours, lodge, client
):
    from gonghui.conftest import signed_in

    case = services.case_accept(by=county.t1staff, case=lodge(kind="legal_aid"))
    with pytest.raises(ValidationError, match="Choose a handler"):
        services.case_assign(by=county.t1staff, case=case, handler=neighbours.legal_aid)
    case.refresh_from_db()
    assert case.handler is None and case.status == CaseStatus.ACCEPTED
    signed_in(client, neighbours.legal_aid)
    assert client.get(case.get_absolute_url()).status_code == 404
    with pytest.raises(PermissionDenied):
        services.case_accept(by=neighbours.legal_aid, case=case)


def test_a_worker_outside_the_scope_cannot_be_named(county, worker):
    with pytest.raises(PermissionDenied):
        services.case_lodge(
            by=county.t2staff,
            kind="mediation",
            channel="visit",
            category="wages",
            summary="x",
            workers=[worker],
        )
    assert not Case.objects.exists()
