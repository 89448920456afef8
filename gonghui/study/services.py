"""Every change to study articles and their reading: write an article (its body
sanitised), add an image, publish, withdraw; a worker opening an article and the
page's beacon. Each runs in one transaction and checks the acting user's scope."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.images import photo_for_keeping
from gonghui.core.scope import is_in_scope
from gonghui.core.storage import save_with_file, store_upload
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person

from .models import Article, ArticleImage, ArticleStatus, Reading
from .richtext import clean_body

#: The largest image kept (after ``photo_for_keeping`` made it smaller).
MAX_IMAGE_BYTES = 5 * 1024 * 1024
#: The most seconds one beacon adds: the page sends one at most every 15 seconds
#: while it is visible; a little more allows for a late timer, no more for a forged one.
BEACON_CAP_SECONDS = 30


def _check_scope(by, organisation: Organisation) -> None:
    if not is_in_scope(by, organisation):
        raise PermissionDenied(_("This organisation is outside your scope."))


def _check_dates(publish_on, withdraw_on) -> None:
    if publish_on and withdraw_on and withdraw_on <= publish_on:
        raise ValidationError(
            {"withdraw_on": _("The withdraw date must come after the publish date.")}
        )


def _image_urls(article: Article | None) -> dict[int, str]:
    if article is None or article.pk is None:
        return {}
    return {image.pk: image.portal_url() for image in article.images.all()}


def article_body_preview(*, body: str, article: Article | None = None) -> str:
    """What ``body`` becomes when saved (the editor's preview): nothing is written."""
    return clean_body(body, image_urls=_image_urls(article))


@transaction.atomic
def article_create(
    *,
    by,
    organisation: Organisation,
    category: str,
    title: str,
    body: str,
    summary: str = "",
    publish_on: datetime.date | None = None,
    withdraw_on: datetime.date | None = None,
) -> Article:
    """A draft article of ``organisation`` (in the author's scope), its body sanitised."""
    _check_scope(by, organisation)
    _check_dates(publish_on, withdraw_on)
    cleaned = clean_body(body)
    if not cleaned:
        raise ValidationError({"body": _("The body is empty once unsafe markup is removed.")})
    return Article.objects.create(
        organisation=organisation,
        category=category,
        title=title.strip(),
        summary=summary.strip(),
        body=cleaned,
        publish_on=publish_on,
        withdraw_on=withdraw_on,
        author=by,
    )


@transaction.atomic
def article_update(*, by, article: Article, **fields) -> Article:
    """Change an article's fields; the body is sanitised again, with its own images."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    _check_scope(by, article.organisation)
    if "organisation" in fields:
        _check_scope(by, fields["organisation"])
    publish_on = fields.get("publish_on", article.publish_on)
    withdraw_on = fields.get("withdraw_on", article.withdraw_on)
    _check_dates(publish_on, withdraw_on)
    if article.status == ArticleStatus.PUBLISHED and publish_on is None:
        raise ValidationError({"publish_on": _("A published article needs a publish date.")})
    if "body" in fields:
        fields["body"] = clean_body(fields["body"], image_urls=_image_urls(article))
        if not fields["body"]:
            raise ValidationError({"body": _("The body is empty once unsafe markup is removed.")})
    for name in ("organisation", "category", "title", "summary", "body"):
        if name in fields:
            value = fields[name]
            setattr(article, name, value.strip() if isinstance(value, str) else value)
    article.publish_on, article.withdraw_on = publish_on, withdraw_on
    article.save()
    return article


@transaction.atomic
def article_publish(*, by, article: Article, today: datetime.date | None = None) -> Article:
    """Publish: readers see the article from its publish date (today when none is set)."""
    today = today or timezone.localdate()
    article = Article.objects.select_for_update().get(pk=article.pk)
    _check_scope(by, article.organisation)
    if article.status == ArticleStatus.PUBLISHED:
        raise ValidationError(_("This article is published already."))
    publish_on = article.publish_on or today
    if article.withdraw_on is not None and article.withdraw_on <= max(publish_on, today):
        raise ValidationError(_("The withdraw date has passed: change it before publishing again."))
    article.status = ArticleStatus.PUBLISHED
    article.publish_on = publish_on
    article.save(update_fields=["status", "publish_on", "updated_at"])
    return article


@transaction.atomic
def article_withdraw(*, by, article: Article, today: datetime.date | None = None) -> Article:
    """Withdraw now: readers no longer see it; the readings already made are kept."""
    today = today or timezone.localdate()
    article = Article.objects.select_for_update().get(pk=article.pk)
    _check_scope(by, article.organisation)
    if article.status != ArticleStatus.PUBLISHED:
        raise ValidationError(_("Only a published article can be withdrawn."))
    article.status = ArticleStatus.WITHDRAWN
    if article.withdraw_on is None or article.withdraw_on > today:
        # Withdrawn from today on; a publish date later than today is kept before it.
        article.withdraw_on = max(today, article.publish_on + datetime.timedelta(days=1))
    article.save(update_fields=["status", "withdraw_on", "updated_at"])
    return article


@transaction.atomic
def article_image_add(*, by, article: Article, upload) -> ArticleImage:
    """An image for the article's body: resized, upright, without metadata."""
    _check_scope(by, article.organisation)
    kept = photo_for_keeping(upload, max_bytes=MAX_IMAGE_BYTES)
    image = ArticleImage(article=article, created_by=by)
    store_upload(image.image, kept.name, kept, field="image")
    save_with_file(image, image.image)
    return image


# --- reading (the portal) ----------------------------------------------------------------


def reading_open(*, person: Person, article: Article, now: datetime.datetime | None = None):
    """Record that ``person`` opened ``article`` (once: a second opening changes nothing).

    Returns the reading. The worker's union is the one the reading counts for.
    """
    now = now or timezone.now()
    existing = Reading.objects.filter(person=person, article=article).first()
    if existing is not None:
        return existing
    if person.current_union_id is None:
        raise PermissionDenied(_("Only members of a union read its study articles."))
    try:
        with transaction.atomic():
            return Reading.objects.create(
                person=person,
                article=article,
                union_id=person.current_union_id,
                opened_at=now,
                last_seen_at=now,
            )
    except IntegrityError:
        # Two tabs opened it at once: the other request recorded it.
        return Reading.objects.get(person=person, article=article)


@transaction.atomic
def reading_beacon(
    *,
    person: Person,
    article: Article,
    seconds: int,
    finished: bool = False,
    now: datetime.datetime | None = None,
) -> Reading:
    """Add the time the page reports (``seconds`` since its last beacon) to the reading.

    One beacon adds at most ``BEACON_CAP_SECONDS`` and never more than the time since
    the previous one arrived, so a page posting too often or too much counts no more
    than the time that really passed. ``finished``: the reader reached the end.
    """
    now = now or timezone.now()
    reading = reading_open(person=person, article=article, now=now)
    reading = Reading.objects.select_for_update().get(pk=reading.pk)
    elapsed = max(0, int((now - reading.last_seen_at).total_seconds()))
    added = max(0, min(int(seconds), BEACON_CAP_SECONDS, elapsed))
    reading.seconds += added
    reading.last_seen_at = max(now, reading.last_seen_at)
    if finished and reading.finished_at is None:
        reading.finished_at = now
    reading.save(update_fields=["seconds", "last_seen_at", "finished_at"])
    return reading
