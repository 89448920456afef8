"""Writes about workers' congresses and open affairs.

Every function takes the acting user as ``by=``, reaches the employer, the
session and the delegates only through the user's scope, runs in one
transaction and returns what it saved. A refused call raises ValidationError
or PermissionDenied with a message that names nothing outside the user's
scope, and writes nothing. django-auditlog records the changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.inbox.models import MessageKind
from gonghui.inbox.services import notify, workers_language
from gonghui.orgs.models import Employer
from gonghui.people.models import Person

from .models import (
    PROPOSAL_STEPS,
    Attendance,
    CongressSession,
    Delegate,
    Disclosure,
    DisclosureTopic,
    Proposal,
    ProposalStatus,
    Resolution,
    has_majority,
    has_quorum,
)


def _today() -> date:
    return timezone.localdate()


def _check_manage(by) -> None:
    if not by.has_perm("congress.manage_congress"):
        raise PermissionDenied(_("You may not record workers' congresses."))


def _employer_in_scope(by, employer: Employer | None) -> Employer:
    """The employer, if ``by`` sees it; the refusal does not name it."""
    _check_manage(by)
    if employer is None:
        raise ValidationError({"employer": _("Choose the employer.")})
    if not Employer.objects.for_user(by).filter(pk=employer.pk).exists():
        raise PermissionDenied(_("The employer is outside your scope."))
    return employer


def _locked(by, record):
    """``record`` read again under a row lock, for a user who manages congresses and
    whose scope holds it (PermissionDenied otherwise): two changes of it queue."""
    _check_manage(by)
    model = type(record)
    try:
        return model.objects.for_user(by).select_for_update(of=("self",)).get(pk=record.pk)
    except model.DoesNotExist:
        raise PermissionDenied(_("This record is outside your scope.")) from None


def _session_locked(by, session: CongressSession) -> CongressSession:
    """The session under a row lock, so that two votes or roll calls queue."""
    return _locked(by, session)


def _not_future(value: date | None, field: str) -> date:
    if value is None:
        raise ValidationError({field: _("Enter the date.")})
    if value > _today():
        raise ValidationError({field: _("The date cannot be in the future.")})
    return value


def term_delegates(employer_id: int, term: int):
    return Delegate.objects.filter(employer_id=employer_id, term=term)


# --- Sessions -------------------------------------------------------------------------


def _session_fields(term: int, number: int, held_on: date, place: str, note: str) -> dict:
    if not term or term < 1:
        raise ValidationError({"term": _("The term is numbered from 1.")})
    if not number or number < 1:
        raise ValidationError({"number": _("The session is numbered from 1.")})
    return {
        "term": term,
        "number": number,
        "held_on": _not_future(held_on, "held_on"),
        "place": (place or "").strip(),
        "note": (note or "").strip(),
    }


def _session_unique(session: CongressSession) -> None:
    taken = CongressSession.objects.filter(
        employer_id=session.employer_id, term=session.term, number=session.number
    ).exclude(pk=session.pk)
    if taken.exists():
        raise ValidationError({"number": _("This session of this term is recorded already.")})


@transaction.atomic
def session_create(
    *,
    by,
    employer: Employer,
    term: int,
    number: int,
    held_on: date,
    place: str = "",
    note: str = "",
) -> CongressSession:
    """Record a session of the employer's congress."""
    _employer_in_scope(by, employer)
    session = CongressSession(
        employer=employer, created_by=by, **_session_fields(term, number, held_on, place, note)
    )
    _session_unique(session)
    session.save()
    return session


@transaction.atomic
def session_update(
    *,
    by,
    session: CongressSession,
    term: int,
    number: int,
    held_on: date,
    place: str = "",
    note: str = "",
) -> CongressSession:
    """Correct a session's numbers, date or place. Its term is fixed once it has
    attendance or resolutions: they were counted against that term's delegates."""
    session = _session_locked(by, session)
    fields = _session_fields(term, number, held_on, place, note)
    if fields["term"] != session.term and (
        session.attendances.exists() or session.resolutions.exists()
    ):
        raise ValidationError(
            {"term": _("The term cannot change once attendance or votes are recorded.")}
        )
    for name, value in fields.items():
        setattr(session, name, value)
    _session_unique(session)
    session.save()
    return session


