"""Writes about rights cases: lodging, each step of the lifecycle, notes, deadline
rules, intake templates, the quality check and the nightly sweep.

Every function takes the acting user as ``by=`` (None only when a worker lodges
through the portal), runs in one transaction, refuses a step the case's status
does not allow with a message saying so, records the step on the case's
timeline (``CaseEvent``) and returns what it saved. A status change of a case
with named workers reaches them through ``inbox.notify`` in the same transaction.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.accounts.models import Role
from gonghui.core.crypto import encrypt, keyed_hash
from gonghui.core.scope import is_in_scope
from gonghui.inbox.models import MessageKind
from gonghui.inbox.services import Notice, notify_many, workers_language
from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import Person

from . import deadlines
from .models import (
    GROUP_SIZE,
    NOTE_CONTEXT,
    OPEN_STATUSES,
    STAFF_CHANNELS,
    Case,
    CaseAttachment,
    CaseEvent,
    CaseKind,
    CaseNote,
    CaseStatus,
    CaseWorker,
    Category,
    Channel,
    CheckResult,
    Complexity,
    DeadlineRule,
    EmployerWatch,
    IntakeTemplate,
    QualityCheck,
    Resolution,
)

#: The roles that may handle a case of each kind.
HANDLER_ROLES = {
    CaseKind.LEGAL_AID: (Role.LEGAL_AID, Role.STAFF, Role.COUNTY_ADMIN),
    CaseKind.MEDIATION: (Role.MEDIATOR, Role.STAFF, Role.COUNTY_ADMIN),
    CaseKind.COMPLAINT: (Role.STAFF, Role.COUNTY_ADMIN, Role.LEGAL_AID, Role.MEDIATOR),
}
#: The most workers one case names (the rest are counted in ``workers_involved``).
MAX_NAMED_WORKERS = 200


def _today() -> date:
    return timezone.localdate()


def _require(by, permission: str) -> None:
    if by is None or not by.has_perm(permission):
        raise PermissionDenied(_("You do not have the right to do this."))


def _locked(by, case: Case) -> Case:
    """The case, locked, if it is in ``by``'s scope (PermissionDenied otherwise)."""
    _require(by, "rights.change_case")
    locked = Case.objects.for_user(by).select_for_update().filter(pk=case.pk).first()
    if locked is None:
        raise PermissionDenied(_("This case is outside your scope."))
    return locked


def _refuse_unless(case: Case, *allowed: str) -> None:
    if case.status not in allowed:
        raise ValidationError(
            _("This step is not possible for a case that is %(status)s.")
            % {"status": case.get_status_display()}
        )


def _record(case: Case, *, by, action: str, before: str, comment: str = "") -> None:
    CaseEvent.objects.create(
        case=case, by=by, action=action, from_status=before, to_status=case.status, comment=comment
    )


def _redue(case: Case) -> None:
    """Set the case's due day for its new status; a new stage starts not overdue."""
    case.due_on, case.due_provisional = deadlines.due_for(case)
    case.overdue_since = None
    case.escalated_to = None
    case.escalated_on = None


def _tell_workers(
    case: Case,
    body: str | Promise = "",
    *,
    sms: bool | None = None,
    people: list[Person] | None = None,
) -> None:
    """Tell the case's named workers (or only ``people``) its new status, in this
    transaction, with a link to the case in the portal; ``sms=True`` for the steps a
    worker waits for (accepted, declined, resolved), which also go by text message.
    ``body`` may be lazy: it is put into words in the workers' language, not the
    staff member's."""
    from django.urls import reverse

    if people is None:
        people = list(Person.objects.filter(pk__in=case.case_workers.values("person_id")))
    if not people:
        return
    url = reverse("portal-rights:detail", args=[case.pk])
    with workers_language():
        title = _("Your rights case: %(status)s") % {"status": case.get_status_display()}
        text = str(body) if body else title
        notify_many(
            Notice(person, MessageKind.RIGHTS_CASE, title=title, body=text, url=url, sms=sms)
            for person in people
        )


