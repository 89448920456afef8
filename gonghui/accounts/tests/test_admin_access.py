"""The Django admin (/django-admin/) is for superusers only, after their second factor."""

from django.urls import reverse

from gonghui.conftest import PASSWORD

from .conftest import sign_in

ADMIN = reverse("admin:index")
ADMIN_LOGIN = reverse("admin:login")


def test_the_staff_flag_does_not_open_the_django_admin(client_for, county):
    county.admin.is_staff = True
    county.admin.save()
    client = client_for(county.admin)
    for url in [ADMIN, reverse("admin:axes_accessattempt_changelist")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(ADMIN_LOGIN)
    page = client.get(ADMIN_LOGIN).content.decode()
    assert "not authorized" in page


def test_a_staff_user_signing_in_on_the_admin_page_is_still_kept_out(client, county):
    county.t1staff.is_staff = True
    county.t1staff.save()
    client.post(f"{ADMIN_LOGIN}?next={ADMIN}", {"username": "t1staff", "password": PASSWORD})
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response.url.startswith(ADMIN_LOGIN)


def test_a_superuser_uses_the_django_admin(client_for, county):
    client = client_for(county.superuser)
    assert client.get(ADMIN).status_code == 200
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200


def test_the_admin_edits_no_role_and_no_account(client_for, county):
    """Roles and their holders change through the services only (the separation of
    powers): the admin has no page for the role groups nor for the accounts."""
    client = client_for(county.superuser)
    for path in ("auth/group/", "auth/group/add/", "accounts/user/"):
        assert client.get(f"{ADMIN}{path}").status_code == 404, path


def test_a_superuser_must_pass_the_second_factor_first(client, county):
    county.superuser.must_change_password = False
    county.superuser.save()
    sign_in(client, "root")
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:otp-setup"))
