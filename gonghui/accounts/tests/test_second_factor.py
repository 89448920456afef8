"""A second factor (TOTP): required for county admins and superusers, optional for
other staff, and checked before any console page opens."""

import re
from base64 import b32decode
from datetime import timedelta

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.accounts.totp import matching_step
from gonghui.conftest import PASSWORD

from .conftest import add_device, code_for, is_signed_in, sign_in, wrong_code

ORGS = "/orgs/"
VERIFY = reverse("accounts:otp-verify")
SETUP = reverse("accounts:otp-setup")


def verify(client, code, next_url=ORGS):
    return client.post(f"{VERIFY}?next={next_url}", {"otp_token": code})


def secret_shown(page: str) -> str:
    return re.search(r'id="otp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def key_from_secret(secret: str) -> str:
    return b32decode(secret + "=" * (-len(secret) % 8)).hex()


def code_for_key(key: str) -> str:
    return code_for(TOTPDevice(key=key))


# --- verifying at sign-in ---------------------------------------------------------


def test_a_county_admin_with_a_device_is_asked_for_a_code_after_the_password(client, county):
    add_device(county.admin)
    response = client.post(
        f"{reverse('accounts:login')}?next={ORGS}",
        {"username": "admin", "password": PASSWORD, "next": ORGS},
    )
    assert response.url == ORGS
    assert client.get(ORGS).url == f"{VERIFY}?next=%2Forgs%2F"
    page = client.get(f"{VERIFY}?next=%2Forgs%2F").content.decode()
    assert "enter the 6-digit code" in page


def test_the_admin_cannot_reach_the_console_without_the_code(client, county):
    add_device(county.admin)
    sign_in(client, "admin")
    for url in [ORGS, "/", reverse("orgs:employer-list"), reverse("accounts:profile")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(VERIFY)


def test_a_valid_code_opens_the_console_and_returns_to_the_page_asked_for(client, county, clock):
    device = add_device(county.admin)
    sign_in(client, "admin")
    response = verify(client, code_for(device))
    assert response.status_code == 302
    assert response.url == ORGS
    assert client.get(ORGS).status_code == 200
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_wrong_code_is_refused_with_a_clear_message(client, county, clock):
    device = add_device(county.admin)
    sign_in(client, "admin")
    response = verify(client, wrong_code(device))
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get(ORGS).status_code == 302


def test_a_code_that_is_not_six_digits_is_explained(client, county):
    add_device(county.admin)
    sign_in(client, "admin")
    response = verify(client, "12ab")
    assert "The code is 6 digits" in response.content.decode()


def test_a_code_typed_with_a_space_is_accepted(client, county, clock):
    device = add_device(county.admin)
    sign_in(client, "admin")
    code = code_for(device)
    assert verify(client, f"{code[:3]} {code[3:]}").url == ORGS


def test_wrong_codes_in_quick_succession_are_slowed_down(client, county, clock):
    device = add_device(county.admin)
    sign_in(client, "admin")
    verify(client, wrong_code(device))
    response = verify(client, code_for(device))
    assert "Too many wrong codes. Wait 1 second" in response.content.decode()
    clock.shift(timedelta(seconds=2))
    assert verify(client, code_for(device)).url == ORGS


def test_a_code_cannot_be_used_twice(client, county, clock):
    device = add_device(county.admin)
    code = code_for(device)
    sign_in(client, "admin")
    assert verify(client, code).url == ORGS
    client.post(reverse("accounts:logout"))
    sign_in(client, "admin")
    assert "That code is not right" in verify(client, code).content.decode()


def test_wrong_codes_count_toward_the_lockout(client, county, clock):
    device = add_device(county.admin)
    sign_in(client, "admin", "Not-The-Password-1")
    sign_in(client, "admin")
    statuses = []
    for _ in range(4):
        clock.shift(timedelta(seconds=30))  # past django-otp's own back-off
        statuses.append(verify(client, wrong_code(device)).status_code)
    assert statuses == [200, 200, 200, 429]
    assert not is_signed_in(client)
    clock.shift(timedelta(minutes=1))
    assert sign_in(client, "admin").status_code == 429


def test_a_valid_code_clears_the_failure_count(client, county, clock):
    device = add_device(county.admin)
    sign_in(client, "admin")
    for _ in range(3):
        clock.shift(timedelta(seconds=30))
        verify(client, wrong_code(device))
    clock.shift(timedelta(seconds=30))
    assert verify(client, code_for(device)).url == ORGS
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        assert sign_in(client, "admin", "Not-The-Password-1").status_code == 200


def test_the_password_alone_does_not_clear_the_failure_count(client, county, clock):
    device = add_device(county.admin)
    sign_in(client, "admin")
    for _ in range(4):
        clock.shift(timedelta(seconds=30))
        verify(client, wrong_code(device))
    client.post(reverse("accounts:logout"))
    sign_in(client, "admin")
    clock.shift(timedelta(seconds=30))
    assert verify(client, wrong_code(device)).status_code == 429


def test_a_superuser_also_needs_the_second_factor(client, county):
    county.superuser.must_change_password = False
    county.superuser.save()
    sign_in(client, "root")
    assert client.get(ORGS).url.startswith(SETUP)


def test_staff_without_a_device_are_not_asked_for_a_code(client, county):
    sign_in(client, "t1staff")
    assert client.get(ORGS).status_code == 200


def test_staff_who_turned_it_on_are_asked_at_every_sign_in(client, county, clock):
    device = add_device(county.t1staff)
    sign_in(client, "t1staff")
    assert client.get(ORGS).url.startswith(VERIFY)
    assert verify(client, code_for(device)).url == ORGS


def test_the_verify_page_sends_someone_without_a_device_on(client, county):
    sign_in(client, "t1staff")
    assert client.get(f"{VERIFY}?next={ORGS}").url == ORGS


# --- setting it up ----------------------------------------------------------------


def test_an_admin_without_a_device_must_set_one_up_first(client, county):
    sign_in(client, "admin")
    response = client.get(ORGS)
    assert response.url == f"{SETUP}?next=%2Forgs%2F"
    page = client.get(response.url).content.decode()
    assert "Your role requires a second step at sign-in" in page
    assert "<svg" in page and "<path" in page
    assert "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    assert len(secret_shown(page)) == 32


def test_the_secret_stays_the_same_until_confirmed(client, county):
    sign_in(client, "admin")
    first = secret_shown(client.get(SETUP).content.decode())
    assert secret_shown(client.get(SETUP).content.decode()) == first


def test_the_first_valid_code_turns_it_on(client, county, clock):
    sign_in(client, "admin")
    key = key_from_secret(secret_shown(client.get(f"{SETUP}?next={ORGS}").content.decode()))
    response = client.post(f"{SETUP}?next={ORGS}", {"otp_token": code_for_key(key)})
    assert response.url == ORGS
    device = TOTPDevice.objects.get(user=county.admin)
    assert device.confirmed and device.key == key
    assert client.get(ORGS).status_code == 200


def test_a_wrong_code_does_not_turn_it_on(client, county, clock):
    sign_in(client, "admin")
    key = key_from_secret(secret_shown(client.get(SETUP).content.decode()))
    good = code_for_key(key)
    bad = next(c for c in ("000000", "111111", "222222") if matching_step(key, c) is None)
    assert good != bad
    response = client.post(SETUP, {"otp_token": bad})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=county.admin).exists()
    assert client.get(ORGS).url.startswith(SETUP)


def test_set_up_cannot_add_a_second_device_before_the_code_is_given(client, county):
    add_device(county.admin)
    sign_in(client, "admin")
    response = client.get(SETUP)
    assert response.url == reverse("accounts:profile")
    assert client.get(response.url).url.startswith(VERIFY)
    assert client.post(SETUP, {"otp_token": "123456"}).url == reverse("accounts:profile")
    assert TOTPDevice.objects.filter(user=county.admin).count() == 1


def test_any_staff_member_can_turn_it_on_from_my_account(client_for, county, clock):
    client = client_for(county.t1staff)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert SETUP in profile
    key = key_from_secret(secret_shown(client.get(SETUP).content.decode()))
    response = client.post(SETUP, {"otp_token": code_for_key(key)})
    assert response.url == reverse("accounts:profile")
    assert "Two-step verification is on" in client.get(response.url).content.decode()
    client.post(reverse("accounts:logout"))
    clock.shift(timedelta(minutes=1))
    sign_in(client, "t1staff")
    assert client.get(ORGS).url.startswith(VERIFY)


def test_the_forced_password_change_comes_after_the_code(client, county, clock):
    device = add_device(county.admin)
    county.admin.must_change_password = True
    county.admin.save()
    sign_in(client, "admin")
    assert client.get(reverse("accounts:password-change")).url.startswith(VERIFY)
    response = verify(client, code_for(device))
    assert client.get(response.url).url.startswith(reverse("accounts:password-change"))
