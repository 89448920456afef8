"""Writes about spring jobs: postings, fairs, applications and their outcomes.

Every function takes the acting user as ``by=``, checks the scope rule, runs in
one transaction and returns what it saved; django-auditlog records the changes
of the registered models from the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gonghui.core.scope import is_in_scope
from gonghui.inbox.models import MessageKind
from gonghui.inbox.services import notify, workers_language
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

#: What the worker is told when staff move their application, by the new status.
ADVANCE_BODIES = {
    ApplicationStatus.INTERVIEWED: gettext_noop(
        "%(employer)s recorded your interview. You will be told the outcome here."
    ),
    ApplicationStatus.HIRED: gettext_noop(
        "%(employer)s has hired you. Your union wishes you well in the new job."
    ),
    ApplicationStatus.NOT_HIRED: gettext_noop(
        "%(employer)s did not hire you this time. Other jobs are open on the portal."
    ),
}


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
    """A worker applies for an open posting; once per posting (a database constraint).

    ``by`` is the staff user entering the application for a worker in their scope,
    or None when the worker applies through the portal: the portal has identified
    the person, and any open posting of the county is open to them.
    """
    if by is None:
        posting = JobPosting.objects.select_for_update().get(pk=posting.pk)
    else:
        posting = _posting_in_scope(by, posting, lock=True)
        if not Person.objects.for_user(by).filter(pk=person.pk).exists():
            raise PermissionDenied(_("This person is outside your scope."))
    already = (
        _("You have already applied for this job.")
        if by is None
        else _("This worker has already applied for this posting.")
    )
    if not posting.is_open:
        raise ValidationError(_("This posting is closed to new applications."))
    if JobApplication.objects.filter(posting=posting, person=person).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            application = JobApplication.objects.create(
                posting=posting, person=person, created_by=by
            )
    except IntegrityError:
        # Another request entered the same application a moment earlier.
        raise ValidationError(already) from None
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
    with workers_language():
        notify(
            application.person,
            MessageKind.GENERAL,
            title=_("Your application for %(title)s: %(status)s")
            % {"title": posting.title, "status": application.get_status_display()},
            body=_(ADVANCE_BODIES[to_status]) % {"employer": posting.employer.name},
            url=reverse("portal-jobs:mine"),
        )
    return application


@dataclass(frozen=True)
class PortalApplyOutcome:
    application: JobApplication
    #: False when the form had already sent its application (a double tap, a resend).
    created: bool


@transaction.atomic
def job_application_portal_apply(
    *, person: Person, posting: JobPosting, comment: str, issued_at: datetime
) -> PortalApplyOutcome:
    """The worker ``person`` applies from the portal, from a form issued at ``issued_at``.

    The posting's row is locked first, so of two posts of one form (a double tap)
    the second waits, then finds the application the first made since the form
    was issued and returns it: one application, one result page. An application
    made before the form was issued is refused as applying twice.
    """
    JobPosting.objects.select_for_update().filter(pk=posting.pk).first()
    sent = JobApplication.objects.filter(
        posting=posting, person=person, created_by=None, applied_at__gte=issued_at
    ).first()
    if sent is not None:
        return PortalApplyOutcome(sent, created=False)
    application = job_application_create(
        by=None, posting=posting, person=person, comment=comment.strip()
    )
    return PortalApplyOutcome(application, created=True)
