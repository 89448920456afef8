"""Labour and skills competitions (劳动和技能竞赛): a competition organised by a union,
its events (theory, practical) with their score ranges and weights, the workers'
entries, the judges assigned to it, their scores, and the results once locked.

The course of a competition is an explicit status (``CompetitionStatus``), moved only
by the services: draft → open for registration → registration closed → scoring →
locked (results published). A locked result changes only through ``ResultChange``,
which keeps who changed it, when, why, and what it was before.

Event weights are whole percentages that add up to 100 (``WEIGHT_TOTAL``): a
competition opens for registration only when they do.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gonghui.core.scope import (
    ScopedQuerySet,
    is_whole_tree,
    sees_everything,
    subtree_q,
    user_scope_root,
)
from gonghui.orgs.models import Organisation
from gonghui.people.models import PERSON_SCOPE_FIELDS, Person

#: Event weights are whole percentages; a competition's add up to this.
WEIGHT_TOTAL = 100
#: No event's score range reaches past this (the database's guard on every score).
SCORE_CEILING = 1000
#: With this many judges' scores or more, the highest and the lowest are dropped.
DROP_FROM_JUDGES = 5


class CompetitionLevel(models.TextChoices):
    COUNTY = "county", _("County")
    MUNICIPAL = "municipal", _("Municipal")
    PROVINCIAL = "provincial", _("Provincial")
    NATIONAL = "national", _("National")


class CompetitionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for registration")
    CLOSED = "closed", _("Registration closed")
    SCORING = "scoring", _("Scoring")
    LOCKED = "locked", _("Results published")


class TieRule(models.TextChoices):
    SHARED = "shared", _("Equal final scores share a place (1, 1, 3)")
    PRACTICAL = "practical", _("Broken by the practical score, then shared")


class AwardBasis(models.TextChoices):
    COUNT = "count", _("By number of winners")
    SHARE = "share", _("By share of entrants (%)")


class Award(models.TextChoices):
    FIRST = "first", _("First prize")
    SECOND = "second", _("Second prize")
    THIRD = "third", _("Third prize")
    EXCELLENCE = "excellence", _("Excellence award")


class EventKind(models.TextChoices):
    THEORY = "theory", _("Theory")
    PRACTICAL = "practical", _("Practical")


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class CompetitionQuerySet(ScopedQuerySet):
    """Seen in the organiser's subtree, and by the organisations below the organiser:
    a county competition is open to the workers of every union in the county, whose
    chairs register their members for it. Changing one is for the organiser's
    subtree only (``services.may_organise``)."""

    scope_fields = ("organiser",)

    def in_subtree(self, organisation: Organisation) -> CompetitionQuerySet:
        if organisation.parent_id is None and is_whole_tree(organisation):
            return self.all()
        above = [int(pk) for pk in organisation.ancestor_ids()]
        return self.filter(subtree_q(organisation.path, "organiser") | Q(organiser_id__in=above))

    def organised_by(self, user) -> CompetitionQuerySet:
        """The competitions ``user`` runs: organised in their subtree (their own
        organisation or one below it), not those above that they only see; the
        queryset form of ``services.may_organise``'s scope test."""
        if sees_everything(user):
            return self.all()
        root = user_scope_root(user)
        if root is None:
            return self.none()
        return self.filter(subtree_q(root.path, "organiser"))

    def awaiting_decision(self) -> CompetitionQuerySet:
        """Competitions with a registration still to approve or refuse, while they may
        be decided (open or closed for registration, before scoring)."""
        pending = Entry.objects.filter(
            competition=models.OuterRef("pk"), status=EntryStatus.PENDING
        )
        return self.filter(
            models.Exists(pending),
            status__in=(CompetitionStatus.OPEN, CompetitionStatus.CLOSED),
        )

    def for_judge(self, user) -> CompetitionQuerySet:
        """The competitions ``user`` is assigned to judge."""
        return self.filter(judge_assignments__judge=user)


