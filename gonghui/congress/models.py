"""The workers' congress (职工代表大会) of an employer and its open affairs (厂务公开).

Every record belongs to one employer and is seen where the employer is seen:
by its township and by the union that covers it, and those above (``core.scope``).

The rules the records keep (企业民主管理规定, 2012, arts. 10, 13, 14, 19 and 21):
a congress meets at least once a year; managers above the middle level are at
most a fifth of the delegates; a session is valid only with two thirds of the
delegates present; a resolution passes only with more than half of ALL the
delegates voting for it (not of those present).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThanOrEqual
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gonghui.core.scope import ScopedQuerySet
from gonghui.orgs.models import Employer
from gonghui.people.models import Person

#: Managers (中层以上管理人员) may be at most this share of the delegates
#: (企业民主管理规定 art. 19: 一般不超过职工代表总人数的百分之二十).
MANAGER_SHARE_MAX = 20  # per cent


def has_quorum(present: int, total: int) -> bool:
    """Two thirds of the delegates present (企业民主管理规定 art. 13); two thirds exactly do."""
    return total > 0 and present * 3 >= total * 2


def has_majority(votes_for: int, total: int) -> bool:
    """More than half of all delegates (not of those present) voted for: half is not enough."""
    return votes_for * 2 > total


class EmployerScopedQuerySet(ScopedQuerySet):
    # Seen by the employer's township and by the union that covers it.
    scope_fields = ("employer__township", "employer__union")


class SessionScopedQuerySet(ScopedQuerySet):
    scope_fields = ("session__employer__township", "session__employer__union")


class CongressSession(models.Model):
    """One session of an employer's congress: the term (届) and the session in it (次)."""

    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="congress_sessions",
    )
    term = models.PositiveSmallIntegerField(_("term (届)"))
    number = models.PositiveSmallIntegerField(_("session (次)"))
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmployerScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("congress session")
        verbose_name_plural = _("congress sessions")
        ordering = ["-held_on", "-pk"]
        permissions = [("manage_congress", _("Can record workers' congresses and open affairs"))]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "term", "number"],
                name="congress_session_once",
                violation_error_message=_("This session of this term is recorded already."),
            ),
            models.CheckConstraint(
                condition=Q(term__gte=1, number__gte=1),
                name="congress_session_numbers_positive",
                violation_error_message=_("The term and the session are numbered from 1."),
            ),
        ]
        indexes = [
            # The overview reads each employer's latest session (overdue or not).
            models.Index(fields=["employer", "-held_on"], name="congress_session_latest"),
        ]

    def __str__(self) -> str:
        return _("Term %(term)d, session %(number)d") % {"term": self.term, "number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("congress:session-detail", args=[self.pk])


class Delegate(models.Model):
    """A delegate elected for one term of an employer's congress.

    The kinds are independent flags, not one choice: a woman front-line worker
    counts in both shares, as the rules count her.
    """

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="delegates"
    )
    term = models.PositiveSmallIntegerField(_("term (届)"))
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="congress_delegacies",
    )
    name = models.CharField(_("name"), max_length=50)
    frontline = models.BooleanField(_("front-line worker"), default=False)
    manager = models.BooleanField(_("manager (middle level or above)"), default=False)
    woman = models.BooleanField(_("woman"), default=False)
    dispatched = models.BooleanField(_("dispatched worker"), default=False)
    elected_on = models.DateField(_("elected on"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmployerScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("congress delegate")
        verbose_name_plural = _("congress delegates")
        ordering = ["employer", "-term", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "term", "person"],
                condition=Q(person__isnull=False),
                name="congress_delegate_once_per_term",
                violation_error_message=_("This worker is a delegate of this term already."),
            ),
            models.CheckConstraint(
                condition=Q(term__gte=1),
                name="congress_delegate_term_positive",
                violation_error_message=_("The term is numbered from 1."),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="congress_delegate_named",
                violation_error_message=_("Name the delegate."),
            ),
        ]
        indexes = [
            # The shares and the quorum count a term's delegates.
            models.Index(fields=["employer", "term"], name="congress_delegate_term"),
        ]

    def __str__(self) -> str:
        return self.name

    def kinds(self) -> list[str]:
        shown = [
            (self.frontline, _("front-line worker")),
            (self.manager, _("manager")),
            (self.woman, _("woman")),
            (self.dispatched, _("dispatched worker")),
        ]
        return [str(label) for held, label in shown if held]


class Attendance(models.Model):
    """A delegate present at a session (a row per delegate present)."""

    session = models.ForeignKey(
        CongressSession, on_delete=models.CASCADE, related_name="attendances"
    )
    delegate = models.ForeignKey(Delegate, on_delete=models.PROTECT, related_name="attendances")

    objects = SessionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["session", "delegate"], name="congress_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.delegate}"


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted as a proposal")
    MERGED = "merged", _("Merged")
    HANDLED = "handled", _("Handled")
    REPLIED = "replied", _("Replied")


