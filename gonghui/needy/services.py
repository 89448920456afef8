"""Writes about needy-worker files: establishment, review and exit.

Every function takes the acting user as ``by=``, reaches the file or person
through the scope rule, runs in one transaction under a row lock on the file,
refuses a transition the file's status does not allow, and writes one
``FileStep`` row per transition. django-auditlog records the column changes
of the same transaction.

The public notice lasts ``settings.NEEDY_NOTICE_DAYS`` (default 5) working
days counted on the project's one calendar (``workdays.calendar``): a notice
started before the Spring Festival runs on after it. The notice, its objections
and the refusal to file before it is over are ``core.publicnotice``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import publicnotice
from gonghui.core.crypto import keyring
from gonghui.core.idnumbers import parse_id_number
from gonghui.core.scope import is_in_scope
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person

from .models import (
    FileCause,
    FileStep,
    HomeVisit,
    HouseholdMember,
    NeedyFile,
    Objection,
    ReviewRecord,
    Threshold,
    member_id_columns,
)
from .vocabularies import (
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

DEFAULT_NOTICE_DAYS = publicnotice.DEFAULT_NOTICE_DAYS
#: The file's own data may change only before the income check; after it, the
#: figures the notice showed are fixed, and later changes go through a review.
EDITABLE_STATUSES = (FileStatus.APPLIED, FileStatus.VISITED)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class MemberData:
    """A household member as entered (the ID number may be empty for a child without one)."""

    name: str
    relation: str
    id_number: str = ""
    note: str = ""


def notice_days() -> int:
    return publicnotice.configured_days("NEEDY_NOTICE_DAYS", DEFAULT_NOTICE_DAYS)


def _today() -> date:
    return timezone.localdate()


def _file_in_scope(by, file: NeedyFile) -> NeedyFile:
    """The file, locked, if ``by`` may see it; PermissionDenied otherwise."""
    try:
        return (
            NeedyFile.objects.for_user(by)
            .select_for_update(of=("self",))
            .select_related("person", "organisation")
            .get(pk=file.pk)
        )
    except NeedyFile.DoesNotExist:
        raise PermissionDenied(_("This needy-worker file is outside your scope.")) from None


def _require_status(file: NeedyFile, *allowed: str) -> None:
    if file.status not in allowed:
        raise ValidationError(
            _("This cannot be done while the file is “%(status)s”.")
            % {"status": file.get_status_display()}
        )


def _step(file: NeedyFile, *, by, action: str, from_status: str, comment: str = "") -> FileStep:
    return FileStep.objects.create(
        file=file,
        action=action,
        from_status=from_status,
        to_status=file.status,
        by=by,
        comment=comment,
    )


def _move(file: NeedyFile, *, by, to: str, action: str, comment: str = "", fields=()) -> None:
    before = file.status
    file.status = to
    file.save(update_fields=["status", "updated_at", *fields])
    _step(file, by=by, action=action, from_status=before, comment=comment)


# --- Thresholds ----------------------------------------------------------------------


def threshold_for(organisation: Organisation, year: int) -> Decimal | None:
    """The monthly threshold per head for ``year``: the nearest organisation's, else the setting."""
    ids = [*organisation.ancestor_ids(), organisation.pk]
    found = (
        Threshold.objects.filter(organisation_id__in=ids, year=year)
        .order_by("-organisation__depth")
        .values_list("amount", flat=True)
        .first()
    )
    if found is not None:
        return found
    default = getattr(settings, "NEEDY_DEFAULT_THRESHOLD", None)
    return Decimal(str(default)) if default else None


@transaction.atomic
def threshold_set(*, by, organisation: Organisation, year: int, amount: Decimal) -> Threshold:
    """Set (or change) an organisation's threshold for a year."""
    if not is_in_scope(by, organisation):
        raise PermissionDenied(_("This organisation is outside your scope."))
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The threshold must be above zero.")})
    threshold, _created = Threshold.objects.update_or_create(
        organisation=organisation, year=year, defaults={"amount": amount}
    )
    return threshold


# --- Creating and editing ------------------------------------------------------------


def _clean_causes(causes) -> list[str]:
    causes = list(dict.fromkeys(causes or ()))
    if not causes:
        raise ValidationError({"causes": _("Choose at least one cause of difficulty.")})
    unknown = [c for c in causes if c not in Cause.values]
    if unknown:
        raise ValidationError({"causes": _("Unknown cause: %(cause)s.") % {"cause": unknown[0]}})
    return causes


