"""Spring jobs (春送岗位): job postings by employers, job fairs, and workers' applications.

A posting belongs where its employer belongs (the employer's township and
covering union); an application belongs where its posting does. Each change of
an application's status is a step row, and the number hired for a posting
never exceeds its headcount (checked under a lock on the posting).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from gonghui.core.labels import bracketed
from gonghui.core.scope import ScopedQuerySet
from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import Person, about_person


class PostingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    INTERVIEWED = "interviewed", _("Interviewed")
    HIRED = "hired", _("Hired")
    NOT_HIRED = "not_hired", _("Not hired")


#: The moves an application may make; hired and not hired are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ApplicationStatus.APPLIED: (ApplicationStatus.INTERVIEWED, ApplicationStatus.NOT_HIRED),
    ApplicationStatus.INTERVIEWED: (ApplicationStatus.HIRED, ApplicationStatus.NOT_HIRED),
    ApplicationStatus.HIRED: (),
    ApplicationStatus.NOT_HIRED: (),
}

#: A posting is placed in the tree by its employer's township and covering union.
POSTING_SCOPE_FIELDS = ("employer__township", "employer__union")


class JobPostingQuerySet(ScopedQuerySet):
    scope_fields = POSTING_SCOPE_FIELDS

    def open(self):
        return self.filter(status=PostingStatus.OPEN)


class JobPosting(models.Model):
    """A job an employer offers in a spring-jobs campaign (春送岗位), with monthly pay in yuan."""

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="job_postings"
    )
    title = models.CharField(_("job title"), max_length=100)
    pay_min = models.DecimalField(_("monthly pay from (yuan)"), max_digits=10, decimal_places=2)
    pay_max = models.DecimalField(_("monthly pay up to (yuan)"), max_digits=10, decimal_places=2)
    headcount = models.PositiveIntegerField(_("positions"))
    location = models.CharField(_("place of work"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PostingStatus.choices, default=PostingStatus.OPEN
    )
    campaign_year = models.PositiveSmallIntegerField(_("campaign year"))
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

    objects = JobPostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")
        ordering = ["-campaign_year", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pay_min__gte=0),
                name="job_posting_pay_not_negative",
                violation_error_message=_("Pay cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(pay_min__lte=F("pay_max")),
                name="job_posting_pay_range_ordered",
                violation_error_message=_("The lowest pay cannot be above the highest pay."),
            ),
            models.CheckConstraint(
                condition=Q(headcount__gt=0),
                name="job_posting_headcount_positive",
                violation_error_message=_("A posting offers at least one position."),
            ),
        ]
        indexes = [
            # The campaign summary groups one year's postings.
            models.Index(fields=["campaign_year", "employer"], name="job_posting_year_employer"),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.employer}"

    def get_absolute_url(self) -> str:
        return reverse("employment:posting-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == PostingStatus.OPEN


class JobFairQuerySet(ScopedQuerySet):
    scope_fields = ("organiser",)


class JobFair(models.Model):
    """A job fair (招聘会) an organisation holds in a campaign, with the employers there."""

    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="job_fairs",
    )
    name = models.CharField(_("name"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    campaign_year = models.PositiveSmallIntegerField(_("campaign year"))
    employers = models.ManyToManyField(
        Employer, verbose_name=_("employers attending"), blank=True, related_name="job_fairs"
    )
    attendance = models.PositiveIntegerField(_("workers attending"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JobFairQuerySet.as_manager()

    class Meta:
        verbose_name = _("job fair")
        verbose_name_plural = _("job fairs")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance__gte=0),
                name="job_fair_attendance_not_negative",
                violation_error_message=_("Attendance cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return bracketed(self.name, date_format(self.held_on))

    def get_absolute_url(self) -> str:
        return reverse("employment:fair-detail", args=[self.pk])


class JobApplicationQuerySet(ScopedQuerySet):
    # Seen where its posting is seen, and by whoever sees the applicant.
    scope_fields = (*(f"posting__{field}" for field in POSTING_SCOPE_FIELDS), *about_person())


class JobApplication(models.Model):
    """A worker's application for a posting and its outcome; each move is a step row."""

    posting = models.ForeignKey(
        JobPosting,
        verbose_name=_("job posting"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="job_applications"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.APPLIED,
    )
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = JobApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("job application")
        verbose_name_plural = _("job applications")
        ordering = ["-applied_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["posting", "person"],
                name="job_application_once_per_posting",
                violation_error_message=_("This worker has already applied for this posting."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="job_application_status_valid",
                violation_error_message=_("Unknown application status."),
            ),
        ]
        indexes = [
            # Counting the hired of a posting (headcount check, summary).
            models.Index(fields=["posting", "status"], name="job_application_posting_status"),
        ]
        permissions = [
            ("decide_jobapplication", _("Can record interviews and hiring outcomes")),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.posting.title}"

    def get_absolute_url(self) -> str:
        return reverse("employment:application-detail", args=[self.pk])

    def next_statuses(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]


class JobApplicationStep(models.Model):
    """One move of an application: from which status to which, who, when, with what comment."""

    application = models.ForeignKey(
        JobApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=ApplicationStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ["at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"
