"""Union life on an organisation's page (reading rooms, study, activities) and in the
coverage overview: the figures hand-counted on the test county, each reader counting
only their own scope, and the number of queries fixed whatever the data.

The world, frozen on 15 June 2026 (``NOW``); T1 holds G1 and G2, T2 stands beside it:

    rooms   RG1 at G1: book A (3 copies), B (1)     RT1 at T1: C (2)
            RT2 at T2: D (5)                        RC at the county: E (1)
    loans   L1 A open, due 31 May (overdue)         L2 C open, due 10 July
            L3 B returned in March                  L4 D open, due 31 May (overdue)
            L5 A lent and returned last year        L6 E open, due 1 July
    articles (readable today) by T1, G1, T2, the county; a draft at G1; one at T1
            withdrawn in March
    readings w1 (G1) 10 and 12 June; w2 (G2) 1 April and last December; w3 (T2) 14 June
    activities
            AG1 held in May (w1, w2 attended; w3 cancelled)   AT1 open, 1 July
            AT2 held in March (w3 attended)                   AG1old held last year (w1)
            AT1x cancelled, 5 July                            AC open, 1 August; AC2 draft
            AG2 held in April (w2 signed up, did not come)
    stations (by the township they stand in) in T1: run by G1 (visits 5 in June, 7 last
            December), by the county (4 in May), by T1 but closed (2 in March); in T2: run
            by T2 (3 in February)
    offers  OT1 by T1, valid May to December: w1 claimed and redeemed in June, w2 claimed
            in June, w1 claimed last December and redeemed in January; OT2 by T2, valid
            only last year (a claim then); OT2d by T2, a draft; OC by the county, valid
            January to June: w3 claimed in March
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.activities.models import Activity, SignUp
from gonghui.conftest import signed_in
from gonghui.library.models import Book, Loan, ReadingRoom
from gonghui.offers.models import Claim, Offer
from gonghui.portal.tests.test_card import worker
from gonghui.stations.models import Station, StationVisit
from gonghui.study.models import Article, Reading

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=TZ)
OVERVIEW = reverse("coverage:overview")


def at(month: int, day: int, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, 9, 0, tzinfo=TZ)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class Life:
    people: dict


def room(organisation, name, *books):
    made = ReadingRoom.objects.create(organisation=organisation, name=name, location="一楼")
    return made, [Book.objects.create(room=made, title=t, copies=n) for t, n in books]


def loan(county, book, person, lent, due, returned=None):
    return Loan.objects.create(
        book=book,
        person=person,
        lent_on=lent,
        due_on=due,
        returned_on=returned,
        lent_by=county.superuser,
    )


def article(county, organisation, title, *, status="published", on=None, withdraw=None):
    return Article.objects.create(
        organisation=organisation,
        category="union",
        title=title,
        body="<p>正文</p>",
        status=status,
        publish_on=on,
        withdraw_on=withdraw,
        author=county.superuser,
    )


def read(person, union, item, opened):
    return Reading.objects.create(
        article=item, person=person, union=union, opened_at=opened, last_seen_at=opened
    )


def activity(county, organiser, title, starts, status):
    return Activity.objects.create(
        organiser=organiser,
        kind="sports",
        title=title,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        place="职工之家",
        capacity=10,
        signup_opens_at=starts - dt.timedelta(days=10),
        signup_closes_at=starts - dt.timedelta(hours=1),
        status=status,
        created_by=county.superuser,
    )


def station(county, organisation, township, visits, *, active=True, name="驿站"):
    made = Station.objects.create(
        organisation=organisation,
        name=f"{organisation.name}{name}",
        address="人民路1号",
        township=township,
        latitude="30.250000",
        longitude="120.160000",
        active=active,
        created_by=county.superuser,
    )
    for day, count in visits:
        StationVisit.objects.create(
            station=made, day=day, count=count, recorded_by=county.superuser
        )
    return made


def offer(county, union, valid, status="published", claims=()):
    made = Offer.objects.create(
        union=union,
        merchant_name="便民超市",
        merchant_address="人民路2号",
        title="会员九折",
        price="九折",
        valid_from=valid[0],
        valid_until=valid[1],
        quantity=10,
        per_member_limit=5,
        status=status,
        created_by=county.superuser,
    )
    for seq, (person, claimed, redeemed) in enumerate(claims, start=1):
        Claim.objects.create(
            offer=made, person=person, seq=seq, claimed_at=claimed, redeemed_at=redeemed
        )
    return made


def sign(item, person, status):
    return SignUp.objects.create(
        activity=item,
        person=person,
        status=status,
        checked_in_at=item.starts_at if status == "attended" else None,
    )


@pytest.fixture
def life(county, clock) -> Life:
    w1 = worker(county, 1, union=county.g1)
    w2 = worker(county, 2, union=county.g2, employer=county.e2)
    w3 = worker(county, 3, employer=county.e3)
    _rg1, (a, b) = room(county.g1, "机械厂书屋", ("工匠精神", 3), ("劳动法", 1))
    _rt1, (c,) = room(county.t1, "东镇书屋", ("安全生产", 2))
    _rt2, (d,) = room(county.t2, "西镇书屋", ("职工读本", 5))
    _rc, (e,) = room(county.root, "县书屋", ("工会知识", 1))
    loan(county, a, w1, dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    loan(county, c, w2, dt.date(2026, 6, 10), dt.date(2026, 7, 10))
    loan(county, b, w1, dt.date(2026, 3, 1), dt.date(2026, 3, 31), dt.date(2026, 3, 20))
    loan(county, d, w3, dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    loan(county, a, w2, dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2025, 11, 20))
    loan(county, e, w1, dt.date(2026, 6, 1), dt.date(2026, 7, 1))

    by_t1 = article(county, county.t1, "东镇通知", on=dt.date(2026, 6, 1))
    article(county, county.g1, "厂务公开", on=dt.date(2026, 2, 1))
    article(county, county.g1, "草稿", status="draft")
    article(county, county.t2, "西镇通知", on=dt.date(2026, 3, 1))
    by_county = article(county, county.root, "县工会通知", on=dt.date(2026, 1, 10))
    article(county, county.t1, "旧文", on=dt.date(2026, 1, 1), withdraw=dt.date(2026, 3, 1))
    read(w1, county.g1, by_county, at(6, 10))
    read(w1, county.g1, by_t1, at(6, 12))
    read(w2, county.g2, by_t1, at(4, 1))
    read(w2, county.g2, by_county, at(12, 20, 2025))
    read(w3, county.t2, by_county, at(6, 14))

    held = activity(county, county.g1, "五月球赛", at(5, 10), "held")
    sign(held, w1, "attended")
    sign(held, w2, "attended")
    sign(held, w3, "cancelled")
    activity(county, county.t1, "七月联欢", at(7, 1), "open")
    sign(activity(county, county.t2, "三月登山", at(3, 1), "held"), w3, "attended")
    sign(activity(county, county.g1, "去年球赛", at(10, 1, 2025), "held"), w1, "attended")
    activity(county, county.t1, "取消的活动", at(7, 5), "cancelled")
    activity(county, county.root, "八月运动会", at(8, 1), "open")
    activity(county, county.root, "九月草稿", at(9, 1), "draft")
    sign(activity(county, county.g2, "四月讲座", at(4, 1), "held"), w2, "signed_up")
    station(county, county.g1, county.t1, [(dt.date(2026, 6, 1), 5), (dt.date(2025, 12, 31), 7)])
    station(county, county.root, county.t1, [(dt.date(2026, 5, 1), 4)])
    station(county, county.t1, county.t1, [(dt.date(2026, 3, 1), 2)], active=False)
    station(county, county.t2, county.t2, [(dt.date(2026, 2, 1), 3)])
    offer(
        county,
        county.t1,
        (dt.date(2026, 5, 1), dt.date(2026, 12, 31)),
        claims=[(w1, at(6, 1), at(6, 5)), (w2, at(6, 10), None), (w1, at(12, 20, 2025), at(1, 3))],
    )
    last_year = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    offer(county, county.t2, last_year, claims=[(w3, at(6, 1, 2025), at(6, 2, 2025))])
    offer(county, county.t2, (dt.date(2026, 1, 1), dt.date(2026, 12, 31)), status="draft")
    offer(
        county,
        county.root,
        (dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
        claims=[(w3, at(3, 1), None)],
    )
    return Life(people={"w1": w1, "w2": w2, "w3": w3})


def figures(html: str, block: str) -> dict[str, str]:
    """The ``data-figure`` values inside the element of id ``block``."""
    start = html.index(f'id="{block}"')
    end = html.index("</dl>", start)
    found = re.findall(r'data-figure="([\w-]+)">(?:<a [^>]*>)?([^<]*)<', html[start:end])
    return dict(found)


def page(user, organisation) -> str:
    response = signed_in(Client(), user).get(
        reverse("orgs:organisation-detail", args=[organisation.pk])
    )
    assert response.status_code == 200
    return response.content.decode()


def sections(user, organisation) -> dict[str, dict[str, str]]:
    html = page(user, organisation)
    return {
        name: figures(html, f"organisation-{name}") for name in ("library", "study", "activities")
    }


def test_a_township_page_counts_its_subtree_the_same_for_the_county_and_for_its_staff(county, life):
    expected = {
        "library": {"rooms": "2", "titles": "3", "copies": "6", "loans-out": "2", "overdue": "1"},
        "study": {"published": "2", "readers": "1", "reads": "2"},
        "activities": {"upcoming": "1", "held": "2", "attended": "2"},
    }
    assert sections(county.admin, county.t1) == expected
    assert sections(county.t1staff, county.t1) == expected


def test_the_other_township_counts_only_its_own(county, life):
    assert sections(county.t2staff, county.t2) == {
        "library": {"rooms": "1", "titles": "1", "copies": "5", "loans-out": "1", "overdue": "1"},
        "study": {"published": "1", "readers": "1", "reads": "1"},
        "activities": {"upcoming": "0", "held": "1", "attended": "1"},
    }


def test_a_chair_counts_their_union_only(county, life):
    assert sections(county.chair1, county.g1) == {
        "library": {"rooms": "1", "titles": "2", "copies": "4", "loans-out": "1", "overdue": "1"},
        "study": {"published": "1", "readers": "1", "reads": "2"},
        "activities": {"upcoming": "0", "held": "1", "attended": "2"},
    }


def test_the_county_page_counts_everything(county, life):
    assert sections(county.admin, county.root) == {
        "library": {"rooms": "4", "titles": "5", "copies": "12", "loans-out": "4", "overdue": "2"},
        "study": {"published": "4", "readers": "2", "reads": "3"},
        "activities": {"upcoming": "2", "held": "3", "attended": "3"},
    }


def test_nobody_reaches_a_page_outside_their_scope_to_count_it(county, life):
    for user, organisation in [
        (county.t2staff, county.t1),
        (county.t1staff, county.t2),
        (county.t1staff, county.root),
        (county.chair1, county.t1),
    ]:
        url = reverse("orgs:organisation-detail", args=[organisation.pk])
        assert signed_in(Client(), user).get(url).status_code == 404


def test_the_page_asks_as_many_queries_however_many_rooms_and_activities(
    county, life, django_assert_max_num_queries
):
    client = signed_in(Client(), county.admin)
    url = reverse("orgs:organisation-detail", args=[county.t1.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    before = len(captured)

    w1 = life.people["w1"]
    for n in range(5):
        more, books = room(county.g2, f"新书屋{n}", (f"新书{n}", 2), (f"又一本{n}", 1))
        loan(county, books[0], w1, dt.date(2026, 6, 1), dt.date(2026, 6, 2))
        item = activity(county, county.g2, f"活动{n}", at(2, n + 1), "held")
        sign(item, w1, "attended")
        read(
            w1, county.g1, article(county, county.g2, f"文章{n}", on=dt.date(2026, 2, 1)), at(6, 1)
        )
    with django_assert_max_num_queries(before):
        html = client.get(url).content.decode()
    assert figures(html, "organisation-library")["rooms"] == "7"
    assert figures(html, "organisation-activities")["held"] == "7"


def life_rows_of(client) -> dict[str, dict[str, str]]:
    """The union-life table of the coverage page: its rows by key, each row's figures."""
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="union-life"')
    table = html[start : html.index("</section>", start)]
    return {
        key: dict(re.findall(r'data-figure="([\w-]+)">([^<]*)<', cells))
        for key, cells in re.findall(r'<tr data-key="([\w]+)">(.*?)</tr>', table, re.S)
    }


