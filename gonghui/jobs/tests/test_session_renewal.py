"""A signed-in user's requests do not write the session every time (a job page polled
every second would make every poll a database write); the session is renewed at
most once a minute, and 15 idle minutes still sign the user out."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gonghui.conftest import PASSWORD

HOME = "/"


@pytest.fixture
def clock():
    with time_machine.travel(
        datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ) as traveller:
        yield traveller


@pytest.fixture
def signed_in(client, county, clock):
    response = client.post(reverse("accounts:login"), {"username": "t1staff", "password": PASSWORD})
    assert response.status_code == 302
    return client


def session_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def session_writes(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(
        '"django_session"' in q["sql"] and not q["sql"].startswith("SELECT") for q in queries
    )


def test_requests_within_a_minute_do_not_write_the_session(signed_in, clock):
    expiry = session_expiry(signed_in)
    for _ in range(5):
        clock.shift(timedelta(seconds=10))
        assert session_writes(signed_in, HOME) == 0
    assert session_expiry(signed_in) == expiry


def test_a_request_a_minute_after_the_last_renewal_renews_the_session(signed_in, clock):
    clock.shift(timedelta(seconds=30))
    signed_in.get(HOME)
    clock.shift(timedelta(seconds=31))
    assert session_writes(signed_in, HOME) == 1
    assert session_expiry(signed_in) == timezone.now() + timedelta(minutes=15)


def test_a_user_active_every_ten_seconds_stays_signed_in(signed_in, clock):
    for _ in range(6 * 20):  # 20 minutes
        clock.shift(timedelta(seconds=10))
        assert signed_in.get(HOME).status_code == 200


def test_fifteen_idle_minutes_after_the_last_renewal_still_sign_out(signed_in, clock):
    clock.shift(timedelta(minutes=5))
    assert signed_in.get(HOME).status_code == 200  # renews: 15 minutes from now
    clock.shift(timedelta(seconds=50))
    assert signed_in.get(HOME).status_code == 200  # within the minute: no renewal
    clock.shift(timedelta(minutes=14, seconds=11))
    response = signed_in.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
