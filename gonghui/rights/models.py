"""Rights cases (维权): legal aid (法律援助), dispute mediation (劳动争议调解) and
complaints or petitions (投诉、信访), with their deadlines.

A case belongs to the organisation handling it (``organisation``): that
organisation and those above it see it (the scope rule, ``core.scope``). When a
handler is assigned the case moves to the handler's organisation, so the handler
sees what they handle and their superiors still do. Confidential notes are
encrypted and read only by the handler, the handler's superiors and county
administrators (``selectors.note_readable``), every read logged.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.crypto import CiphertextField
from gonghui.core.scope import ScopedQuerySet
from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import Person

#: Associated data of the encrypted note column (core.crypto): fixed, so renaming
#: the field does not make the notes unreadable.
NOTE_CONTEXT = "rights.casenote.text"

#: Letters and digits a reader cannot confuse (no 0/O, 1/I/L): 31 symbols.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: 31**16 ≈ 7·10^23 codes: guessing one of even millions of cases is hopeless.
TRACKING_LENGTH = 16

#: 劳动争议调解仲裁法 第七条: ten or more workers with a common claim make a group dispute.
GROUP_SIZE = 10


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(TRACKING_LENGTH))


class CaseKind(models.TextChoices):
    LEGAL_AID = "legal_aid", _("Legal aid")
    MEDIATION = "mediation", _("Dispute mediation")
    COMPLAINT = "complaint", _("Complaint or petition")


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("12351 hotline call")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    REFERRAL = "referral", _("Referral")
    PORTAL = "portal", _("Worker portal")


#: What staff enter at the console; the portal lodges with ``Channel.PORTAL``.
STAFF_CHANNELS = (Channel.HOTLINE, Channel.VISIT, Channel.LETTER, Channel.REFERRAL)


class Category(models.TextChoices):
    WAGE_ARREARS = "wages", _("Wage arrears")
    INJURY = "injury", _("Work injury")
    CONTRACT = "contract", _("Labour contract")
    SOCIAL_INSURANCE = "insurance", _("Social insurance")
    OVERTIME = "overtime", _("Overtime")
    DISMISSAL = "dismissal", _("Termination of employment")
    OTHER = "other", _("Other")


class Complexity(models.TextChoices):
    SIMPLE = "simple", _("Simple")
    ORDINARY = "ordinary", _("Ordinary")
    COMPLEX = "complex", _("Complex")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ASSIGNED = "assigned", _("Assigned to a handler")
    IN_MEDIATION = "in_mediation", _("In mediation")
    IN_LEGAL_AID = "in_legal_aid", _("In legal aid")
    RESOLVED = "resolved", _("Resolved, awaiting callback")
    CLOSED = "closed", _("Closed")


#: Statuses whose case still has a deadline.
OPEN_STATUSES = (
    CaseStatus.RECEIVED,
    CaseStatus.ACCEPTED,
    CaseStatus.ASSIGNED,
    CaseStatus.IN_MEDIATION,
    CaseStatus.IN_LEGAL_AID,
    CaseStatus.RESOLVED,
)
#: Statuses counted against the handling deadline (from acceptance to resolution).
HANDLING_STATUSES = (
    CaseStatus.ACCEPTED,
    CaseStatus.ASSIGNED,
    CaseStatus.IN_MEDIATION,
    CaseStatus.IN_LEGAL_AID,
)


class Resolution(models.TextChoices):
    AGREEMENT = "agreement", _("Mediated agreement")
    ARBITRATION = "arbitration", _("Referred to arbitration")
    COURT = "court", _("Referred to court")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NO_BASIS = "no_basis", _("No basis")


class CaseQuerySet(ScopedQuerySet):
    scope_fields = ("organisation",)
    #: How ``portal.mine`` reaches the worker: the workers a case names. An anonymous
    #: case names none, so it is nobody's in the portal (the tracking code finds it).
    worker_field = "case_workers__person"

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Case(models.Model):
    """One rights case, from its lodging to the callback that closes it."""

    tracking_code = models.CharField(
        _("tracking code"), max_length=TRACKING_LENGTH, unique=True, default=new_tracking_code
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CaseKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("handling organisation"),
        on_delete=models.PROTECT,
        related_name="rights_cases",
    )
    workers = models.ManyToManyField(
        Person, verbose_name=_("workers"), through="CaseWorker", related_name="rights_cases"
    )
    anonymous = models.BooleanField(_("anonymous"), default=False)
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rights_cases",
    )
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    summary = models.TextField(_("what the worker asks"))
    amount_in_dispute = models.DecimalField(
        _("amount in dispute (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    workers_involved = models.PositiveIntegerField(
        _("workers involved"), default=1, validators=[MinValueValidator(1)]
    )
    is_group = models.BooleanField(_("group case"), default=False, editable=False)
    complexity = models.CharField(
        _("complexity"), max_length=10, choices=Complexity.choices, default=Complexity.ORDINARY
    )
    intake_answers = models.JSONField(_("intake answers"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lodged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rights_cases",
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    declined_on = models.DateField(_("declined on"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    started_on = models.DateField(_("handling started on"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.CharField(
        _("resolution"), max_length=12, choices=Resolution.choices, blank=True
    )
    resolution_terms = models.TextField(_("terms of the resolution"), blank=True)
    recovered_amount = models.DecimalField(
        _("money recovered (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    callback_on = models.DateField(_("callback on"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    callback_comment = models.TextField(_("worker's comment"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    due_provisional = models.BooleanField(_("due date provisional"), default=False)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        Organisation,
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalated_rights_cases",
    )
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    # A keyed hash of the portal form that lodged the case (``services.case_lodge_by_
    # worker``): the unique constraint makes a form sent twice one case, anonymous or
    # not, without keeping anything that says who sent it.
    lodge_key = models.CharField(max_length=64, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("rights case")
        verbose_name_plural = _("rights cases")
        # Group cases head every list (劳动争议调解仲裁法 第七条), then the newest.
        ordering = ["-is_group", "-received_at", "-pk"]
        permissions = [
            ("configure_case", _("Can configure case deadlines and intake templates")),
            ("check_case", _("Can draw and record the quality check of cases")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_group=True, workers_involved__gte=GROUP_SIZE)
                | Q(is_group=False, workers_involved__lt=GROUP_SIZE),
                name="rights_case_group_counts_workers",
                violation_error_message=_("A group case involves ten or more workers."),
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.DECLINED) | ~Q(decline_reason=""),
                name="rights_case_decline_has_reason",
                violation_error_message=_("A declined case records the reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED])
                | ~Q(resolution=""),
                name="rights_case_resolution_recorded",
                violation_error_message=_("A resolved case records how it was resolved."),
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="rights_case_satisfaction_1_to_5",
                violation_error_message=_("Satisfaction is from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.CLOSED) | Q(satisfaction__isnull=False),
                name="rights_case_closed_after_callback",
                violation_error_message=_("A case is closed only after the callback."),
            ),
            models.UniqueConstraint(
                fields=["lodge_key"],
                condition=~Q(lodge_key=""),
                name="rights_case_lodged_once",
            ),
        ]
        indexes = [
            # Every list's order (group cases first, newest first).
            models.Index(
                fields=["-is_group", "-received_at", "-id"], name="rights_case_list_order"
            ),
            # The nightly sweep and the "overdue" filter read open cases by due day.
            models.Index(fields=["status", "due_on"], name="rights_case_due"),
            # A handler's "my cases".
            models.Index(fields=["handler", "status"], name="rights_case_handler"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_category_display()} · {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("rights:case-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def needs_referral(self) -> bool:
        """A mediation not agreed within its calendar days (劳动争议调解仲裁法 第十四条):
        the parties may go to arbitration; the case is flagged for referral."""
        return (
            self.kind == CaseKind.MEDIATION and self.status in HANDLING_STATUSES and self.is_overdue
        )


class CaseWorker(models.Model):
    """A worker (person file) a case is about."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_workers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("worker of a case")
        verbose_name_plural = _("workers of cases")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="rights_caseworker_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.person_id}"


