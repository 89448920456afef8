"""Helpers for the sign-in tests: sign in through the real pages, read a current code."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.conftest import PASSWORD

#: A fixed moment for tests that move the clock.
START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def clock():
    """A stopped clock at START; ``clock.shift(timedelta)`` moves it."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    """Post the login page as a browser would."""
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def add_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    """The code the authenticator app shows now (``drift`` steps away from now)."""
    generator = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    generator.drift = drift
    return f"{generator.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A code that is not valid now, not even within the tolerated clock drift."""
    valid = {code_for(device, drift) for drift in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def t1admin(county):
    """A system administrator of township T1 only (accounts, placed at T1)."""
    from gonghui.accounts.models import Role
    from gonghui.conftest import make_user

    return make_user("t1admin", county.t1, Role.SYSTEM_ADMIN)


@pytest.fixture
def t1secadmin(county):
    """A security administrator of township T1 only (roles, locks, placed at T1)."""
    from gonghui.accounts.models import Role
    from gonghui.conftest import make_user

    return make_user("t1secadmin", county.t1, Role.SECURITY_ADMIN)
