"""Sessions end after 15 idle minutes and after 8 hours at most; a password change
ends the user's other sessions."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gonghui.conftest import PASSWORD

from .conftest import is_signed_in, sign_in

HOME = "/"


def test_a_session_expires_after_15_idle_minutes(client, county, clock):
    sign_in(client, "t1staff")
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date == timezone.now() + timedelta(minutes=15)
    clock.shift(timedelta(minutes=15, seconds=1))
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_every_request_renews_the_idle_limit(client, county, clock):
    sign_in(client, "t1staff")
    for _ in range(4):
        clock.shift(timedelta(minutes=14))
        assert client.get(HOME).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date == timezone.now() + timedelta(minutes=15)


def test_a_session_ends_after_8_hours_however_active(client, county, clock):
    sign_in(client, "t1staff")
    for _ in range(32):  # every 15 minutes, up to 8 hours
        clock.shift(timedelta(minutes=15) - timedelta(seconds=1))
        assert client.get(HOME).status_code == 200
    clock.shift(timedelta(minutes=1))
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == reverse("accounts:login") + "?next=/"
    assert not is_signed_in(client)
    page = client.get(response.url).content.decode()
    assert "a session lasts at most 8 hours" in page


def test_a_new_sign_in_starts_a_new_8_hours(client, county, clock):
    sign_in(client, "t1staff")
    clock.shift(timedelta(hours=7, minutes=50))
    sign_in(client, "t1staff")
    clock.shift(timedelta(minutes=14))
    assert client.get(HOME).status_code == 200


def test_a_session_that_did_not_come_from_a_sign_in_is_ended(client_for, county):
    client = client_for(county.t1staff)
    session = client.session
    del session["accounts_signed_in_at"]
    session.save()
    response = client.get(HOME)
    assert response.status_code == 302
    assert not is_signed_in(client)


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(county):
    office, phone = Client(), Client()
    sign_in(office, "t1staff")
    sign_in(phone, "t1staff")
    assert phone.get(HOME).status_code == 200
    response = office.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Spring-River-2031",
            "new_password2": "Spring-River-2031",
        },
    )
    assert response.status_code == 302
    assert office.get(HOME).status_code == 200
    response = phone.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not is_signed_in(phone)


def test_signing_out_is_a_post(client_for, county):
    client = client_for(county.t1staff)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert is_signed_in(client)
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("accounts:login")
    assert not is_signed_in(client)
    assert "You have signed out" in client.get(response.url).content.decode()