def life_rows(user) -> dict[str, dict[str, str]]:
    return life_rows_of(signed_in(Client(), user))


def test_the_coverage_page_counts_union_life_this_year_by_township(county, life):
    rows = life_rows(county.admin)
    assert rows == {
        str(county.t1.pk): {
            "rooms": "2",
            "books": "6",
            "loans": "3",
            "activities-held": "2",
            "attended": "2",
            "reads": "3",
            "stations": "2",
            "station-visits": "11",
            "offers-published": "1",
            "offers-claimed": "2",
            "offers-redeemed": "2",
        },
        str(county.t2.pk): {
            "rooms": "1",
            "books": "5",
            "loans": "1",
            "activities-held": "1",
            "attended": "1",
            "reads": "1",
            "stations": "1",
            "station-visits": "3",
            "offers-published": "0",
            "offers-claimed": "0",
            "offers-redeemed": "0",
        },
        "elsewhere": {
            "rooms": "1",
            "books": "1",
            "loans": "1",
            "activities-held": "0",
            "attended": "0",
            "reads": "0",
            "stations": "0",
            "station-visits": "0",
            "offers-published": "1",
            "offers-claimed": "1",
            "offers-redeemed": "0",
        },
        "total": {
            "rooms": "4",
            "books": "12",
            "loans": "5",
            "activities-held": "3",
            "attended": "3",
            "reads": "4",
            "stations": "3",
            "station-visits": "14",
            "offers-published": "2",
            "offers-claimed": "3",
            "offers-redeemed": "2",
        },
    }