class Competition(models.Model):
    """A competition: who organises it, for which trade, who may enter, its events,
    how ties are broken and how many of each award are given."""

    name = models.CharField(_("name"), max_length=200)
    trade = models.CharField(_("trade"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=CompetitionLevel.choices)
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="competitions",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    registration_opens_on = models.DateField(_("registration opens on"))
    registration_closes_on = models.DateField(_("registration closes on"))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    eligible_trade = models.CharField(
        _("entrants' trade"),
        max_length=100,
        blank=True,
        help_text=_("Empty: any trade. Otherwise the entrant's job must mention it."),
    )
    members_only = models.BooleanField(_("union members only"), default=True)
    tie_rule = models.CharField(
        _("ties"), max_length=10, choices=TieRule.choices, default=TieRule.PRACTICAL
    )
    award_basis = models.CharField(
        _("awards given"), max_length=6, choices=AwardBasis.choices, default=AwardBasis.COUNT
    )
    first_awards = models.PositiveSmallIntegerField(_("first prizes"), default=1)
    second_awards = models.PositiveSmallIntegerField(_("second prizes"), default=2)
    third_awards = models.PositiveSmallIntegerField(_("third prizes"), default=3)
    excellence_awards = models.PositiveSmallIntegerField(_("excellence awards"), default=0)
    # The vocational skill level an award brings (职业技能等级, recorded on the
    # person's file when the results are locked); empty: none. Values are those of
    # ``skills.models.SkillLevel``.
    first_skill_level = models.CharField(
        _("skill level of a first prize"), max_length=20, blank=True
    )
    second_skill_level = models.CharField(
        _("skill level of a second prize"), max_length=20, blank=True
    )
    third_skill_level = models.CharField(
        _("skill level of a third prize"), max_length=20, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CompetitionStatus.choices,
        default=CompetitionStatus.DRAFT,
        editable=False,
    )
    locked_at = models.DateTimeField(_("results locked at"), null=True, blank=True, editable=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CompetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="competition_ends_after_start",
                violation_error_message=_("The competition must end on or after its first day."),
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_on__gte=F("registration_opens_on"))
                & Q(registration_closes_on__lte=F("starts_on")),
                name="competition_registration_window",
                violation_error_message=_(
                    "Registration closes on or after it opens, and no later than the "
                    "competition's first day."
                ),
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="competition_age_range",
                violation_error_message=_("The maximum age is at least the minimum age."),
            ),
            models.CheckConstraint(
                condition=Q(award_basis=AwardBasis.COUNT)
                | Q(
                    first_awards__lte=100,
                    second_awards__lte=100,
                    third_awards__lte=100,
                    excellence_awards__lte=100,
                ),
                name="competition_award_shares",
                violation_error_message=_("A share of entrants is a percentage up to 100."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=CompetitionStatus.values),
                name="competition_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status=CompetitionStatus.LOCKED, locked_at__isnull=False)
                | (~Q(status=CompetitionStatus.LOCKED) & Q(locked_at__isnull=True)),
                name="competition_locked_when_locked",
                violation_error_message=_("Locked results record when they were locked."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("competitions:detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == CompetitionStatus.LOCKED

    def award_numbers(self) -> dict[str, int]:
        return {
            Award.FIRST: self.first_awards,
            Award.SECOND: self.second_awards,
            Award.THIRD: self.third_awards,
            Award.EXCELLENCE: self.excellence_awards,
        }

    def skill_level_of(self, award: str) -> str:
        return {
            Award.FIRST: self.first_skill_level,
            Award.SECOND: self.second_skill_level,
            Award.THIRD: self.third_skill_level,
        }.get(award, "")


class EventQuerySet(ScopedQuerySet):
    scope_fields = ("competition__organiser",)


class Event(models.Model):
    """One event of a competition (theory, practical): its score range and its weight,
    a whole percentage of the final score."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="events", verbose_name=_("competition")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    min_score = models.DecimalField(_("lowest score"), max_digits=6, decimal_places=2, default=0)
    max_score = models.DecimalField(_("highest score"), max_digits=6, decimal_places=2, default=100)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), help_text=_("The weights of a competition's events add up to 100.")
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["competition", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_score__gte=0)
                & Q(max_score__gt=F("min_score"))
                & Q(max_score__lte=SCORE_CEILING),
                name="competition_event_score_range",
                violation_error_message=_(
                    "The highest score is above the lowest, from 0 up to 1000."
                ),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=WEIGHT_TOTAL),
                name="competition_event_weight_range",
                violation_error_message=_("A weight is a whole percentage from 1 to 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EntryQuerySet(ScopedQuerySet):
    """An entry is seen by whoever sees the entrant, and in the organiser's subtree."""

    scope_fields = (*(f"person__{f}" for f in PERSON_SCOPE_FIELDS), "competition__organiser")
    worker_field = "person"

    def approved(self):
        return self.filter(status=EntryStatus.APPROVED)


class Entry(models.Model):
    """A worker's entry in a competition, registered by the worker in the portal
    (``registered_by`` empty) or by a staff member, approved or refused by the
    organiser. Once the results are locked it holds the final score, the place and
    the award."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="entries", verbose_name=_("competition")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="competition_entries",
        verbose_name=_("entrant"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.PENDING
    )
    refusal_reason = models.CharField(_("reason for refusal"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    final_score = models.DecimalField(
        _("final score"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    place = models.PositiveIntegerField(_("place"), null=True, blank=True)
    award = models.CharField(_("award"), max_length=12, choices=Award.choices, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["competition", "place", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "person"],
                name="competition_entry_once",
                violation_error_message=_("This worker has already entered this competition."),
            ),
            models.CheckConstraint(
                condition=~Q(status=EntryStatus.REFUSED) | ~Q(refusal_reason=""),
                name="competition_entry_refused_with_reason",
                violation_error_message=_("A refusal gives its reason."),
            ),
            models.CheckConstraint(
                condition=Q(award="") | Q(status=EntryStatus.APPROVED, place__isnull=False),
                name="competition_entry_award_placed",
                violation_error_message=_("Only a placed, approved entrant holds an award."),
            ),
        ]
        indexes = [
            # The worker's own entries in the portal and on the person's file.
            models.Index(fields=["person", "competition"], name="competition_entry_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.competition}"

    def get_absolute_url(self) -> str:
        return reverse("competitions:entries", args=[self.competition_id])


class JudgeAssignmentQuerySet(ScopedQuerySet):
    scope_fields = ("competition__organiser",)


class JudgeAssignment(models.Model):
    """A staff account holding the judge role, assigned to judge one competition."""

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="judge_assignments"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="judge_assignments",
        verbose_name=_("judge"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    objects = JudgeAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("judge assignment")
        verbose_name_plural = _("judge assignments")
        ordering = ["competition", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "judge"],
                name="competition_judge_once",
                violation_error_message=_("This judge is already assigned to the competition."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.judge} · {self.competition_id}"


class ScoreQuerySet(ScopedQuerySet):
    scope_fields = ("entry__competition__organiser",)


class Score(models.Model):
    """One judge's score of one entrant in one event: one row, corrected in place
    (with its audit entry) until the results are locked."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "event", "judge"],
                name="competition_score_once",
                violation_error_message=_(
                    "This judge has already scored this entrant in this event."
                ),
            ),
            # The event's own range is checked by the service (a CHECK cannot read the
            # event's row); the database keeps every score within the widest range.
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=SCORE_CEILING),
                name="competition_score_range",
                violation_error_message=_("A score lies from 0 to 1000."),
            ),
        ]
        indexes = [
            # The ranking reads every score of a competition's events in one query.
            models.Index(fields=["event", "entry"], name="competition_score_event"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}/{self.event_id}/{self.judge_id}: {self.value}"


class ResultChangeQuerySet(ScopedQuerySet):
    scope_fields = ("entry__competition__organiser",)


class ResultChange(models.Model):
    """A change to a locked result: who, when, why, and the result before and after."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="result_changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("reason"))
    old_score = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    new_score = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    old_place = models.PositiveIntegerField(null=True)
    new_place = models.PositiveIntegerField(null=True)
    old_award = models.CharField(max_length=12, blank=True)
    new_award = models.CharField(max_length=12, blank=True)

    objects = ResultChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("result change")
        verbose_name_plural = _("result changes")
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="competition_result_change_reason",
                violation_error_message=_("A change to a locked result gives its reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} @ {self.changed_at}"


def certificate_path(instance: Certificate, filename: str) -> str:
    """A random name under MEDIA_ROOT: the file names nobody."""
    import uuid

    return f"competitions/certificates/{uuid.uuid4().hex}.pdf"


class Certificate(models.Model):
    """The PDF certificate of an award, made once the results are locked (by the
    background job for the whole competition, or when first asked for)."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="certificate")
    file = models.FileField(upload_to=certificate_path, max_length=200)
    award = models.CharField(max_length=12, choices=Award.choices)
    generated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.award}"