def _build_members(person: Person, household) -> list[HouseholdMember]:
    """Household rows, ID numbers checked, encrypted and hashed; the worker is not listed."""
    ring = keyring()
    members, seen = [], set()
    for entry in household or ():
        name = " ".join((entry.name or "").split())
        if not name:
            raise ValidationError({"household": _("Every household member needs a name.")})
        if entry.relation not in Relation.values:
            raise ValidationError(
                {"household": _("Choose the relation of %(name)s.") % {"name": name}}
            )
        columns = {"id_number_encrypted": "", "id_hash": ""}
        if entry.id_number:
            try:
                number = parse_id_number(entry.id_number).number
            except ValidationError as exc:
                raise ValidationError(
                    {
                        "household": _("The ID number of %(name)s: %(error)s")
                        % {"name": name, "error": " ".join(exc.messages)}
                    }
                ) from None
            columns = member_id_columns(number, ring)
            hashed = columns["id_hash"]
            if hashed == person.id_hash:
                raise ValidationError(
                    {"household": _("List the household members other than the worker.")}
                )
            if hashed in seen:
                raise ValidationError(
                    {"household": _("%(name)s is listed twice.") % {"name": name}}
                )
            seen.add(hashed)
        members.append(
            HouseholdMember(
                name=name, relation=entry.relation, note=(entry.note or "").strip(), **columns
            )
        )
    return members


def _check_choices(level: str, standard: str, income: Decimal) -> None:
    if level not in Level.values:
        raise ValidationError({"level": _("Choose the level of difficulty.")})
    if standard not in Standard.values:
        raise ValidationError({"standard": _("Choose the filing standard.")})
    if income is None or income < 0:
        raise ValidationError({"household_income": _("The household income cannot be negative.")})


def _write_details(file: NeedyFile, causes: list[str], members: list[HouseholdMember]) -> None:
    file.causes.all().delete()
    FileCause.objects.bulk_create(FileCause(file=file, cause=c) for c in causes)
    file.household.all().delete()
    for member in members:
        member.file = file
    HouseholdMember.objects.bulk_create(members)


@transaction.atomic
def needy_file_create(
    *,
    by,
    person: Person,
    origin: str,
    level: str,
    standard: str,
    causes,
    household_income: Decimal,
    household=(),
    situation: str = "",
    comment: str = "",
) -> NeedyFile:
    """Open a file from a worker's application or a union's referral. One open file per person."""
    try:
        # The person's row lock makes two simultaneous openings wait for each other.
        person = Person.objects.for_user(by).select_for_update(of=("self",)).get(pk=person.pk)
    except Person.DoesNotExist:
        raise PermissionDenied(_("This person is outside your scope.")) from None
    if origin not in Origin.values:
        raise ValidationError({"origin": _("Choose whether the worker applied or was referred.")})
    _check_choices(level, standard, household_income)
    causes = _clean_causes(causes)
    members = _build_members(person, household)
    if NeedyFile.objects.filter(person=person).open().exists():
        raise ValidationError(_("This worker already has an open needy-worker file."))
    organisation = by.organisation if getattr(by, "organisation_id", None) else person.file_org
    file = NeedyFile(
        person=person,
        organisation=organisation,
        origin=origin,
        level=level,
        standard=standard,
        household_income=household_income,
        situation=situation.strip(),
        created_by=by,
    )
    try:
        with transaction.atomic():
            file.save()
    except IntegrityError:
        raise ValidationError(_("This worker already has an open needy-worker file.")) from None
    _write_details(file, causes, members)
    _step(file, by=by, action=StepAction.CREATE, from_status="", comment=comment.strip())
    return file


@transaction.atomic
def needy_file_update(
    *,
    by,
    file: NeedyFile,
    level: str,
    standard: str,
    causes,
    household_income: Decimal,
    household=(),
    situation: str = "",
) -> NeedyFile:
    """Correct a file before its income is checked (household rows are replaced)."""
    file = _file_in_scope(by, file)
    _require_status(file, *EDITABLE_STATUSES)
    _check_choices(level, standard, household_income)
    causes = _clean_causes(causes)
    members = _build_members(file.person, household)
    file.level, file.standard = level, standard
    file.household_income = household_income
    file.situation = situation.strip()
    file.save()
    _write_details(file, causes, members)
    return file


# --- Establishment -------------------------------------------------------------------


@transaction.atomic
def needy_file_record_visit(
    *, by, file: NeedyFile, visited_on: date, visitors: str, findings: str
) -> HomeVisit:
    """Record a home visit (入户走访); the first one moves an application on."""
    file = _file_in_scope(by, file)
    _require_status(file, FileStatus.APPLIED, FileStatus.VISITED)
    if visited_on > _today():
        raise ValidationError({"visited_on": _("A visit cannot be in the future.")})
    if not visitors.strip():
        raise ValidationError({"visitors": _("Name who visited.")})
    if not findings.strip():
        raise ValidationError({"findings": _("Describe what the visit found.")})
    visit = HomeVisit.objects.create(
        file=file,
        visited_on=visited_on,
        visitors=visitors.strip(),
        findings=findings.strip(),
        recorded_by=by,
    )
    comment = _("Visited on %(date)s by %(visitors)s") % {
        "date": visited_on.isoformat(),
        "visitors": visit.visitors,
    }
    if file.status == FileStatus.APPLIED:
        _move(file, by=by, to=FileStatus.VISITED, action=StepAction.VISIT, comment=comment)
    else:
        _step(file, by=by, action=StepAction.VISIT, from_status=file.status, comment=comment)
    return visit


