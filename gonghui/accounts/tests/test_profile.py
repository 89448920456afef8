"""'My account': organisation, roles, second factor and password age."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from .conftest import add_device


def profile_of(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    return response.content.decode()


def test_my_account_shows_organisation_roles_and_password_age(client_for, county, clock):
    county.t1staff.password_changed_at = timezone.now() - timedelta(days=10)
    county.t1staff.save()
    page = profile_of(client_for(county.t1staff))
    assert county.t1.name in page
    assert "Union staff" in page
    assert (timezone.localtime() - timedelta(days=10)).strftime("%Y-%m-%d %H:%M") in page
    assert (timezone.localtime() + timedelta(days=170)).strftime("%Y-%m-%d") in page
    assert reverse("accounts:password-change") in page


def test_my_account_shows_two_step_verification_off_with_a_way_to_turn_it_on(client_for, county):
    page = profile_of(client_for(county.t1staff))
    state = page.split('id="otp-state">', 1)[1].split("</dd>", 1)[0]
    assert "Off" in state
    assert reverse("accounts:otp-setup") in state


def test_my_account_shows_two_step_verification_on_and_required_for_an_admin(client_for, county):
    add_device(county.admin)
    page = profile_of(client_for(county.admin))
    state = page.split('id="otp-state">', 1)[1].split("</dd>", 1)[0]
    assert "On" in state
    assert "required for your role" in state
    assert reverse("accounts:otp-setup") not in state


def test_my_account_needs_a_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