def _save(case: Case, *fields: str) -> None:
    case.save(
        update_fields=[
            "status",
            "due_on",
            "due_provisional",
            "overdue_since",
            "escalated_to",
            "escalated_on",
            *fields,
        ]
    )


# --- Lodging ---------------------------------------------------------------------------


@transaction.atomic
def case_lodge(
    *,
    by,
    kind: str,
    channel: str,
    category: str,
    summary: str,
    workers: Iterable[Person] = (),
    anonymous: bool = False,
    organisation: Organisation | None = None,
    employer: Employer | None = None,
    amount_in_dispute: Decimal | None = None,
    workers_involved: int | None = None,
    complexity: str = Complexity.ORDINARY,
    intake_answers: list | None = None,
    lodge_key: str = "",
) -> Case:
    """A new case, received today, due for acceptance in the rule's working days.

    Staff (``by``) lodge a 12351 call, a visit, a letter or a referral for the workers
    of their scope, at their own organisation unless they name one below it. A worker
    lodges through the portal with ``by=None`` and ``channel="portal"``, naming the
    organisation that is to receive it; anonymously if they choose, then naming no one.
    A case of ten or more workers is a group case (劳动争议调解仲裁法 第七条).
    """
    workers = list(dict.fromkeys(workers))
    errors: dict[str, str] = {}
    if kind not in CaseKind.values:
        errors["kind"] = _("Choose the kind of case.")
    if by is None:
        if channel != Channel.PORTAL:
            errors["channel"] = _("A case lodged by a worker comes through the portal.")
        if organisation is None:
            errors["organisation"] = _("Choose the union that is to receive the case.")
    else:
        _require(by, "rights.add_case")
        if channel not in STAFF_CHANNELS:
            errors["channel"] = _("Choose how the case came in.")
        organisation = organisation or by.organisation
        if not is_in_scope(by, organisation):
            raise PermissionDenied(_("This organisation is outside your scope."))
        outside = {p.pk for p in workers} - set(
            Person.objects.for_user(by)
            .filter(pk__in=[p.pk for p in workers])
            .values_list("pk", flat=True)
        )
        if outside:
            raise PermissionDenied(_("A worker named is outside your scope."))
        if (
            employer is not None
            and not Employer.objects.for_user(by).filter(pk=employer.pk).exists()
        ):
            raise PermissionDenied(_("This employer is outside your scope."))
    if category not in Category.values:
        errors["category"] = _("Choose the category.")
    if complexity not in Complexity.values:
        errors["complexity"] = _("Choose the complexity.")
    if not (summary or "").strip():
        errors["summary"] = _("Say what the worker asks for.")
    if anonymous and workers:
        errors["workers"] = _("An anonymous case names no worker.")
    if not anonymous and not workers:
        errors["workers"] = _("Name at least one worker, or mark the case anonymous.")
    if len(workers) > MAX_NAMED_WORKERS:
        errors["workers"] = _("Name at most %(n)d workers; count the others.") % {
            "n": MAX_NAMED_WORKERS
        }
    involved = workers_involved if workers_involved is not None else max(len(workers), 1)
    if involved < max(len(workers), 1):
        errors["workers_involved"] = _(
            "The workers involved cannot be fewer than the workers named."
        )
    if amount_in_dispute is not None and amount_in_dispute < 0:
        errors["amount_in_dispute"] = _("The amount cannot be negative.")
    if errors:
        raise ValidationError(errors)
    case = Case(
        kind=kind,
        channel=channel,
        organisation=organisation,
        anonymous=anonymous,
        employer=employer,
        category=category,
        summary=summary.strip(),
        amount_in_dispute=amount_in_dispute,
        workers_involved=involved,
        is_group=involved >= GROUP_SIZE,
        complexity=complexity,
        intake_answers=intake_answers or [],
        lodged_by=by,
        lodge_key=lodge_key,
    )
    case.received_at = timezone.now()
    _redue(case)
    case.save()
    CaseWorker.objects.bulk_create(CaseWorker(case=case, person=p) for p in workers)
    _record(case, by=by, action="lodge", before="")
    _tell_workers(
        case, gettext_lazy("Your case has been received; the union will answer within days.")
    )
    return case


