"""An administrator removes a lost authenticator app and lifts a sign-in lockout."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.accounts import services

from .conftest import add_device, is_signed_in, sign_in

WRONG = "Not-The-Password-1"


def test_resetting_the_authenticator_removes_the_device(client_for, county, t1admin):
    add_device(t1admin)
    response = client_for(county.secadmin).post(
        reverse("accounts:staff-totp-reset", args=[t1admin.pk]), follow=True
    )
    assert "is removed" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=t1admin).exists()
    trail = client_for(county.auditor).get(reverse("security:change-list")).content.decode()
    assert "authenticator app" in trail and "removed" in trail


def test_after_the_reset_a_role_needing_it_sets_up_a_new_app_at_sign_in(
    client_for, county, t1admin
):
    add_device(t1admin)
    client_for(county.secadmin).post(reverse("accounts:staff-totp-reset", args=[t1admin.pk]))
    browser = Client()
    assert sign_in(browser, "t1admin").status_code == 302
    response = browser.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:otp-setup"))


def test_an_open_session_loses_its_second_step_with_the_device(client_for, county, t1admin):
    add_device(t1admin)
    holder = Client()
    holder.force_login(t1admin)
    session = holder.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=t1admin).persistent_id
    session.save()
    assert holder.get(reverse("core:home")).status_code == 200
    client_for(county.secadmin).post(reverse("accounts:staff-totp-reset", args=[t1admin.pk]))
    response = holder.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:otp-setup"))


def test_an_account_without_an_app_has_nothing_to_reset(county):
    with pytest.raises(ValidationError, match="no authenticator app"):
        services.user_totp_reset(by=county.secadmin, user=county.t1staff)


def test_unlocking_lets_a_locked_account_sign_in_again(client_for, county):
    responses = [sign_in(Client(), "t1staff", WRONG) for _ in range(5)]
    assert responses[-1].status_code == 429
    assert sign_in(Client(), "t1staff").status_code == 429

    page = client_for(county.secadmin).get(county.t1staff.get_absolute_url()).content.decode()
    assert "Locked" in page

    response = client_for(county.secadmin).post(
        reverse("accounts:staff-unlock", args=[county.t1staff.pk]), follow=True
    )
    assert "they can sign in now" in response.content.decode()
    browser = Client()
    assert sign_in(browser, "t1staff").status_code == 302
    assert is_signed_in(browser)
    trail = client_for(county.auditor).get(reverse("security:change-list")).content.decode()
    assert "failed sign-ins" in trail


def test_an_account_without_failed_sign_ins_has_nothing_to_unlock(county):
    with pytest.raises(ValidationError, match="no failed sign-ins"):
        services.user_unlock(by=county.secadmin, user=county.t1staff)
