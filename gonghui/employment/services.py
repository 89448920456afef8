"""Writes about spring jobs: postings, fairs, applications and their outcomes.

Every function takes the acting user as ``by=``, checks the scope rule, runs in
one transaction and returns what it saved; django-auditlog records the changes
of the registered models from the same transaction.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gonghui.core.scope import is_in_scope
from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import Person

from .models import (
    TRANSITIONS,
    ApplicationStatus,
    JobApplication,
    JobApplicationStep,
    JobFair,
    JobPosting,
    PostingStatus,
)

MIN_YEAR = 2000
MAX_YEAR = 2100


def _check_employer(by, employer: Employer) -> None:
    if not Employer.objects.for_user(by).filter(pk=employer.pk).exists():
        raise PermissionDenied(_("The employer is outside your scope."))


def _check_posting_terms(
    *, pay_min: Decimal, pay_max: Decimal, headcount: int, campaign_year: int
) -> None:
    errors: dict[str, str] = {}
    if pay_min < 0:
        errors["pay_min"] = _("Pay cannot be negative.")
    elif pay_min > pay_max:
        errors["pay_max"] = _(
            "The highest pay (%(max)s) cannot be below the lowest pay (%(min)s)."
        ) % {"max": pay_max, "min": pay_min}
    if headcount < 1:
        errors["headcount"] = _("A posting offers at least one position.")
    if not MIN_YEAR <= campaign_year <= MAX_YEAR:
        errors["campaign_year"] = _("Enter a campaign year between %(low)s and %(high)s.") % {
            "low": MIN_YEAR,
            "high": MAX_YEAR,
        }
    if errors:
        raise ValidationError(errors)


def _posting_in_scope(by, posting: JobPosting, *, lock: bool = False) -> JobPosting:
    if not JobPosting.objects.for_user(by).filter(pk=posting.pk).exists():
        raise PermissionDenied(_("This job posting is outside your scope."))
    if lock:
        # The lock serialises everything that counts the hired against the headcount.
        return JobPosting.objects.select_for_update().get(pk=posting.pk)
    return JobPosting.objects.get(pk=posting.pk)


def _hired_count(posting: JobPosting) -> int:
    return posting.applications.filter(status=ApplicationStatus.HIRED).count()


# --- Postings --------------------------------------------------------------------------


@transaction.atomic
def job_posting_create(
    *,
    by,
    employer: Employer,
    title: str,
    pay_min: Decimal,
    pay_max: Decimal,
    headcount: int,
    location: str,
    campaign_year: int,
    description: str = "",
) -> JobPosting:
    """A new open posting of an employer in the user's scope."""
    _check_employer(by, employer)
    _check_posting_terms(
        pay_min=pay_min, pay_max=pay_max, headcount=headcount, campaign_year=campaign_year
    )
    if not title.strip():
        raise ValidationError({"title": _("Enter the job title.")})
    return JobPosting.objects.create(
        employer=employer,
        title=title.strip(),
        pay_min=pay_min,
        pay_max=pay_max,
        headcount=headcount,
        location=location.strip(),
        description=description,
        campaign_year=campaign_year,
        created_by=by,
    )


@transaction.atomic
def job_posting_update(
    *,
    by,
    posting: JobPosting,
    title: str,
    pay_min: Decimal,
    pay_max: Decimal,
    headcount: int,
    location: str,
    campaign_year: int,
    description: str = "",
) -> JobPosting:
    """Change a posting's terms; the headcount never drops below the number already hired."""
    posting = _posting_in_scope(by, posting, lock=True)
    _check_posting_terms(
        pay_min=pay_min, pay_max=pay_max, headcount=headcount, campaign_year=campaign_year
    )
    hired = _hired_count(posting)
    if headcount < hired:
        raise ValidationError(
            {
                "headcount": _(
                    "%(hired)s workers are already hired; the positions cannot be fewer."
                )
                % {"hired": hired}
            }
        )
    posting.title = title.strip()
    posting.pay_min = pay_min
    posting.pay_max = pay_max
    posting.headcount = headcount
    posting.location = location.strip()
    posting.campaign_year = campaign_year
    posting.description = description
    posting.save()
    return posting


@transaction.atomic
def job_posting_set_status(*, by, posting: JobPosting, status: str) -> JobPosting:
    """Close a posting to new applications, or open it again."""
    posting = _posting_in_scope(by, posting, lock=True)
    if status not in PostingStatus.values:
        raise ValidationError(_("Unknown posting status."))
    posting.status = status
    posting.save(update_fields=["status", "updated_at"])
    return posting