@transaction.atomic
def case_worker_add(*, by, case: Case, person: Person) -> Case:
    """Name one more worker of the staff user's scope on an open case that names
    workers (a group case is lodged naming one, and the others come forward later).
    The workers involved grow to at least those named, and the case becomes a group
    case at ten; the new worker is told, and follows the case in the portal."""
    case = _locked(by, case)
    if not Person.objects.for_user(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("A worker named is outside your scope."))
    if case.anonymous:
        raise ValidationError(_("An anonymous case names no worker."))
    _refuse_unless(case, *OPEN_STATUSES)
    named = case.case_workers.count()
    if case.case_workers.filter(person=person).exists():
        raise ValidationError(_("This worker is already named on the case."))
    if named >= MAX_NAMED_WORKERS:
        raise ValidationError(
            _("Name at most %(n)d workers; count the others.") % {"n": MAX_NAMED_WORKERS}
        )
    CaseWorker.objects.create(case=case, person=person)
    case.workers_involved = max(case.workers_involved, named + 1)
    case.is_group = case.workers_involved >= GROUP_SIZE
    case.save(update_fields=["workers_involved", "is_group"])
    _record(
        case,
        by=by,
        action="add_worker",
        before=case.status,
        comment=_("Worker named: %(name)s") % {"name": person.name},
    )
    _tell_workers(
        case,
        gettext_lazy("You are named on a case the union is handling; follow it here."),
        people=[person],
    )
    return case


#: The most photos of evidence a worker sends with a case from the portal.
MAX_PORTAL_PHOTOS = 5
#: The kinds of case that are about an employer (a labour dispute): the employer is named.
EMPLOYER_KINDS = (CaseKind.LEGAL_AID, CaseKind.MEDIATION)


def lodge_key_hash(form_key: str) -> str:
    """What a case keeps of the portal form that lodged it: a keyed hash, so that the
    form key (which carries the worker's account) cannot be read back from it."""
    return keyed_hash(form_key, purpose="rights-portal-lodge")


def case_lodged_with(form_key: str) -> Case | None:
    """The case an earlier sending of this portal form made, if any (a double tap)."""
    if not form_key:
        return None
    return Case.objects.filter(lodge_key=lodge_key_hash(form_key)).first()


def case_lodge_by_worker(
    *,
    person: Person | None,
    form_key: str,
    kind: str,
    category: str,
    summary: str,
    employer: Employer | None,
    amount_in_dispute: Decimal | None,
    workers_involved: int,
    anonymous: bool,
    photos: list = (),
) -> tuple[Case, bool]:
    """A case a worker lodges in the portal, with photos of evidence; (case, made).

    ``person`` is the worker's file, or None for an account not linked to one, which
    may lodge only anonymously. An anonymous case names no worker and keeps nothing
    that says who lodged it. The case goes to the union of the employer named (its
    township where no union covers it), or for a complaint naming no employer to the
    worker's own union. Photos are made fit to keep (``core.images``) before anything
    is written; a refused photo writes nothing. The same form sent twice (``form_key``)
    is one case: the second sending returns the first's, ``made`` False.
    """
    from gonghui.aid.evidence import max_evidence_bytes
    from gonghui.core.images import photo_for_keeping

    errors: dict[str, str] = {}
    if person is None and not anonymous:
        errors["anonymous"] = _(
            "This phone is not linked to your file yet, so the union could not know whom "
            "the case is about: lodge it anonymously, or link your file first."
        )
    organisation = None
    if employer is not None:
        organisation = employer.union or employer.township
    elif kind in EMPLOYER_KINDS:
        errors["employer"] = _("Name your employer: a labour dispute is with an employer.")
    elif person is not None:
        organisation = person.current_union or person.file_org
    if organisation is None and "employer" not in errors:
        errors["employer"] = _(
            "Name the employer: the case goes to the union of the employer, as your phone is "
            "not linked to a file at a union."
        )
    if len(photos) > MAX_PORTAL_PHOTOS:
        errors["photos"] = _("Send at most %(n)d photos.") % {"n": MAX_PORTAL_PHOTOS}
    if errors:
        raise ValidationError(errors)
    limit = max_evidence_bytes()
    try:
        kept = [photo_for_keeping(photo, max_bytes=limit) for photo in photos]
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from None
    key = lodge_key_hash(form_key)
    with transaction.atomic():
        earlier = Case.objects.filter(lodge_key=key).first()
        if earlier is not None:
            return earlier, False
        try:
            with transaction.atomic():
                case = case_lodge(
                    by=None,
                    kind=kind,
                    channel=Channel.PORTAL,
                    category=category,
                    summary=summary,
                    workers=[] if anonymous else [person],
                    anonymous=anonymous,
                    organisation=organisation,
                    employer=employer,
                    amount_in_dispute=amount_in_dispute,
                    workers_involved=workers_involved,
                    lodge_key=key,
                )
        except IntegrityError:
            # The other sending of the form committed first (rights_case_lodged_once).
            return Case.objects.get(lodge_key=key), False
        for photo in kept:
            case_attachment_add(by=None, case=case, upload=photo)
    return case, True