@transaction.atomic
def attendance_set(*, by, session: CongressSession, present: Iterable[Delegate]) -> CongressSession:
    """Record who of the term's delegates were present (replacing an earlier roll call).

    The roll call is refused once resolutions are voted: their counts were
    checked against the delegates present then.
    """
    session = _session_locked(by, session)
    if session.resolutions.exists():
        raise ValidationError(
            _("Attendance cannot change once resolutions are voted at this session.")
        )
    wanted = {d.pk for d in present}
    allowed = set(term_delegates(session.employer_id, session.term).values_list("pk", flat=True))
    if wanted - allowed:
        raise ValidationError(_("Only delegates of this term can be present."))
    Attendance.objects.filter(session=session).delete()
    Attendance.objects.bulk_create(Attendance(session=session, delegate_id=pk) for pk in wanted)
    session.save(update_fields=["updated_at"])
    return session


def session_counts(session: CongressSession) -> tuple[int, int]:
    """(delegates present, delegates of the term) of a session."""
    total = term_delegates(session.employer_id, session.term).count()
    present = Attendance.objects.filter(session=session).count()
    return present, total


# --- Delegates ----------------------------------------------------------------------


def _delegate_fields(
    by,
    employer: Employer,
    *,
    term: int,
    person: Person | None,
    name: str,
    frontline: bool,
    manager: bool,
    woman: bool,
    dispatched: bool,
    elected_on: date,
) -> dict:
    if not term or term < 1:
        raise ValidationError({"term": _("The term is numbered from 1.")})
    if person is not None:
        # A delegate is one of the employer's workers, in the user's scope.
        if not Person.objects.for_user(by).filter(pk=person.pk, employer=employer).exists():
            raise ValidationError(
                {"person": _("Nobody with this ID number works at this employer in your scope.")}
            )
        name = person.name
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the delegate or give their ID number.")})
    if manager and frontline:
        raise ValidationError(
            {"manager": _("A manager is not counted as a front-line worker as well.")}
        )
    return {
        "term": term,
        "person": person,
        "name": name,
        "frontline": bool(frontline),
        "manager": bool(manager),
        "woman": bool(woman),
        "dispatched": bool(dispatched),
        "elected_on": _not_future(elected_on, "elected_on"),
    }


def _delegate_unique(delegate: Delegate) -> None:
    if delegate.person_id is None:
        return
    taken = Delegate.objects.filter(
        employer_id=delegate.employer_id, term=delegate.term, person_id=delegate.person_id
    ).exclude(pk=delegate.pk)
    if taken.exists():
        raise ValidationError({"person": _("This worker is a delegate of this term already.")})


def _tell_elected(delegate: Delegate) -> None:
    if delegate.person_id is None:
        return
    with workers_language():
        notify(
            delegate.person,
            MessageKind.GENERAL,
            title=_("You are elected a delegate to the workers' congress"),
            body=_("You are a delegate of term %(term)d of the workers' congress of %(employer)s.")
            % {"term": delegate.term, "employer": delegate.employer.name},
            key=f"congress-delegate:{delegate.pk}",
        )


@transaction.atomic
def delegate_create(
    *,
    by,
    employer: Employer,
    term: int,
    elected_on: date,
    person: Person | None = None,
    name: str = "",
    frontline: bool = False,
    manager: bool = False,
    woman: bool = False,
    dispatched: bool = False,
) -> Delegate:
    """Record an elected delegate; a worker with a file is told in the portal."""
    _employer_in_scope(by, employer)
    delegate = Delegate(
        employer=employer,
        **_delegate_fields(
            by,
            employer,
            term=term,
            person=person,
            name=name,
            frontline=frontline,
            manager=manager,
            woman=woman,
            dispatched=dispatched,
            elected_on=elected_on,
        ),
    )
    _delegate_unique(delegate)
    delegate.save()
    _tell_elected(delegate)
    return delegate


@transaction.atomic
def delegate_update(
    *,
    by,
    delegate: Delegate,
    term: int,
    elected_on: date,
    person: Person | None = None,
    name: str = "",
    frontline: bool = False,
    manager: bool = False,
    woman: bool = False,
    dispatched: bool = False,
) -> Delegate:
    """Correct a delegate's record; a worker newly linked to it is told they are elected."""
    delegate = _locked(by, delegate)
    fields = _delegate_fields(
        by,
        delegate.employer,
        term=term,
        person=person if person is not None else delegate.person,
        name=name,
        frontline=frontline,
        manager=manager,
        woman=woman,
        dispatched=dispatched,
        elected_on=elected_on,
    )
    if fields["term"] != delegate.term and (
        delegate.attendances.exists() or delegate.proposals.exists()
    ):
        raise ValidationError(
            {"term": _("The term cannot change once the delegate attended or proposed.")}
        )
    linked_now = fields["person"] is not None and fields["person"].pk != delegate.person_id
    for field, value in fields.items():
        setattr(delegate, field, value)
    _delegate_unique(delegate)
    delegate.save()
    if linked_now:
        _tell_elected(delegate)
    return delegate