#: The steps a proposal may take: a proposal is accepted (立案) or merged with
#: another; an accepted one is handled by its department and then answered.
PROPOSAL_STEPS = {
    ProposalStatus.SUBMITTED: {ProposalStatus.ACCEPTED, ProposalStatus.MERGED},
    ProposalStatus.ACCEPTED: {ProposalStatus.HANDLED, ProposalStatus.REPLIED},
    ProposalStatus.HANDLED: {ProposalStatus.REPLIED},
    ProposalStatus.MERGED: set(),
    ProposalStatus.REPLIED: set(),
}


class Proposal(models.Model):
    """A delegate's proposal (提案) to a session, its handling and its written reply."""

    session = models.ForeignKey(
        CongressSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    proposer = models.ForeignKey(
        Delegate, verbose_name=_("proposer"), on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    department = models.CharField(_("department responsible"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    reply = models.TextField(_("written reply"), blank=True)
    submitted_on = models.DateField(_("submitted on"))
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    #: The proposal of the same session this one joined (并案): its reply answers both.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_proposals",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values),
                name="congress_proposal_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProposalStatus.REPLIED)
                | (~Q(reply="") & Q(replied_on__isnull=False)),
                name="congress_proposal_reply_written",
                violation_error_message=_(
                    "A replied proposal needs the written reply and its date."
                ),
            ),
            # Proposals merged before the proposal they joined was recorded keep no
            # link; every merge since names it (``services.proposal_advance``).
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(status=ProposalStatus.MERGED),
                name="congress_proposal_merged_into_only_when_merged",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")),
                name="congress_proposal_not_merged_into_itself",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("congress:proposal-update", args=[self.pk])


#: More than half of all delegates voted for, in the database's terms.
_MAJORITY = Q(GreaterThan(F("votes_for") * 2, F("delegates_total")))
#: Two thirds of the delegates present, in the database's terms.
_QUORUM = Q(GreaterThanOrEqual(F("delegates_present") * 3, F("delegates_total") * 2)) & Q(
    delegates_total__gt=0
)


class Resolution(models.Model):
    """A resolution put to a session's vote, with the counts and the outcome.

    The delegates of the term and those present are kept as they were at the
    vote, so the outcome stays explainable after the roll changes.
    """

    session = models.ForeignKey(
        CongressSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"))
    votes_against = models.PositiveIntegerField(_("votes against"))
    votes_abstain = models.PositiveIntegerField(_("abstentions"))
    delegates_total = models.PositiveIntegerField(_("delegates of the term"))
    delegates_present = models.PositiveIntegerField(_("delegates present"))
    passed = models.BooleanField(_("passed"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["session", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(votes_for__gte=0, votes_against__gte=0, votes_abstain__gte=0),
                name="congress_resolution_votes_not_negative",
                violation_error_message=_("A vote count cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(
                    LessThanOrEqual(
                        F("votes_for") + F("votes_against") + F("votes_abstain"),
                        F("delegates_present"),
                    )
                ),
                name="congress_resolution_votes_within_present",
                violation_error_message=_("More votes than delegates present."),
            ),
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(F("delegates_present"), F("delegates_total"))),
                name="congress_resolution_present_within_total",
            ),
            models.CheckConstraint(
                condition=(Q(passed=True) & _MAJORITY & _QUORUM)
                | (Q(passed=False) & ~(_MAJORITY & _QUORUM)),
                name="congress_resolution_outcome_by_rule",
                violation_error_message=_(
                    "A resolution passes only at a valid session with more than half "
                    "of all delegates voting for it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DisclosureTopic(models.TextChoices):
    WAGES = "wages", _("Wages and bonuses")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance and housing fund")
    SAFETY = "safety", _("Work safety and health")
    FINANCE = "finance", _("Finances")
    BUSINESS = "business", _("Major business decisions")
    RULES = "rules", _("Rules and regulations")
    WELFARE = "welfare", _("Welfare and benefits")
    STAFFING = "staffing", _("Hiring, training and promotion")
    OTHER = "other", _("Other")


class Disclosure(models.Model):
    """Something the employer disclosed to its workers (厂务公开): topic, period, text, date."""

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="disclosures"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=DisclosureTopic.choices)
    period = models.CharField(_("period"), max_length=50, help_text=_("e.g. 2025年第二季度"))
    text = models.TextField(_("text"))
    disclosed_on = models.DateField(_("disclosed on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmployerScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-disclosed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__in=DisclosureTopic.values),
                name="congress_disclosure_topic_valid",
            ),
        ]
        indexes = [
            # The employer's page lists its disclosures, newest first.
            models.Index(fields=["employer", "-disclosed_on"], name="congress_disclosure_new"),
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("congress:employer", args=[self.employer_id])


class CongressEmployer(Employer):
    """An employer as the congress overview lists it: its link opens its congress page."""

    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def get_absolute_url(self) -> str:
        return reverse("congress:employer", args=[self.pk])

    @property
    def overdue_label(self) -> str:
        """ "Overdue" or nothing, from the overview's annotation (``selectors.overview``)."""
        return str(_("overdue")) if getattr(self, "overdue", False) else ""
