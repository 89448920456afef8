"""Demo staff accounts: one or more sign-ins for every role.

All share one published password that passes the password rules; it is for
demonstrations only and every production account must choose its own.
"""

from __future__ import annotations

import hashlib
from base64 import b32encode
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import password_changed, validate_password
from django.db.models import Sum
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from gonghui.accounts.models import Role, User, role_group
from gonghui.orgs.models import Organisation, OrgKind

DEMO_PASSWORD = "Gonghui-Demo-2026"

#: username, role, and where the account sits: "county", "township1",
#: "township2", "chair1" or "chair2" (the two sibling grassroots unions).
DEMO_LOGINS = (
    ("admin", Role.COUNTY_ADMIN, "county"),
    ("county_staff", Role.STAFF, "county"),
    ("aid_clerk", Role.STAFF, "county"),
    # A second county approver besides county_staff, without a second factor: above a
    # programme's limit two approvers decide, and aid_clerk, who enters, is neither.
    ("aid_reviewer", Role.STAFF, "county"),
    ("leader", Role.LEADER, "county"),
    ("township1", Role.STAFF, "township1"),
    ("township2", Role.STAFF, "township2"),
    ("chair1", Role.GRASSROOTS_CHAIR, "chair1"),
    ("chair2", Role.GRASSROOTS_CHAIR, "chair2"),
    ("legal_aid", Role.LEGAL_AID, "county"),
    ("mediator", Role.MEDIATOR, "county"),
    ("counsellor", Role.COUNSELLOR, "county"),
    ("counsellor2", Role.COUNSELLOR, "township1"),
    ("judge", Role.JUDGE, "county"),
    # The separation of powers: one account of each, holding that role alone.
    ("sysadmin", Role.SYSTEM_ADMIN, "county"),
    ("secadmin", Role.SECURITY_ADMIN, "county"),
    ("auditor", Role.AUDITOR, "county"),
)


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    organisation: str
    password: str


@dataclass(frozen=True)
class Authenticator:
    """The county administrator's second factor, ready to add to an authenticator app
    (the system and security administrators and the auditor share its key in the demo)."""

    username: str
    secret: str
    uri: str
    code: str


def demo_places(root: Organisation) -> dict[str, Organisation]:
    """The organisations the demo accounts sit in.

    The chairs sit in the two grassroots unions of the first street directly
    under it with the most employees, so "township1" sees both chairs' unions
    and "township2" sees neither.
    """
    townships = list(
        Organisation.objects.filter(parent=root, kind=OrgKind.TOWNSHIP).order_by("code")[:2]
    )
    unions = list(
        Organisation.objects.filter(parent=townships[0], kind=OrgKind.GRASSROOTS)
        .annotate(employees=Sum("employers_covered__employee_count"))
        .order_by("-employees", "code")[:2]
    )
    return {
        "county": root,
        "township1": townships[0],
        "township2": townships[1],
        "chair1": unions[0],
        "chair2": unions[1],
    }


def create_demo_staff(*, root: Organisation, seed: int) -> tuple[list[Login], Authenticator]:
    """Create the demo accounts under ``root`` and the administrator's TOTP device."""
    users, logins = _create_logins(root, seed, DEMO_LOGINS)
    # One key for every account whose role needs a second factor: one entry in the
    # authenticator app signs the demo's administrators in.
    others = [u for name, u in users.items() if name != "admin" and u.requires_otp]
    return logins, _authenticator(users["admin"], seed, others)


def add_missing_demo_staff(*, root: Organisation) -> list[Login]:
    """Create the demo accounts a county built by an earlier version lacks."""
    taken = set(User.objects.values_list("username", flat=True))
    missing = [login for login in DEMO_LOGINS if login[0] not in taken]
    return _create_logins(root, len(taken), missing)[1] if missing else []


def _create_logins(root: Organisation, seed: int, wanted) -> tuple[dict[str, User], list[Login]]:
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    places = demo_places(root)
    now = timezone.now()
    # One hash for all: the password is published anyway, and hashing it once
    # instead of once per account keeps the command quick.
    encoded = make_password(DEMO_PASSWORD)
    logins = []
    users = {}
    for username, role, place in wanted:
        user = User(
            username=username,
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            email=f"{username}@example.org",
            organisation=places[place],
            must_change_password=False,
            password_changed_at=now,
        )
        validate_password(DEMO_PASSWORD, user)
        user.password = encoded
        user.save()
        password_changed(DEMO_PASSWORD, user)  # starts the password history
        user.groups.add(role_group(role))
        users[username] = user
        logins.append(Login(username, str(role.label), places[place].name, DEMO_PASSWORD))
    return users, logins


def _authenticator(user: User, seed: int, others=()) -> Authenticator:
    # Derived from the seed so that a rebuilt demo keeps working in the same app.
    key = hashlib.sha256(f"gonghui-demo-totp:{seed}".encode()).hexdigest()[:40]
    device = TOTPDevice.objects.create(user=user, name="demo", key=key, confirmed=True)
    for other in others:
        TOTPDevice.objects.create(user=other, name="demo", key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return Authenticator(
        username=user.username,
        secret=b32encode(device.bin_key).decode(),
        uri=device.config_url,
        code=f"{totp.token():0{device.digits}d}",
    )
