"""Titles and commendations (荣誉称号与表彰), their selection with public notice, and
care for model workers (关爱劳模).

A title is data (``Title``: 全国劳动模范, 县劳动模范, 工人先锋号 …, with its level and
who may hold it). A ``TitleHolding`` says a person, an employer or a team (a name
within an employer, e.g. a 班组 named 工人先锋号) holds a title of a year: either
selected here (a ``Nomination`` reviewed up the tree, put on public notice,
confirmed) or recorded from above (a national title conferred by the national
body is recorded, not selected).

Other apps read who holds what through ``TitleHolding.objects.held_by_person(person)``
(the studios app says a studio's leader is a model worker or craftsman with it).

Care for model workers is rules per title (``CareRule``) against what was given
(``CareGiven``); what is owed and overdue is computed by ``care.py``. Whether a
holder is in difficulty or ill is a dated flag (``HolderCondition``); illness is
health information (PIPL 第二十八条), shown only to holders of
``honours.view_sensitive_care`` and every showing is logged like a reveal.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.crypto import CiphertextField, decrypt
from gonghui.core.publicnotice import NoticePeriod, ObjectionBase, objection_settled_constraint
from gonghui.core.scope import ScopedQuerySet
from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import Person, about_person

OBJECTOR_CONTACT_CONTEXT = "honours.nominationobjection.contact"


class TitleLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    COUNTY = "county", _("County")


class HolderKind(models.TextChoices):
    PERSON = "person", _("A person")
    ORGANISATION = "organisation", _("An organisation")
    TEAM = "team", _("A team")


class Source(models.TextChoices):
    SELECTED = "selected", _("Selected here")
    RECORDED = "recorded", _("Recorded from above")


class Title(models.Model):
    """A title or commendation that can be held (edited by county administrators)."""

    name = models.CharField(pgettext_lazy("title", "name"), max_length=50, unique=True)
    level = models.CharField(_("level"), max_length=12, choices=TitleLevel.choices)
    holder_kind = models.CharField(_("held by"), max_length=12, choices=HolderKind.choices)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("title")
        verbose_name_plural = _("titles")
        ordering = ["level", "name"]
        permissions = [("configure_honours", _("Can configure titles, care rules and notices"))]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("honours:title-list")


class HolderFields(models.Model):
    """Who holds (or is nominated for) a title: a person, an employer, or a team (a name
    within an employer). ``holder_kind`` is the title's, copied so the database can
    check the holder fits it."""

    holder_kind = models.CharField(_("held by"), max_length=12, choices=HolderKind.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    team_name = models.CharField(_("team"), max_length=100, blank=True)

    class Meta:
        abstract = True

    @property
    def holder_name(self) -> str:
        if self.holder_kind == HolderKind.PERSON:
            return self.person.name
        if self.holder_kind == HolderKind.TEAM:
            return f"{self.employer.name} {self.team_name}"
        return self.employer.name


def holder_constraint(name: str) -> models.CheckConstraint:
    """Exactly one holder, of the title's kind: a person alone, an employer alone, or an
    employer with a team's name."""
    return models.CheckConstraint(
        condition=(
            Q(holder_kind=HolderKind.PERSON, person__isnull=False, employer__isnull=True)
            & Q(team_name="")
        )
        | (
            Q(holder_kind=HolderKind.ORGANISATION, person__isnull=True, employer__isnull=False)
            & Q(team_name="")
        )
        | (
            Q(holder_kind=HolderKind.TEAM, person__isnull=True, employer__isnull=False)
            & ~Q(team_name="")
        ),
        name=name,
        violation_error_message=_("A title is held by exactly one person, organisation or team."),
    )


#: Where a holding or a nomination sits in the tree: its person, or its employer.
HOLDER_SCOPE_FIELDS = (*about_person(), "employer__township", "employer__union")


