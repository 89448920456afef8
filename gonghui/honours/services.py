"""Writes about titles, nominations and care for model workers.

Every function takes the acting user as ``by=`` (the public page's objection has
none), reaches records through the scope rule, runs in one transaction, refuses
what the record's state does not allow with a translated message, and writes one
``NominationStep`` per transition of a nomination.

The course of a nomination (选树与公示): a union nominates → the staff of each
organisation above it, up to the county, approve or return it (``review_chain``) →
the county's staff put it on public notice for the configured number of working
days (``core.publicnotice``) → every objection is answered (upheld: the nomination
fails) → after the notice, confirmation makes the ``TitleHolding``. The county is
the top of this system: for a title above the county's level the confirmation
records the title once the body above has conferred it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core import publicnotice
from gonghui.core.crypto import encrypt
from gonghui.core.images import photo_for_keeping
from gonghui.core.scope import is_in_scope, sees_everything
from gonghui.core.storage import save_with_file, store_upload
from gonghui.inbox.models import MessageKind
from gonghui.inbox.services import notify
from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import Person

from .models import (
    OBJECTOR_CONTACT_CONTEXT,
    Activity,
    CareGiven,
    CareKind,
    CareRule,
    ConditionKind,
    Frequency,
    HolderCondition,
    HolderKind,
    Nomination,
    NominationEvidence,
    NominationObjection,
    NominationStatus,
    NominationStep,
    NoticeSettings,
    Source,
    StepAction,
    Story,
    Title,
    TitleHolding,
    TitleLevel,
)

#: The evidence files a nomination may carry, and their size.
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_MAX_FILES = 10
STORY_PHOTO_MAX_BYTES = 2 * 1024 * 1024


def _today(today: date | None = None) -> date:
    return today or timezone.localdate()


def _is_county_admin(by) -> bool:
    return sees_everything(by) or (
        by.has_perm("honours.configure_honours")
        and getattr(by, "organisation", None) is not None
        and by.organisation.parent_id is None
    )


def _require_configure(by) -> None:
    if not _is_county_admin(by):
        raise PermissionDenied(_("Only county administrators configure titles and care."))


# --- Configuration -------------------------------------------------------------------


def notice_days() -> int:
    """How many working days a nomination's notice runs (county administrators set it)."""
    found = NoticeSettings.objects.values_list("notice_days", flat=True).first()
    return found or publicnotice.configured_days("HONOURS_NOTICE_DAYS")


@transaction.atomic
def notice_days_set(*, by, days: int) -> NoticeSettings:
    _require_configure(by)
    if days is None or days < 1:
        raise ValidationError({"notice_days": _("A notice lasts at least one day.")})
    row = NoticeSettings.objects.select_for_update().first() or NoticeSettings()
    row.notice_days = days
    row.save()
    return row


@transaction.atomic
def title_save(
    *, by, name: str, level: str, holder_kind: str, active: bool = True, title: Title | None = None
) -> Title:
    """Add a title or change one (its holder kind stays once it is held or nominated)."""
    _require_configure(by)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Name the title.")})
    if level not in TitleLevel.values:
        raise ValidationError({"level": _("Choose the level of the title.")})
    if holder_kind not in HolderKind.values:
        raise ValidationError({"holder_kind": _("Choose who may hold the title.")})
    if Title.objects.filter(name=name).exclude(pk=getattr(title, "pk", None)).exists():
        raise ValidationError({"name": _("A title of that name exists.")})
    if (
        title is not None
        and title.holder_kind != holder_kind
        and (title.holdings.exists() or title.nominations.exists())
    ):
        raise ValidationError(
            {"holder_kind": _("This title is held or nominated already: who holds it stays.")}
        )
    title = title or Title()
    title.name, title.level, title.holder_kind, title.active = name, level, holder_kind, active
    title.save()
    return title