class CaseEvent(models.Model):
    """One step of a case's timeline: who did what, when, from which status to which."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(max_length=14, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=14, choices=CaseStatus.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        default_permissions = ()
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.action}"


class CaseNote(models.Model):
    """A confidential note on a case, encrypted at rest; read only through
    ``selectors.note_texts``, which checks the reader and logs the read."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text_encrypted = CiphertextField(_("note (encrypted)"), context=NOTE_CONTEXT)
    written_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("confidential case note")
        verbose_name_plural = _("confidential case notes")
        default_permissions = ()
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.written_at:%Y-%m-%d}"


class TrackingLookup(models.Model):
    """One lookup of a tracking code from an address, counted for the lookup limits
    (``tracking.LIMITS``, as ``portal.SignInCode`` counts code requests) and forgotten
    after a day. Neither the code asked nor whether it found a case is kept."""

    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        indexes = [
            # The limits count an address's lookups in the last minute and day.
            models.Index(fields=["address", "at"], name="rights_lookup_address"),
            # Lookups older than a day are deleted.
            models.Index(fields=["at"], name="rights_lookup_at"),
        ]

    def __str__(self) -> str:
        return f"{self.address} · {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance: CaseAttachment, filename: str) -> str:
    """A random name under MEDIA_ROOT (outside the web root), like aid evidence: the
    uploaded name is kept only as data, never used as a path."""
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"rights-attachments/{timezone.now():%Y}/{uuid.uuid4().hex}.{suffix}"


