"""Innovation studios (劳模/工匠创新工作室), their achievements and the showcase
(成果展示), and mentoring pairs (名师带高徒).

A studio belongs to an employer and is seen where the employer is seen (its
township, the union covering it: ``orgs.Employer``'s scope). Its achievements and
members follow the studio. A mentoring pair is placed at a union (``union``,
chosen by the service from the studio or the apprentice's file), which is where
its outcomes are counted and who sees it.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gonghui.core.labels import bracketed
from gonghui.core.scope import ScopedQuerySet
from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import Person

#: The first year an achievement may be dated (a sanity bound, not a rule of law).
FIRST_YEAR = 1950

#: A Chinese patent number as granted (专利号): "ZL", the application number and its
#: check character after a dot. Application numbers filed since 2003 have 12 digits
#: (year, type, serial: ZL202310123456.7), older ones 8 (ZL98123456.X). Checked
#: loosely: the shape only, not the check character's arithmetic, so that a number
#: copied from an old certificate is never refused by a rule it predates.
PATENT_NUMBER = re.compile(r"^ZL(\d{8}|\d{12})\.[0-9X]$")


def normalise_patent_number(value: str) -> str:
    """Upper case, without spaces; a full-width dot (．or 。) becomes "."."""
    value = "".join((value or "").split()).upper()
    return value.replace("．", ".").replace("。", ".")


class StudioLevel(models.TextChoices):
    """The level at which a studio was named a model (示范) studio."""

    COUNTY = "county", _("County")
    MUNICIPAL = "municipal", _("Municipal")
    PROVINCIAL = "provincial", _("Provincial")
    NATIONAL = "national", _("National")


class StudioQuerySet(ScopedQuerySet):
    # Seen where its employer is seen: the employer's township and covering union.
    scope_fields = ("employer__township", "employer__union")


class Studio(models.Model):
    """A model worker's or craftsman's innovation studio at an employer."""

    name = models.CharField(_("name"), max_length=200)
    leader = models.ForeignKey(
        Person, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="studios_led"
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="studios"
    )
    level = models.CharField(_("level"), max_length=12, choices=StudioLevel.choices)
    founded_on = models.DateField(_("founded on"))
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        Person, verbose_name=_("members"), through="StudioMember", related_name="studios_joined"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StudioQuerySet.as_manager()

    class Meta:
        verbose_name = _("innovation studio")
        verbose_name_plural = _("innovation studios")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "name"],
                name="studio_name_once_per_employer",
                violation_error_message=_("This employer already has a studio of that name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("studios:detail", args=[self.pk])


class StudioMemberQuerySet(ScopedQuerySet):
    scope_fields = ("studio__employer__township", "studio__employer__union")


class StudioMember(models.Model):
    """A person's time in a studio: joined on, and left on once they leave."""

    studio = models.ForeignKey(Studio, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        Person,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="studio_memberships",
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = StudioMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("studio member")
        verbose_name_plural = _("studio members")
        ordering = ["joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["studio", "person"],
                condition=Q(left_on__isnull=True),
                name="studio_member_once_while_current",
                violation_error_message=_("This person is already a member of the studio."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="studio_member_leaves_after_joining",
                violation_error_message=_("A member leaves on or after the day they joined."),
            ),
        ]
        indexes = [
            # The person's file lists the studios they joined.
            models.Index(fields=["person", "studio"], name="studio_member_by_person"),
        ]

    def __str__(self) -> str:
        return f"{self.studio_id} · {self.person_id}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class AchievementKind(models.TextChoices):
    TECHNICAL = "technical", _("Technical improvement")
    PATENT = "patent", _("Patent")
    INVENTION = "invention", _("Invention")
    OTHER = "other", _("Other")


class AchievementQuerySet(ScopedQuerySet):
    scope_fields = ("studio__employer__township", "studio__employer__union")

    def published(self):
        return self.filter(published=True)


class Achievement(models.Model):
    """A studio's achievement, with the economic benefit it claims (in yuan)."""

    studio = models.ForeignKey(
        Studio, verbose_name=_("studio"), on_delete=models.CASCADE, related_name="achievements"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AchievementKind.choices)
    patent_number = models.CharField(_("patent number"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    benefit = models.DecimalField(
        _("economic benefit claimed (yuan)"), max_digits=14, decimal_places=2, default=0
    )
    credited = models.ManyToManyField(
        Person, verbose_name=_("people credited"), blank=True, related_name="achievements_credited"
    )
    published = models.BooleanField(_("published to the showcase"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AchievementQuerySet.as_manager()

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(benefit__gte=0),
                name="achievement_benefit_not_negative",
                violation_error_message=_("The economic benefit cannot be below zero."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=AchievementKind.PATENT) | ~Q(patent_number=""),
                name="achievement_patent_has_number",
                violation_error_message=_("A patent needs its patent number."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR),
                name="achievement_year_plausible",
                violation_error_message=_("The year is not plausible."),
            ),
        ]
        indexes = [
            # The showcase: published achievements, newest year first.
            models.Index(fields=["published", "year"], name="achievement_showcase"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # Achievements are read on their studio's page, each under its own anchor.
        return reverse("studios:detail", args=[self.studio_id]) + f"#achievement-{self.pk}"


def achievement_photo_path(instance: AchievementPhoto, filename: str) -> str:
    """A random name: the uploaded name is never used as a path."""
    import uuid

    return f"studios/{uuid.uuid4().hex}.jpg"


class AchievementPhotoQuerySet(ScopedQuerySet):
    scope_fields = (
        "achievement__studio__employer__township",
        "achievement__studio__employer__union",
    )


class AchievementPhoto(models.Model):
    """A photo of an achievement, kept as ``core.images.photo_for_keeping`` makes it."""

    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=achievement_photo_path, max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AchievementPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("achievement photo")
        verbose_name_plural = _("achievement photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.achievement_id} · {self.pk}"


class MentoringStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ENDED_EARLY = "ended_early", _("Ended early")


class MentoringPairQuerySet(ScopedQuerySet):
    scope_fields = ("union",)


class MentoringPair(models.Model):
    """A mentoring agreement (名师带高徒) between a master and an apprentice.

    ``level_reached`` holds a value of ``gonghui.skills.models.SkillLevel`` when that
    app provides it (the form offers its choices), otherwise free text; see
    ``studios.levels``.
    """

    mentor = models.ForeignKey(
        Person, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="mentoring_given"
    )
    apprentice = models.ForeignKey(
        Person,
        verbose_name=_("apprentice"),
        on_delete=models.PROTECT,
        related_name="mentoring_received",
    )
    trade = models.CharField(_("trade"), max_length=100)
    studio = models.ForeignKey(
        Studio,
        verbose_name=_("studio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentoring_pairs",
    )
    union = models.ForeignKey(
        Organisation,
        verbose_name=_("union"),
        on_delete=models.PROTECT,
        related_name="mentoring_pairs",
    )
    starts_on = models.DateField(_("agreement starts on"))
    ends_on = models.DateField(_("agreement ends on"))
    goals = models.TextField(_("goals"))
    status = models.CharField(
        _("status"), max_length=12, choices=MentoringStatus.choices, default=MentoringStatus.ACTIVE
    )
    result = models.TextField(_("evaluation"), blank=True)
    level_reached = models.CharField(_("skill level reached"), max_length=40, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentoringPairQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentoring pair")
        verbose_name_plural = _("mentoring pairs")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("apprentice")),
                name="mentoring_mentor_is_not_apprentice",
                violation_error_message=_("A mentor cannot be their own apprentice."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="mentoring_ends_after_start",
                violation_error_message=_("The agreement must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status=MentoringStatus.ACTIVE, evaluated_on__isnull=True)
                | (
                    ~Q(status=MentoringStatus.ACTIVE)
                    & Q(evaluated_on__isnull=False, evaluated_by__isnull=False)
                    & ~Q(result="")
                ),
                name="mentoring_evaluated_once_closed",
                violation_error_message=_(
                    "A pair is closed with its evaluation, and only a closed pair has one."
                ),
            ),
            models.UniqueConstraint(
                fields=["mentor", "apprentice", "trade"],
                condition=Q(status=MentoringStatus.ACTIVE),
                name="mentoring_one_active_pair",
                violation_error_message=_(
                    "This mentor already has an active agreement with this apprentice in "
                    "this trade."
                ),
            ),
        ]
        indexes = [
            # The person's file lists the pairs where they are the apprentice.
            models.Index(fields=["apprentice", "status"], name="mentoring_by_apprentice"),
        ]

    def __str__(self) -> str:
        return bracketed(f"{self.mentor.name} → {self.apprentice.name}", self.trade)

    def get_absolute_url(self) -> str:
        return reverse("studios:pair-detail", args=[self.pk])

    def get_level_reached_display(self) -> str:
        from .levels import level_label

        return level_label(self.level_reached)