# --- Fairs -----------------------------------------------------------------------------


@transaction.atomic
def job_fair_create(
    *,
    by,
    organiser: Organisation,
    name: str,
    held_on: date,
    place: str,
    campaign_year: int,
    employers=(),
    attendance: int = 0,
) -> JobFair:
    """A job fair held by an organisation in the user's scope, with employers in scope."""
    if not is_in_scope(by, organiser):
        raise PermissionDenied(_("The organiser is outside your scope."))
    employers = list(employers)
    visible = set(
        Employer.objects.for_user(by)
        .filter(pk__in=[e.pk for e in employers])
        .values_list("pk", flat=True)
    )
    if any(e.pk not in visible for e in employers):
        raise PermissionDenied(_("An employer is outside your scope."))
    if attendance < 0:
        raise ValidationError({"attendance": _("Attendance cannot be negative.")})
    if not MIN_YEAR <= campaign_year <= MAX_YEAR:
        raise ValidationError(
            {
                "campaign_year": _("Enter a campaign year between %(low)s and %(high)s.")
                % {"low": MIN_YEAR, "high": MAX_YEAR}
            }
        )
    if not name.strip():
        raise ValidationError({"name": _("Enter the name of the job fair.")})
    fair = JobFair.objects.create(
        organiser=organiser,
        name=name.strip(),
        held_on=held_on,
        place=place.strip(),
        campaign_year=campaign_year,
        attendance=attendance,
        created_by=by,
    )
    fair.employers.set(employers)
    return fair


@transaction.atomic
def job_fair_record_attendance(*, by, fair: JobFair, attendance: int) -> JobFair:
    """The number of workers who came to the fair, counted after it."""
    if not JobFair.objects.for_user(by).filter(pk=fair.pk).exists():
        raise PermissionDenied(_("This job fair is outside your scope."))
    if attendance < 0:
        raise ValidationError({"attendance": _("Attendance cannot be negative.")})
    fair = JobFair.objects.select_for_update().get(pk=fair.pk)
    fair.attendance = attendance
    fair.save(update_fields=["attendance", "updated_at"])
    return fair


# --- Applications ----------------------------------------------------------------------


@transaction.atomic
def job_application_create(
    *, by, posting: JobPosting, person: Person, comment: str = ""
) -> JobApplication:
    """A worker applies for an open posting; once per posting (a database constraint)."""
    posting = _posting_in_scope(by, posting, lock=True)
    if not Person.objects.for_user(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("This person is outside your scope."))
    if not posting.is_open:
        raise ValidationError(_("This posting is closed to new applications."))
    if JobApplication.objects.filter(posting=posting, person=person).exists():
        raise ValidationError(_("This worker has already applied for this posting."))
    try:
        with transaction.atomic():
            application = JobApplication.objects.create(
                posting=posting, person=person, created_by=by
            )
    except IntegrityError:
        # Another request entered the same application a moment earlier.
        raise ValidationError(_("This worker has already applied for this posting.")) from None
    JobApplicationStep.objects.create(
        application=application, to_status=ApplicationStatus.APPLIED, by=by, comment=comment
    )
    return application


@transaction.atomic
def job_application_advance(
    *, by, application: JobApplication, to_status: str, comment: str = ""
) -> JobApplication:
    """Move an application one step (interviewed, hired, not hired) and record the step.

    Hiring locks the posting first, so two staff hiring for the last position
    at the same moment cannot both succeed.
    """
    if not JobApplication.objects.for_user(by).filter(pk=application.pk).exists():
        raise PermissionDenied(_("This application is outside your scope."))
    posting = JobPosting.objects.select_for_update().get(pk=application.posting_id)
    application = JobApplication.objects.select_for_update().get(pk=application.pk)
    if to_status not in TRANSITIONS.get(application.status, ()):
        raise ValidationError(
            _("An application that is “%(current)s” cannot become “%(next)s”.")
            % {
                "current": application.get_status_display(),
                "next": ApplicationStatus(to_status).label
                if to_status in ApplicationStatus.values
                else to_status,
            }
        )
    if to_status == ApplicationStatus.HIRED:
        hired = _hired_count(posting)
        if hired >= posting.headcount:
            raise ValidationError(
                _("All %(headcount)s positions of this posting are already filled.")
                % {"headcount": posting.headcount}
            )
    JobApplicationStep.objects.create(
        application=application,
        from_status=application.status,
        to_status=to_status,
        by=by,
        comment=comment,
    )
    application.status = to_status
    application.save(update_fields=["status", "updated_at"])
    return application