class CaseAttachment(models.Model):
    """A document of a case (a contract, a pay slip, a letter), served only to users
    who see the case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    # Empty for a file the worker added in the portal.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")
        ordering = ["uploaded_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("rights:attachment-download", args=[self.case_id, self.pk])


class DeadlineRule(models.Model):
    """The deadlines of one case kind at one complexity, set by county administrators.

    ``accept_days``, ``callback_days`` and ``escalate_after_days`` are working days
    (``workdays.calendar``); ``resolve_days`` counts calendar days when
    ``resolve_in_calendar_days`` (a mediation: 劳动争议调解仲裁法 第十四条), else working days.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=CaseKind.choices)
    complexity = models.CharField(_("complexity"), max_length=10, choices=Complexity.choices)
    accept_days = models.PositiveSmallIntegerField(_("accept within (working days)"))
    resolve_days = models.PositiveSmallIntegerField(_("resolve within (days from acceptance)"))
    resolve_in_calendar_days = models.BooleanField(
        _("resolution counted in calendar days"), default=False
    )
    callback_days = models.PositiveSmallIntegerField(
        _("callback within (working days after resolution)")
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate after overdue (working days)")
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["kind", "complexity"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "complexity"], name="rights_deadline_once"),
            models.CheckConstraint(
                condition=Q(accept_days__gte=1, resolve_days__gte=1, callback_days__gte=1)
                & Q(escalate_after_days__gte=1),
                name="rights_deadline_positive",
                violation_error_message=_("Every deadline is at least one day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_complexity_display()}"


class IntakeTemplate(models.Model):
    """The questions asked when a case of ``kind`` is taken (one per line), so that a
    12351 call is taken the same way by everyone."""

    kind = models.CharField(_("kind"), max_length=12, choices=CaseKind.choices, unique=True)
    questions = models.JSONField(_("questions"), default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("intake template")
        verbose_name_plural = _("intake templates")
        default_permissions = ()

    def __str__(self) -> str:
        return self.get_kind_display()


class CheckResult(models.TextChoices):
    GOOD = "good", _("Good")
    ACCEPTABLE = "acceptable", _("Acceptable")
    POOR = "poor", _("Needs improvement")


class QualityCheckQuerySet(ScopedQuerySet):
    scope_fields = ("case__organisation",)


class QualityCheck(models.Model):
    """A closed case drawn at random for the month's quality check, and its result."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="quality_check")
    month = models.DateField(_("month"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(default=timezone.now)
    result = models.CharField(_("result"), max_length=10, choices=CheckResult.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    objects = QualityCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("quality check")
        verbose_name_plural = _("quality checks")
        default_permissions = ()
        ordering = ["-month", "case_id"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.case_id}"


class EmployerWatchQuerySet(ScopedQuerySet):
    scope_fields = ("employer__township", "employer__union")


class EmployerWatch(models.Model):
    """An employer staff keep an eye on (prevention, 劳动争议预防), with why."""

    employer = models.OneToOneField(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, related_name="rights_watch"
    )
    note = models.TextField(_("why it is watched"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    objects = EmployerWatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("watched employer")
        verbose_name_plural = _("watched employers")
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.employer)
