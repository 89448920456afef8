"""Reads of study articles and readings: a worker's articles (the audience rule) and
a union's reading activity (the scope rule)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from gonghui.people.models import Person

from .models import Article, Reading

#: The most articles the activity page lists (the most read first).
ACTIVITY_ARTICLES = 200
#: The months the activity page shows, the latest first.
ACTIVITY_MONTHS = 12


def articles_for_worker(
    person: Person | None, today: datetime.date, *, category: str = ""
) -> QuerySet:
    """The published articles whose audience holds the worker's union, newest first."""
    if person is None:
        return Article.objects.none()
    articles = Article.objects.readable_on(today).for_union(person.current_union)
    if category:
        articles = articles.filter(category=category)
    return articles.order_by("-publish_on", "-pk")


@dataclass(frozen=True)
class ArticleActivity:
    article_id: int
    title: str
    organisation: str
    readers: int
    finished: int
    average_seconds: int


@dataclass(frozen=True)
class MonthActivity:
    month: datetime.date
    readers: int
    articles: int
    finished: int
    seconds: int


def reading_activity(user) -> tuple[list[ArticleActivity], list[MonthActivity]]:
    """Reading by the members of the unions in ``user``'s scope: per article (readers,
    finished, average seconds) and per month of first opening."""
    readings = Reading.objects.for_user(user)
    per_article = (
        readings.values("article_id", "article__title", "article__organisation__name")
        .annotate(
            readers=Count("pk"),
            finished=Count("pk", filter=Q(finished_at__isnull=False)),
            average=Avg("seconds"),
        )
        .order_by("-readers", "article_id")[:ACTIVITY_ARTICLES]
    )
    per_month = (
        readings.annotate(month=TruncMonth("opened_at"))
        .values("month")
        .annotate(
            readers=Count("person_id", distinct=True),
            articles=Count("article_id", distinct=True),
            finished=Count("pk", filter=Q(finished_at__isnull=False)),
            seconds=Sum("seconds"),
        )
        .order_by("-month")[:ACTIVITY_MONTHS]
    )
    return (
        [
            ArticleActivity(
                row["article_id"],
                row["article__title"],
                row["article__organisation__name"],
                row["readers"],
                row["finished"],
                int((row["average"] or 0) + 0.5),
            )
            for row in per_article
        ],
        [
            MonthActivity(
                row["month"].date() if hasattr(row["month"], "date") else row["month"],
                row["readers"],
                row["articles"],
                row["finished"],
                row["seconds"] or 0,
            )
            for row in per_month
        ],
    )