@transaction.atomic
def care_rule_save(
    *,
    by,
    title: Title,
    kind: str,
    frequency: str,
    amount: Decimal | None = None,
    active: bool = True,
    rule: CareRule | None = None,
) -> CareRule:
    _require_configure(by)
    if kind not in CareKind.values:
        raise ValidationError({"kind": _("Choose the kind of care.")})
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose how often the care is given.")})
    if kind == CareKind.ALLOWANCE and (amount is None or amount <= 0):
        raise ValidationError({"amount": _("An allowance needs an amount above zero.")})
    if title.holder_kind != HolderKind.PERSON:
        raise ValidationError({"title": _("Care is for titles held by people.")})
    duplicate = CareRule.objects.filter(title=title, kind=kind).exclude(
        pk=getattr(rule, "pk", None)
    )
    if duplicate.exists():
        raise ValidationError(_("This title already has a rule of that kind."))
    rule = rule or CareRule()
    rule.title, rule.kind, rule.frequency, rule.amount, rule.active = (
        title,
        kind,
        frequency,
        amount,
        active,
    )
    rule.save()
    return rule


# --- Holders -------------------------------------------------------------------------


def _holder_fields(by, title: Title, person, employer, team_name: str) -> dict:
    """The holder of ``title`` as fields, checked against the title's kind and the scope."""
    team_name = " ".join((team_name or "").split())
    kind = title.holder_kind
    if kind == HolderKind.PERSON:
        if person is None:
            raise ValidationError({"person": _("Choose the person.")})
        if not Person.objects.for_user(by).filter(pk=person.pk).exists():
            raise PermissionDenied(_("This person is outside your scope."))
        return {"holder_kind": kind, "person": person, "employer": None, "team_name": ""}
    if employer is None:
        raise ValidationError({"employer": _("Choose the organisation.")})
    if not Employer.objects.for_user(by).filter(pk=employer.pk).exists():
        raise PermissionDenied(_("This organisation is outside your scope."))
    if kind == HolderKind.TEAM and not team_name:
        raise ValidationError({"team_name": _("Name the team.")})
    return {
        "holder_kind": kind,
        "person": None,
        "employer": employer,
        "team_name": team_name if kind == HolderKind.TEAM else "",
    }


def _holder_filter(fields: dict) -> dict:
    if fields["person"] is not None:
        return {"person": fields["person"]}
    return {
        "person__isnull": True,
        "employer": fields["employer"],
        "team_name": fields["team_name"],
    }


def _check_year(year: int, today: date) -> None:
    if year is None or year < 1950 or year > today.year + 1:
        raise ValidationError({"year": _("Enter the year of the title.")})


@transaction.atomic
def holding_record(
    *,
    by,
    title: Title,
    year: int,
    conferred_on: date,
    person: Person | None = None,
    employer: Employer | None = None,
    team_name: str = "",
    document_number: str = "",
) -> TitleHolding:
    """Record a title conferred from above (a national title conferred by the national body)."""
    today = _today()
    _check_year(year, today)
    if conferred_on is None or conferred_on > today:
        raise ValidationError(
            {"conferred_on": _("The date of conferment cannot be in the future.")}
        )
    fields = _holder_fields(by, title, person, employer, team_name)
    if TitleHolding.objects.filter(title=title, year=year, **_holder_filter(fields)).exists():
        raise ValidationError(_("This holder already holds that title for that year."))
    holding = TitleHolding(
        title=title,
        year=year,
        conferred_on=conferred_on,
        source=Source.RECORDED,
        document_number=(document_number or "").strip(),
        created_by=by,
        **fields,
    )
    try:
        with transaction.atomic():
            holding.save()
    except IntegrityError:
        raise ValidationError(_("This holder already holds that title for that year.")) from None
    return holding


# --- Nominations ---------------------------------------------------------------------


def review_chain(organisation: Organisation) -> list[Organisation]:
    """The organisations whose staff review a nomination by ``organisation``, in order:
    each one above it up to the county (the county's own nomination: the county)."""
    above = list(Organisation.objects.filter(pk__in=organisation.ancestor_ids()).order_by("-depth"))
    return above or [organisation]


def _step(nomination, *, by, action: str, organisation=None, comment: str = "") -> None:
    NominationStep.objects.create(
        nomination=nomination,
        action=action,
        organisation=organisation,
        by=by,
        comment=(comment or "").strip(),
    )


