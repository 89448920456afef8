"""Signing into the portal with a mobile number and a one-time code (issue: worker
portal, item 1): the pages, the code's life, the sending limits, the session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gonghui.portal import services
from gonghui.portal.auth import COOKIE
from gonghui.portal.models import PortalSession, SignInCode, WorkerAccount

from .conftest import CODE, SIGN_IN, last_code

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
HOME = reverse("portal:home")


def test_a_worker_signs_in_with_the_code_sent_to_their_phone(sms_outbox):
    client = Client()
    assert client.get(HOME)["Location"] == f"{SIGN_IN}?next=%2Fm%2F"

    page = client.post(SIGN_IN, {"phone": "139 1234 5678", "next": "/m/bind/"})
    assert "A code was sent by text message to 13912345678" in page.content.decode()
    code = last_code(sms_outbox, PHONE)
    response = client.post(CODE, {"phone": PHONE, "code": code, "next": "/m/bind/"})

    assert response.status_code == 302 and response["Location"] == "/m/bind/"
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/m/"
    assert cookie["max-age"] == 30 * 24 * 3600
    assert client.get(HOME).status_code == 200
    account = WorkerAccount.objects.get()
    assert account.phone == PHONE and account.last_sign_in_at is not None


def test_the_code_is_kept_hashed_and_the_number_encrypted(sms_outbox):
    services.code_send(phone=PHONE, address="10.0.0.1")
    code = last_code(sms_outbox, PHONE)
    row = SignInCode.objects.values().get()
    assert all(code not in str(value) for value in row.values())
    services.code_check(phone=PHONE, code=code)
    account = WorkerAccount.objects.values().get()
    assert all(PHONE not in str(value) for value in account.values())


def test_a_code_is_used_once(sms_outbox):
    services.code_send(phone=PHONE, address=None)
    code = last_code(sms_outbox, PHONE)
    services.code_check(phone=PHONE, code=code)
    with pytest.raises(ValidationError, match="expired or was already used"):
        services.code_check(phone=PHONE, code=code)


def test_a_code_expires_after_five_minutes(sms_outbox):
    sent = timezone.now()
    services.code_send(phone=PHONE, address=None, now=sent)
    code = last_code(sms_outbox, PHONE)
    with pytest.raises(ValidationError, match="expired"):
        services.code_check(phone=PHONE, code=code, now=sent + timedelta(minutes=5, seconds=1))
    assert services.code_check(phone=PHONE, code=code, now=sent + timedelta(minutes=4, seconds=59))


def test_five_wrong_codes_end_the_code(sms_outbox):
    services.code_send(phone=PHONE, address=None)
    code = last_code(sms_outbox, PHONE)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationError, match=f"Wrong code. {left} more tr"):
            services.code_check(phone=PHONE, code=wrong)
    with pytest.raises(ValidationError, match="five times"):
        services.code_check(phone=PHONE, code=wrong)
    with pytest.raises(ValidationError, match="expired or was already used"):
        services.code_check(phone=PHONE, code=code)
    assert not WorkerAccount.objects.exists()


def test_a_code_for_another_number_does_not_sign_in(sms_outbox):
    services.code_send(phone=PHONE, address=None)
    services.code_send(phone="13700000001", address=None)
    with pytest.raises(ValidationError):
        services.code_check(phone="13700000001", code=last_code(sms_outbox, PHONE))


def test_only_the_newest_code_works(sms_outbox):
    start = timezone.now()
    services.code_send(phone=PHONE, address=None, now=start)
    first = last_code(sms_outbox, PHONE)
    services.code_send(phone=PHONE, address=None, now=start + timedelta(seconds=61))
    second = last_code(sms_outbox, PHONE)
    later = start + timedelta(seconds=62)
    if first != second:
        with pytest.raises(ValidationError):
            services.code_check(phone=PHONE, code=first, now=later)
    assert services.code_check(phone=PHONE, code=second, now=later)


def test_a_number_gets_one_code_a_minute_five_an_hour_and_ten_a_day(sms_outbox):
    start = timezone.now()

    def send(after: timedelta):
        services.code_send(phone=PHONE, address=None, now=start + after)

    send(timedelta(0))
    with pytest.raises(ValidationError, match="less than a minute ago"):
        send(timedelta(seconds=59))
    for minute in range(1, 5):
        send(timedelta(minutes=minute, seconds=1))
    with pytest.raises(ValidationError, match="5 codes in the last hour"):
        send(timedelta(minutes=10))
    for minute in range(61, 66):  # the next hour: five more, ten in the day
        send(timedelta(minutes=minute, seconds=30))
    with pytest.raises(ValidationError, match="10 codes today"):
        send(timedelta(hours=3))
    send(timedelta(days=1, minutes=1))  # a day after the first
    assert len(sms_outbox(PHONE)) == 11


def test_an_address_gets_twenty_codes_an_hour(sms_outbox):
    start = timezone.now()
    for n in range(20):
        services.code_send(phone=f"1370000{n:04d}", address="10.0.0.9", now=start)
    with pytest.raises(ValidationError, match="your network"):
        services.code_send(phone="13800000099", address="10.0.0.9", now=start)
    services.code_send(phone="13800000099", address="10.0.0.10", now=start)


def test_the_page_says_what_is_wrong_in_the_form(sms_outbox):
    client = Client()
    assert (
        "A mobile number has 11 digits"
        in client.post(SIGN_IN, {"phone": "1391234"}).content.decode()
    )
    client.post(SIGN_IN, {"phone": PHONE})
    again = client.post(SIGN_IN, {"phone": PHONE}).content.decode()
    assert "less than a minute ago" in again
    wrong = client.post(CODE, {"phone": PHONE, "code": "000000"})
    if last_code(sms_outbox, PHONE) != "000000":
        assert "Wrong code. 4 more tries" in wrong.content.decode()
        assert COOKIE not in wrong.cookies


def test_a_failed_send_is_not_counted_and_says_so(settings, sms_outbox):
    settings.SMS_BACKEND = "gonghui.sms.backends.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/"  # nothing listens on the discard port
    settings.SMS_GATEWAY_TIMEOUT = 2
    with pytest.raises(ValidationError, match="could not be sent"):
        services.code_send(phone=PHONE, address=None)
    assert not SignInCode.objects.exists()


def test_a_worker_never_reaches_the_console(portal_sign_in):
    client = portal_sign_in(PHONE)
    for url in (reverse("core:home"), reverse("people:person-list"), reverse("bindings:list")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_signing_out_ends_the_session_on_the_server(portal_sign_in):
    client = portal_sign_in(PHONE)
    token = client.cookies[COOKIE].value
    client.post(reverse("portal:sign-out"))
    assert PortalSession.objects.get().ended_at is not None
    stolen = Client()
    stolen.cookies[COOKIE] = token
    assert stolen.get(HOME).status_code == 302


def test_a_session_lasts_thirty_days(portal_sign_in):
    client = portal_sign_in(PHONE)
    token = client.cookies[COOKIE].value
    now = timezone.now()
    assert services.session_account(token, now=now + timedelta(days=29, hours=23))
    assert services.session_account(token, now=now + timedelta(days=30, minutes=1)) is None


def test_a_staff_session_is_not_a_worker_session(client_for, county):
    client = client_for(county.chair1)
    assert client.get(HOME)["Location"].startswith(SIGN_IN)


def test_the_language_switch_is_a_link_back_to_the_same_page():
    client = Client()
    page = client.get(SIGN_IN).content.decode()
    assert 'href="/m/language/en/?next=/m/sign-in/"' in page

    response = client.get("/m/language/en/", {"next": "/m/sign-in/"})

    assert response["Location"] == "/m/sign-in/"
    assert response.cookies["django_language"].value == "en"
    assert client.get("/m/language/xx/").status_code == 404
    # Only the portal's own pages are a place to go back to.
    assert client.get("/m/language/en/", {"next": "https://example.org/"})["Location"] == HOME