# --- The lifecycle ---------------------------------------------------------------------


@transaction.atomic
def case_accept(*, by, case: Case) -> Case:
    case = _locked(by, case)
    _refuse_unless(case, CaseStatus.RECEIVED)
    before = case.status
    case.status = CaseStatus.ACCEPTED
    case.accepted_on = _today()
    _redue(case)
    _save(case, "accepted_on")
    _record(case, by=by, action="accept", before=before)
    _tell_workers(case, sms=True)
    return case


@transaction.atomic
def case_decline(*, by, case: Case, reason: str) -> Case:
    """Decline with the reason the worker sees."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason the worker will see.")})
    case = _locked(by, case)
    _refuse_unless(case, CaseStatus.RECEIVED)
    before = case.status
    case.status = CaseStatus.DECLINED
    case.declined_on = _today()
    case.decline_reason = reason
    _redue(case)
    _save(case, "declined_on", "decline_reason")
    _record(case, by=by, action="decline", before=before, comment=reason)
    _tell_workers(case, reason, sms=True)
    return case


def handlers_for(by, case: Case):
    """The accounts ``by`` may assign ``case`` to: active, in ``by``'s subtree, holding
    a role that handles the case's kind."""
    from django.contrib.auth import get_user_model

    from gonghui.core.scope import sees_everything, subtree_q, user_scope_root

    users = get_user_model().objects.filter(
        is_active=True,
        organisation__isnull=False,
        groups__name__in=HANDLER_ROLES[case.kind],
    )
    if not sees_everything(by):
        root = user_scope_root(by)
        if root is None:
            return users.none()
        users = users.filter(subtree_q(root.path, "organisation"))
    return users.distinct().order_by("username")


@transaction.atomic
def case_assign(*, by, case: Case, handler) -> Case:
    """Assign an accepted case to a handler of ``by``'s subtree holding the right role;
    the case moves to the handler's organisation, so the handler sees it and those
    above still do. A case may be reassigned until it is resolved."""
    case = _locked(by, case)
    _refuse_unless(
        case,
        CaseStatus.ACCEPTED,
        CaseStatus.ASSIGNED,
        CaseStatus.IN_MEDIATION,
        CaseStatus.IN_LEGAL_AID,
    )
    if handler is None or not handlers_for(by, case).filter(pk=handler.pk).exists():
        raise ValidationError(
            {"handler": _("Choose a handler of your organisation or below who handles such cases.")}
        )
    before = case.status
    case.handler = handler
    case.organisation_id = handler.organisation_id
    if case.status == CaseStatus.ACCEPTED:
        case.status = CaseStatus.ASSIGNED
        case.assigned_on = _today()
    _save(case, "handler", "organisation", "assigned_on")
    _record(case, by=by, action="assign", before=before, comment=handler.display_name)
    if before != case.status:
        _tell_workers(case)
    return case


