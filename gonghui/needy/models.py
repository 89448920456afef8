"""Needy-worker files (困难职工档案): one per person at a time, from application to exit.

A file is established the way the national union's 帮扶 system does it:
application or referral → home visit (入户走访) → household income check →
public notice (公示) with objections → filed (建档). Each transition is a
``FileStep`` row written by ``needy.services``; nothing else changes the status.

Household members carry their ID number encrypted and its keyed hash
(``people.models.id_hash``, the same hash as ``Person.id_hash``), so a
household is recognised across files and against registered people without
ever comparing plain numbers.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.crypto import CiphertextField, Keyring, decrypt, encrypt, keyring
from gonghui.core.idnumbers import mask_id_number
from gonghui.core.labels import bracketed, labelled
from gonghui.core.publicnotice import NoticePeriod, ObjectionBase, objection_settled_constraint
from gonghui.core.scope import ScopedQuerySet
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person, about_person, id_hash

from .vocabularies import (
    CLOSED_STATUSES,
    Cause,
    ExitReason,
    FileStatus,
    Level,
    Origin,
    Relation,
    ReviewOutcome,
    Standard,
    StepAction,
)

MEMBER_ID_CONTEXT = "needy.householdmember.id_number"


def member_id_columns(number: str, ring: Keyring | None = None) -> dict:
    """A household member's stored columns of a checked ID number: encrypted, and the
    keyed hash a person of that number has, so households are recognised across files."""
    ring = ring or keyring()
    return {
        "id_number_encrypted": encrypt(number, context=MEMBER_ID_CONTEXT, ring=ring),
        "id_hash": id_hash(number, ring),
    }


MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}

#: A file is seen where its person is seen, and by the organisation keeping it.
FILE_SCOPE_FIELDS = ("organisation", *about_person())


class NeedyFileQuerySet(ScopedQuerySet):
    scope_fields = FILE_SCOPE_FIELDS

    def open(self):
        return self.exclude(status__in=CLOSED_STATUSES)

    def active_in_year(self, year: int):
        """Files that were filed and not yet exited at some time in ``year``."""
        return self.filter(filed_on__year__lte=year).filter(
            Q(exited_on__isnull=True) | Q(exited_on__year__gte=year)
        )


class NeedyFile(NoticePeriod, models.Model):
    """A needy-worker file (困难职工档案) of one person.

    Its public notice is ``core.publicnotice``'s (``NoticePeriod``: the notice fields).

    ``organisation`` keeps the file (建档单位) and decides which income
    threshold applies. Income figures are yearly household totals in yuan;
    ``household_size`` counts the worker and the members listed.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="needy_files"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("kept by"),
        on_delete=models.PROTECT,
        related_name="needy_files",
    )
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=FileStatus.choices, default=FileStatus.APPLIED
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    standard = models.CharField(_("filing standard"), max_length=10, choices=Standard.choices)
    situation = models.TextField(_("situation"), blank=True)
    household_income = models.DecimalField(_("yearly household income (yuan)"), **MONEY)
    # Set by the income check (needy_file_check_income), from the rows at that moment.
    household_size = models.PositiveSmallIntegerField(_("household size"), null=True, blank=True)
    per_capita_income = models.DecimalField(
        _("monthly income per head (yuan)"), null=True, blank=True, **MONEY
    )
    threshold = models.DecimalField(
        _("threshold per head and month (yuan)"), null=True, blank=True, **MONEY
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    exited_on = models.DateField(_("exited on"), null=True, blank=True)
    exit_reason = models.CharField(
        _("exit reason"), max_length=20, choices=ExitReason.choices, blank=True
    )
    exit_note = models.TextField(_("exit note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NeedyFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("needy-worker file")
        verbose_name_plural = _("needy-worker files")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(status__in=CLOSED_STATUSES),
                name="needy_file_one_open_per_person",
                violation_error_message=_("This worker already has an open needy-worker file."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=(FileStatus.FILED, FileStatus.EXITED))
                | Q(filed_on__isnull=False),
                name="needy_file_filed_has_date",
                violation_error_message=_("A filed file has a filing date."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=FileStatus.EXITED) & Q(exited_on__isnull=False) & ~Q(exit_reason="")
                )
                | (~Q(status=FileStatus.EXITED) & Q(exited_on__isnull=True)),
                name="needy_file_exited_iff_date_and_reason",
                violation_error_message=_(
                    "An exit has a date and a reason; an open file has none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(exited_on__isnull=True) | Q(exited_on__gte=models.F("filed_on")),
                name="needy_file_exit_after_filing",
                violation_error_message=_("A file cannot be exited before it was filed."),
            ),
            models.CheckConstraint(
                condition=Q(household_income__gte=0),
                name="needy_file_income_not_negative",
                violation_error_message=_("The household income cannot be negative."),
            ),
        ]
        indexes = [
            # needy_status(): the files of one person, newest filing first.
            models.Index(fields=["person", "filed_on"], name="needy_file_person_filed"),
            # The list filtered by status and level.
            models.Index(fields=["status", "level"], name="needy_file_status_level"),
        ]
        permissions = [
            ("view_sensitive_needyfile", _("Can see income and health details of needy files")),
            ("establish_needyfile", _("Can check income, run the public notice and file")),
            ("exit_needyfile", _("Can review and exit needy files")),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_level_display()}"

    def get_absolute_url(self) -> str:
        return reverse("needy:file-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def below_threshold(self) -> bool | None:
        if self.per_capita_income is None or self.threshold is None:
            return None
        return self.per_capita_income <= self.threshold


class FileCause(models.Model):
    """One cause of difficulty of a file (a file has one or more)."""

    file = models.ForeignKey(NeedyFile, on_delete=models.CASCADE, related_name="causes")
    cause = models.CharField(_("cause"), max_length=20, choices=Cause.choices)

    class Meta:
        verbose_name = _("cause of difficulty")
        verbose_name_plural = _("causes of difficulty")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["file", "cause"],
                name="needy_cause_once_per_file",
                violation_error_message=_("A cause is listed once per file."),
            ),
        ]
        indexes = [
            # The list filtered by cause.
            models.Index(fields=["cause", "file"], name="needy_cause_file"),
        ]

    def __str__(self) -> str:
        return self.get_cause_display()