def _nomination_in_scope(by, nomination: Nomination) -> Nomination:
    try:
        return (
            Nomination.objects.for_user(by)
            .select_for_update(of=("self",))
            .select_related("title", "person", "employer", "organisation")
            .get(pk=nomination.pk)
        )
    except Nomination.DoesNotExist:
        raise PermissionDenied(_("This nomination is outside your scope.")) from None


def _require(nomination: Nomination, *allowed: str) -> None:
    if nomination.status not in allowed:
        raise ValidationError(
            _("This cannot be done while the nomination is “%(status)s”.")
            % {"status": nomination.get_status_display()}
        )


def _at_top(by) -> bool:
    """Whether ``by`` works at the top of the tree, where notices run and titles are confirmed."""
    return sees_everything(by) or (
        getattr(by, "organisation", None) is not None and by.organisation.parent_id is None
    )


def _require_top(by) -> None:
    if not by.has_perm("honours.review_nomination") or not _at_top(by):
        raise PermissionDenied(_("Only the county's staff run the public notice and confirm."))


def _check_not_held_or_open(title, year, fields, *, exclude_pk=None) -> None:
    holder = _holder_filter(fields)
    if TitleHolding.objects.filter(title=title, year=year, **holder).exists():
        raise ValidationError(_("This holder already holds that title for that year."))
    open_ones = Nomination.objects.open().filter(title=title, year=year, **holder)
    if open_ones.exclude(pk=exclude_pk).exists():
        raise ValidationError(
            _("This holder already has an open nomination for that title and year.")
        )


