"""Study online (电子书屋, 学习资料): articles staff publish for the workers of their
subtree, their images, and each worker's reading of them.

An article's audience is the subtree of its publishing organisation: a worker reads
it when their union lies in that subtree (``ArticleQuerySet.for_union``). The body
is rich text sanitised on save (``study.richtext``): what is stored is what is shown.
Reading is one row per worker and article, written by the portal's pages and beacon
(``services.reading_open`` / ``reading_beacon``), placed in the tree by the union the
worker belonged to when they first opened the article: a union's reading activity is
its own members' reading, whoever published what they read.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gonghui.core.scope import SEGMENT_WIDTH, ScopedQuerySet
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person


class Category(models.TextChoices):
    THEORY = "theory", _("Theory study")
    UNION = "union", _("Union knowledge")
    LAW = "law", _("Law")
    MODEL_WORKERS = "model_workers", _("Model workers' stories")
    SAFETY = "safety", _("Safety")
    HEALTH = "health", _("Health")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def ancestor_paths(path: str) -> list[str]:
    """The paths of the organisation at ``path`` and of every organisation above it."""
    return [path[:end] for end in range(SEGMENT_WIDTH, len(path) + 1, SEGMENT_WIDTH)]


class ArticleQuerySet(ScopedQuerySet):
    scope_fields = ("organisation",)

    def readable_on(self, today: datetime.date) -> ArticleQuerySet:
        """Published, its publish date reached and its withdraw date not yet."""
        return self.filter(status=ArticleStatus.PUBLISHED, publish_on__lte=today).filter(
            Q(withdraw_on__isnull=True) | Q(withdraw_on__gt=today)
        )

    def for_union(self, union: Organisation | None) -> ArticleQuerySet:
        """Articles whose audience (the publisher's subtree) holds ``union``: those
        published by the union itself or by an organisation above it."""
        if union is None:
            return self.none()
        return self.filter(organisation__path__in=ancestor_paths(union.path))


class Article(models.Model):
    """A study article (学习资料) published by an organisation for its subtree."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("publishing organisation"),
        on_delete=models.PROTECT,
        related_name="study_articles",
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body = models.TextField(_("body"), help_text=_("Sanitised when saved."))
    publish_on = models.DateField(_("publish on"), null=True, blank=True)
    withdraw_on = models.DateField(_("withdraw on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("study article")
        verbose_name_plural = _("study articles")
        ordering = ["-publish_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ArticleStatus.PUBLISHED) | Q(publish_on__isnull=False),
                name="study_article_published_has_date",
                violation_error_message=_("A published article needs a publish date."),
            ),
            models.CheckConstraint(
                condition=Q(withdraw_on__isnull=True)
                | Q(publish_on__isnull=True)
                | Q(withdraw_on__gt=F("publish_on")),
                name="study_article_withdrawn_after_published",
                violation_error_message=_("The withdraw date must come after the publish date."),
            ),
        ]
        indexes = [
            # The portal's list: the articles of a few organisations, newest first.
            models.Index(
                fields=["organisation", "status", "-publish_on"], name="study_article_audience"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("study:detail", args=[self.pk])

    def is_readable_on(self, today: datetime.date) -> bool:
        return (
            self.status == ArticleStatus.PUBLISHED
            and self.publish_on is not None
            and self.publish_on <= today
            and (self.withdraw_on is None or self.withdraw_on > today)
        )


def article_image_path(instance, filename: str) -> str:
    # A random name: the stored path says nothing about the article or its uploader.
    return f"study/{uuid.uuid4().hex}.jpg"


class ArticleImageQuerySet(ScopedQuerySet):
    scope_fields = ("article__organisation",)


class ArticleImage(models.Model):
    """An image of an article, kept as ``core.images.photo_for_keeping`` makes it
    (resized, upright, without metadata) and shown only to the article's readers."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to=article_image_path, max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ArticleImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("article image")
        verbose_name_plural = _("article images")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.article_id} · {self.pk}"

    def portal_url(self) -> str:
        """The address written into the article's body: where its readers fetch it."""
        return reverse("portal-study:image", args=[self.pk])


class ReadingQuerySet(ScopedQuerySet):
    scope_fields = ("union",)
    worker_field = "person"


class Reading(models.Model):
    """A worker's reading of one article: opened (first GET), seconds spent (the
    page's beacon, capped per beacon), finished (the end of the page reached)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="readings")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="study_readings")
    union = models.ForeignKey(
        Organisation,
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="study_readings",
        help_text=_("The reader's union when they first opened the article."),
    )
    opened_at = models.DateTimeField(_("opened at"))
    last_seen_at = models.DateTimeField()
    seconds = models.PositiveIntegerField(_("seconds spent"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ReadingQuerySet.as_manager()

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "article"],
                name="study_reading_once_per_worker",
                violation_error_message=_("This worker's reading is recorded already."),
            ),
        ]
        indexes = [
            # The union's activity page: its members' readings, by month.
            models.Index(fields=["union", "opened_at"], name="study_reading_union_month"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.article_id}"