def test_a_township_staff_sees_only_their_townships_union_life(county, life):
    t1 = {
        "rooms": "2",
        "books": "6",
        "loans": "3",
        "activities-held": "2",
        "attended": "2",
        "reads": "3",
        "stations": "1",
        "station-visits": "7",
        "offers-published": "1",
        "offers-claimed": "2",
        "offers-redeemed": "2",
    }
    assert life_rows(county.t1staff) == {str(county.t1.pk): t1, "total": t1}
    only_g1 = {
        "rooms": "1",
        "books": "4",
        "loans": "2",
        "activities-held": "1",
        "attended": "2",
        "reads": "2",
        "stations": "1",
        "station-visits": "5",
        "offers-published": "0",
        "offers-claimed": "0",
        "offers-redeemed": "0",
    }
    assert life_rows(county.chair1) == {str(county.t1.pk): only_g1, "total": only_g1}


def test_the_coverage_page_asks_as_many_queries_however_much_union_life(
    county, life, django_assert_max_num_queries
):
    client = signed_in(Client(), county.admin)
    client.get(OVERVIEW)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(OVERVIEW).status_code == 200
    before = len(captured)

    w3 = life.people["w3"]
    for n in range(5):
        _more, books = room(county.t2, f"西镇分馆{n}", (f"书{n}", 3))
        loan(county, books[0], w3, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
        sign(activity(county, county.t2, f"西镇活动{n}", at(2, n + 1), "held"), w3, "attended")
        station(county, county.t2, county.t2, [(dt.date(2026, 4, 1), 2)], name=f"分站{n}")
        this_year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        offer(county, county.t2, this_year, claims=[(w3, at(5, 1), at(5, 2))])
        read(
            w3,
            county.t2,
            article(county, county.t2, f"西镇文章{n}", on=dt.date(2026, 2, 1)),
            at(5, 1),
        )
    with django_assert_max_num_queries(before):
        rows = life_rows_of(client)
    assert rows[str(county.t2.pk)]["rooms"] == "6"
    assert rows["total"]["attended"] == "8"
    assert rows[str(county.t2.pk)]["station-visits"] == "13"
    assert rows[str(county.t2.pk)]["offers-redeemed"] == "5"


def test_the_sections_need_their_apps_view_permission(county, life):
    from gonghui.accounts.models import Role
    from gonghui.conftest import make_user

    html = page(make_user("orgs_only_admin", county.root, Role.SYSTEM_ADMIN), county.t1)
    for name in ("library", "study", "activities"):
        assert f'id="organisation-{name}"' not in html
    assert 'id="organisation-library"' in page(county.leader, county.t1)
