import re
from base64 import b32encode

import pytest
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.accounts.models import Role, User
from gonghui.demo.staff import DEMO_PASSWORD
from gonghui.demo.tests.helpers import build


@pytest.mark.django_db
def test_every_role_has_a_demo_login_that_signs_in(client):
    output = build(7)
    for role in Role.values:
        users = User.objects.filter(groups__name=role)
        assert users.exists(), role
        for user in users:
            assert user.username in output
            assert not user.must_change_password
            assert client.login(
                request=HttpRequest(), username=user.username, password=DEMO_PASSWORD
            )
            client.logout()
    assert DEMO_PASSWORD in output
    assert not client.login(request=HttpRequest(), username="admin", password="wrong-Password-1")


@pytest.mark.django_db
def test_the_demo_county_has_one_account_of_each_separated_power_holding_it_alone():
    build(7)
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR):
        [user] = User.objects.filter(groups__name=role)
        assert user.role_names() == {role}
        assert user.organisation.parent is None
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@pytest.mark.django_db
def test_the_county_admin_gets_a_working_authenticator():
    output = build(7)
    admin = User.objects.get(username="admin")
    device = TOTPDevice.objects.get(user=admin)
    assert device.confirmed
    assert admin.organisation.parent is None
    secret = re.search(r"secret=([A-Z2-7]+)", output).group(1)
    code = re.search(r"\b(\d{6})\s*$", output.split("otpauth://")[1].splitlines()[1]).group(1)
    assert secret == b32encode(device.bin_key).decode()
    assert device.verify_token(code)


@pytest.mark.django_db
def test_the_demo_portal_numbers_sign_in_and_show_their_workers(portal_sign_in):
    from gonghui.demo.portal import UNBOUND_PHONE

    output = build(7)
    listed = re.findall(r"^  (1\d{10})  (.+)$", output, re.MULTILINE)
    assert len(listed) == 4 and listed[-1][0] == UNBOUND_PHONE
    for phone, who in listed[:3]:
        home = portal_sign_in(phone).get("/m/").content.decode()
        assert who.split(" · ")[0] in home
    assert "Link your file" in portal_sign_in(UNBOUND_PHONE).get("/m/").content.decode()
