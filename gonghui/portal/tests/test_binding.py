"""Binding a portal account to the worker's person file (worker portal, item 2): at
once when the phone proves it, by the union's confirmation when it does not."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gonghui.core.idnumbers import complete_id_number
from gonghui.inbox.models import Message, MessageKind
from gonghui.people.models import Person
from gonghui.people.services import membership_start, person_create
from gonghui.portal import services
from gonghui.portal.models import BindingReason, BindingRequest, BindingStatus, WorkerAccount

PHONE = "13912345678"
BIND = reverse("portal:bind")
HOME = reverse("portal:home")


def id_number(seq: int) -> str:
    return complete_id_number(f"330106{date(1990, 5, 6):%Y%m%d}{seq:03d}")


@pytest.fixture
def worker(county):
    """张一 of E1, member of G1, whose file holds the phone ``PHONE``."""
    person = person_create(
        by=county.superuser, name="张一", id_number=id_number(1), phone=PHONE, employer=county.e1
    )
    membership_start(
        by=county.superuser, person=person, union=county.g1, joined_on=date(2024, 1, 1)
    )
    person.refresh_from_db()
    return person


def bind(client, name, number, employer=""):
    return client.post(BIND, {"name": name, "id_number": number, "employer": employer})


def test_the_file_holding_the_signed_in_number_is_bound_at_once(worker, portal_sign_in):
    client = portal_sign_in(PHONE)
    assert "Link your file" in client.get(HOME).content.decode()

    response = bind(client, "张一", id_number(1).lower())

    assert response["Location"] == HOME
    home = client.get(HOME).content.decode()
    assert "张一" in home and "东镇机械厂工会" in home and worker.card_number in home
    assert WorkerAccount.objects.get().person == worker


def test_a_name_that_does_not_match_is_refused_without_naming_anyone(worker, portal_sign_in):
    client = portal_sign_in("13700000001")

    page = bind(client, "李四", id_number(1)).content.decode()

    assert "The name and the ID number do not match. Check both: 4 more tries." in page
    assert "张一" not in page and "东镇" not in page
    assert WorkerAccount.objects.get().person is None


def test_five_failed_bindings_lock_binding_for_a_day(worker, portal_sign_in):
    client = portal_sign_in(PHONE)
    for _ in range(4):
        bind(client, "李四", id_number(1))
    assert "locked for a day" in bind(client, "李四", id_number(1)).content.decode()
    # The right name does not help until the day is over.
    assert "You can try again after" in bind(client, "张一", id_number(1)).content.decode()
    assert WorkerAccount.objects.get().person is None


def test_a_file_holding_another_number_waits_for_the_union(
    worker, county, portal_sign_in, client_for
):
    client = portal_sign_in("13700000001")

    bind(client, "张一", id_number(1))

    request = BindingRequest.objects.get()
    assert (request.reason, request.status) == (BindingReason.OTHER_PHONE, BindingStatus.PENDING)
    home = client.get(HOME).content.decode()
    assert "Waiting for your union" in home and worker.card_number not in home
    # The chair of the worker's union answers; the sibling union's chair does not see it.
    assert client_for(county.chair2).get(request.get_absolute_url()).status_code == 404
    chair = client_for(county.chair1)
    assert "张一" in chair.get(reverse("bindings:list")).content.decode()
    chair.post(reverse("bindings:confirm", args=[request.pk]))
    assert worker.card_number in client.get(HOME).content.decode()
    assert Message.objects.get(person=worker).kind == MessageKind.BINDING


def test_a_file_bound_to_another_account_moves_only_when_the_union_confirms(
    worker, county, portal_sign_in, client_for
):
    first = portal_sign_in(PHONE)
    bind(first, "张一", id_number(1))
    second = portal_sign_in("13700000001")
    bind(second, "张一", id_number(1))
    request = BindingRequest.objects.get()
    assert request.reason == BindingReason.BOUND_ELSEWHERE

    client_for(county.t1staff).post(reverse("bindings:confirm", args=[request.pk]))

    assert WorkerAccount.objects.get(person=worker).phone == "13700000001"
    assert "Link your file" in first.get(HOME).content.decode()


def test_a_refusal_says_why_on_the_workers_home(worker, county, portal_sign_in, client_for):
    client = portal_sign_in("13700000001")
    bind(client, "张一", id_number(1))
    request = BindingRequest.objects.get()
    chair = client_for(county.chair1)

    page = chair.post(reverse("bindings:refuse", args=[request.pk]), {"comment": ""})
    assert "Say why, for the worker." in page.content.decode() or page.status_code == 200
    chair.post(reverse("bindings:refuse", args=[request.pk]), {"comment": "号码不是本人"})

    assert "号码不是本人" in client.get(HOME).content.decode()
    assert WorkerAccount.objects.get().person is None
    # The file's owner is told that a phone asked for their file.
    assert Message.objects.get(person=worker).title == "A phone asked to be linked to your file"


def test_without_a_file_one_is_started_at_the_employer_named(county, portal_sign_in):
    client = portal_sign_in(PHONE)

    refused = bind(client, "王五", id_number(5), "没有这家公司").content.decode()
    assert "No single employer has this name or code" in refused
    assert "Choose your employer." in bind(client, "王五", id_number(5)).content.decode()
    bind(client, "王五", id_number(5), "东镇机械有限公司")

    person = Person.objects.get(name="王五")
    assert person.employer == county.e1 and person.file_org == county.t1
    assert person.plain_phone() == PHONE
    assert WorkerAccount.objects.get().person == person


def test_binding_twice_is_refused(worker, portal_sign_in):
    client = portal_sign_in(PHONE)
    bind(client, "张一", id_number(1))
    with pytest.raises(ValidationError, match="already linked"):
        services.binding_submit(
            account=WorkerAccount.objects.get(), name="张一", id_number=id_number(1)
        )
    assert client.get(BIND)["Location"] == HOME
