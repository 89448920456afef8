"""Reads of needy-worker files.

``needy_status`` and ``registered_needy_people`` are what other apps (aid)
build on; their signatures stay as they are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from gonghui.people.models import Person

from .models import HouseholdMember, NeedyFile, Objection
from .vocabularies import ESTABLISHING_STATUSES, FileStatus, ObjectionStatus


class NeedyState:
    """The values of ``NeedyStatus.status``."""

    FILED = "filed"
    EXITED = "exited"
    NONE = "none"


@dataclass(frozen=True)
class NeedyStatus:
    """Where a person stands as a needy worker.

    ``status`` is "filed" (an open, filed file), "exited" (no filed file open,
    and the latest one exited) or "none" (never filed). ``establishing`` says
    that a file is being established (not filed yet) whatever the status.
    """

    status: str
    level: str = ""
    filed_on: datetime.date | None = None
    exited_on: datetime.date | None = None
    file_id: int | None = None
    establishing: bool = False

    @property
    def is_filed(self) -> bool:
        return self.status == NeedyState.FILED

    @property
    def has_exited(self) -> bool:
        return self.status == NeedyState.EXITED


def needy_status(person: Person | int) -> NeedyStatus:
    """The needy status of ``person`` (a Person or its pk), across every organisation.

    Not scoped on purpose: aid precision checks ask it about any applicant,
    and the answer carries no personal detail beyond the level. One query.
    """
    person_id = person if isinstance(person, int) else person.pk
    files = list(
        NeedyFile.objects.filter(person_id=person_id)
        .filter(Q(filed_on__isnull=False) | Q(status__in=ESTABLISHING_STATUSES))
        .only("pk", "status", "level", "filed_on", "exited_on")
        .order_by("-filed_on", "-pk")
    )
    establishing = any(f.status in ESTABLISHING_STATUSES for f in files)
    filed = [f for f in files if f.filed_on is not None]
    current = next((f for f in filed if f.status == FileStatus.FILED), None)
    if current is not None:
        return NeedyStatus(
            NeedyState.FILED,
            level=current.level,
            filed_on=current.filed_on,
            file_id=current.pk,
            establishing=establishing,
        )
    exited = [f for f in filed if f.status == FileStatus.EXITED]
    if exited:
        latest = max(exited, key=lambda f: (f.exited_on, f.pk))
        return NeedyStatus(
            NeedyState.EXITED,
            level=latest.level,
            filed_on=latest.filed_on,
            exited_on=latest.exited_on,
            file_id=latest.pk,
            establishing=establishing,
        )
    return NeedyStatus(NeedyState.NONE, establishing=establishing)


def registered_needy_people(year: int, user) -> QuerySet[Person]:
    """People in ``user``'s scope with a file that was filed (and not exited) during ``year``."""
    active = NeedyFile.objects.active_in_year(year).filter(person=OuterRef("pk"))
    return Person.objects.for_user(user).filter(Exists(active))


def files_for(user) -> QuerySet[NeedyFile]:
    """The files ``user`` may see, with what the list shows."""
    return NeedyFile.objects.for_user(user).select_related(
        "person", "person__employer", "organisation"
    )


def household_hashes(file: NeedyFile) -> set[str]:
    """The ID-number hashes of the worker and the listed household of ``file``."""
    hashes = {h for h in file.household.values_list("id_hash", flat=True) if h}
    hashes.add(file.person.id_hash)
    return hashes


def shared_household_files(file: NeedyFile) -> QuerySet[NeedyFile]:
    """Other files whose household or worker overlaps this file's, in any organisation.

    Two files are flagged when one human appears in both: as the worker of
    one and a household member of the other, or as a household member of both.
    """
    hashes = household_hashes(file)
    listed = HouseholdMember.objects.filter(file=OuterRef("pk"), id_hash__in=hashes)
    # The same worker's earlier files list the same household: not a finding.
    return (
        NeedyFile.objects.exclude(person_id=file.person_id)
        .filter(Q(person__id_hash__in=hashes) | Q(Exists(listed)))
        .select_related("person", "organisation")
    )


def with_shared_household(queryset: QuerySet[NeedyFile]) -> QuerySet[NeedyFile]:
    """The files of ``queryset`` whose household overlaps another worker's file (any scope)."""
    member_elsewhere = HouseholdMember.objects.filter(id_hash=OuterRef("id_hash")).exclude(
        file__person=OuterRef(OuterRef("person"))
    )
    worker_elsewhere = NeedyFile.objects.filter(person__id_hash=OuterRef("id_hash"))
    shared_member = (
        HouseholdMember.objects.filter(file=OuterRef("pk"))
        .exclude(id_hash="")
        .filter(Q(Exists(member_elsewhere)) | Q(Exists(worker_elsewhere)))
    )
    listed_elsewhere = HouseholdMember.objects.filter(id_hash=OuterRef("person__id_hash"))
    return queryset.filter(Q(Exists(shared_member)) | Q(Exists(listed_elsewhere)))


def with_objection_to_settle(queryset: QuerySet[NeedyFile]) -> QuerySet[NeedyFile]:
    """The files of ``queryset`` with an objection from the public notice not yet settled."""
    pending = Objection.objects.filter(file=OuterRef("pk"), status=ObjectionStatus.PENDING)
    return queryset.filter(Exists(pending))


def people_sharing_household(person: Person) -> QuerySet[Person]:
    """Registered people of ``person``'s household, as the needy files record it.

    Three ways: listed in the household of one of ``person``'s files; the
    worker of a file listing ``person``; the worker of a file listing someone
    ``person``'s files list too (two parents listing one child). For aid's
    "household already helped" flag and its separation of duties. Not scoped,
    like ``needy_status``.
    """
    member_hashes = (
        HouseholdMember.objects.filter(file__person=person).exclude(id_hash="").values("id_hash")
    )
    listing = HouseholdMember.objects.filter(
        Q(id_hash=person.id_hash) | Q(id_hash__in=member_hashes)
    ).values("file__person")
    return Person.objects.exclude(pk=person.pk).filter(
        Q(id_hash__in=member_hashes) | Q(pk__in=listing)
    )