def per_capita_monthly(income: Decimal, household_size: int) -> Decimal:
    """Yearly household income → monthly income per head, to the fen."""
    return (income / household_size / 12).quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def needy_file_check_income(*, by, file: NeedyFile, comment: str = "") -> NeedyFile:
    """Check the household income against the local threshold for this year.

    A file at the deep or relative level needs an income per head at or under
    the threshold; a difficulty from an accident (意外致困) is judged on the
    accident, so its figures are recorded without that condition.
    """
    file = _file_in_scope(by, file)
    _require_status(file, FileStatus.VISITED)
    year = _today().year
    threshold = threshold_for(file.organisation, year)
    if threshold is None:
        raise ValidationError(
            _("No income threshold is set for %(year)s. Set one under Income thresholds first.")
            % {"year": year}
        )
    size = 1 + file.household.count()
    per_capita = per_capita_monthly(file.household_income, size)
    if file.level != Level.ACCIDENT and per_capita > threshold:
        raise ValidationError(
            _(
                "The monthly income per head (%(income)s yuan) is above the threshold "
                "(%(threshold)s yuan): the file cannot be established at this level."
            )
            % {"income": per_capita, "threshold": threshold}
        )
    file.household_size, file.per_capita_income, file.threshold = size, per_capita, threshold
    _move(
        file,
        by=by,
        to=FileStatus.CHECKED,
        action=StepAction.INCOME_CHECK,
        comment=comment.strip(),
        fields=("household_size", "per_capita_income", "threshold"),
    )
    return file


@transaction.atomic
def needy_file_start_notice(
    *, by, file: NeedyFile, starts_on: date | None = None, days: int | None = None
) -> NeedyFile:
    """Put the file on public notice (公示) from ``starts_on`` for ``days`` working days
    (``starts_on`` the first of them if it is a working day)."""
    file = _file_in_scope(by, file)
    _require_status(file, FileStatus.CHECKED)
    dates = publicnotice.notice_start(
        file, starts_on=starts_on, days=days or notice_days(), today=_today()
    )
    _move(
        file,
        by=by,
        to=FileStatus.NOTICE,
        action=StepAction.NOTICE_START,
        comment=dates.describe(),
        fields=("notice_starts_on", "notice_days", "notice_ends_on"),
    )
    return file


@transaction.atomic
def needy_objection_record(
    *, by, file: NeedyFile, received_on: date, content: str, raised_by: str = ""
) -> Objection:
    """Record an objection received during the notice; it blocks filing until settled."""
    file = _file_in_scope(by, file)
    _require_status(file, FileStatus.NOTICE)
    content = publicnotice.objection_check(content=content, received_on=received_on, today=_today())
    objection = Objection.objects.create(
        file=file,
        received_on=received_on,
        raised_by=raised_by.strip(),
        content=content,
        recorded_by=by,
    )
    _step(
        file, by=by, action=StepAction.OBJECTION, from_status=file.status, comment=objection.content
    )
    return objection


@transaction.atomic
def needy_objection_resolve(
    *, by, objection: Objection, upheld: bool, resolution: str
) -> Objection:
    """Settle an objection. One with substance sends the file back to be visited again."""
    file = _file_in_scope(by, objection.file)
    objection = Objection.objects.select_for_update().get(pk=objection.pk, file=file)
    publicnotice.objection_settle(objection, by=by, upheld=upheld, resolution=resolution)
    if upheld and file.status == FileStatus.NOTICE:
        # The facts are in doubt: visit, check and notice again.
        file.notice_clear()
        _move(
            file,
            by=by,
            to=FileStatus.APPLIED,
            action=StepAction.OBJECTION_UPHELD,
            comment=objection.resolution,
            fields=("notice_starts_on", "notice_ends_on", "notice_days"),
        )
    else:
        _step(
            file,
            by=by,
            action=StepAction.OBJECTION_UPHELD if upheld else StepAction.OBJECTION_DISMISSED,
            from_status=file.status,
            comment=objection.resolution,
        )
    return objection