def _start(by, case: Case, *, to: str, kinds: tuple[str, ...], action: str) -> Case:
    case = _locked(by, case)
    _refuse_unless(case, CaseStatus.ASSIGNED)
    if case.kind not in kinds:
        raise ValidationError(
            _("A case of the kind %(kind)s cannot take this step.")
            % {"kind": case.get_kind_display()}
        )
    before = case.status
    case.status = to
    case.started_on = _today()
    # The handling deadline runs from acceptance: starting does not move it.
    case.save(update_fields=["status", "started_on"])
    _record(case, by=by, action=action, before=before)
    _tell_workers(case)
    return case


@transaction.atomic
def case_start_mediation(*, by, case: Case) -> Case:
    return _start(
        by,
        case,
        to=CaseStatus.IN_MEDIATION,
        kinds=(CaseKind.MEDIATION, CaseKind.COMPLAINT),
        action="start_mediation",
    )


@transaction.atomic
def case_start_legal_aid(*, by, case: Case) -> Case:
    return _start(
        by,
        case,
        to=CaseStatus.IN_LEGAL_AID,
        kinds=(CaseKind.LEGAL_AID, CaseKind.COMPLAINT),
        action="start_legal_aid",
    )


@transaction.atomic
def case_resolve(
    *,
    by,
    case: Case,
    resolution: str,
    terms: str = "",
    recovered_amount: Decimal | None = None,
) -> Case:
    """Resolve a case in hand; a mediated agreement records its terms."""
    terms = (terms or "").strip()
    errors = {}
    if resolution not in Resolution.values:
        errors["resolution"] = _("Choose how the case was resolved.")
    elif resolution == Resolution.AGREEMENT and not terms:
        errors["terms"] = _("Record the terms of the agreement.")
    if recovered_amount is not None and recovered_amount < 0:
        errors["recovered_amount"] = _("The amount cannot be negative.")
    if errors:
        raise ValidationError(errors)
    case = _locked(by, case)
    _refuse_unless(case, CaseStatus.IN_MEDIATION, CaseStatus.IN_LEGAL_AID)
    before = case.status
    case.status = CaseStatus.RESOLVED
    case.resolution = resolution
    case.resolution_terms = terms
    case.recovered_amount = recovered_amount
    case.resolved_on = _today()
    _redue(case)
    _save(case, "resolution", "resolution_terms", "recovered_amount", "resolved_on")
    _record(case, by=by, action="resolve", before=before, comment=case.get_resolution_display())
    _tell_workers(case, Resolution(case.resolution).label, sms=True)
    return case


@transaction.atomic
def case_callback(*, by, case: Case, satisfaction: int, comment: str = "") -> Case:
    """Record the callback (回访) with the worker's satisfaction; the case is closed."""
    if satisfaction not in (1, 2, 3, 4, 5):
        raise ValidationError({"satisfaction": _("Satisfaction is from 1 to 5.")})
    case = _locked(by, case)
    _refuse_unless(case, CaseStatus.RESOLVED)
    before = case.status
    case.status = CaseStatus.CLOSED
    case.satisfaction = satisfaction
    case.callback_comment = (comment or "").strip()
    case.callback_on = case.closed_on = _today()
    _redue(case)
    _save(case, "satisfaction", "callback_comment", "callback_on", "closed_on")
    _record(case, by=by, action="callback", before=before, comment=str(satisfaction))
    _tell_workers(case)
    return case


# --- Attachments ---------------------------------------------------------------------


