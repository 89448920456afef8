"""The demo county's study articles: every category and level, drafts and published
ones, and readings only by members inside each article's audience."""

import pytest
from django.utils import timezone

from gonghui.demo.models import DemoCounty
from gonghui.demo.tests.helpers import build
from gonghui.study.models import Article, ArticleStatus, Category, Reading
from gonghui.study.richtext import clean_body


@pytest.fixture
def demo(db):
    build(7)
    return DemoCounty.objects.select_related("root").get()


def test_the_demo_has_articles_of_every_category_and_readings_in_their_audience(demo):
    today = timezone.localdate()
    articles = list(Article.objects.select_related("organisation"))
    assert len(articles) >= 30
    assert {a.category for a in articles} == set(Category.values)
    assert {a.status for a in articles} == set(ArticleStatus.values)
    assert len({a.organisation.depth for a in articles}) >= 3
    for article in articles:
        assert article.body == clean_body(article.body)
    readings = list(Reading.objects.select_related("article__organisation", "union"))
    assert readings and any(r.finished_at for r in readings)
    for reading in readings:
        assert reading.union.path.startswith(reading.article.organisation.path)
        assert reading.article.publish_on <= reading.opened_at.date() < today
        assert reading.finished_at is None or reading.finished_at >= reading.opened_at