@transaction.atomic
def needy_file_file(*, by, file: NeedyFile, comment: str = "") -> NeedyFile:
    """File (建档) after the notice period has ended with no objection pending."""
    file = _file_in_scope(by, file)
    _require_status(file, FileStatus.NOTICE)
    today = _today()
    publicnotice.notice_require_confirmable(
        file,
        file.objections.all(),
        today=today,
        running_message=_(
            "The public notice runs until %(date)s; the file can be filed after that."
        ),
        pending_message=_("An objection is still pending: settle it before filing."),
    )
    file.filed_on = today
    _move(
        file,
        by=by,
        to=FileStatus.FILED,
        action=StepAction.FILE,
        comment=comment.strip(),
        fields=("filed_on",),
    )
    return file


@transaction.atomic
def needy_file_withdraw(*, by, file: NeedyFile, reason: str) -> NeedyFile:
    """Stop establishing a file (the worker withdrew, or the facts did not hold)."""
    file = _file_in_scope(by, file)
    _require_status(
        file, FileStatus.APPLIED, FileStatus.VISITED, FileStatus.CHECKED, FileStatus.NOTICE
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the file is withdrawn.")})
    _move(file, by=by, to=FileStatus.WITHDRAWN, action=StepAction.WITHDRAW, comment=reason.strip())
    return file


# --- Review and exit -----------------------------------------------------------------


def _exit(file: NeedyFile, *, by, exited_on: date, reason: str, note: str) -> None:
    if reason not in ExitReason.values:
        raise ValidationError({"reason": _("Choose why the worker is out of difficulty.")})
    if exited_on > _today():
        raise ValidationError({"exited_on": _("The exit date cannot be in the future.")})
    if exited_on < file.filed_on:
        raise ValidationError(
            {
                "exited_on": _("The exit date cannot be before the filing date (%(date)s).")
                % {"date": file.filed_on.isoformat()}
            }
        )
    file.exited_on, file.exit_reason, file.exit_note = exited_on, reason, note.strip()
    _move(
        file,
        by=by,
        to=FileStatus.EXITED,
        action=StepAction.EXIT,
        comment=note.strip() or ExitReason(reason).label,
        fields=("exited_on", "exit_reason", "exit_note"),
    )


@transaction.atomic
def needy_file_exit(
    *, by, file: NeedyFile, exited_on: date, reason: str, note: str = ""
) -> NeedyFile:
    """Close a filed file: the worker is out of difficulty (解困脱困)."""
    file = _file_in_scope(by, file)
    _require_status(file, FileStatus.FILED)
    _exit(file, by=by, exited_on=exited_on, reason=reason, note=note)
    return file


@transaction.atomic
def needy_file_review(
    *,
    by,
    file: NeedyFile,
    year: int,
    reviewed_on: date,
    household_income: Decimal,
    outcome: str,
    level: str = "",
    exit_reason: str = "",
    comment: str = "",
) -> ReviewRecord:
    """The yearly review (年度复核): the file stays, changes level, or exits."""
    file = _file_in_scope(by, file)
    _require_status(file, FileStatus.FILED)
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the review.")})
    if reviewed_on > _today():
        raise ValidationError({"reviewed_on": _("The review date cannot be in the future.")})
    if reviewed_on < file.filed_on:
        raise ValidationError(
            {
                "reviewed_on": _("The review date cannot be before the filing date (%(date)s).")
                % {"date": file.filed_on.isoformat()}
            }
        )
    if year < file.filed_on.year or year > _today().year:
        raise ValidationError({"year": _("Review a year between the filing and now.")})
    if household_income is None or household_income < 0:
        raise ValidationError({"household_income": _("The household income cannot be negative.")})
    if ReviewRecord.objects.filter(file=file, year=year).exists():
        raise ValidationError({"year": _("This file was already reviewed for that year.")})
    level_before = file.level
    level_after = level_before
    if outcome == ReviewOutcome.LEVEL_CHANGED:
        if level not in Level.values or level == level_before:
            raise ValidationError({"level": _("Choose the new level (a different one).")})
        level_after = level
    if outcome == ReviewOutcome.EXIT and not exit_reason:
        raise ValidationError({"exit_reason": _("Choose why the worker is out of difficulty.")})
    review = ReviewRecord.objects.create(
        file=file,
        year=year,
        reviewed_on=reviewed_on,
        household_income=household_income,
        outcome=outcome,
        level_before=level_before,
        level_after=level_after,
        comment=comment.strip(),
        by=by,
    )
    file.level = level_after
    file.household_income = household_income
    file.save(update_fields=["level", "household_income", "updated_at"])
    _step(
        file,
        by=by,
        action=StepAction.REVIEW,
        from_status=file.status,
        comment=_("%(year)s: %(outcome)s")
        % {"year": year, "outcome": review.get_outcome_display()},
    )
    if outcome == ReviewOutcome.EXIT:
        _exit(file, by=by, exited_on=reviewed_on, reason=exit_reason, note=comment)
    return review
