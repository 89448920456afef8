"""Booking for a worker chosen from the reader's scope (by name or the last digits of
the ID number), by township staff and by a union's chair; the outcome buttons appear
once the slot has begun, by the rule the service keeps."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gonghui.counselling import services
from gonghui.counselling.models import Booking
from gonghui.people.services import person_create

from .conftest import valid_id

SUGGEST = reverse("people:worker-suggestions")
BOOK = reverse("counselling:booking-create")


def test_a_chair_books_a_free_slot_for_a_member_of_their_union(county, care, client_for):
    client = client_for(county.chair1)
    assert f"?slot={care.s3.pk}" in client.get(reverse("counselling:slot-list")).content.decode()

    response = client.post(BOOK, {"slot": care.s3.pk, "worker": "张", "person": care.w1.pk})

    booking = Booking.objects.get(slot=care.s3)
    assert response.status_code == 302
    assert response.url == booking.get_absolute_url()
    assert (booking.person, booking.booked_by, booking.channel) == (care.w1, county.chair1, "staff")


def test_the_form_asks_for_no_id_number_and_offers_workers_by_name_or_last_digits(
    county, care, client_for
):
    client = client_for(county.chair1)
    form = client.get(BOOK).content.decode()
    assert 'name="id_number"' not in form
    assert f'hx-get="{SUGGEST}"' in form

    by_name = client.get(SUGGEST, {"worker": "张"}).content.decode()
    assert f'name="person" value="{care.w1.pk}"' in by_name
    assert care.w1.masked_id_number() in by_name
    assert valid_id(21) not in by_name  # never the whole number
    by_digits = client.get(SUGGEST, {"worker": valid_id(21)[-4:]}).content.decode()
    assert f'name="person" value="{care.w1.pk}"' in by_digits


def test_workers_outside_the_scope_are_never_suggested(county, care, client_for):
    # w3 works at E3 in the other township: neither the chair nor T1 sees them.
    for user in (county.chair1, county.t1staff, county.chair2):
        html = client_for(user).get(SUGGEST, {"worker": "王"}).content.decode()
        assert care.w3.name not in html
        assert f'value="{care.w3.pk}"' not in html
        assert "No worker in your scope matches" in html


def test_an_id_from_outside_the_scope_is_refused_without_naming_anyone(county, care, client_for):
    response = client_for(county.chair1).post(BOOK, {"slot": care.s3.pk, "person": care.w3.pk})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose the worker from the suggestions." in html
    assert care.w3.name not in html
    assert not Booking.objects.filter(slot=care.s3).exists()


def test_a_booking_without_a_chosen_worker_is_refused(county, care, client_for):
    response = client_for(county.chair1).post(BOOK, {"slot": care.s3.pk, "worker": "张"})

    assert "Choose the worker from the suggestions." in response.content.decode()
    # The search is kept and its workers offered again.
    assert f'name="person" value="{care.w1.pk}"' in response.content.decode()
    assert not Booking.objects.filter(slot=care.s3).exists()


def test_the_service_refuses_a_chair_booking_a_worker_of_another_union(county, care):
    w2 = person_create(by=county.superuser, name="李二", id_number=valid_id(22), employer=county.e2)

    for person in (w2, care.w3):
        with pytest.raises(PermissionDenied) as refused:
            services.booking_create(slot=care.s3, person=person, by=county.chair1, channel="staff")
        assert person.name not in str(refused.value)
        assert "outside your scope" in str(refused.value)
    assert not Booking.objects.filter(slot=care.s3).exists()
    # The chair of that union may.
    services.booking_create(slot=care.s3, person=w2, by=county.chair2, channel="staff")


def test_the_outcome_buttons_appear_only_once_the_slot_has_begun(county, care, client_for):
    staff_page = care.b1.get_absolute_url()
    own_page = reverse("counselling:my-booking", args=[care.b1.pk])

    for user, url in ((county.t1staff, staff_page), (care.counsellor, own_page)):
        html = client_for(user).get(url).content.decode()
        assert "The worker came" not in html
        assert "once the slot has begun" in html
        assert "Cancel the booking" in html

    assert not services.outcome_open(care.s1)
    with time_machine.travel(care.s1.starts_at + timedelta(minutes=1)):
        assert services.outcome_open(care.s1)
        for user, url in ((county.t1staff, staff_page), (care.counsellor, own_page)):
            html = client_for(user).get(url).content.decode()
            assert "The worker came" in html
        client_for(care.counsellor).post(
            reverse("counselling:booking-outcome", args=[care.b1.pk]), {"attended": "1"}
        )
    care.b1.refresh_from_db()
    assert care.b1.status == "attended"