def _save_evidence(nomination, evidence, by) -> None:
    files = list(evidence or ())
    if nomination.evidence.count() + len(files) > EVIDENCE_MAX_FILES:
        raise ValidationError(
            {"evidence": _("At most %(most)d files per nomination.") % {"most": EVIDENCE_MAX_FILES}}
        )
    for upload in files:
        if upload.size > EVIDENCE_MAX_BYTES:
            raise ValidationError(
                {
                    "evidence": _("%(name)s is larger than %(mb)d MB.")
                    % {"name": upload.name, "mb": EVIDENCE_MAX_BYTES // (1024 * 1024)}
                }
            )
        item = NominationEvidence(
            nomination=nomination,
            original_name=upload.name[:200],
            content_type=(getattr(upload, "content_type", "") or "application/octet-stream")[:100],
            uploaded_by=by,
        )
        store_upload(item.file, upload.name, upload, field="evidence")
        save_with_file(item, item.file)


@transaction.atomic
def nomination_create(
    *,
    by,
    title: Title,
    year: int,
    reasons: str,
    deeds: str,
    person: Person | None = None,
    employer: Employer | None = None,
    team_name: str = "",
    evidence=(),
    organisation: Organisation | None = None,
) -> Nomination:
    """A union (``by``'s organisation, or ``organisation`` in its subtree) nominates a holder.

    Refused: a title not in use, a holder that already holds the title that year or
    has an open nomination for it.
    """
    if not by.has_perm("honours.nominate"):
        raise PermissionDenied(_("You may not nominate."))
    organisation = organisation or getattr(by, "organisation", None)
    if organisation is None or not is_in_scope(by, organisation):
        raise PermissionDenied(_("Nominate for your own union."))
    today = _today()
    _check_year(year, today)
    if not title.active:
        raise ValidationError({"title": _("This title is no longer in use.")})
    if not (reasons or "").strip():
        raise ValidationError({"reasons": _("Give the reasons for the nomination.")})
    if not (deeds or "").strip():
        raise ValidationError({"deeds": _("Summarise the deeds for the public notice.")})
    fields = _holder_fields(by, title, person, employer, team_name)
    _check_not_held_or_open(title, year, fields)
    chain = review_chain(organisation)
    nomination = Nomination(
        title=title,
        year=year,
        organisation=organisation,
        reasons=reasons.strip(),
        deeds=deeds.strip(),
        status=NominationStatus.REVIEW,
        awaiting=chain[0],
        created_by=by,
        **fields,
    )
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        raise ValidationError(
            _("This holder already has an open nomination for that title and year.")
        ) from None
    _save_evidence(nomination, evidence, by)
    _step(nomination, by=by, action=StepAction.NOMINATE, organisation=organisation)
    return nomination


def may_review(by, nomination: Nomination) -> bool:
    """Whether ``by`` is staff of the level the nomination waits at."""
    if nomination.status != NominationStatus.REVIEW or not by.has_perm("honours.review_nomination"):
        return False
    return sees_everything(by) or getattr(by, "organisation_id", None) == nomination.awaiting_id


@transaction.atomic
def nomination_approve(*, by, nomination: Nomination, comment: str = "") -> Nomination:
    """Approve at the level it waits at: on to the next level, or approved at the top."""
    nomination = _nomination_in_scope(by, nomination)
    _require(nomination, NominationStatus.REVIEW)
    if not may_review(by, nomination):
        raise PermissionDenied(_("This nomination waits for the staff of another level."))
    level = nomination.awaiting
    chain = review_chain(nomination.organisation)
    position = [o.pk for o in chain].index(level.pk)
    if position + 1 < len(chain):
        nomination.awaiting = chain[position + 1]
    else:
        nomination.awaiting = None
        nomination.status = NominationStatus.APPROVED
    nomination.save(update_fields=["awaiting", "status", "updated_at"])
    _step(nomination, by=by, action=StepAction.APPROVE, organisation=level, comment=comment)
    return nomination


@transaction.atomic
def nomination_return(*, by, nomination: Nomination, comment: str) -> Nomination:
    """Send it back to the nominating union with what is missing."""
    nomination = _nomination_in_scope(by, nomination)
    _require(nomination, NominationStatus.REVIEW)
    if not may_review(by, nomination):
        raise PermissionDenied(_("This nomination waits for the staff of another level."))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say why it is returned.")})
    level = nomination.awaiting
    nomination.status, nomination.awaiting = NominationStatus.RETURNED, None
    nomination.save(update_fields=["awaiting", "status", "updated_at"])
    _step(nomination, by=by, action=StepAction.RETURN, organisation=level, comment=comment)
    return nomination


@transaction.atomic
def nomination_resubmit(
    *, by, nomination: Nomination, reasons: str, deeds: str, evidence=(), comment: str = ""
) -> Nomination:
    """The nominating union corrects a returned nomination; the review starts again."""
    nomination = _nomination_in_scope(by, nomination)
    _require(nomination, NominationStatus.RETURNED)
    if not by.has_perm("honours.nominate") or not is_in_scope(by, nomination.organisation):
        raise PermissionDenied(_("Only the nominating union submits it again."))
    if not (reasons or "").strip():
        raise ValidationError({"reasons": _("Give the reasons for the nomination.")})
    if not (deeds or "").strip():
        raise ValidationError({"deeds": _("Summarise the deeds for the public notice.")})
    nomination.reasons, nomination.deeds = reasons.strip(), deeds.strip()
    nomination.status = NominationStatus.REVIEW
    nomination.awaiting = review_chain(nomination.organisation)[0]
    nomination.save()
    _save_evidence(nomination, evidence, by)
    _step(
        nomination,
        by=by,
        action=StepAction.RESUBMIT,
        organisation=nomination.organisation,
        comment=comment,
    )
    return nomination


def _tell(nomination: Nomination, *, title: str, body: str) -> None:
    """A message to the nominated person (teams and organisations get none)."""
    if nomination.person_id is None:
        return
    notify(
        nomination.person,
        MessageKind.GENERAL,
        title=title,
        body=body,
        url=reverse("portal-honours:mine"),
    )


@transaction.atomic
def nomination_start_notice(
    *,
    by,
    nomination: Nomination,
    starts_on: date | None = None,
    days: int | None = None,
    today: date | None = None,
) -> Nomination:
    """Put an approved nomination on public notice (公示) on ``/notice/``.

    ``today`` is the day the notice is started on (the real day unless a caller
    replays an earlier one: a notice that started in the past).
    """
    nomination = _nomination_in_scope(by, nomination)
    _require(nomination, NominationStatus.APPROVED)
    _require_top(by)
    dates = publicnotice.notice_start(
        nomination, starts_on=starts_on, days=days or notice_days(), today=_today(today)
    )
    nomination.status = NominationStatus.NOTICE
    nomination.save()
    _step(nomination, by=by, action=StepAction.NOTICE_START, comment=dates.describe())
    _tell(
        nomination,
        title=_("You are nominated for %(title)s") % {"title": nomination.title.name},
        body=_("Your nomination for %(title)s (%(year)s) is on public notice until %(date)s.")
        % {
            "title": nomination.title.name,
            "year": nomination.year,
            "date": dates.ends_on.isoformat(),
        },
    )
    return nomination


def _objection_limits():
    from datetime import timedelta

    from gonghui.portal.services import Limit

    message = _("Too many objections were lodged from your network. Try again later.")
    return (Limit(timedelta(hours=1), 5, message), Limit(timedelta(days=1), 20, message))


@transaction.atomic
def nomination_objection_lodge(
    *,
    nomination: Nomination,
    content: str,
    raised_by: str = "",
    contact: str = "",
    address: str | None = None,
) -> NominationObjection:
    """Anyone lodges an objection on the public page while the notice runs (no sign-in;
    rate-limited per address with the portal's limits)."""
    now = timezone.now()
    today = timezone.localdate()
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != NominationStatus.NOTICE or not publicnotice.notice_is_running(
        nomination, today
    ):
        raise ValidationError(_("This nomination is not on public notice."))
    content = publicnotice.objection_check(content=content, received_on=today, today=today)
    if address:
        recent = NominationObjection.objects.filter(address=address)
        for limit in _objection_limits():
            if recent.filter(created_at__gt=now - limit.window).count() >= limit.most:
                raise ValidationError(limit.message, code="limit")
    contact = (contact or "").strip()[:100]
    objection = NominationObjection.objects.create(
        nomination=nomination,
        received_on=today,
        raised_by=(raised_by or "").strip()[:100],
        content=content[:5000],
        contact_encrypted=encrypt(contact, context=OBJECTOR_CONTACT_CONTEXT) if contact else "",
        address=address,
        created_at=now,
    )
    _step(nomination, by=None, action=StepAction.OBJECTION, comment=objection.content)
    return objection


@transaction.atomic
def nomination_objection_record(
    *, by, nomination: Nomination, received_on: date, content: str, raised_by: str = ""
) -> NominationObjection:
    """Staff record an objection received by letter or in person during the notice."""
    nomination = _nomination_in_scope(by, nomination)
    _require(nomination, NominationStatus.NOTICE)
    _require_top(by)
    content = publicnotice.objection_check(content=content, received_on=received_on)
    objection = NominationObjection.objects.create(
        nomination=nomination,
        received_on=received_on,
        raised_by=(raised_by or "").strip()[:100],
        content=content,
        recorded_by=by,
    )
    _step(nomination, by=by, action=StepAction.OBJECTION, comment=objection.content)
    return objection


@transaction.atomic
def nomination_objection_answer(
    *, by, objection: NominationObjection, upheld: bool, answer: str
) -> NominationObjection:
    """Answer an objection: upheld, the nomination fails; dismissed, with the reasons."""
    nomination = _nomination_in_scope(by, objection.nomination)
    _require_top(by)
    objection = NominationObjection.objects.select_for_update().get(
        pk=objection.pk, nomination=nomination
    )
    publicnotice.objection_settle(objection, by=by, upheld=upheld, resolution=answer)
    if upheld and nomination.status == NominationStatus.NOTICE:
        nomination.status = NominationStatus.FAILED
        nomination.save(update_fields=["status", "updated_at"])
    _step(
        nomination,
        by=by,
        action=StepAction.OBJECTION_UPHELD if upheld else StepAction.OBJECTION_DISMISSED,
        comment=objection.resolution,
    )
    return objection


@transaction.atomic
def nomination_confirm(
    *, by, nomination: Nomination, document_number: str = "", today: date | None = None
) -> TitleHolding:
    """Confirm after the notice with every objection answered: the title is held."""
    nomination = _nomination_in_scope(by, nomination)
    _require(nomination, NominationStatus.NOTICE)
    _require_top(by)
    today = _today(today)
    publicnotice.notice_require_confirmable(
        nomination,
        nomination.objections.all(),
        today=today,
        running_message=_(
            "The public notice runs until %(date)s: the nomination can be confirmed after that."
        ),
        pending_message=_("An objection is still unanswered: answer it before confirming."),
    )
    fields = {
        "holder_kind": nomination.holder_kind,
        "person": nomination.person,
        "employer": nomination.employer,
        "team_name": nomination.team_name,
    }
    if TitleHolding.objects.filter(
        title=nomination.title, year=nomination.year, **_holder_filter(fields)
    ).exists():
        raise ValidationError(_("This holder already holds that title for that year."))
    holding = TitleHolding.objects.create(
        title=nomination.title,
        year=nomination.year,
        conferred_on=today,
        source=Source.SELECTED,
        document_number=(document_number or "").strip(),
        nomination=nomination,
        created_by=by,
        **fields,
    )
    nomination.status = NominationStatus.CONFIRMED
    nomination.save(update_fields=["status", "updated_at"])
    _step(nomination, by=by, action=StepAction.CONFIRM, comment=holding.document_number)
    _tell(
        nomination,
        title=_("You are awarded %(title)s") % {"title": nomination.title.name},
        body=_("Your title %(title)s (%(year)s) is confirmed.")
        % {"title": nomination.title.name, "year": nomination.year},
    )
    return holding


@transaction.atomic
def nomination_withdraw(*, by, nomination: Nomination, reason: str) -> Nomination:
    """The nominating union (or a level above) withdraws a nomination not yet decided."""
    nomination = _nomination_in_scope(by, nomination)
    _require(
        nomination,
        NominationStatus.REVIEW,
        NominationStatus.RETURNED,
        NominationStatus.APPROVED,
        NominationStatus.NOTICE,
    )
    if not by.has_perm("honours.nominate"):
        raise PermissionDenied(_("You may not withdraw nominations."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the nomination is withdrawn.")})
    nomination.status, nomination.awaiting = NominationStatus.WITHDRAWN, None
    nomination.save(update_fields=["status", "awaiting", "updated_at"])
    _step(nomination, by=by, action=StepAction.WITHDRAW, comment=reason)
    return nomination


# --- Care ----------------------------------------------------------------------------


def _person_in_scope(by, person: Person) -> Person:
    if not by.has_perm("honours.manage_care"):
        raise PermissionDenied(_("You may not record care for model workers."))
    try:
        return Person.objects.for_user(by).get(pk=person.pk)
    except Person.DoesNotExist:
        raise PermissionDenied(_("This person is outside your scope.")) from None


@transaction.atomic
def condition_record(
    *, by, person: Person, kind: str, since: date, note: str = ""
) -> HolderCondition:
    """Flag a model worker as in difficulty or ill from ``since``."""
    person = _person_in_scope(by, person)
    if kind not in ConditionKind.values:
        raise ValidationError({"kind": _("Choose the condition.")})
    if since is None or since > timezone.localdate():
        raise ValidationError({"since": _("The date cannot be in the future.")})
    if HolderCondition.objects.filter(person=person, kind=kind, until__isnull=True).exists():
        raise ValidationError(_("This condition is already recorded and open."))
    return HolderCondition.objects.create(
        person=person, kind=kind, since=since, note=(note or "").strip(), recorded_by=by
    )


@transaction.atomic
def condition_end(*, by, condition: HolderCondition, until: date) -> HolderCondition:
    _person_in_scope(by, condition.person)
    condition = HolderCondition.objects.select_for_update().get(pk=condition.pk)
    if condition.until is not None:
        raise ValidationError(_("This condition has ended already."))
    if until is None or until < condition.since or until > timezone.localdate():
        raise ValidationError({"until": _("The end lies between the start and today.")})
    condition.until = until
    condition.save(update_fields=["until"])
    return condition


@transaction.atomic
def care_record(
    *,
    by,
    person: Person,
    rule: CareRule,
    period_start: date,
    given_on: date,
    amount: Decimal | None = None,
    what: str = "",
) -> CareGiven:
    """Record care given for one period of a rule (the period the overdue list names)."""
    person = _person_in_scope(by, person)
    if not TitleHolding.objects.filter(person=person, title_id=rule.title_id).exists():
        raise ValidationError({"rule": _("This person does not hold the title of that rule.")})
    if given_on is None or given_on > timezone.localdate():
        raise ValidationError({"given_on": _("The date cannot be in the future.")})
    if rule.kind == CareKind.ALLOWANCE and (amount is None or amount <= 0):
        raise ValidationError({"amount": _("Enter the amount paid.")})
    if CareGiven.objects.filter(person=person, rule=rule, period_start=period_start).exists():
        raise ValidationError(_("This care was already recorded for that period."))
    try:
        with transaction.atomic():
            return CareGiven.objects.create(
                person=person,
                rule=rule,
                period_start=period_start,
                given_on=given_on,
                amount=amount if rule.kind == CareKind.ALLOWANCE else amount or None,
                what=(what or "").strip(),
                by=by,
            )
    except IntegrityError:
        raise ValidationError(_("This care was already recorded for that period.")) from None


# --- Stories and activities ----------------------------------------------------------


@transaction.atomic
def story_save(
    *, by, person: Person, headline: str, text: str, photo=None, story: Story | None = None
) -> Story:
    """Write or correct a model worker's story (the photo made fit to keep)."""
    if not Person.objects.for_user(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("This person is outside your scope."))
    if not TitleHolding.objects.filter(person=person).exists():
        raise ValidationError({"person": _("Stories are of people holding a title.")})
    if not (headline or "").strip():
        raise ValidationError({"headline": _("Give the story a headline.")})
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the story.")})
    story = story or Story(created_by=by)
    story.person, story.headline, story.text = person, headline.strip(), text.strip()
    if photo:
        kept = photo_for_keeping(photo, max_bytes=STORY_PHOTO_MAX_BYTES)
        store_upload(story.photo, kept.name, kept, field="photo")
        save_with_file(story, story.photo)
    else:
        story.save()
    return story


@transaction.atomic
def story_publish(*, by, story: Story, publish: bool) -> Story:
    """Publish a story to the portal, or withdraw it."""
    story = Story.objects.for_user(by).select_for_update(of=("self",)).get(pk=story.pk)
    today = timezone.localdate()
    if publish:
        story.published_on, story.withdrawn_on = today, None
    else:
        if not story.is_published:
            raise ValidationError(_("This story is not published."))
        story.withdrawn_on = today
    story.save(update_fields=["published_on", "withdrawn_on"])
    return story


@transaction.atomic
def activity_create(
    *, by, kind: str, people, place: str, held_on: date, note: str = ""
) -> Activity:
    """Record an activity of model workers, organised by ``by``'s organisation."""
    organisation = getattr(by, "organisation", None)
    if organisation is None:
        raise PermissionDenied(_("Record activities for your own union."))
    people = list(people or ())
    if not people:
        raise ValidationError({"people": _("Choose the model workers who took part.")})
    visible = set(
        Person.objects.for_user(by)
        .filter(pk__in=[p.pk for p in people])
        .values_list("pk", flat=True)
    )
    if len(visible) != len({p.pk for p in people}):
        raise PermissionDenied(_("This person is outside your scope."))
    if not (place or "").strip():
        raise ValidationError({"place": _("Say where it was held.")})
    activity = Activity.objects.create(
        organisation=organisation,
        kind=kind,
        place=place.strip(),
        held_on=held_on,
        note=(note or "").strip(),
        created_by=by,
    )
    activity.people.set(people)
    return activity
