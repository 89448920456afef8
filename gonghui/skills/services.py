"""Writes about skill levels: add, change and remove a record on a worker's file.

For other apps (the competitions app records a level awarded with a prize):

``skill_record_add(*, by, person, level, trade, certified_on, certificate_number="",
source="staff", note="", issuing_body="")``
    records a level on ``person``'s file and returns the record. ``by`` is the acting
    staff user, who must see the worker (PermissionDenied otherwise, without naming
    them); ``by=None`` is accepted only with ``source="competition"``, where the
    competition's own service has already decided who is awarded. A level the worker
    already holds in the same trade is refused (ValidationError), so the caller may
    catch it when an award repeats a level held.

Every function runs in one transaction, keeps ``SkillRecord.is_highest`` on the
worker's highest record (under a lock of the worker's row), and leaves the history
to django-auditlog, which records the registered model's changes in the same
transaction.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.people.models import Person

from .models import SkillLevel, SkillRecord, SkillSource

#: Whitespace inside a trade or certificate number: typed twice, pasted from a table.
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _trade(value: str) -> str:
    trade = _SPACES.sub(" ", value or "").strip()
    if not trade:
        raise ValidationError({"trade": _("Name the trade.")})
    if len(trade) > SkillRecord._meta.get_field("trade").max_length:
        raise ValidationError({"trade": _("The trade's name is too long.")})
    return trade


def _certificate_number(value: str) -> str:
    """Certificates of different years and issuers are numbered differently: any
    printable text is kept, without surrounding or doubled spaces."""
    number = _SPACES.sub(" ", value or "").strip()
    if _CONTROL.search(number):
        raise ValidationError({"certificate_number": _("Enter the number as printed.")})
    if len(number) > SkillRecord._meta.get_field("certificate_number").max_length:
        raise ValidationError({"certificate_number": _("The certificate number is too long.")})
    return number


def _level(value) -> str:
    if value not in SkillLevel.values:
        raise ValidationError({"level": _("Choose one of the five skill levels.")})
    return SkillLevel(value)


def _certified_on(value: date | None) -> date:
    if value is None:
        raise ValidationError({"certified_on": _("Enter the date of the certificate.")})
    if value > timezone.localdate():
        raise ValidationError({"certified_on": _("The certificate date cannot be in the future.")})
    return value


def _locked_person(by, person: Person) -> Person:
    """The worker's row under a lock (one writer of their highest level at a time);
    out of the user's scope is refused without naming the worker."""
    people = Person.objects.all() if by is None else Person.objects.for_user(by)
    try:
        return people.select_for_update(of=("self",)).get(pk=person.pk)
    except Person.DoesNotExist:
        raise PermissionDenied(_("This person is outside your scope.")) from None


def _refuse_duplicate(person: Person, trade: str, level: str, *, exclude: int | None = None):
    held = SkillRecord.objects.filter(person=person, trade=trade, level=level)
    if exclude is not None:
        held = held.exclude(pk=exclude)
    if held.exists():
        raise ValidationError(
            _("%(name)s already holds %(level)s in %(trade)s.")
            % {"name": person.name, "level": SkillLevel(level).label, "trade": trade}
        )


def _mark_highest(person_id: int) -> None:
    """Mark the worker's highest record (the earliest certified among equals)."""
    records = SkillRecord.objects.filter(person_id=person_id)
    best = records.order_by("level", "certified_on", "pk").values_list("pk", flat=True).first()
    records.filter(is_highest=True).exclude(pk=best).update(is_highest=False)
    if best is not None:
        records.filter(pk=best, is_highest=False).update(is_highest=True)


def _save(record: SkillRecord) -> None:
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        # Another writer recorded the same level first (the check above ran before it).
        raise ValidationError(
            _("%(name)s already holds %(level)s in %(trade)s.")
            % {
                "name": record.person.name,
                "level": SkillLevel(record.level).label,
                "trade": record.trade,
            }
        ) from None


@transaction.atomic
def skill_record_add(
    *,
    by,
    person: Person,
    level: str,
    trade: str,
    certified_on: date,
    certificate_number: str = "",
    source: str = SkillSource.STAFF,
    note: str = "",
    issuing_body: str = "",
) -> SkillRecord:
    """Record a skill level held by ``person`` in ``trade``."""
    if source not in SkillSource.values:
        raise ValidationError({"source": _("Unknown source of the record.")})
    if by is None and source != SkillSource.COMPETITION:
        raise PermissionDenied(_("Only a competition's award is recorded without a user."))
    person = _locked_person(by, person)
    record = SkillRecord(
        person=person,
        level=_level(level),
        trade=_trade(trade),
        certified_on=_certified_on(certified_on),
        certificate_number=_certificate_number(certificate_number),
        issuing_body=_SPACES.sub(" ", issuing_body or "").strip()[:100],
        source=source,
        note=(note or "").strip(),
        entered_by=by,
    )
    _refuse_duplicate(person, record.trade, record.level)
    _save(record)
    _mark_highest(person.pk)
    record.refresh_from_db(fields=["is_highest"])
    return record


def _record_in_scope(by, record: SkillRecord) -> SkillRecord:
    try:
        return SkillRecord.objects.for_user(by).select_related("person").get(pk=record.pk)
    except SkillRecord.DoesNotExist:
        raise PermissionDenied(_("This record is outside your scope.")) from None


@transaction.atomic
def skill_record_change(
    *,
    by,
    record: SkillRecord,
    level: str,
    trade: str,
    certified_on: date,
    certificate_number: str = "",
    issuing_body: str = "",
    note: str = "",
) -> SkillRecord:
    """Correct a record (its source and the worker stay what they were)."""
    current = _record_in_scope(by, record)
    person = _locked_person(by, current.person)
    current.level = _level(level)
    current.trade = _trade(trade)
    current.certified_on = _certified_on(certified_on)
    current.certificate_number = _certificate_number(certificate_number)
    current.issuing_body = _SPACES.sub(" ", issuing_body or "").strip()[:100]
    current.note = (note or "").strip()
    _refuse_duplicate(person, current.trade, current.level, exclude=current.pk)
    _save(current)
    _mark_highest(person.pk)
    current.refresh_from_db(fields=["is_highest"])
    return current


@transaction.atomic
def skill_record_remove(*, by, record: SkillRecord) -> None:
    """Remove a record entered in error; the worker's highest level is marked again."""
    current = _record_in_scope(by, record)
    person = _locked_person(by, current.person)
    current.delete()
    _mark_highest(person.pk)
