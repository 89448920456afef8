"""Every change to a competition: the competition and its events, registration and its
approval, judges, scores, locking the results and changing a locked result.

Each function takes the acting user first (``by``; None for a worker in the portal),
runs in one transaction, refuses bad input with a translated message before writing
anything, and tells the worker through ``inbox.notify`` in the same transaction.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.models import Role
from gonghui.core.scope import is_in_scope
from gonghui.inbox.models import MessageKind
from gonghui.inbox.services import Notice, notify, notify_many, workers_language
from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import Person

from . import selectors
from .models import (
    WEIGHT_TOTAL,
    Award,
    AwardBasis,
    Competition,
    CompetitionStatus,
    Entry,
    EntryStatus,
    Event,
    JudgeAssignment,
    ResultChange,
    Score,
)

CHANGE = "competitions.change_competition"
ADD_ENTRY = "competitions.add_entry"

#: The fields of a competition a form may set (``competition_create``/``_update``).
COMPETITION_FIELDS = (
    "name",
    "trade",
    "level",
    "organiser",
    "starts_on",
    "ends_on",
    "registration_opens_on",
    "registration_closes_on",
    "min_age",
    "max_age",
    "eligible_trade",
    "members_only",
    "tie_rule",
    "award_basis",
    "first_awards",
    "second_awards",
    "third_awards",
    "excellence_awards",
    "first_skill_level",
    "second_skill_level",
    "third_skill_level",
)
#: The next status of each status an organiser moves a competition on from.
NEXT_STATUS = {
    CompetitionStatus.DRAFT: CompetitionStatus.OPEN,
    CompetitionStatus.OPEN: CompetitionStatus.CLOSED,
    CompetitionStatus.CLOSED: CompetitionStatus.SCORING,
}


def may_organise(user, competition: Competition) -> bool:
    """Whether ``user`` runs ``competition``: the right to change competitions, and the
    organiser in their subtree (a chair sees a county competition but does not run it)."""
    return bool(user) and user.has_perm(CHANGE) and is_in_scope(user, competition.organiser)


def _check_organiser(by, competition: Competition) -> None:
    if not may_organise(by, competition):
        raise PermissionDenied(_("Only the organiser's staff may do this."))


def _lock(competition: Competition) -> Competition:
    """The competition's row, locked for the rest of the transaction: two changes of its
    status (or a score and the lock) are made one after the other."""
    return Competition.objects.select_for_update().get(pk=competition.pk)


# --- the competition and its events -------------------------------------------------------


def _check_competition(by, data: dict) -> None:
    organiser: Organisation | None = data.get("organiser")
    if organiser is None or not is_in_scope(by, organiser):
        raise ValidationError({"organiser": _("Choose an organisation in your scope.")})
    if data["ends_on"] < data["starts_on"]:
        raise ValidationError({"ends_on": _("The competition must end on or after its first day.")})
    if data["registration_closes_on"] < data["registration_opens_on"]:
        raise ValidationError(
            {"registration_closes_on": _("Registration must close on or after it opens.")}
        )
    if data["registration_closes_on"] > data["starts_on"]:
        raise ValidationError(
            {
                "registration_closes_on": _(
                    "Registration must close no later than the competition's first day."
                )
            }
        )
    low, high = data.get("min_age"), data.get("max_age")
    if low is not None and high is not None and high < low:
        raise ValidationError({"max_age": _("The maximum age is at least the minimum age.")})
    if data.get("award_basis") == AwardBasis.SHARE:
        shares = [data.get(f"{a}_awards") or 0 for a in Award.values]
        if any(share > 100 for share in shares) or sum(shares) > 100:
            raise ValidationError(
                {"first_awards": _("The shares of entrants awarded add up to at most 100%.")}
            )


@transaction.atomic
def competition_create(*, by, **data) -> Competition:
    if not by.has_perm("competitions.add_competition"):
        raise PermissionDenied(_("You do not have the right to do this."))
    _check_competition(by, data)
    fields = {name: data[name] for name in COMPETITION_FIELDS if name in data}
    return Competition.objects.create(created_by=by, **fields)


@transaction.atomic
def competition_update(*, by, competition: Competition, **data) -> Competition:
    competition = _lock(competition)
    _check_organiser(by, competition)
    if competition.status == CompetitionStatus.LOCKED:
        raise ValidationError(_("The results are locked: the competition can no longer change."))
    _check_competition(by, data)
    for name in COMPETITION_FIELDS:
        if name in data:
            setattr(competition, name, data[name])
    competition.save()
    return competition


def _check_event(competition: Competition, *, min_score, max_score, weight, event=None) -> None:
    if competition.status != CompetitionStatus.DRAFT:
        raise ValidationError(_("Events change only while the competition is a draft."))
    if min_score < 0 or max_score <= min_score or max_score > 1000:
        raise ValidationError(
            {"max_score": _("The highest score is above the lowest, from 0 up to 1000.")}
        )
    if not 1 <= weight <= WEIGHT_TOTAL:
        raise ValidationError({"weight": _("A weight is a whole percentage from 1 to 100.")})
    others = Event.objects.filter(competition=competition)
    if event is not None:
        others = others.exclude(pk=event.pk)
    taken = others.aggregate(total=Sum("weight"))["total"] or 0
    if taken + weight > WEIGHT_TOTAL:
        raise ValidationError(
            {
                "weight": _(
                    "The weights add up to %(total)s%% with this one; they must add up to 100%%."
                )
                % {"total": taken + weight}
            }
        )


@transaction.atomic
def event_add(*, by, competition: Competition, name: str, kind: str, min_score, max_score, weight):
    competition = _lock(competition)
    _check_organiser(by, competition)
    _check_event(competition, min_score=min_score, max_score=max_score, weight=weight)
    return Event.objects.create(
        competition=competition,
        name=name,
        kind=kind,
        min_score=min_score,
        max_score=max_score,
        weight=weight,
    )


@transaction.atomic
def event_update(*, by, event: Event, name: str, kind: str, min_score, max_score, weight) -> Event:
    competition = _lock(event.competition)
    _check_organiser(by, competition)
    _check_event(competition, min_score=min_score, max_score=max_score, weight=weight, event=event)
    event.name, event.kind = name, kind
    event.min_score, event.max_score, event.weight = min_score, max_score, weight
    event.save()
    return event


@transaction.atomic
def event_remove(*, by, event: Event) -> None:
    competition = _lock(event.competition)
    _check_organiser(by, competition)
    if competition.status != CompetitionStatus.DRAFT:
        raise ValidationError(_("Events change only while the competition is a draft."))
    event.delete()


@transaction.atomic
def competition_advance(*, by, competition: Competition) -> Competition:
    """Move the competition on: open registration (its events' weights add up to 100),
    close it, start scoring (judges assigned, entrants approved, none waiting)."""
    competition = _lock(competition)
    _check_organiser(by, competition)
    target = NEXT_STATUS.get(competition.status)
    if target is None:
        raise ValidationError(_("The competition cannot move on from here."))
    if target == CompetitionStatus.OPEN:
        total = competition.events.aggregate(total=Sum("weight"))["total"] or 0
        if total != WEIGHT_TOTAL:
            raise ValidationError(
                _(
                    "The events' weights add up to %(total)s%%; they must add up to 100%% "
                    "before registration opens."
                )
                % {"total": total}
            )
    if target == CompetitionStatus.SCORING:
        if not competition.judge_assignments.exists():
            raise ValidationError(_("Assign the judges before scoring starts."))
        if competition.entries.filter(status=EntryStatus.PENDING).exists():
            raise ValidationError(
                _("Some registrations still await approval: approve or refuse them first.")
            )
        if not competition.entries.filter(status=EntryStatus.APPROVED).exists():
            raise ValidationError(_("No entrant is approved: there is nobody to score."))
    competition.status = target
    competition.save(update_fields=["status", "updated_at"])
    return competition


# --- registration -----------------------------------------------------------------------------


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Whole years of age on ``day`` (the birth date is read from the ID number,
    GB 11643-1999 §6.2.3)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def eligibility_problem(competition: Competition, person: Person) -> str | None:
    """Why ``person`` may not enter ``competition`` (a sentence), or None."""
    age = age_on(person.birth_date, competition.starts_on)
    if competition.min_age is not None and age < competition.min_age:
        return _("Entrants must be at least %(age)s years old on the first day.") % {
            "age": competition.min_age
        }
    if competition.max_age is not None and age > competition.max_age:
        return _("Entrants must be at most %(age)s years old on the first day.") % {
            "age": competition.max_age
        }
    trade = competition.eligible_trade.strip()
    if trade and trade.casefold() not in (person.job_title or "").casefold():
        return _("This competition is for workers in the trade %(trade)s.") % {"trade": trade}
    if competition.members_only and person.current_union_id is None:
        return _("This competition is for union members only.")
    if person.employer_id is None or not (
        Employer.objects.in_subtree(competition.organiser).filter(pk=person.employer_id).exists()
    ):
        return _("This competition is for workers of employers under %(organiser)s.") % {
            "organiser": competition.organiser.name
        }
    return None


def registration_problem(
    competition: Competition, person: Person, *, today: datetime.date | None = None
) -> str | None:
    """Why ``person`` cannot register now, or None."""
    today = today or timezone.localdate()
    if competition.status != CompetitionStatus.OPEN:
        return _("This competition is not open for registration.")
    if today < competition.registration_opens_on:
        return _("Registration opens on %(day)s.") % {"day": competition.registration_opens_on}
    if today > competition.registration_closes_on:
        return _("Registration closed on %(day)s.") % {"day": competition.registration_closes_on}
    if Entry.objects.filter(competition=competition, person=person).exists():
        return _("This worker has already entered this competition.")
    return eligibility_problem(competition, person)


@transaction.atomic
def entry_register(*, by, competition: Competition, person: Person) -> Entry:
    """Register ``person`` for ``competition``: by the worker in the portal (``by`` None)
    or by a staff member who sees the worker (a chair registers their members)."""
    if by is not None:
        if not by.has_perm(ADD_ENTRY):
            raise PermissionDenied(_("You do not have the right to do this."))
        if not Person.objects.for_user(by).filter(pk=person.pk).exists():
            raise ValidationError(_("Choose a worker in your scope."))
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    problem = registration_problem(competition, person)
    if problem is not None:
        raise ValidationError(problem)
    try:
        with transaction.atomic():
            return Entry.objects.create(competition=competition, person=person, registered_by=by)
    except IntegrityError:
        raise ValidationError(_("This worker has already entered this competition.")) from None


def _tell_decision(entry: Entry) -> None:
    url = reverse("portal-competitions:entry", args=[entry.pk])
    with workers_language():
        if entry.status == EntryStatus.APPROVED:
            title = _("Your registration for %(name)s is approved") % {
                "name": entry.competition.name
            }
            body = _("The competition starts on %(day)s.") % {"day": entry.competition.starts_on}
        else:
            title = _("Your registration for %(name)s was not accepted") % {
                "name": entry.competition.name
            }
            body = _("Reason: %(reason)s") % {"reason": entry.refusal_reason}
        notify(
            entry.person,
            MessageKind.GENERAL,
            title=title,
            body=body,
            url=url,
            sms=True,
            key=f"competition-entry:{entry.pk}:{entry.status}",
        )


def _decide(by, entry: Entry, status: str, reason: str = "") -> Entry:
    competition = _lock(entry.competition)
    _check_organiser(by, competition)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != EntryStatus.PENDING:
        raise ValidationError(_("This registration has been decided already."))
    if competition.status not in (CompetitionStatus.OPEN, CompetitionStatus.CLOSED):
        raise ValidationError(_("Registrations are decided before scoring starts."))
    entry.status = status
    entry.refusal_reason = reason
    entry.decided_by = by
    entry.decided_at = timezone.now()
    entry.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    entry.competition = competition
    _tell_decision(entry)
    return entry


@transaction.atomic
def entry_approve(*, by, entry: Entry) -> Entry:
    return _decide(by, entry, EntryStatus.APPROVED)


@transaction.atomic
def entry_refuse(*, by, entry: Entry, reason: str) -> Entry:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for refusing.")})
    return _decide(by, entry, EntryStatus.REFUSED, reason)


# --- judges -------------------------------------------------------------------------------


def judge_candidates(competition: Competition):
    """Active accounts holding the judge role placed at the organiser, above it or below it."""
    from gonghui.accounts.models import User

    organiser = competition.organiser
    related = [*organiser.ancestor_ids(), organiser.pk]
    below = Organisation.objects.in_subtree(organiser).values("pk")
    return (
        User.objects.filter(is_active=True, groups__name=Role.JUDGE)
        .filter(Q(organisation_id__in=related) | Q(organisation_id__in=below))
        .distinct()
        .order_by("username")
    )


@transaction.atomic
def judge_assign(*, by, competition: Competition, judge) -> JudgeAssignment:
    competition = _lock(competition)
    _check_organiser(by, competition)
    if competition.status == CompetitionStatus.LOCKED:
        raise ValidationError(_("The results are locked: the judges can no longer change."))
    if not judge_candidates(competition).filter(pk=judge.pk).exists():
        raise ValidationError({"judge": _("Choose an account holding the judge role.")})
    if JudgeAssignment.objects.filter(competition=competition, judge=judge).exists():
        raise ValidationError({"judge": _("This judge is already assigned to the competition.")})
    return JudgeAssignment.objects.create(competition=competition, judge=judge, assigned_by=by)


@transaction.atomic
def judge_unassign(*, by, assignment: JudgeAssignment) -> None:
    competition = _lock(assignment.competition)
    _check_organiser(by, competition)
    if Score.objects.filter(event__competition=competition, judge=assignment.judge_id).exists():
        raise ValidationError(_("This judge has entered scores and can no longer be removed."))
    assignment.delete()


# --- scores -------------------------------------------------------------------------------


def _checked_value(event: Event, value) -> Decimal:
    try:
        value = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("A score is a number.")) from None
    if not event.min_score <= value <= event.max_score:
        raise ValidationError(
            _("A score in %(event)s lies from %(low)s to %(high)s.")
            % {"event": event.name, "low": event.min_score, "high": event.max_score}
        )
    return value


def _check_judge(by, competition: Competition) -> None:
    if by is None or not JudgeAssignment.objects.filter(competition=competition, judge=by).exists():
        raise PermissionDenied(_("Only a judge assigned to this competition may score it."))
    if competition.status == CompetitionStatus.LOCKED:
        raise ValidationError(_("The results are locked: scores can no longer change."))
    if competition.status != CompetitionStatus.SCORING:
        raise ValidationError(_("Scoring has not started."))


def _check_entry(competition: Competition, entry: Entry, event: Event) -> None:
    if entry.competition_id != competition.pk or event.competition_id != competition.pk:
        raise ValidationError(_("This entrant or event is not of this competition."))
    if entry.status != EntryStatus.APPROVED:
        raise ValidationError(_("Only approved entrants are scored."))


@transaction.atomic
def score_record(*, by, entry: Entry, event: Event, value) -> Score:
    """The judge's score of ``entry`` in ``event``: once; a correction is ``score_correct``."""
    competition = _lock(entry.competition)
    _check_judge(by, competition)
    entry = Entry.objects.select_related("person").get(pk=entry.pk)
    _check_entry(competition, entry, event)
    value = _checked_value(event, value)
    if Score.objects.filter(entry=entry, event=event, judge=by).exists():
        raise ValidationError(
            _("You have already scored %(name)s in %(event)s; correct that score instead.")
            % {"name": entry.person.name, "event": event.name}
        )
    return Score.objects.create(entry=entry, event=event, judge=by, value=value)


@transaction.atomic
def score_correct(*, by, score: Score, value) -> Score:
    """The judge corrects their own score before the results are locked (an update,
    recorded in the audit trail)."""
    competition = _lock(score.entry.competition)
    _check_judge(by, competition)
    if score.judge_id != by.pk:
        raise PermissionDenied(_("A judge corrects only their own scores."))
    score.value = _checked_value(score.event, value)
    score.save(update_fields=["value", "updated_at"])
    return score


@transaction.atomic
def score_sheet_save(*, by, competition: Competition, values: dict) -> int:
    """Save a judge's sheet: ``values`` {(entry id, event id): value or None}. Every
    cell is checked first; one bad cell refuses the whole sheet. New cells are
    recorded, changed ones corrected; returns how many changed."""
    competition = _lock(competition)
    _check_judge(by, competition)
    events = {e.pk: e for e in Event.objects.filter(competition=competition)}
    entries = {
        e.pk: e for e in Entry.objects.filter(competition=competition, status=EntryStatus.APPROVED)
    }
    mine = {
        (s.entry_id, s.event_id): s
        for s in Score.objects.filter(event__competition=competition, judge=by)
    }
    checked: dict[tuple[int, int], Decimal] = {}
    errors = []
    for (entry_id, event_id), raw in values.items():
        if raw in (None, ""):
            continue
        entry, event = entries.get(entry_id), events.get(event_id)
        if entry is None or event is None:
            raise ValidationError(_("This entrant or event is not of this competition."))
        try:
            checked[(entry_id, event_id)] = _checked_value(event, raw)
        except ValidationError as exc:
            errors.append(
                _("%(name)s: %(problem)s") % {"name": entry.person.name, "problem": exc.messages[0]}
            )
    if errors:
        raise ValidationError(errors)
    changed = 0
    for (entry_id, event_id), value in checked.items():
        existing = mine.get((entry_id, event_id))
        if existing is None:
            Score.objects.create(entry_id=entry_id, event_id=event_id, judge=by, value=value)
            changed += 1
        elif existing.value != value:
            existing.value = value
            existing.save(update_fields=["value", "updated_at"])
            changed += 1
    return changed


# --- results ------------------------------------------------------------------------------


def _record_skill_levels(competition: Competition, results) -> None:
    """An award that carries a skill level goes on the entrant's file (skills app)."""
    levelled = [r for r in results if competition.skill_level_of(r.award)]
    if not levelled:
        return
    from gonghui.skills.services import skill_record_add

    people = {
        e.pk: e.person
        for e in Entry.objects.filter(pk__in=[r.entry for r in levelled]).select_related("person")
    }
    certified_on = min(competition.ends_on, timezone.localdate())
    for result in levelled:
        try:
            # A savepoint each: a winner who already holds the level in the trade keeps
            # the record they have, and the results are locked all the same.
            with transaction.atomic():
                skill_record_add(
                    by=None,
                    person=people[result.entry],
                    level=competition.skill_level_of(result.award),
                    trade=competition.trade,
                    certified_on=certified_on,
                    source="competition",
                    note=competition.name,
                )
        except ValidationError:
            continue


@transaction.atomic
def results_lock(*, by, competition: Competition) -> Competition:
    """Lock and publish the results: every approved entrant scored by every judge in
    every event, or the refusal says who is missing."""
    competition = _lock(competition)
    _check_organiser(by, competition)
    if competition.status != CompetitionStatus.SCORING:
        raise ValidationError(_("Results are locked once scoring is under way, and only once."))
    missing, shown = selectors.missing_scores(competition, limit=5)
    if missing:
        names = _("; ").join(
            _("%(judge)s has not scored %(entrant)s in %(event)s")
            % {"judge": m.judge, "entrant": m.entrant, "event": m.event}
            for m in shown
        )
        raise ValidationError(
            _("%(n)s scores are missing: %(names)s.") % {"n": missing, "names": names}
        )
    results = selectors.ranking_of(competition)
    entries = {e.pk: e for e in Entry.objects.filter(pk__in=[r.entry for r in results])}
    for result in results:
        entry = entries[result.entry]
        entry.final_score = Decimal(str(result.final_points))
        entry.place = result.place
        entry.award = result.award
    Entry.objects.bulk_update(entries.values(), ["final_score", "place", "award"], batch_size=1000)
    competition.status = CompetitionStatus.LOCKED
    competition.locked_at = timezone.now()
    competition.locked_by = by
    competition.save(update_fields=["status", "locked_at", "locked_by", "updated_at"])
    _record_skill_levels(competition, results)
    _tell_results(competition, entries.values())
    return competition


def _tell_results(competition: Competition, entries) -> None:
    people = {p.pk: p for p in Person.objects.filter(pk__in=[e.person_id for e in entries])}
    notices = []
    with workers_language():
        for entry in entries:
            if entry.award:
                body = _("You are placed %(place)s and win the %(award)s.") % {
                    "place": entry.place,
                    "award": Award(entry.award).label,
                }
            else:
                body = _("You are placed %(place)s.") % {"place": entry.place}
            notices.append(
                Notice(
                    people[entry.person_id],
                    MessageKind.GENERAL,
                    title=_("The results of %(name)s are published") % {"name": competition.name},
                    body=body,
                    url=reverse("portal-competitions:entry", args=[entry.pk]),
                    key=f"competition:{competition.pk}:results",
                )
            )
    notify_many(notices)


@transaction.atomic
def result_change(
    *, by, entry: Entry, reason: str, final_score=None, place=None, award: str | None = None
) -> ResultChange:
    """Change a locked result, with the reason; the change and the result before it are
    kept (``ResultChange``). Fields left None keep their value."""
    competition = _lock(entry.competition)
    _check_organiser(by, competition)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("A change to a locked result gives its reason.")})
    if competition.status != CompetitionStatus.LOCKED:
        raise ValidationError(_("Only locked results are changed this way."))
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != EntryStatus.APPROVED:
        raise ValidationError(_("Only an approved entrant has a result."))
    if award is not None and award not in ("", *Award.values):
        raise ValidationError({"award": _("Choose an award.")})
    if place is not None and place < 1:
        raise ValidationError({"place": _("A place is 1 or more.")})
    change = ResultChange(
        entry=entry,
        changed_by=by,
        reason=reason,
        old_score=entry.final_score,
        old_place=entry.place,
        old_award=entry.award,
    )
    if final_score is not None:
        entry.final_score = final_score
    if place is not None:
        entry.place = place
    if award is not None:
        entry.award = award
    if (entry.final_score, entry.place, entry.award) == (
        change.old_score,
        change.old_place,
        change.old_award,
    ):
        raise ValidationError(_("Nothing would change."))
    entry.save(update_fields=["final_score", "place", "award"])
    change.new_score, change.new_place, change.new_award = (
        entry.final_score,
        entry.place,
        entry.award,
    )
    change.save()
    # A certificate made for the old award no longer says the truth.
    from .models import Certificate

    for certificate in Certificate.objects.filter(entry=entry):
        stale = certificate.file.name
        certificate.delete()
        storage = certificate.file.storage
        transaction.on_commit(lambda name=stale, storage=storage: storage.delete(name))
    return change
