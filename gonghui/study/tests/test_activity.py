"""A union's reading activity on the console, checked by hand: per article (readers,
finished, average time) and per month, each union seeing its own members' reading."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from gonghui.conftest import signed_in
from gonghui.portal.tests.test_card import worker
from gonghui.study import services

TZ = ZoneInfo("Asia/Shanghai")
FEB = datetime(2026, 2, 27, 10, tzinfo=TZ)
MAR = datetime(2026, 3, 2, 10, tzinfo=TZ)


def read(person, article, at, seconds=0, *, finished=False):
    """Opened at ``at``, then beacons of at most 30 s each until ``seconds`` are counted."""
    services.reading_open(person=person, article=article, now=at)
    moment, left = at, seconds
    while left > 0:
        step = min(left, 30)
        moment += timedelta(seconds=step)
        services.reading_beacon(person=person, article=article, seconds=step, now=moment)
        left -= step
    if finished:
        services.reading_beacon(
            person=person, article=article, seconds=0, finished=True, now=moment
        )


@pytest.fixture
def activity(county):
    def publish(organisation, title):
        article = services.article_create(
            by=county.admin,
            organisation=organisation,
            category="law",
            title=title,
            body="<p>正文</p>",
            publish_on=date(2026, 2, 1),
        )
        return services.article_publish(by=county.admin, article=article, today=date(2026, 2, 1))

    law = publish(county.root, "工会法")
    safety = publish(county.t1, "安全生产")
    g1a, g1b, g1c = (worker(county, 40 + n, union=county.g1, name=f"甲{n}") for n in range(3))
    g2a = worker(county, 50, union=county.g2, name="乙一")
    # G1: law read by three (two finished; 120 + 60 + 30 s), safety by one (90 s).
    read(g1a, law, FEB, 120, finished=True)
    read(g1b, law, MAR, 60, finished=True)
    read(g1c, law, MAR, 30)
    read(g1a, safety, MAR, 90)
    # G2: law read by one (600 s, finished), in March.
    read(g2a, law, MAR, 600, finished=True)
    return {"law": law, "safety": safety}


def rows(page):
    articles = {row.title: row for row in page.context["articles"]}
    months = {row.month.strftime("%Y-%m"): row for row in page.context["months"]}
    return articles, months


def test_a_chair_sees_the_reading_of_their_own_members_only(county, activity, client):
    page = signed_in(client, county.chair1).get(reverse("study:activity"))
    assert page.status_code == 200
    articles, months = rows(page)
    assert (articles["工会法"].readers, articles["工会法"].finished) == (3, 2)
    assert articles["工会法"].average_seconds == 70  # (120 + 60 + 30) / 3
    assert (articles["安全生产"].readers, articles["安全生产"].finished) == (1, 0)
    assert articles["安全生产"].average_seconds == 90
    feb, mar = months["2026-02"], months["2026-03"]
    assert (feb.readers, feb.articles, feb.finished, feb.seconds) == (1, 1, 1, 120)
    # March: three readers (g1a read safety, g1b and g1c law), 2 articles, 1 finished.
    assert (mar.readers, mar.articles, mar.finished, mar.seconds) == (3, 2, 1, 180)
    assert "乙一" not in page.content.decode()


def test_the_township_adds_up_its_unions_and_the_sibling_sees_its_own(county, activity, client):
    articles, months = rows(signed_in(client, county.t1staff).get(reverse("study:activity")))
    assert (articles["工会法"].readers, articles["工会法"].finished) == (4, 3)
    assert articles["工会法"].average_seconds == 203  # (120 + 60 + 30 + 600) / 4 = 202.5
    assert months["2026-03"].seconds == 780
    articles, months = rows(signed_in(client, county.chair2).get(reverse("study:activity")))
    assert set(articles) == {"工会法"} and articles["工会法"].readers == 1
    assert articles["工会法"].average_seconds == 600
    articles, _ = rows(signed_in(client, county.t2staff).get(reverse("study:activity")))
    assert articles == {}


def test_the_page_shows_the_figures(county, activity, client):
    page = signed_in(client, county.leader).get(reverse("study:activity")).content.decode()
    assert 'data-month="2026-03"' in page
    law = activity["law"].pk
    assert f'<tr data-article="{law}"><td>工会法</td>' in page
