"""Reads of activities: the console's scoped lists, what a worker may join, and the
attendance counts by union and month."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gonghui.orgs.models import Employer

from .models import Activity, ActivityStatus, Audience, SignUp, SignUpStatus


def activities_for(user) -> QuerySet:
    return Activity.objects.for_user(user).select_related("organiser")


def _above(person) -> tuple[set[int], int | None]:
    """The organisations whose activities a worker may be offered: their union, their
    employer's township and union, and every organisation above them."""
    placed = []
    if person.current_union_id is not None:
        placed.append(person.current_union)
    if person.employer_id is not None:
        employer = Employer.objects.select_related("township", "union").get(pk=person.employer_id)
        placed += [org for org in (employer.township, employer.union) if org is not None]
    above: set[int] = set()
    for organisation in placed:
        above.update(organisation.ancestor_ids())
        above.add(organisation.pk)
    return above, person.current_union_id


def activities_for_worker(person) -> QuerySet:
    """The activities a worker may see: organised by their union or one above it, for
    everyone under the organiser or for the members of the worker's own union; never a
    draft. A worker with no file sees none."""
    if person is None:
        return Activity.objects.none()
    above, union = _above(person)
    if not above:
        return Activity.objects.none()
    audience = Q(audience=Audience.SUBTREE)
    if union is not None:
        audience |= Q(audience=Audience.MEMBERS, organiser_id=union)
    return (
        Activity.objects.filter(audience, organiser_id__in=above)
        .exclude(status=ActivityStatus.DRAFT)
        .select_related("organiser")
    )


def joinable_for_worker(person, *, at=None) -> QuerySet:
    """Open activities whose sign-up window is open now, soonest first (the portal's
    list: the index ``activity_portal_list`` answers it per organiser)."""
    at = at or timezone.now()
    return (
        activities_for_worker(person)
        .filter(status=ActivityStatus.OPEN, signup_opens_at__lte=at, signup_closes_at__gt=at)
        .order_by("starts_at", "pk")
    )


@dataclass
class AttendanceRow:
    organiser: str
    month: str
    activities: int = 0
    places: int = 0
    signed_up: int = 0
    attended: int = 0

    @property
    def rate(self) -> str:
        """Who came of those holding a place (a percentage)."""
        if not self.signed_up:
            return "—"
        return f"{100 * self.attended / self.signed_up:.0f}%"


def attendance_counts(user, *, year: int | None = None) -> list[AttendanceRow]:
    """Activities that took place (held, or open and started), counted by organising
    union and month of their start: places, sign-ups holding a place, attended."""
    now = timezone.now()
    activities = (
        Activity.objects.for_user(user)
        .filter(Q(status=ActivityStatus.HELD) | Q(status=ActivityStatus.OPEN, starts_at__lte=now))
        .annotate(
            attended=Count("signups", filter=Q(signups__status=SignUpStatus.ATTENDED)),
        )
        .values(
            "organiser__name",
            "organiser__path",
            "starts_at",
            "capacity",
            "signed_up_count",
            "attended",
        )
    )
    rows: dict[tuple, AttendanceRow] = {}
    for activity in activities:
        local = timezone.localtime(activity["starts_at"])
        if year is not None and local.year != year:
            continue
        month = f"{local:%Y-%m}"
        key = (month, activity["organiser__path"])
        row = rows.get(key)
        if row is None:
            row = rows[key] = AttendanceRow(activity["organiser__name"], month)
        row.activities += 1
        row.places += activity["capacity"]
        row.signed_up += activity["signed_up_count"]
        row.attended += activity["attended"]
    return [rows[key] for key in sorted(rows)]


def signups_of(activity: Activity) -> dict[str, list[SignUp]]:
    """An activity's sign-ups by status, the waiting list in its order."""
    grouped: dict[str, list[SignUp]] = defaultdict(list)
    for signup in (
        SignUp.objects.filter(activity=activity)
        .select_related("person")
        .order_by("waiting_position", "signed_up_at", "pk")
    ):
        grouped[signup.status].append(signup)
    return grouped
