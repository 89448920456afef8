"""A browser that signed in to an account before carries a signed device cookie:
a stranger's failures lock the account for other browsers, not for it, and its
own failures lock only it (OWASP, "Slow Down Online Guessing Attacks with Device
Cookies")."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.core import signing
from django.test import Client
from django.urls import reverse

from gonghui.accounts import services
from gonghui.accounts.devicecookies import cookie_name, device_cookie_value
from gonghui.accounts.models import DeviceSignInFailures

from .conftest import add_device, code_for, is_signed_in, sign_in, wrong_code

WRONG = "Not-The-Password-1"


def owners_browser(username: str = "t1staff") -> Client:
    """A browser its owner has signed in with, and out of again."""
    browser = Client()
    assert sign_in(browser, username).status_code == 302
    browser.post(reverse("accounts:logout"))
    assert not is_signed_in(browser)
    return browser


def lock_out(username: str = "t1staff") -> None:
    """A stranger, in a browser of their own, guesses until the account locks."""
    stranger = Client()
    responses = [sign_in(stranger, username, WRONG) for _ in range(5)]
    assert responses[-1].status_code == 429
    assert "Account locked" in responses[-1].content.decode()


def test_a_completed_sign_in_gives_the_browser_a_signed_cookie_for_the_account(client, county):
    assert sign_in(client, "t1staff").status_code == 302
    cookie = client.cookies[cookie_name("t1staff")]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Strict"
    assert int(cookie["max-age"]) == 90 * 24 * 3600
    assert "t1staff" not in cookie.key
    assert cookie_name("t1staff") != cookie_name("t2staff")


def test_with_a_second_factor_the_cookie_comes_with_the_code_not_the_password(
    client, county, t1admin
):
    device = add_device(t1admin)
    sign_in(client, "t1admin")
    assert cookie_name("t1admin") not in client.cookies
    client.post(reverse("accounts:otp-verify"), {"otp_token": code_for(device)})
    assert client.cookies[cookie_name("t1admin")].value


def test_a_strangers_failures_leave_the_owners_browser_able_to_sign_in(county, clock):
    owner = owners_browser()
    lock_out()
    assert sign_in(Client(), "t1staff").status_code == 429

    response = sign_in(owner, "t1staff")
    assert response.status_code == 302
    assert is_signed_in(owner)
    assert owner.get(reverse("core:home")).status_code == 200
    # The owner's sign-in does not lift the stranger's lock.
    assert sign_in(Client(), "t1staff").status_code == 429


def test_the_owner_signs_in_past_a_strangers_second_factor_guesses(county, t1admin, clock):
    device = add_device(t1admin)
    owner = Client()
    sign_in(owner, "t1admin")
    owner.post(reverse("accounts:otp-verify"), {"otp_token": code_for(device)})
    owner.post(reverse("accounts:logout"))
    # Someone who knows the password, but not the app, tries codes.
    stranger = Client()
    sign_in(stranger, "t1admin")
    responses = []
    for _ in range(5):
        # Past django-otp's own back-off after a wrong code (1, 2, 4, 8 s).
        clock.shift(timedelta(seconds=20))
        responses.append(
            stranger.post(reverse("accounts:otp-verify"), {"otp_token": wrong_code(device)})
        )
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert sign_in(Client(), "t1admin").status_code == 429

    clock.shift(timedelta(seconds=40))
    assert sign_in(owner, "t1admin").status_code == 302
    response = owner.post(reverse("accounts:otp-verify"), {"otp_token": code_for(device)})
    assert response.status_code == 302
    assert owner.get(reverse("core:home")).status_code == 200


def test_failures_in_the_owners_browser_lock_that_browser_only(county, clock):
    owner = owners_browser()
    responses = [sign_in(owner, "t1staff", WRONG) for _ in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert "4 more failed attempts" in responses[0].content.decode()
    page = responses[-1].content.decode()
    assert "Browser locked" in page
    assert "Too many failed sign-in attempts in this browser" in page
    assert sign_in(owner, "t1staff").status_code == 429
    # Not counted against the account: other browsers sign in.
    assert not AccessAttempt.objects.filter(username="t1staff").exists()
    assert sign_in(Client(), "t1staff").status_code == 302

    clock.shift(timedelta(minutes=15, seconds=10))
    assert sign_in(owner, "t1staff").status_code == 302


def test_a_locked_browser_is_freed_by_an_administrators_unlock(client_for, county, clock):
    owner = owners_browser()
    for _ in range(5):
        sign_in(owner, "t1staff", WRONG)
    assert sign_in(owner, "t1staff").status_code == 429
    assert services.user_unlock(by=county.secadmin, user=county.t1staff) == 5
    assert not DeviceSignInFailures.objects.exists()
    assert sign_in(owner, "t1staff").status_code == 302


def test_a_browser_with_a_cookie_for_another_account_is_a_stranger_to_this_one(county, clock):
    colleague = owners_browser("t2staff")
    lock_out("t1staff")
    assert sign_in(colleague, "t1staff").status_code == 429
    # Nor does the colleague's cookie help under the name of this account's cookie.
    forged = Client()
    forged.cookies[cookie_name("t1staff")] = colleague.cookies[cookie_name("t2staff")].value
    assert sign_in(forged, "t1staff").status_code == 429


def test_a_tampered_device_cookie_is_ignored(county, clock):
    owner = owners_browser()
    lock_out()
    genuine = owner.cookies[cookie_name("t1staff")].value
    payload, _sep, signature = genuine.rpartition(":")
    forgeries = [
        payload + ":" + signature[::-1],
        # A cookie naming the account, signed with another key.
        signing.dumps({"u": "t1staff", "n": "0" * 32}, key="not-the-server-key", salt="x"),
    ]
    for value in forgeries:
        browser = Client()
        browser.cookies[cookie_name("t1staff")] = value
        assert sign_in(browser, "t1staff").status_code == 429
    assert sign_in(owner, "t1staff").status_code == 302


def test_a_device_cookie_older_than_90_days_is_ignored(county, clock):
    owner = owners_browser()
    clock.shift(timedelta(days=89))
    lock_out()
    assert sign_in(owner, "t1staff").status_code == 302
    owner.post(reverse("accounts:logout"))

    old = Client()
    old.cookies[cookie_name("t1staff")] = device_cookie_value("t1staff", "a" * 32)
    clock.shift(timedelta(days=91))
    lock_out()
    # The browser would still send the cookie; the signature's time refuses it.
    assert sign_in(old, "t1staff").status_code == 429
    # The owner's browser got a new cookie at its sign-in 91 days ago: expired too.
    assert sign_in(owner, "t1staff").status_code == 429


def test_the_per_account_limit_still_holds_for_browsers_without_a_cookie(county, clock):
    responses = [
        sign_in(Client(), "t1staff", WRONG, REMOTE_ADDR=f"10.0.0.{n + 1}") for n in range(5)
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert sign_in(Client(), "t1staff", REMOTE_ADDR="10.0.0.99").status_code == 429