class TitleHoldingQuerySet(ScopedQuerySet):
    scope_fields = HOLDER_SCOPE_FIELDS

    def held_by_person(self, person: Person | int) -> TitleHoldingQuerySet:
        """The titles ``person`` (a Person or its pk) holds, newest first, with the title.

        Not scoped: a holding is public knowledge (titles are conferred in public);
        the caller scopes the person. The studios app reads it to say a studio's
        leader is a model worker or craftsman.
        """
        person_id = person if isinstance(person, int) else person.pk
        return (
            self.filter(person_id=person_id)
            .select_related("title")
            .order_by("-year", "title__level", "title__name")
        )


class TitleHolding(HolderFields):
    """A title held: by whom, which year, conferred when, selected here or recorded."""

    title = models.ForeignKey(
        Title, verbose_name=_("title"), on_delete=models.PROTECT, related_name="holdings"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    conferred_on = models.DateField(_("conferred on"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    nomination = models.OneToOneField(
        "Nomination", null=True, blank=True, on_delete=models.PROTECT, related_name="holding"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TitleHoldingQuerySet.as_manager()

    class Meta:
        verbose_name = _("title held")
        verbose_name_plural = _("titles held")
        ordering = ["-year", "title__name", "pk"]
        default_permissions = ("view", "add", "change")
        constraints = [
            holder_constraint("honours_holding_one_holder"),
            models.UniqueConstraint(
                fields=["title", "year", "person"],
                condition=Q(person__isnull=False),
                name="honours_holding_person_once",
                violation_error_message=_("This person already holds that title for that year."),
            ),
            models.UniqueConstraint(
                fields=["title", "year", "employer", "team_name"],
                condition=Q(person__isnull=True),
                name="honours_holding_unit_once",
                violation_error_message=_("This holder already holds that title for that year."),
            ),
        ]
        indexes = [
            # held_by_person() and the person's file.
            models.Index(fields=["person", "-year"], name="honours_holding_person"),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} · {self.title} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("honours:holding-list")


class NominationStatus(models.TextChoices):
    REVIEW = "review", _("Under review")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved, awaiting notice")
    NOTICE = "notice", _("On public notice")
    CONFIRMED = "confirmed", _("Confirmed")
    FAILED = "failed", _("Failed: objection upheld")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: A holder has at most one nomination in these for a title and year.
OPEN_STATUSES = (
    NominationStatus.REVIEW,
    NominationStatus.RETURNED,
    NominationStatus.APPROVED,
    NominationStatus.NOTICE,
)


class NominationQuerySet(ScopedQuerySet):
    # Seen by the nominating union and those above it (who review it).
    scope_fields = ("organisation",)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Nomination(HolderFields, NoticePeriod):
    """A nomination by a union for a title and year (选树), reviewed at each level up the
    tree to the top (``awaiting``: whose staff decide next), then put on public notice
    (``core.publicnotice``), then confirmed into a ``TitleHolding``."""

    title = models.ForeignKey(
        Title, verbose_name=_("title"), on_delete=models.PROTECT, related_name="nominations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("nominating union"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    reasons = models.TextField(_("reasons"))
    # Shown on the public notice page: the deeds, without ID numbers or phones.
    deeds = models.TextField(_("summary of deeds"))
    status = models.CharField(
        _("status"), max_length=10, choices=NominationStatus.choices, default="review"
    )
    awaiting = models.ForeignKey(
        Organisation,
        verbose_name=_("awaiting review by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("nominated at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("nominate", _("Can nominate for titles")),
            ("review_nomination", _("Can review nominations and run their public notice")),
        ]
        constraints = [
            holder_constraint("honours_nomination_one_holder"),
            models.UniqueConstraint(
                fields=["title", "year", "person"],
                condition=Q(person__isnull=False) & Q(status__in=OPEN_STATUSES),
                name="honours_nomination_person_open_once",
                violation_error_message=_(
                    "This holder already has an open nomination for that title and year."
                ),
            ),
            models.UniqueConstraint(
                fields=["title", "year", "employer", "team_name"],
                condition=Q(person__isnull=True) & Q(status__in=OPEN_STATUSES),
                name="honours_nomination_unit_open_once",
                violation_error_message=_(
                    "This holder already has an open nomination for that title and year."
                ),
            ),
        ]
        indexes = [
            # The public notice page: nominations whose notice runs today.
            models.Index(fields=["status", "notice_ends_on"], name="honours_nomination_notice"),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} · {self.title} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("honours:nomination-detail", args=[self.pk])


class StepAction(models.TextChoices):
    NOMINATE = "nominate", _("Nominated")
    APPROVE = "approve", _("Approved")
    RETURN = "return", _("Returned")
    RESUBMIT = "resubmit", _("Submitted again")
    NOTICE_START = "notice_start", _("Public notice started")
    OBJECTION = "objection", _("Objection received")
    OBJECTION_DISMISSED = "objection_dismissed", _("Objection dismissed")
    OBJECTION_UPHELD = "objection_upheld", _("Objection upheld: the nomination fails")
    CONFIRM = "confirm", _("Confirmed")
    WITHDRAW = "withdraw", _("Withdrawn")


class NominationStep(models.Model):
    """One step of a nomination: who did what at which level, when, with which comment."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=24, choices=StepAction.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("level"), null=True, on_delete=models.PROTECT, related_name="+"
    )
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
        verbose_name = _("nomination step")
        verbose_name_plural = _("nomination steps")
        ordering = ["at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.nomination_id} · {self.get_action_display()}"


def evidence_path(instance, filename: str) -> str:
    """A random name: the uploaded name is kept only as data, never used as a path."""
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"honours-evidence/{timezone.now():%Y}/{uuid.uuid4().hex}.{suffix}"


class NominationEvidence(models.Model):
    """A document supporting a nomination, served only to users who see the nomination."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("honours:evidence-download", args=[self.nomination_id, self.pk])


class NominationObjection(ObjectionBase):
    """An objection to a nomination on notice: lodged on the public page (with the
    address it came from, for the rate limit) or recorded by staff from a letter."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="objections")
    # Optional, often a phone number: kept encrypted, shown only on the nomination.
    contact_encrypted = CiphertextField(_("contact (encrypted)"), context=OBJECTOR_CONTACT_CONTEXT)
    address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["received_on", "pk"]
        default_permissions = ()
        constraints = [objection_settled_constraint("honours_objection_answered_with_reason")]
        indexes = [
            # The public page's rate limit: objections from one address lately.
            models.Index(fields=["address", "created_at"], name="honours_objection_address"),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} · {self.get_status_display()}"

    def plain_contact(self) -> str:
        if not self.contact_encrypted:
            return ""
        return decrypt(self.contact_encrypted, context=OBJECTOR_CONTACT_CONTEXT)


class NoticeSettings(models.Model):
    """How long a nomination's public notice runs (one row, set by county administrators)."""

    notice_days = models.PositiveSmallIntegerField(
        _("notice days (working days)"), default=5, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("notice settings")
        verbose_name_plural = _("notice settings")
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=Q(notice_days__gte=1),
                name="honours_notice_days_positive",
                violation_error_message=_("A notice lasts at least one day."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.notice_days)


# --- Care for model workers ---------------------------------------------------------


class CareKind(models.TextChoices):
    ALLOWANCE = "allowance", _("Monthly allowance for those in difficulty")
    HEALTH_CHECK = "health_check", _("Yearly health check")
    FESTIVAL_VISIT = "festival_visit", _("Spring Festival visit")
    ILLNESS_VISIT = "illness_visit", _("Visit when ill")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    YEARLY = "yearly", _("Yearly")
    FESTIVAL = "festival", _("Each Spring Festival")
    ON_EVENT = "on_event", _("On the event")


class CareRule(models.Model):
    """What a title's holders are owed (set by county administrators)."""

    title = models.ForeignKey(
        Title, verbose_name=_("title"), on_delete=models.PROTECT, related_name="care_rules"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CareKind.choices)
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("care rule")
        verbose_name_plural = _("care rules")
        ordering = ["title__name", "kind"]
        default_permissions = ("view",)
        permissions = [
            ("manage_care", _("Can record care given to model workers and their conditions")),
            ("view_sensitive_care", _("Can see the health conditions of model workers")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "kind"],
                name="honours_care_rule_once",
                violation_error_message=_("This title already has a rule of that kind."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="allowance") | Q(amount__gt=0),
                name="honours_care_rule_allowance_amount",
                violation_error_message=_("An allowance needs an amount above zero."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("honours:rule-list")


class ConditionKind(models.TextChoices):
    DIFFICULTY = "difficulty", _("In difficulty")
    ILL = "ill", _("Ill")


#: Conditions that reveal health (PIPL 第二十八条: sensitive personal information).
HEALTH_CONDITIONS = frozenset({ConditionKind.ILL})


class PersonRecordQuerySet(ScopedQuerySet):
    # Seen where the person is seen.
    scope_fields = about_person()


class HolderCondition(models.Model):
    """A dated flag on a model worker: in difficulty, or ill (open while ``until`` is empty)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ConditionKind.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("condition of a model worker")
        verbose_name_plural = _("conditions of model workers")
        ordering = ["-since", "-pk"]
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="honours_condition_ends_after_start",
                violation_error_message=_("A condition cannot end before it began."),
            ),
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(until__isnull=True),
                name="honours_condition_one_open",
                violation_error_message=_("This condition is already recorded and open."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"


class CareGiven(models.Model):
    """Care given to a model worker under a rule, for one period (a month, a year, a
    Spring Festival, or an illness: ``period_start`` names it)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    rule = models.ForeignKey(
        CareRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="given"
    )
    period_start = models.DateField(_("for the period starting"))
    given_on = models.DateField(_("given on"))
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    what = models.CharField(_("what was given"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = PersonRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("care given")
        verbose_name_plural = _("care given")
        ordering = ["-given_on", "-pk"]
        default_permissions = ("view", "add")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "rule", "period_start"],
                name="honours_care_once_per_period",
                violation_error_message=_("This care was already recorded for that period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.rule.get_kind_display()} · {self.given_on}"


# --- Stories and activities -----------------------------------------------------------


def story_photo_path(instance, filename: str) -> str:
    return f"honours-stories/{timezone.now():%Y}/{uuid.uuid4().hex}.jpg"


class StoryQuerySet(ScopedQuerySet):
    scope_fields = about_person()

    def published(self):
        return self.filter(published_on__isnull=False, withdrawn_on__isnull=True)


class Story(models.Model):
    """A model worker's story (劳模故事), published to the portal until withdrawn."""

    person = models.ForeignKey(
        Person, verbose_name=_("model worker"), on_delete=models.PROTECT, related_name="+"
    )
    headline = models.CharField(_("headline"), max_length=100)
    text = models.TextField(_("text"))
    photo = models.ImageField(_("photo"), upload_to=story_photo_path, max_length=200, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-published_on", "-pk"]
        default_permissions = ("view", "add", "change")

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("honours:story-update", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_on is not None and self.withdrawn_on is None


class ActivityKind(models.TextChoices):
    SCHOOL = "school", _("Model workers into schools (劳模进校园)")
    ENTERPRISE = "enterprise", _("Craftsmen into enterprises (工匠进企业)")
    LECTURE = "lecture", _("Lecture or report")
    OTHER = "other", _("Other")


class ActivityQuerySet(ScopedQuerySet):
    scope_fields = ("organisation",)


class Activity(models.Model):
    """An activity of model workers: what, who, where, when (organised by a union)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    people = models.ManyToManyField(Person, verbose_name=_("model workers"), related_name="+")
    place = models.CharField(_("place"), max_length=200)
    held_on = models.DateField(_("held on"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-pk"]
        default_permissions = ("view", "add")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.held_on}"

    def get_absolute_url(self) -> str:
        return reverse("honours:activity-list")