class HouseholdMember(models.Model):
    """A member of the worker's household (not the worker), as listed on one file."""

    file = models.ForeignKey(NeedyFile, on_delete=models.CASCADE, related_name="household")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)
    id_number_encrypted = CiphertextField(_("ID number (encrypted)"), context=MEMBER_ID_CONTEXT)
    # people.models.id_hash of the number: equal to Person.id_hash of the same human.
    id_hash = models.CharField(max_length=64, blank=True, editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        ordering = ["pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["file", "id_hash"],
                condition=~Q(id_hash=""),
                name="needy_member_once_per_file",
                violation_error_message=_("This person is already listed in the household."),
            ),
        ]
        indexes = [
            # Households recognised across files.
            models.Index(fields=["id_hash"], name="needy_member_id_hash"),
        ]

    def __str__(self) -> str:
        return bracketed(self.name, self.get_relation_display())

    def plain_id_number(self) -> str:
        if not self.id_number_encrypted:
            return ""
        return decrypt(self.id_number_encrypted, context=MEMBER_ID_CONTEXT)

    def masked_id_number(self) -> str:
        plain = self.plain_id_number()
        return mask_id_number(plain) if plain else ""


class FileStep(models.Model):
    """One transition of a file: who did what, when, with which comment."""

    file = models.ForeignKey(NeedyFile, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=24, choices=StepAction.choices)
    from_status = models.CharField(_("from"), max_length=10, choices=FileStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=FileStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("file step")
        verbose_name_plural = _("file steps")
        ordering = ["at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.file_id} · {self.get_action_display()}"


class HomeVisit(models.Model):
    """A home visit (入户走访) to verify the worker's situation."""

    file = models.ForeignKey(NeedyFile, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("visited on"))
    visitors = models.CharField(_("visitors"), max_length=200)
    findings = models.TextField(_("findings"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["visited_on", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.visited_on} · {self.visitors}"


class Objection(ObjectionBase):
    """An objection raised during the public notice (公示), and how it was settled
    (``core.publicnotice.ObjectionBase``)."""

    file = models.ForeignKey(NeedyFile, on_delete=models.CASCADE, related_name="objections")

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["received_on", "pk"]
        default_permissions = ()
        constraints = [objection_settled_constraint("needy_objection_resolved_with_reason")]

    def __str__(self) -> str:
        return f"{self.received_on} · {self.get_status_display()}"


class ReviewRecord(models.Model):
    """The yearly review (年度复核) of a filed file: one per file and year."""

    file = models.ForeignKey(NeedyFile, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("year"))
    reviewed_on = models.DateField(_("reviewed on"))
    household_income = models.DecimalField(_("yearly household income (yuan)"), **MONEY)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReviewOutcome.choices)
    level_before = models.CharField(_("level before"), max_length=10, choices=Level.choices)
    level_after = models.CharField(_("level after"), max_length=10, choices=Level.choices)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("yearly review")
        verbose_name_plural = _("yearly reviews")
        ordering = ["-year", "-pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["file", "year"],
                name="needy_review_once_a_year",
                violation_error_message=_("This file was already reviewed for that year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_id} · {self.year}"


class ThresholdQuerySet(ScopedQuerySet):
    scope_fields = ("organisation",)


class Threshold(models.Model):
    """The local income threshold per head and month for a year, set by an organisation.

    A file takes the threshold of the nearest organisation above it (itself
    first) that set one for the year; ``settings.NEEDY_DEFAULT_THRESHOLD``
    applies when none did.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="needy_thresholds",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("monthly income per head (yuan)"), **MONEY)

    objects = ThresholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("income threshold")
        verbose_name_plural = _("income thresholds")
        ordering = ["-year", "organisation__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="needy_threshold_one_per_org_year",
                violation_error_message=_(
                    "This organisation already set a threshold for that year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="needy_threshold_positive",
                violation_error_message=_("The threshold must be above zero."),
            ),
        ]

    def __str__(self) -> str:
        return labelled(f"{self.organisation} · {self.year}", self.amount)
