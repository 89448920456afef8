"""Reading in the portal: the audience (the publisher's subtree holds the worker's
union), the publish and withdraw dates, the opening recorded once, the beacon's time
(capped per beacon and by the time that passed), finished, and the worker's record."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from gonghui.portal.tests.test_card import bound_client, worker
from gonghui.study import services
from gonghui.study.models import Reading
from gonghui.study.services import BEACON_CAP_SECONDS
from gonghui.study.tests.sweep import image

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=TZ)
TODAY = NOW.date()


def published(county, organisation, title, *, by=None, **fields):
    by = by or county.admin
    article = services.article_create(
        by=by,
        organisation=organisation,
        category=fields.pop("category", "union"),
        title=title,
        body=f"<p>{title}正文</p>",
        publish_on=fields.pop("publish_on", date(2026, 3, 1)),
        **fields,
    )
    return services.article_publish(by=by, article=article, today=TODAY)


@pytest.fixture
def articles(county):
    return {
        "county": published(county, county.root, "县总工会学习", category="theory"),
        "t1": published(county, county.t1, "东镇学习"),
        "g1": published(county, county.g1, "机械厂学习", category="safety"),
        "g2": published(county, county.g2, "纺织厂学习"),
        "t2": published(county, county.t2, "西镇学习"),
    }


@pytest.fixture
def member(county):
    return worker(county, 21, union=county.g1, name="钱读")


@pytest.fixture
def reader(member, portal_sign_in):
    return bound_client(portal_sign_in, member)


@time_machine.travel(NOW, tick=False)
def test_a_member_sees_the_articles_of_their_union_and_those_above_newest_first(
    county, articles, reader
):
    page = reader.get(reverse("portal-study:list")).content.decode()
    for key in ("county", "t1", "g1"):
        assert articles[key].title in page
    for key in ("g2", "t2"):
        assert articles[key].title not in page
    only_safety = reader.get(reverse("portal-study:list"), {"category": "safety"})
    listed = [a for a, _read in only_safety.context["articles"]]
    assert listed == [articles["g1"]]
    newest = published(county, county.root, "最新", publish_on=date(2026, 3, 9))
    listed = [a for a, _read in reader.get(reverse("portal-study:list")).context["articles"]]
    assert listed[0] == newest


@time_machine.travel(NOW, tick=False)
def test_an_article_outside_the_audience_is_a_404_and_records_nothing(county, articles, reader):
    for key in ("g2", "t2"):
        url = reverse("portal-study:read", args=[articles[key].pk])
        assert reader.get(url).status_code == 404
        beacon = reverse("portal-study:beacon", args=[articles[key].pk])
        assert reader.post(beacon, {"seconds": "10"}).status_code == 404
    picture = services.article_image_add(by=county.admin, article=articles["g2"], upload=image())
    assert reader.get(reverse("portal-study:image", args=[picture.pk])).status_code == 404
    assert not Reading.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_worker_who_is_not_a_member_reads_nothing(county, articles, portal_sign_in):
    outsider = worker(county, 22, name="孙外")
    client = bound_client(portal_sign_in, outsider)
    assert client.get(reverse("portal-study:list")).context["articles"] == []
    url = reverse("portal-study:read", args=[articles["county"].pk])
    assert client.get(url).status_code == 404


def test_the_publish_and_withdraw_dates_decide_when_it_is_read(county, reader, member):
    article = published(
        county, county.g1, "限时学习", publish_on=date(2026, 3, 12), withdraw_on=date(2026, 3, 20)
    )
    url = reverse("portal-study:read", args=[article.pk])
    for day, shown in (
        (date(2026, 3, 11), False),
        (date(2026, 3, 12), True),
        (date(2026, 3, 19), True),
        (date(2026, 3, 20), False),
    ):
        with time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=TZ)):
            assert reader.get(url).status_code == (200 if shown else 404), day
    with time_machine.travel(datetime(2026, 3, 15, 12, tzinfo=TZ)):
        services.article_withdraw(by=county.admin, article=article)
        assert reader.get(url).status_code == 404


def test_opening_is_recorded_once_and_the_beacon_adds_capped_time_then_finished(
    county, articles, reader, member
):
    article = articles["g1"]
    url = reverse("portal-study:read", args=[article.pk])
    beacon = reverse("portal-study:beacon", args=[article.pk])
    with time_machine.travel(NOW, tick=False) as clock:
        page = reader.get(url)
        assert page.status_code == 200
        assert "portal/study.js" in page.content.decode()
        assert "<script>" not in page.content.decode()  # no inline script
        reading = Reading.objects.get()
        assert (reading.person, reading.union, reading.seconds) == (member, county.g1, 0)
        assert reading.opened_at == NOW and reading.finished_at is None
        clock.shift(60)
        reader.get(url)  # opened again: still one reading, opened at the first time
        assert Reading.objects.get().opened_at == NOW

        clock.shift(15)
        assert reader.post(beacon, {"seconds": "15"}).status_code == 200
        assert Reading.objects.get().seconds == 15
        # Posted again at once: no time passed since the last beacon, nothing added.
        reader.post(beacon, {"seconds": "15"})
        assert Reading.objects.get().seconds == 15
        # A forged large figure after ten minutes adds the cap, no more.
        clock.shift(600)
        reader.post(beacon, {"seconds": "100000"})
        assert Reading.objects.get().seconds == 15 + BEACON_CAP_SECONDS
        # Reporting more than passed adds only what passed.
        clock.shift(5)
        reader.post(beacon, {"seconds": "15"})
        assert Reading.objects.get().seconds == 15 + BEACON_CAP_SECONDS + 5
        assert reader.post(beacon, {"seconds": "x"}).status_code == 400
        reader.post(beacon, {"seconds": "-50"})
        assert Reading.objects.get().seconds == 50

        clock.shift(10)
        reader.post(beacon, {"seconds": "10", "finished": "1"})
        reading = Reading.objects.get()
        assert reading.finished_at == NOW + timedelta(seconds=690) and reading.seconds == 60
        clock.shift(10)
        reader.post(beacon, {"seconds": "10", "finished": "1"})
        assert Reading.objects.get().finished_at == NOW + timedelta(seconds=690)
        assert Reading.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_the_worker_sees_their_own_reading_record_and_not_anothers(
    county, articles, reader, member, portal_sign_in
):
    reader.get(reverse("portal-study:read", args=[articles["g1"].pk]))
    services.reading_beacon(
        person=member,
        article=articles["g1"],
        seconds=20,
        finished=True,
        now=NOW + timedelta(seconds=125),
    )
    other = worker(county, 23, union=county.g1, name="李别")
    services.reading_open(person=other, article=articles["county"], now=NOW)
    page = reader.get(reverse("portal-study:mine"))
    text = page.content.decode()
    assert [r.article for r in page.context["readings"]] == [articles["g1"]]
    assert articles["county"].title not in text
    assert page.context["finished"] == 1


@time_machine.travel(NOW, tick=False)
def test_a_staff_session_is_not_a_worker(county, articles, client):
    from gonghui.conftest import signed_in

    signed_in(client, county.chair1)
    response = client.get(reverse("portal-study:list"))
    assert response.status_code == 302 and reverse("portal:sign-in") in response["Location"]


@time_machine.travel(NOW, tick=False)
def test_the_model_workers_category_lists_the_published_stories_of_honours(
    county, articles, reader
):
    from gonghui.honours.models import Story

    hero = worker(county, 24, union=county.g2, name="周匠")
    Story.objects.create(person=hero, headline="二十年磨一剑", text="故事", published_on=TODAY)
    Story.objects.create(person=hero, headline="未发布的故事", text="草稿")
    page = reader.get(reverse("portal-study:list"), {"category": "model_workers"})
    text = page.content.decode()
    assert "二十年磨一剑" in text and "未发布的故事" not in text
    assert "二十年磨一剑" not in reader.get(reverse("portal-study:list")).content.decode()
