"""Years whose holidays were entered by hand, from the State Council's notice.

The State Council announces the next year's public holidays and the weekend days
worked in lieu of them (调休) each autumn (国务院办公厅关于…部分节假日安排的通知);
the ``chinesecalendar`` package follows some weeks later. Until then, and whenever
the package is wrong, a county administrator enters the year here: an entered year
takes precedence over the package for that year (``calendar.is_working_day``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EnteredYear(models.Model):
    """A year's holiday arrangement as announced, entered by a county administrator."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    note = models.CharField(
        _("notice"),
        max_length=200,
        blank=True,
        help_text=_("The State Council notice the days come from, e.g. its number."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    # Part of the stamp every process compares to know its copy is stale
    # (calendar._entered): any save of the year or of its days touches it.
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("entered holiday year")
        verbose_name_plural = _("entered holiday years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("holiday")
    WORKING = "working", _("adjusted working day")


class EnteredDay(models.Model):
    """One day of an entered year: a holiday, or a weekend day worked in lieu (调休)."""

    year = models.ForeignKey(
        EnteredYear,
        verbose_name=_("year"),
        on_delete=models.CASCADE,
        related_name="days",
        # The column holds the year itself, so the database can check each day against it.
        to_field="year",
        db_column="year",
    )
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("entered holiday or working day")
        verbose_name_plural = _("entered holidays and working days")
        ordering = ["day"]
        constraints = [
            # One row per date: the same date cannot be both a holiday and a working day.
            models.UniqueConstraint(
                fields=["day"],
                name="workdays_day_once",
                violation_error_message=_(
                    "A date can be listed once only: either as a holiday or as a working day."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(year_id=ExtractYear("day")),
                name="workdays_day_in_its_year",
                violation_error_message=_("The date does not lie in the year entered."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=DayKind.values),
                name="workdays_day_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.name} {self.get_kind_display()}"
