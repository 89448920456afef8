"""Shared test personas: one small county that every test can ask
"and can the neighbour see it?" about.

    county  C   ── admin (county admin), leader (read only)
    ├── township T1 ── t1staff
    │   ├── grassroots G1 ── chair1      employer E1 (T1, covered by G1)
    │   ├── grassroots G2 ── chair2      employer E2 (T1, covered by G2)
    │   └── joint J1
    └── township T2 ── t2staff           employer E3 (T2, no union yet)
    outsider: signed in, no organisation

The ``neighbours`` fixture adds a union in T2, the specialist roles and a
neighbouring county (see ``Neighbours``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import Role, User, role_group
from gonghui.accounts.state import account_state
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
    # Text messages land in a file of the test's own (``sms_outbox``), never printed.
    settings.SMS_BACKEND = "gonghui.sms.backends.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms.jsonl"
    # Tests read the security log's chain right after an action: seal at every commit
    # (the batched sealing has its own test, security/tests/test_seal_batches.py).
    settings.SECURITY_SEAL_EVERY_SECONDS = 0


@pytest.fixture
def on_postgres(transactional_db):
    """For the concurrency tests: SQLite serialises every writer, so a race cannot
    happen there; they run in the PostgreSQL pass (``core/tests/concurrency.py``)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (DATABASE_URL=postgres://…)")


@pytest.fixture
def sms_outbox(settings):
    """The text messages a test sent: ``sms_outbox(phone)`` lists the texts to a number."""
    from gonghui.sms.backends import sent_to

    return sent_to


def last_code(sms_outbox, phone: str) -> str:
    """The sign-in code of the last text message sent to ``phone``."""
    texts = sms_outbox(phone)
    assert texts, f"no text message to {phone}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


@pytest.fixture
def portal_sign_in(sms_outbox):
    """Sign a phone into the worker portal through its pages, as a worker does;
    ``portal_sign_in(phone)`` returns the signed-in client."""
    from django.test import Client

    from gonghui.portal.auth import COOKIE

    def sign_in(phone: str, client=None):
        client = client or Client()
        assert client.post(reverse("portal:sign-in"), {"phone": phone}).status_code == 200
        response = client.post(
            reverse("portal:sign-in-code"), {"phone": phone, "code": last_code(sms_outbox, phone)}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert COOKIE in response.cookies
        return client

    return sign_in


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
    # The separated powers (accounts.roles): each account holds its role alone.
    sysadmin: User
    secadmin: User
    auditor: User


def credit_code(n: int) -> str:
    return make_credit_code(f"91330100{n:09d}")


@pytest.fixture
def county(db) -> County:
    return county_build()


def county_build() -> County:
    """The county of the module docstring (the ``county`` fixture; the access sweep
    builds it once per module)."""
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
        sysadmin=make_user("sysadmin", root, Role.SYSTEM_ADMIN),
        secadmin=make_user("secadmin", root, Role.SECURITY_ADMIN),
        auditor=make_user("auditor", root, Role.AUDITOR),
    )


@dataclass
class Neighbours:
    """What the access sweep adds to the county: a grassroots union in the second
    township with its chair, the specialist roles, and a neighbouring county
    whose records nobody in this county may reach.

        township T2 ── grassroots G3 ── chair3       employer E4 (T2, covered by G3)
        township T1                                  employer E6 (T1, no union)
        legal_aid at T2, mediator at G1, counsellor at T1, judge at C
        neighbouring county X ── township XT ── grassroots XG   employer XE (XT, XG)
            xadmin (county admin of X), xstaff (XT), xchair (XG)
        unplaced: holds the staff role but belongs to no organisation yet
    """

    g3: Organisation
    e4: Employer
    e6: Employer
    chair3: User
    legal_aid: User
    mediator: User
    counsellor: User
    judge: User
    x: Organisation
    xt: Organisation
    xg: Organisation
    xe: Employer
    xadmin: User
    xstaff: User
    xchair: User
    unplaced: User


def neighbours_build(county: County) -> Neighbours:
    su = county.superuser
    org = lambda code, name, kind, parent: organisation_create(  # noqa: E731
        by=su, code=code, name=name, kind=kind, parent=parent
    )
    emp = lambda n, name, township, union: employer_create(  # noqa: E731
        by=su,
        credit_code=credit_code(n),
        name=name,
        industry="C",
        ownership="non_public",
        employee_count=60,
        township=township,
        union=union,
    )
    g3 = org("G3", "西镇仓储厂工会", "grassroots", county.t2)
    x = org("X", "邻县总工会", "county", None)
    xt = org("XT", "邻县北镇总工会", "township", x)
    xg = org("XG", "邻县北镇酿酒厂工会", "grassroots", xt)
    return Neighbours(
        g3=g3,
        e4=emp(4, "西镇仓储有限公司", county.t2, g3),
        e6=emp(6, "东镇运输有限公司", county.t1, None),
        chair3=make_user("chair3", g3, Role.GRASSROOTS_CHAIR),
        legal_aid=make_user("legal_aid", county.t2, Role.LEGAL_AID),
        mediator=make_user("mediator", county.g1, Role.MEDIATOR),
        counsellor=make_user("counsellor_t1", county.t1, Role.COUNSELLOR),
        judge=make_user("judge", county.root, Role.JUDGE),
        x=x,
        xt=xt,
        xg=xg,
        xe=emp(5, "邻县北镇酿酒有限公司", xt, xg),
        xadmin=make_user("xadmin", x, Role.COUNTY_ADMIN),
        xstaff=make_user("xstaff", xt, Role.STAFF),
        xchair=make_user("xchair", xg, Role.GRASSROOTS_CHAIR),
        unplaced=make_user("unplaced_staff", None, Role.STAFF),
    )


@pytest.fixture
def neighbours(county) -> Neighbours:
    return neighbours_build(county)


def signed_in(client, user):
    """``client`` signed in as ``user``, past every sign-in step: a confirmed second
    factor for those who need one, and no pending forced password change."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

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
        # The verification page a real sign-in passes reads the account's state
        # (accounts.state) with its device; the pages after it find it kept.
        account_state(User.objects.get(pk=user.pk))
    return client


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client signed in as that user (``signed_in``).
    Tests of the sign-in steps sign in through the pages instead."""
    return lambda user: signed_in(client, user)


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
