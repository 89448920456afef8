"""Password spraying: 20 failed sign-ins from one address within 15 minutes, across
all accounts, stop sign-ins from that address for browsers without a device
cookie, though no account reached its own limit of 5."""

import re
from datetime import timedelta

from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from .conftest import is_signed_in, sign_in

WRONG = "Not-The-Password-1"
NAMES = ["t1staff", "t2staff", "chair1", "chair2", "leader"] + [f"guess{n}" for n in range(15)]


def without_csrf_tokens(response) -> str:
    """The page without its CSRF tokens (64 letters and digits), which differ per browser."""
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())


def spray(client, names=NAMES, **extra):
    """One wrong password for each name, as a sprayer tries a common password."""
    return [sign_in(client, name, WRONG, **extra) for name in names]


def test_one_address_failing_against_many_accounts_is_stopped_at_20(client, county, clock):
    responses = spray(client)
    assert len(responses) == 20
    assert [r.status_code for r in responses[:19]] == [200] * 19
    assert responses[19].status_code == 429
    page = responses[19].content.decode()
    assert "Sign-in paused" in page
    assert "Too many failed sign-in attempts from your network" in page
    # No account reached its own limit.
    assert max(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 1

    # Even the right password of an account never tried is refused from this address…
    response = sign_in(Client(), "outsider")
    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    # …and not counted: refused before the password was checked.
    assert not AccessAttempt.objects.filter(username="outsider").exists()
    # The same account signs in from another address.
    other = Client()
    assert sign_in(other, "outsider", REMOTE_ADDR="10.9.9.9").status_code == 302
    assert is_signed_in(other)


def test_the_page_says_the_same_for_names_that_exist_and_names_that_do_not(county, clock):
    spray(Client())
    existing = sign_in(Client(), "chair1")
    missing = sign_in(Client(), "nobody-at-all")
    assert existing.status_code == missing.status_code == 429
    assert without_csrf_tokens(existing) == without_csrf_tokens(missing)


def test_an_office_behind_one_address_is_not_locked_out_by_typos(county, clock):
    colleagues = ["t1staff", "t2staff", "chair1", "chair2", "leader"]
    for name in colleagues:
        for _typo in range(3):
            assert sign_in(Client(), name, WRONG).status_code == 200
    # 15 failures from the office's one address, then everybody gets it right.
    for name in colleagues:
        browser = Client()
        assert sign_in(browser, name).status_code == 302
        assert is_signed_in(browser)


def test_the_address_lock_lifts_after_15_minutes(client, county, clock):
    spray(client)
    clock.shift(timedelta(minutes=14, seconds=50))
    assert sign_in(Client(), "t1staff").status_code == 429
    clock.shift(timedelta(seconds=20))
    assert sign_in(Client(), "t1staff").status_code == 302


def test_a_browser_that_signed_in_before_is_not_stopped_by_the_address_lock(county, clock):
    owner = Client()
    assert sign_in(owner, "chair1").status_code == 302
    owner.post(reverse("accounts:logout"))
    spray(Client())
    assert sign_in(Client(), "chair1").status_code == 429
    assert sign_in(owner, "chair1").status_code == 302
    assert is_signed_in(owner)


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_saw(settings, county, clock):
    settings.TRUSTED_PROXY_COUNT = 1
    proxied = {"REMOTE_ADDR": "127.0.0.1"}
    # The sprayer claims a new address each time; the proxy appends the real one.
    for n, name in enumerate(NAMES):
        sign_in(Client(), name, WRONG, HTTP_X_FORWARDED_FOR=f"10.1.1.{n}, 203.0.113.7", **proxied)
    assert (
        sign_in(Client(), "t1staff", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxied).status_code
        == 429
    )
    # Everybody else behind the proxy signs in.
    assert (
        sign_in(Client(), "t1staff", HTTP_X_FORWARDED_FOR="198.51.100.20", **proxied).status_code
        == 302
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
