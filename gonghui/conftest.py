"""Shared test personas: one small county that every test can ask
"and can the neighbour see it?" about.

    county  C   ── admin (county admin), leader (read only)
    ├── township T1 ── t1staff
    │   ├── grassroots G1 ── chair1      employer E1 (T1, covered by G1)
    │   ├── grassroots G2 ── chair2      employer E2 (T1, covered by G2)
    │   └── joint J1
    └── township T2 ── t2staff           employer E3 (T2, no union yet)
    outsider: signed in, no organisation
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.utils import timezone

from gonghui.accounts.models import Role, User, role_group
from gonghui.core.creditcodes import make_credit_code
from gonghui.orgs.models import Employer, Organisation
from gonghui.orgs.services import employer_create, organisation_create

PASSWORD = "Persona-Pass-2026!"


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": settings.TASKS["default"]["QUEUES"],  # jobs choose theirs
        }
    }
    # Tests assert the English source text; the Chinese default is proven by
    # core/tests/test_catalogue.py, which switches back to it.
    settings.LANGUAGE_CODE = "en"


def make_user(username: str, organisation: Organisation | None, *roles: str, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        organisation=organisation,
        must_change_password=False,
        password_changed_at=timezone.now(),
        **extra,
    )
    for role in roles:
        user.groups.add(role_group(role))
    return user


@dataclass
class County:
    root: Organisation
    t1: Organisation
    t2: Organisation
    g1: Organisation
    g2: Organisation
    j1: Organisation
    e1: Employer
    e2: Employer
    e3: Employer
    superuser: User
    admin: User
    leader: User
    t1staff: User
    t2staff: User
    chair1: User
    chair2: User
    outsider: User


def credit_code(n: int) -> str:
    return make_credit_code(f"91330100{n:09d}")


@pytest.fixture
def county(db) -> County:
    su = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    org = lambda code, name, kind, parent: organisation_create(  # noqa: E731
        by=su, code=code, name=name, kind=kind, parent=parent
    )
    root = org("C", "示例县总工会", "county", None)
    t1 = org("T1", "东镇总工会", "township", root)
    t2 = org("T2", "西镇总工会", "township", root)
    g1 = org("G1", "东镇机械厂工会", "grassroots", t1)
    g2 = org("G2", "东镇纺织厂工会", "grassroots", t1)
    j1 = org("J1", "东镇新业态联合工会", "joint", t1)
    emp = lambda n, name, township, union, count=60: employer_create(  # noqa: E731
        by=su,
        credit_code=credit_code(n),
        name=name,
        industry="C",
        ownership="non_public",
        employee_count=count,
        township=township,
        union=union,
    )
    return County(
        root=root,
        t1=t1,
        t2=t2,
        g1=g1,
        g2=g2,
        j1=j1,
        e1=emp(1, "东镇机械有限公司", t1, g1),
        e2=emp(2, "东镇纺织有限公司", t1, g2),
        e3=emp(3, "西镇物流有限公司", t2, None),
        superuser=su,
        admin=make_user("admin", root, Role.COUNTY_ADMIN),
        leader=make_user("leader", root, Role.LEADER),
        t1staff=make_user("t1staff", t1, Role.STAFF),
        t2staff=make_user("t2staff", t2, Role.STAFF),
        chair1=make_user("chair1", g1, Role.GRASSROOTS_CHAIR),
        chair2=make_user("chair2", g2, Role.GRASSROOTS_CHAIR),
        outsider=make_user("outsider", None),
    )


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client signed in as that user, past every sign-in
    step: a confirmed second factor for those who need one, and no pending forced
    password change. Tests of those steps sign in through the pages instead."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def sign_in(user):
        if user.must_change_password:
            user.must_change_password = False
            user.password_changed_at = timezone.now()
            user.save(update_fields=["must_change_password", "password_changed_at"])
        client.force_login(user)
        if user.requires_otp:
            device, _created = TOTPDevice.objects.get_or_create(
                user=user, confirmed=True, defaults={"name": "test"}
            )
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return sign_in


def pytest_collection_modifyitems(config, items):
    # Under CI nothing may be skipped: a skip becomes a failure (see pytest_runtest_makereport).
    config._gonghui_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if getattr(item.config, "_gonghui_ci", False) and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which is not allowed: {report.longrepr}"
