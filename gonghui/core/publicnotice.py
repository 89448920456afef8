"""Public notice (公示): the one mechanism every app that puts a decision before the
public uses — needy-worker files before they are filed, nominations for a title
before it is conferred.

A notice runs for a number of working days counted on the project's one calendar
(``workdays.calendar.period_end``: its first day is the day it starts, a notice
started before a holiday runs on after it). While it runs anyone may object; the
decision may be confirmed only once the notice is over and every objection has been
answered. An app's record takes ``NoticePeriod`` and its objections take
``ObjectionBase`` (abstract: each app keeps its own tables), and its services call
the functions below, so the counting, the refusals and their messages live here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.workdays.calendar import period_end

#: A notice lasts this many working days unless a setting or the app's configuration says otherwise.
DEFAULT_NOTICE_DAYS = 5


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("Pending")
    DISMISSED = "dismissed", gettext_lazy("Without substance")
    UPHELD = "upheld", gettext_lazy("Upheld")


class NoticePeriod(models.Model):
    """The dates of a record's public notice (empty until it starts)."""

    notice_days = models.PositiveSmallIntegerField(
        gettext_lazy("notice days"), null=True, blank=True
    )
    notice_starts_on = models.DateField(gettext_lazy("notice starts on"), null=True, blank=True)
    notice_ends_on = models.DateField(gettext_lazy("notice ends on"), null=True, blank=True)

    class Meta:
        abstract = True

    def notice_clear(self) -> None:
        """Forget the notice (an upheld objection sends the record back)."""
        self.notice_starts_on = self.notice_ends_on = self.notice_days = None


class ObjectionBase(models.Model):
    """An objection raised during a public notice, and how it was answered.

    The concrete model adds the key to the record objected to, and its Meta the
    constraint of ``objection_settled_constraint``.
    """

    received_on = models.DateField(gettext_lazy("received on"))
    raised_by = models.CharField(gettext_lazy("raised by"), max_length=100, blank=True)
    content = models.TextField(gettext_lazy("content"))
    status = models.CharField(
        gettext_lazy("status"),
        max_length=10,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.PENDING,
    )
    resolution = models.TextField(gettext_lazy("resolution"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status == ObjectionStatus.PENDING


def objection_settled_constraint(name: str) -> models.CheckConstraint:
    """A pending objection has no answer yet; an answered one has its date and reasons."""
    return models.CheckConstraint(
        condition=Q(status=ObjectionStatus.PENDING, resolved_at__isnull=True)
        | (~Q(status=ObjectionStatus.PENDING) & Q(resolved_at__isnull=False) & ~Q(resolution="")),
        name=name,
        violation_error_message=gettext_lazy("A settled objection has a date and a resolution."),
    )


def configured_days(setting: str, default: int = DEFAULT_NOTICE_DAYS) -> int:
    """The notice length named by ``setting`` (e.g. ``NEEDY_NOTICE_DAYS``), else ``default``."""
    return int(getattr(settings, setting, default))


@dataclass(frozen=True)
class NoticeDates:
    starts_on: date
    ends_on: date
    days: int
    #: A day counted lies in a year whose holidays are not confirmed yet.
    provisional: bool

    def describe(self) -> str:
        """ "From … to …", and why the end may still move."""
        text = _("From %(start)s to %(end)s") % {
            "start": self.starts_on.isoformat(),
            "end": self.ends_on.isoformat(),
        }
        if self.provisional:
            text += " " + _("(counted Monday to Friday: that year's holidays are not confirmed)")
        return text


def notice_start(
    record: NoticePeriod, *, starts_on: date | None, days: int, today: date | None = None
) -> NoticeDates:
    """Set ``record``'s notice from ``starts_on`` (today if None) for ``days`` working days.

    Refused: a start in the past, a notice of less than a day. The caller saves the
    record (its fields ``notice_starts_on``, ``notice_days``, ``notice_ends_on``).
    """
    today = today or timezone.localdate()
    starts_on = starts_on or today
    if starts_on < today:
        raise ValidationError({"starts_on": _("A notice cannot start in the past.")})
    if days is None or days < 1:
        raise ValidationError({"days": _("A notice lasts at least one day.")})
    end = period_end(starts_on, days)
    record.notice_starts_on, record.notice_days, record.notice_ends_on = starts_on, days, end.day
    return NoticeDates(starts_on, end.day, days, end.provisional)


def notice_is_running(record: NoticePeriod, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        record.notice_starts_on is not None
        and record.notice_starts_on <= today <= record.notice_ends_on
    )


def notice_is_over(record: NoticePeriod, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return record.notice_ends_on is not None and today > record.notice_ends_on


def running_notices(queryset: models.QuerySet, today: date | None = None) -> models.QuerySet:
    """The rows of ``queryset`` whose notice runs on ``today``."""
    today = today or timezone.localdate()
    return queryset.filter(notice_starts_on__lte=today, notice_ends_on__gte=today)


def notice_require_confirmable(
    record: NoticePeriod,
    objections: models.QuerySet,
    *,
    today: date | None = None,
    running_message: str | None = None,
    pending_message: str | None = None,
) -> None:
    """Refuse to confirm ``record`` while its notice runs or an objection is unanswered.

    An app may word the refusals for its own decision (``%(date)s`` is the last day
    of the notice in ``running_message``).
    """
    today = today or timezone.localdate()
    if record.notice_ends_on is None:
        raise ValidationError(_("The public notice has not started."))
    if not notice_is_over(record, today):
        message = running_message or _(
            "The public notice runs until %(date)s: it can be confirmed after that."
        )
        raise ValidationError(message % {"date": record.notice_ends_on.isoformat()})
    if objections.filter(status=ObjectionStatus.PENDING).exists():
        raise ValidationError(
            pending_message or _("An objection is still unanswered: answer it before confirming.")
        )


def objection_check(*, content: str, received_on: date, today: date | None = None) -> str:
    """The objection's text, stripped; refused when empty or dated in the future."""
    today = today or timezone.localdate()
    if not (content or "").strip():
        raise ValidationError({"content": _("Write down what the objection says.")})
    if received_on > today:
        raise ValidationError({"received_on": _("The date cannot be in the future.")})
    return content.strip()


def objection_settle(objection: ObjectionBase, *, by, upheld: bool, resolution: str) -> None:
    """Answer a pending objection (the caller holds the row lock and saves nothing else).

    Refused: an objection already answered, an answer without reasons.
    """
    if objection.status != ObjectionStatus.PENDING:
        raise ValidationError(_("This objection was already settled."))
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Say how the objection was settled.")})
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.resolution = resolution.strip()
    objection.resolved_by = by
    objection.resolved_at = timezone.now()
    objection.save()
