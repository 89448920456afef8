"""Revealing a masked ID number or phone: only with the right, in scope, and always logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gonghui.people import services
from gonghui.people.models import RevealLog

from .conftest import valid_id, valid_phone

LOG = reverse("people:reveal-log")


def reveal_url(person, field="id_number"):
    return reverse("people:person-reveal", args=[person.pk, field])


def test_the_file_shows_the_numbers_masked_with_a_reveal_button(people, client_for, county):
    html = client_for(county.t1staff).get(people.p1.get_absolute_url()).content.decode()

    assert "330***********" + valid_id(1)[-4:] in html
    assert "139****0001" in html
    assert valid_id(1) not in html
    assert valid_phone(1) not in html
    assert reveal_url(people.p1) in html


def test_a_chair_sees_the_masked_numbers_without_a_reveal_button(people, client_for, county):
    html = client_for(county.chair1).get(people.p1.get_absolute_url()).content.decode()

    assert "139****0001" in html
    assert reveal_url(people.p1) not in html


@pytest.mark.parametrize(
    ("field", "value"), [("id_number", valid_id(1)), ("phone", valid_phone(1))]
)
def test_a_reveal_shows_the_value_and_logs_who_whom_what_when_where(
    people, client_for, county, field, value
):
    response = client_for(county.t1staff).post(
        reveal_url(people.p1, field), REMOTE_ADDR="10.1.2.3", HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert value in response.content.decode()
    entry = RevealLog.objects.get()
    assert (entry.by, entry.person, entry.field, entry.ip_address) == (
        county.t1staff,
        people.p1,
        field,
        "10.1.2.3",
    )
    assert entry.at is not None


def test_without_htmx_the_reveal_is_a_page_of_its_own(people, client_for, county):
    response = client_for(county.admin).post(reveal_url(people.p3))

    assert response.status_code == 200
    assert valid_id(3) in response.content.decode()
    assert "logged" in response.content.decode()
    assert RevealLog.objects.count() == 1


def test_a_user_without_the_right_is_refused_and_nothing_is_logged(people, client_for, county):
    response = client_for(county.chair1).post(reveal_url(people.p1))

    assert response.status_code == 403
    assert valid_id(1) not in response.content.decode()
    assert not RevealLog.objects.exists()
    with pytest.raises(PermissionDenied):
        services.person_reveal(by=county.chair1, person=people.p1, field="id_number")


def test_a_person_outside_the_scope_cannot_be_revealed(people, client_for, county):
    response = client_for(county.t2staff).post(reveal_url(people.p1))

    assert response.status_code == 404
    assert not RevealLog.objects.exists()
    with pytest.raises(PermissionDenied):
        services.person_reveal(by=county.t2staff, person=people.p1, field="id_number")


def test_an_unknown_field_is_not_found(people, client_for, county):
    assert client_for(county.admin).post(reveal_url(people.p1, "income")).status_code == 404
    assert not RevealLog.objects.exists()


def test_county_admins_read_the_reveal_log(people, client_for, county):
    services.person_reveal(
        by=county.t1staff, person=people.p1, field="phone", ip_address="10.9.8.7"
    )
    services.person_reveal(by=county.t2staff, person=people.p3, field="id_number")

    response = client_for(county.admin).get(LOG)

    assert response.status_code == 200
    entries = [obj for obj, _values in response.context["rows"]]
    assert [(e.by, e.person, e.field) for e in entries] == [
        (county.t2staff, people.p3, "id_number"),
        (county.t1staff, people.p1, "phone"),
    ]
    html = response.content.decode()
    assert "10.9.8.7" in html
    assert "t1staff" in html
    assert valid_phone(1) not in html


def test_staff_other_than_county_admins_cannot_read_the_log(people, client_for, county):
    for user in (county.t1staff, county.chair1, county.leader):
        assert client_for(user).get(LOG).status_code == 403
