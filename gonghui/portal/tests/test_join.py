"""Joining from the portal (worker portal, item 4): a bound worker who is not a member
applies through ``join_application_submit`` (routed as staff applications are, the
eight groups to the joint union); a double tap sends one application."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gonghui.people.models import JoinApplication
from gonghui.people.services import join_application_submit
from gonghui.people.vocabularies import JoinChannel, JoinRoute, JoinStatus, NewFormGroup

from .test_card import bound_client, worker

JOIN = reverse("membership:join")
DONE = reverse("membership:join-done")


def key_of(page: str) -> str:
    return re.search(r'name="key" value="([^"]+)"', page).group(1)


def form_data(client, **fields) -> dict:
    page = client.get(JOIN).content.decode()
    return {"key": key_of(page), "employer": "", "new_form_group": "", **fields}


@pytest.fixture
def applicant(county):
    """周申 of E1 (whose union is G1), not a member."""
    return worker(county, 21, name="周申")


def test_a_worker_applies_and_is_told_which_union_decides(applicant, county, portal_sign_in):
    client = bound_client(portal_sign_in, applicant)
    page = client.get(JOIN).content.decode()
    assert f'value="{county.e1.name}"' in page  # the file's employer, ready

    response = client.post(JOIN, form_data(client))

    assert response.status_code == 302 and response["Location"] == DONE
    application = JoinApplication.objects.get()
    assert (application.person, application.union) == (applicant, county.g1)
    assert application.channel == JoinChannel.PORTAL and application.submitted_by is None
    assert application.route == JoinRoute.EMPLOYER_UNION
    done = client.get(DONE).content.decode()
    assert f"{county.g1.name} will decide on your application." in done
    assert "You will get a message here" in done
    # The form is not offered again while the application waits.
    assert "Your application is waiting" in client.get(JOIN).content.decode()


def test_a_courier_lands_in_the_townships_joint_union(applicant, county, portal_sign_in):
    client = bound_client(portal_sign_in, applicant)

    client.post(JOIN, form_data(client, new_form_group=NewFormGroup.COURIER))

    application = JoinApplication.objects.get()
    assert application.union == county.j1
    assert application.route == JoinRoute.JOINT_NEW_FORM
    assert application.new_form_group == NewFormGroup.COURIER
    assert county.j1.name in client.get(DONE).content.decode()


def test_a_double_tap_sends_one_application_and_lands_on_the_same_page(applicant, portal_sign_in):
    client = bound_client(portal_sign_in, applicant)
    data = form_data(client)

    first = client.post(JOIN, data)
    second = client.post(JOIN, data)

    assert first["Location"] == second["Location"] == DONE
    assert JoinApplication.objects.count() == 1


def test_a_member_cannot_join(county, portal_sign_in):
    member = worker(county, 22, union=county.g1)
    client = bound_client(portal_sign_in, member)
    page = client.get(JOIN).content.decode()
    assert "You are a member" in page and 'name="key"' not in page

    from gonghui.portal.formkeys import form_key_issue
    from gonghui.portal.membership import JOIN_FORM
    from gonghui.portal.models import WorkerAccount

    key = form_key_issue(WorkerAccount.objects.get(person=member), JOIN_FORM)
    response = client.post(JOIN, {"key": key, "employer": county.e1.name})

    assert "You are a member" in response.content.decode()
    assert not JoinApplication.objects.exists()


def test_a_pending_application_blocks_a_second(applicant, county, portal_sign_in):
    staff_entered = join_application_submit(
        by=county.t1staff, channel=JoinChannel.STAFF, person=applicant, employer=county.e1
    )
    client = bound_client(portal_sign_in, applicant)
    assert "Your application is waiting" in client.get(JOIN).content.decode()

    from gonghui.portal.formkeys import form_key_issue
    from gonghui.portal.membership import JOIN_FORM
    from gonghui.portal.models import WorkerAccount

    key = form_key_issue(WorkerAccount.objects.get(person=applicant), JOIN_FORM)
    response = client.post(JOIN, {"key": key, "employer": county.e1.name})

    assert response.status_code == 200
    assert "Your application is waiting" in response.content.decode()
    assert list(JoinApplication.objects.all()) == [staff_entered]


def test_a_form_out_of_date_or_of_another_account_is_sent_back_fresh(
    applicant, county, portal_sign_in
):
    client = bound_client(portal_sign_in, applicant)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        stale = form_data(client)
        clock.shift(timedelta(days=2))
        response = client.post(JOIN, stale)
        forged = client.post(JOIN, {**stale, "key": "1.abc:1xZvTw:bad"})

    for answer in (response, forged):
        page = answer.content.decode()
        assert answer.status_code == 200 and "This form was out of date" in page
        assert key_of(page) != stale["key"]
    assert not JoinApplication.objects.exists()


def test_a_worker_without_an_employer_on_file_names_one(county, portal_sign_in):
    from gonghui.people.services import person_update

    person = worker(county, 23)
    person_update(by=county.superuser, person=person, employer=None)
    client = bound_client(portal_sign_in, person)

    empty = client.post(JOIN, form_data(client))
    unknown = client.post(JOIN, form_data(client, employer="没有这家公司"))
    named = client.post(JOIN, form_data(client, employer=county.e2.credit_code))

    assert "Name your employer." in empty.content.decode()
    assert "No single employer has this name or code." in unknown.content.decode()
    assert named["Location"] == DONE
    assert JoinApplication.objects.get().union == county.g2


def test_an_employer_without_a_union_to_receive_is_refused_clearly(county, portal_sign_in):
    person = worker(county, 24)
    client = bound_client(portal_sign_in, person)

    # E3's township has neither a union at E3 nor a joint union.
    response = client.post(JOIN, form_data(client, employer=county.e3.name))

    assert "has no joint union" in response.content.decode()
    assert not JoinApplication.objects.exists()


def test_a_worker_not_bound_is_asked_to_link_the_file(db, portal_sign_in):
    client = portal_sign_in("13911113333")

    page = client.get(JOIN).content.decode()
    posted = client.post(JOIN, {"key": "x", "employer": "x"}).content.decode()

    assert "Link your file first" in page and "Link your file first" in posted
    assert not JoinApplication.objects.exists()


def test_the_result_page_without_an_application_sends_to_the_form(applicant, portal_sign_in):
    client = bound_client(portal_sign_in, applicant)

    assert client.get(DONE)["Location"] == JOIN


def test_an_approved_application_shows_on_the_result_page(applicant, county, portal_sign_in):
    from gonghui.people.services import join_application_approve

    client = bound_client(portal_sign_in, applicant)
    client.post(JOIN, form_data(client))
    join_application_approve(by=county.chair1, application=JoinApplication.objects.get())

    page = client.get(DONE).content.decode()

    assert str(JoinStatus.APPROVED.label) in page
    assert "You are a member" in client.get(JOIN).content.decode()


def test_the_service_returns_the_first_application_to_a_second_sending(applicant, county):
    """The guard under the person's lock, for two sendings the page's own check missed
    (two requests at once): the second finds the first's application."""
    from gonghui.portal.membership import portal_join_submit

    account = type("Account", (), {"person_id": applicant.pk})()
    issued_at = timezone.now()
    first = portal_join_submit(
        account=account, employer=county.e1, new_form_group="", issued_at=issued_at
    )
    second = portal_join_submit(
        account=account, employer=county.e1, new_form_group="", issued_at=issued_at
    )

    assert first.created and not second.created
    assert first.application == second.application == JoinApplication.objects.get()


def test_the_files_group_is_offered_as_the_answer(county, portal_sign_in):
    from gonghui.people.services import person_update

    person = worker(county, 25)
    person_update(by=county.superuser, person=person, new_form_group=NewFormGroup.FOOD_DELIVERY)
    client = bound_client(portal_sign_in, person)

    page = client.get(JOIN).content.decode()

    assert f'<option value="{NewFormGroup.FOOD_DELIVERY}" selected>' in page
