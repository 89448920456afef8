"""Vocational skill levels (职业技能等级) on a person's file, and who holds the highest.

The five levels of the national vocational skill standards (国家职业技能标准, 人社部
《国家职业技能标准编制技术规程》): 五级/初级工, 四级/中级工, 三级/高级工, 二级/技师,
一级/高级技师. A level's stored value is its number, so the lower value is the higher
level and "a person's highest level" is ``Min("level")``.

A worker may hold levels in several trades (职业/工种); their current level in a trade
is the highest they hold in it, and a worker counts once in the figures, at the
highest level they hold in any trade. ``SkillRecord.is_highest`` marks that record
(one per person, kept by ``services``), so the counts are one grouped query over the
marked records instead of a grouping per person first.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gonghui.core.scope import ScopedQuerySet
from gonghui.people.models import Person, about_person


class SkillLevel(models.TextChoices):
    """职业技能等级, from the lowest to the highest; the value is the level's number."""

    ELEMENTARY = "5", _("Level 5 · elementary worker")
    INTERMEDIATE = "4", _("Level 4 · intermediate worker")
    ADVANCED = "3", _("Level 3 · advanced worker")
    TECHNICIAN = "2", _("Level 2 · technician")
    SENIOR_TECHNICIAN = "1", _("Level 1 · senior technician")


#: 高技能人才: advanced workers (高级工) and above (中共中央办公厅 国务院办公厅
#: 《关于加强新时代高技能人才队伍建设的意见》, 2022).
SkillLevel.HIGH_SKILLED = frozenset(
    {SkillLevel.ADVANCED, SkillLevel.TECHNICIAN, SkillLevel.SENIOR_TECHNICIAN}
)
#: The levels from the highest down (the order of the counts' columns).
LEVELS_HIGHEST_FIRST = sorted(SkillLevel, key=lambda level: level.value)


class SkillSource(models.TextChoices):
    STAFF = "staff", _("Entered by union staff")
    COMPETITION = "competition", _("Awarded in a competition")
    ROSTER = "roster", _("Roster import")


class SkillRecordQuerySet(ScopedQuerySet):
    """Seen by whoever sees the worker (``people.models.about_person``)."""

    scope_fields = about_person()

    def highest(self):
        """One record per worker: the highest level the worker holds."""
        return self.filter(is_highest=True)


class SkillRecord(models.Model):
    """A vocational skill level a worker holds in one trade, with its certificate."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="skill_records"
    )
    level = models.CharField(_("skill level"), max_length=1, choices=SkillLevel.choices)
    trade = models.CharField(
        _("trade"),
        max_length=60,
        help_text=_(
            "The occupation or type of work, e.g. electrician, welder, elderly-care worker."
        ),
    )
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    certified_on = models.DateField(_("certified on"))
    issuing_body = models.CharField(_("issued by"), max_length=100, blank=True)
    source = models.CharField(
        _("source"), max_length=12, choices=SkillSource.choices, default=SkillSource.STAFF
    )
    note = models.TextField(_("note"), blank=True)
    is_highest = models.BooleanField(default=False, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SkillRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("skill record")
        verbose_name_plural = _("skill records")
        ordering = ["level", "trade", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "trade", "level"],
                name="skill_record_once",
                violation_error_message=_("This worker already holds this level in this trade."),
            ),
            # The counts take one marked record per worker.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(is_highest=True),
                name="skill_record_one_highest",
            ),
            models.CheckConstraint(
                condition=Q(level__in=SkillLevel.values),
                name="skill_record_level_valid",
                violation_error_message=_("Choose one of the five skill levels."),
            ),
            models.CheckConstraint(
                condition=~Q(trade=""),
                name="skill_record_trade_named",
                violation_error_message=_("Name the trade."),
            ),
        ]
        indexes = [
            # The counts group the marked records by the worker's employer and the level.
            models.Index(
                fields=["person", "level"], condition=Q(is_highest=True), name="skill_highest"
            ),
            # The list's filters by trade and level, and the form's trade suggestions.
            models.Index(fields=["trade", "level"], name="skill_trade"),
            models.Index(fields=["level", "certified_on"], name="skill_level"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.trade} · {self.get_level_display()}"

    def get_absolute_url(self) -> str:
        return reverse("people:person-detail", args=[self.person_id]) + "#skills"

    @property
    def is_high_skilled(self) -> bool:
        return self.level in SkillLevel.HIGH_SKILLED
