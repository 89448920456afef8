"""An aid world on the shared test county (gonghui/conftest.py):

p1  member of G1 (E1)            chain of approval: G1 → T1 → county
p2  member of G2 (E2)            chain: G2 → T1 → county
p3  works at E3 in T2, no union  chain: T2 → county

``relief``  帮扶救助, at most ¥2,000 a grant, one grant a year, county campaign
            with a county fund of ¥10,000.
``illness`` 大病救助, half of the out-of-pocket cost, at most ¥30,000, two
            county approvers above ¥10,000, county fund of ¥100,000.
chair1 enters applications; g1clerk (a second G1 account) approves at G1,
t1staff at T1, admin and admin2 at the county.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from gonghui.accounts.models import Role, User
from gonghui.aid import services
from gonghui.aid.models import AidApplication, Campaign, Fund, PrivacyNotice, Programme
from gonghui.aid.vocabularies import ConsentKind, ProgrammeKind
from gonghui.conftest import make_user
from gonghui.people import services as people_services
from gonghui.people.models import Person
from gonghui.people.tests.conftest import valid_id, valid_phone

YEAR = 2026


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@dataclass
class Aid:
    p1: Person
    p2: Person
    p3: Person
    relief: Programme
    illness: Programme
    relief_campaign: Campaign
    illness_campaign: Campaign
    relief_fund: Fund
    illness_fund: Fund
    g1clerk: User
    admin2: User


def register(county, seq: int, name: str, employer) -> Person:
    return people_services.person_create(
        by=county.superuser,
        name=name,
        id_number=valid_id(seq),
        phone=valid_phone(seq),
        employer=employer,
    )


@pytest.fixture
def aid(county) -> Aid:
    su = county.superuser
    p1 = register(county, 11, "张一", county.e1)
    p2 = register(county, 12, "李二", county.e2)
    p3 = register(county, 13, "王三", county.e3)
    people_services.membership_start(by=su, person=p1, union=county.g1, joined_on=date(2020, 1, 1))
    people_services.membership_start(by=su, person=p2, union=county.g2, joined_on=date(2020, 1, 1))
    relief = services.programme_create(
        by=su, name="帮扶救助", kind=ProgrammeKind.ASSISTANCE, max_amount=Decimal("2000.00")
    )
    illness = services.programme_create(
        by=su,
        name="大病救助",
        kind=ProgrammeKind.ILLNESS,
        max_amount=Decimal("30000.00"),
        medical_share=Decimal("0.5"),
        dual_approval_above=Decimal("10000.00"),
    )
    campaign = lambda programme: services.campaign_create(  # noqa: E731
        by=su,
        programme=programme,
        year=YEAR,
        organisation=county.root,
        starts_on=date(YEAR, 1, 1),
        ends_on=date(YEAR, 12, 31),
    )
    relief_campaign = campaign(relief)
    illness_campaign = campaign(illness)
    return Aid(
        p1=p1,
        p2=p2,
        p3=p3,
        relief=relief,
        illness=illness,
        relief_campaign=relief_campaign,
        illness_campaign=illness_campaign,
        relief_fund=services.fund_create(
            by=su, campaign=relief_campaign, organisation=county.root, budget=Decimal("10000.00")
        ),
        illness_fund=services.fund_create(
            by=su, campaign=illness_campaign, organisation=county.root, budget=Decimal("100000.00")
        ),
        g1clerk=make_user("g1clerk", county.g1, Role.GRASSROOTS_CHAIR),
        admin2=make_user("admin2", county.root, Role.COUNTY_ADMIN),
    )


def relief_application(
    county, aid, *, person=None, amount="1000.00", by=None, account="6222020200001111"
) -> AidApplication:
    application = services.aid_application_create(
        by=by or county.chair1,
        campaign=aid.relief_campaign,
        person=person or aid.p1,
        amount_requested=Decimal(amount),
        reason="家庭困难",
        bank_name="工商银行",
        bank_account=account,
    )
    return services.aid_application_submit(by=by or county.chair1, application=application)


def approve_all_levels(county, aid, application, *, amount=None) -> AidApplication:
    """G1 → T1 → county, for an application of p1 entered by chair1."""
    application = services.aid_application_approve(
        by=aid.g1clerk, application=application, amount=amount
    )
    application = services.aid_application_approve(by=county.t1staff, application=application)
    return services.aid_application_approve(by=county.admin, application=application)


def notice(kind: str) -> PrivacyNotice:
    """The notice of ``kind`` in force (the first versions come with the migrations)."""
    return PrivacyNotice.objects.in_force().filter(kind=kind).first()


def consent(by, person, kind: str = ConsentKind.HEALTH):
    return services.consent_record(by=by, person=person, notice=notice(kind))


def illness_consent(county, person) -> None:
    consent(county.chair1, person, ConsentKind.HEALTH)