def case_attachment_add(*, by, case: Case, upload) -> CaseAttachment:
    """Attach a PDF, JPEG or PNG (checked by its bytes, at most the evidence size limit,
    as ``aid.evidence`` checks evidence) to an open case in ``by``'s scope. ``by`` None:
    the worker adds it in the portal, the caller having identified the case as theirs."""
    from gonghui.aid.evidence import EXTENSIONS, max_evidence_bytes, sniff_content_type
    from gonghui.core.storage import save_with_file, store_upload

    limit = max_evidence_bytes()
    if upload.size > limit:
        raise ValidationError(
            {
                "upload": _("The file is too large: at most %(mb)s MB.")
                % {"mb": limit // (1024 * 1024)}
            }
        )
    upload.seek(0)
    content_type = sniff_content_type(upload.read(8))
    upload.seek(0)
    if content_type is None:
        raise ValidationError({"upload": _("Only PDF, JPEG or PNG files are accepted.")})
    with transaction.atomic():
        if by is None:
            case = Case.objects.select_for_update().get(pk=case.pk)
        else:
            case = _locked(by, case)
        if not case.is_open:
            raise ValidationError(_("Files can no longer be added to a closed or declined case."))
        attachment = CaseAttachment(
            case=case,
            original_name=upload.name[:200],
            content_type=content_type,
            size=upload.size,
            uploaded_by=by,
        )
        store_upload(attachment.file, f"attachment.{EXTENSIONS[content_type]}", upload)
        save_with_file(attachment, attachment.file)
        _record(case, by=by, action="attach", before=case.status, comment=attachment.original_name)
        return attachment


# --- Notes -----------------------------------------------------------------------------


@transaction.atomic
def case_note_add(*, by, case: Case, text: str) -> CaseNote:
    """A confidential note, by someone who may read the case's notes."""
    from .selectors import note_readable

    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    case = _locked(by, case)
    if not note_readable(by, case):
        raise PermissionDenied(
            _("Only the handler, their superiors and county administrators keep notes.")
        )
    return CaseNote.objects.create(
        case=case, author=by, text_encrypted=encrypt(text, context=NOTE_CONTEXT)
    )


# --- Configuration ---------------------------------------------------------------------


@transaction.atomic
def deadline_rule_save(
    *,
    by,
    kind: str,
    complexity: str,
    accept_days: int,
    resolve_days: int,
    resolve_in_calendar_days: bool,
    callback_days: int,
    escalate_after_days: int,
) -> DeadlineRule:
    """Store the rule of a kind and complexity, refusing one that makes no sense."""
    _require(by, "rights.configure_case")
    errors = {}
    if kind not in CaseKind.values or complexity not in Complexity.values:
        raise ValidationError(_("Unknown kind or complexity."))
    for name, value in (
        ("accept_days", accept_days),
        ("resolve_days", resolve_days),
        ("callback_days", callback_days),
        ("escalate_after_days", escalate_after_days),
    ):
        if value is None or value < 1:
            errors[name] = _("A deadline is at least one day.")
        elif value > 365:
            errors[name] = _("A deadline is at most 365 days.")
    if not errors and accept_days >= resolve_days:
        errors["resolve_days"] = _(
            "Resolution must be allowed more days than acceptance: it is counted from acceptance "
            "and includes it."
        )
    if errors:
        raise ValidationError(errors)
    rule, _created = DeadlineRule.objects.update_or_create(
        kind=kind,
        complexity=complexity,
        defaults={
            "accept_days": accept_days,
            "resolve_days": resolve_days,
            "resolve_in_calendar_days": resolve_in_calendar_days,
            "callback_days": callback_days,
            "escalate_after_days": escalate_after_days,
            "updated_by": by,
        },
    )
    return rule


@transaction.atomic
def intake_template_save(*, by, kind: str, questions: list[str]) -> IntakeTemplate:
    _require(by, "rights.configure_case")
    if kind not in CaseKind.values:
        raise ValidationError(_("Unknown kind."))
    cleaned = [q.strip()[:300] for q in questions if q.strip()]
    if len(cleaned) > 30:
        raise ValidationError({"questions": _("At most 30 questions.")})
    template, _created = IntakeTemplate.objects.update_or_create(
        kind=kind, defaults={"questions": cleaned}
    )
    return template


# --- Quality check ---------------------------------------------------------------------


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following


@transaction.atomic
def quality_sample_draw(*, by, month: date, size: int) -> list[QualityCheck]:
    """Draw ``size`` of the month's closed cases in ``by``'s scope not drawn before."""
    _require(by, "rights.check_case")
    if size < 1 or size > 100:
        raise ValidationError({"size": _("Draw from 1 to 100 cases.")})
    first, following = month_bounds(month)
    candidates = list(
        Case.objects.for_user(by)
        .filter(status=CaseStatus.CLOSED, closed_on__gte=first, closed_on__lt=following)
        .filter(quality_check__isnull=True)
        .values_list("pk", flat=True)
    )
    if not candidates:
        raise ValidationError(_("No closed case of that month is left to draw."))
    chosen = random.SystemRandom().sample(candidates, min(size, len(candidates)))
    return QualityCheck.objects.bulk_create(
        QualityCheck(case_id=pk, month=first, drawn_by=by) for pk in sorted(chosen)
    )


@transaction.atomic
def quality_check_record(
    *, by, check: QualityCheck, result: str, comment: str = ""
) -> QualityCheck:
    _require(by, "rights.check_case")
    if result not in CheckResult.values:
        raise ValidationError({"result": _("Choose the result.")})
    check = QualityCheck.objects.for_user(by).select_for_update().filter(pk=check.pk).first()
    if check is None:
        raise PermissionDenied(_("This case is outside your scope."))
    check.result = result
    check.comment = (comment or "").strip()
    check.checked_by = by
    check.checked_at = timezone.now()
    check.save(update_fields=["result", "comment", "checked_by", "checked_at"])
    return check


# --- Prevention ------------------------------------------------------------------------


@transaction.atomic
def employer_watch(*, by, employer: Employer, note: str) -> EmployerWatch:
    """Mark an employer of ``by``'s scope watched, with why (or change the note)."""
    _require(by, "rights.change_case")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the employer is watched.")})
    if not Employer.objects.for_user(by).filter(pk=employer.pk).exists():
        raise PermissionDenied(_("This employer is outside your scope."))
    watch, _created = EmployerWatch.objects.update_or_create(
        employer=employer, defaults={"note": note, "marked_by": by, "marked_at": timezone.now()}
    )
    return watch


@transaction.atomic
def employer_unwatch(*, by, employer: Employer) -> None:
    _require(by, "rights.change_case")
    if not Employer.objects.for_user(by).filter(pk=employer.pk).exists():
        raise PermissionDenied(_("This employer is outside your scope."))
    EmployerWatch.objects.filter(employer=employer).delete()


# --- The nightly sweep -----------------------------------------------------------------


@transaction.atomic
def rights_sweep(*, today: date | None = None) -> dict[str, int]:
    """Flag the open cases past their due day and escalate those overdue longer than
    their rule's delay to the organisation above the one handling them.

    Set-based (a few UPDATEs, whatever the number of cases) and idempotent: a case
    already flagged or escalated matches no condition again, so a second run, the
    same night or after a failure, changes nothing. The handler and the handling
    organisation see flagged cases on their to-do list, the organisation above the
    escalated ones (``todo.py``).
    """
    today = today or _today()
    flagged = Case.objects.filter(
        status__in=OPEN_STATUSES, due_on__lt=today, overdue_since__isnull=True
    ).update(overdue_since=today)
    escalated = 0
    parent = Organisation.objects.filter(pk=OuterRef("organisation_id")).values("parent_id")[:1]
    by_delay: dict[int, list[tuple[str, str]]] = {}
    for (kind, complexity), rule in deadlines.all_rules().items():
        by_delay.setdefault(rule.escalate_after_days, []).append((kind, complexity))
    for delay, pairs in by_delay.items():
        cutoff = deadlines.escalation_cutoff(today, delay)
        for kind, complexity in pairs:
            escalated += Case.objects.filter(
                status__in=OPEN_STATUSES,
                kind=kind,
                complexity=complexity,
                due_on__lte=cutoff,
                overdue_since__isnull=False,
                escalated_on__isnull=True,
                organisation__parent__isnull=False,
            ).update(escalated_to=Subquery(parent), escalated_on=today)
    return {"flagged": flagged, "escalated": escalated}