# --- Proposals ------------------------------------------------------------------------


@transaction.atomic
def proposal_create(
    *,
    by,
    session: CongressSession,
    proposer: Delegate,
    title: str,
    text: str,
    submitted_on: date,
    department: str = "",
) -> Proposal:
    """Record a delegate's proposal to a session."""
    session = _session_locked(by, session)
    if (
        proposer is None
        or not term_delegates(session.employer_id, session.term).filter(pk=proposer.pk).exists()
    ):
        raise ValidationError({"proposer": _("The proposer must be a delegate of this term.")})
    title, text = (title or "").strip(), (text or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the proposal a title.")})
    if not text:
        raise ValidationError({"text": _("Write what the proposal asks.")})
    return Proposal.objects.create(
        session=session,
        proposer=proposer,
        title=title,
        text=text,
        department=(department or "").strip(),
        submitted_on=_not_future(submitted_on, "submitted_on"),
    )


@transaction.atomic
def proposal_advance(
    *,
    by,
    proposal: Proposal,
    status: str,
    department: str = "",
    reply: str = "",
    replied_on: date | None = None,
    merged_into: Proposal | None = None,
) -> Proposal:
    """Move a proposal one step on (accepted or merged, handled, replied).

    A merge names the proposal of the same session it joins (``merged_into``),
    which must not itself be merged; its reply then answers both. A reply needs its
    text and date. Each proposer with a file is told: of the merge, and of the
    reply to their proposal or to the one theirs joined.
    """
    _check_manage(by)
    target_pk = merged_into.pk if status == ProposalStatus.MERGED and merged_into else None
    # Both rows are locked in one statement, in the order of their keys, so that two
    # merges of the same pair the other way round wait for each other, not deadlock.
    locked = {
        row.pk: row
        for row in Proposal.objects.for_user(by)
        .select_for_update(of=("self",))
        .select_related("proposer__person", "session__employer")
        .filter(pk__in=[pk for pk in (proposal.pk, target_pk) if pk is not None])
        .order_by("pk")
    }
    if proposal.pk not in locked:
        raise PermissionDenied(_("This record is outside your scope."))
    proposal = locked[proposal.pk]
    if status not in PROPOSAL_STEPS.get(proposal.status, set()):
        raise ValidationError(
            {
                "status": _("A proposal that is “%(now)s” cannot become “%(next)s”.")
                % {
                    "now": proposal.get_status_display(),
                    "next": ProposalStatus(status).label
                    if status in ProposalStatus.values
                    else status,
                }
            }
        )
    department = (department or "").strip()
    if department:
        proposal.department = department
    if status == ProposalStatus.MERGED:
        if proposal.merged_proposals.exists():
            raise ValidationError(
                {"status": _("Other proposals were merged with this one: it cannot be merged.")}
            )
        proposal.merged_into = _merge_target(proposal, locked.get(target_pk))
    if status in (ProposalStatus.HANDLED, ProposalStatus.REPLIED) and not proposal.department:
        raise ValidationError({"department": _("Name the department responsible.")})
    if status == ProposalStatus.REPLIED:
        reply = (reply or "").strip()
        if not reply:
            raise ValidationError({"reply": _("Write the reply.")})
        proposal.reply = reply
        proposal.replied_on = _not_future(replied_on, "replied_on")
        if proposal.replied_on < proposal.submitted_on:
            raise ValidationError({"replied_on": _("The reply cannot precede the proposal.")})
    proposal.status = status
    proposal.save()
    if status == ProposalStatus.MERGED:
        _tell_proposer(
            proposal,
            "merged",
            title=gettext_lazy("Your congress proposal was merged"),
            body=gettext_lazy(
                "Your proposal “%(title)s” was merged with the proposal “%(other)s”; "
                "the reply to that proposal answers yours too."
            ),
            other=proposal.merged_into,
        )
    if status == ProposalStatus.REPLIED:
        _tell_proposer(
            proposal,
            "replied",
            title=gettext_lazy("Your congress proposal has a reply"),
            body=gettext_lazy("Your proposal “%(title)s” was answered: %(reply)s"),
        )
        for joined in proposal.merged_proposals.select_related("proposer__person"):
            _tell_proposer(
                joined,
                "replied",
                title=gettext_lazy("Your congress proposal has a reply"),
                body=gettext_lazy(
                    "The proposal “%(other)s”, which yours (“%(title)s”) was merged with, "
                    "was answered: %(reply)s"
                ),
                other=proposal,
            )
    return proposal


def _merge_target(proposal: Proposal, target: Proposal | None) -> Proposal:
    """The proposal ``proposal`` may join: one of its session, in the reader's scope,
    not itself and not merged in turn (a reply must reach every proposer in one step)."""
    if target is None or target.session_id != proposal.session_id or target.pk == proposal.pk:
        raise ValidationError(
            {"merged_into": _("Choose the proposal of the same session that this one joins.")}
        )
    if target.status == ProposalStatus.MERGED:
        raise ValidationError(
            {
                "merged_into": _(
                    "That proposal was itself merged: choose the proposal it was merged with."
                )
            }
        )
    return target


def _tell_proposer(
    proposal: Proposal, event: str, *, title, body, other: Proposal | None = None
) -> None:
    """A message to the proposer, when they have a file (a named delegate has none)."""
    if proposal.proposer.person_id is None:
        return
    with workers_language():
        values = {"title": proposal.title, "reply": (other or proposal).reply}
        if other is not None:
            values["other"] = other.title
        notify(
            proposal.proposer.person,
            MessageKind.GENERAL,
            title=str(title),
            body=str(body) % values,
            key=f"congress-proposal:{proposal.pk}:{event}",
        )


# --- Resolutions ----------------------------------------------------------------------


def _votes(value, field: str) -> int:
    if value is None:
        raise ValidationError({field: _("Enter the count (0 if none).")})
    value = int(value)
    if value < 0:
        raise ValidationError({field: _("A vote count cannot be negative.")})
    return value


@transaction.atomic
def resolution_create(
    *,
    by,
    session: CongressSession,
    title: str,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    text: str = "",
) -> Resolution:
    """Record a resolution and its vote; it passes only at a valid session (two
    thirds present) with more than half of ALL the term's delegates for it."""
    session = _session_locked(by, session)
    present, total = session_counts(session)
    return Resolution.objects.create(
        session=session,
        delegates_total=total,
        delegates_present=present,
        created_by=by,
        **_resolution_values(
            title, text, (votes_for, votes_against, votes_abstain), present, total
        ),
    )


@transaction.atomic
def resolution_update(
    *,
    by,
    resolution: Resolution,
    title: str,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    text: str = "",
) -> Resolution:
    """Correct a resolution's wording or counts (a typing mistake); the outcome is
    worked out again against the delegates present and of the term as they were at
    the vote, not as the roll stands now. The change history keeps what it was."""
    resolution = _locked(by, resolution)
    values = _resolution_values(
        title,
        text,
        (votes_for, votes_against, votes_abstain),
        resolution.delegates_present,
        resolution.delegates_total,
    )
    for field, value in values.items():
        setattr(resolution, field, value)
    resolution.save()
    return resolution


def _resolution_values(title: str, text: str, votes, present: int, total: int) -> dict:
    """The checked fields of a resolution and its outcome under the rule."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the resolution a title.")})
    counts = {
        field: _votes(value, field)
        for field, value in zip(("votes_for", "votes_against", "votes_abstain"), votes, strict=True)
    }
    cast = sum(counts.values())
    if cast > present:
        raise ValidationError(
            _(
                "%(cast)d votes were counted but only %(present)d delegates were present: "
                "check the counts or the attendance."
            )
            % {"cast": cast, "present": present}
        )
    return {
        "title": title,
        "text": (text or "").strip(),
        "passed": has_quorum(present, total) and has_majority(counts["votes_for"], total),
        **counts,
    }


# --- Open affairs (厂务公开) --------------------------------------------------------------


def _disclosure_fields(topic: str, period: str, text: str, disclosed_on: date) -> dict:
    if topic not in DisclosureTopic.values:
        raise ValidationError({"topic": _("Choose the topic.")})
    period, text = (period or "").strip(), (text or "").strip()
    if not period:
        raise ValidationError({"period": _("Name the period the disclosure covers.")})
    if not text:
        raise ValidationError({"text": _("Write what was disclosed.")})
    return {
        "topic": topic,
        "period": period,
        "text": text,
        "disclosed_on": _not_future(disclosed_on, "disclosed_on"),
    }


@transaction.atomic
def disclosure_create(
    *, by, employer: Employer, topic: str, period: str, text: str, disclosed_on: date
) -> Disclosure:
    """Record what the employer disclosed to its workers."""
    _employer_in_scope(by, employer)
    return Disclosure.objects.create(
        employer=employer, created_by=by, **_disclosure_fields(topic, period, text, disclosed_on)
    )


@transaction.atomic
def disclosure_update(
    *, by, disclosure: Disclosure, topic: str, period: str, text: str, disclosed_on: date
) -> Disclosure:
    disclosure = _locked(by, disclosure)
    for field, value in _disclosure_fields(topic, period, text, disclosed_on).items():
        setattr(disclosure, field, value)
    disclosure.save()
    return disclosure
