"""The numbers of union life (工会生活): reading rooms, study online, activities, member
offers and rest stations, on an organisation's page and in the coverage overview.

Every figure is read through ``Model.objects.for_user(user)`` (the scope rule), and
for an organisation's page also ``in_subtree(organisation)``: a reader never counts a
record they could not open. Each figure is one grouped or aggregated query, so the
cost does not grow with the number of rooms, activities or townships.

The overview's rows are the branches just below the county federation (a township,
or an industry union); a record is placed by the organisation that runs it (a room's,
an activity's organiser, an offer's union), a reading by the reader's union
(``study.models.Reading.union``) and a rest station by the township it stands in.
Records of the county federation itself make one line of their own, as the new
members do (``selectors._joined_this_year``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.activities.models import Activity, ActivityStatus, SignUp, SignUpStatus
from gonghui.core.scope import SEGMENT_WIDTH
from gonghui.library.models import Book, Loan, ReadingRoom
from gonghui.offers.models import Claim, Offer, OfferStatus
from gonghui.orgs.models import Organisation
from gonghui.stations.models import Station, StationVisit
from gonghui.study.models import Article, Reading

#: The days the study section looks back over.
RECENT_DAYS = 30


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """1 January of ``year`` and of the next, at midnight in the site's zone."""
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def _in(model, user, organisation: Organisation) -> QuerySet:
    return model.objects.for_user(user).in_subtree(organisation)


# The organisation's page: one section per app.


def library_section(organisation: Organisation, user, *, today=None) -> dict:
    """Rooms, books (titles and copies), loans out and overdue in the organisation's
    subtree as ``user`` sees it: three queries."""
    today = today or timezone.localdate()
    books = _in(Book, user, organisation).aggregate(titles=Count("pk"), copies=Sum("copies"))
    loans = _in(Loan, user, organisation).aggregate(
        out=Count("pk", filter=Q(returned_on__isnull=True)),
        overdue=Count("pk", filter=Q(returned_on__isnull=True, due_on__lt=today)),
    )
    return {
        "rooms": _in(ReadingRoom, user, organisation).count(),
        "titles": books["titles"],
        "copies": books["copies"] or 0,
        "loans_out": loans["out"],
        "overdue": loans["overdue"],
    }


def study_section(organisation: Organisation, user, *, today=None) -> dict:
    """Articles published in the subtree (readable today), and its members' reading in
    the last ``RECENT_DAYS`` days (for those who may see reading): two queries."""
    today = today or timezone.localdate()
    published = _in(Article, user, organisation).readable_on(today).count()
    reading = None
    if user.has_perm("study.view_reading"):
        since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
        reading = (
            _in(Reading, user, organisation)
            .filter(opened_at__gte=since)
            .aggregate(readers=Count("person_id", distinct=True), reads=Count("pk"))
        )
    return {"published": published, "reading": reading, "recent_days": RECENT_DAYS}


def activities_section(organisation: Organisation, user, *, now=None) -> dict:
    """Activities organised in the subtree: open and still to come, held this year, and
    the workers who attended those held this year: two queries."""
    now = now or timezone.now()
    start, end = _year_bounds(timezone.localtime(now).year)
    this_year = Q(starts_at__gte=start, starts_at__lt=end)
    counts = _in(Activity, user, organisation).aggregate(
        upcoming=Count("pk", filter=Q(status=ActivityStatus.OPEN, starts_at__gt=now)),
        held=Count("pk", filter=this_year & Q(status=ActivityStatus.HELD)),
    )
    attended = (
        _in(SignUp, user, organisation)
        .filter(
            status=SignUpStatus.ATTENDED,
            activity__status=ActivityStatus.HELD,
            activity__starts_at__gte=start,
            activity__starts_at__lt=end,
        )
        .count()
    )
    return {**counts, "attended": attended, "year": timezone.localtime(now).year}


# The coverage overview: the same figures for a year, by branch of the county.


@dataclass
class LifeRow:
    """Union life in one branch of the county (a township, or the unions above them)."""

    key: str
    label: str
    rooms: int = 0
    books: int = 0  # copies held
    loans: int = 0  # lent this year
    activities_held: int = 0
    attended: int = 0
    reads: int = 0  # articles first opened this year
    offers_published: int = 0
    offers_claimed: int = 0
    offers_redeemed: int = 0
    stations: int = 0
    station_visits: int = 0

    def add(self, other: LifeRow) -> None:
        for item in fields(self):
            if item.name not in ("key", "label"):
                setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


@dataclass
class LifeReport:
    year: int
    total: LifeRow
    rows: list[LifeRow] = field(default_factory=list)


def _branch(path_field: str) -> Substr:
    """The segment of ``path_field`` naming the branch just below the county federation
    ("" for the federation itself)."""
    return Substr(path_field, SEGMENT_WIDTH + 1, SEGMENT_WIDTH)


def _per_branch(queryset: QuerySet, path_field: str, **figures) -> list[tuple[str, dict]]:
    rows = (
        queryset.annotate(branch=_branch(path_field))
        .values("branch")
        .annotate(**figures)
        .order_by()
    )
    return [(row.pop("branch") or "", row) for row in rows]


def life_counts(user, year: int) -> list[tuple[str, str, int]]:
    """(branch, figure, value) of reading rooms, study and activities in ``year``: five
    grouped queries, whatever the number of rooms, activities or branches."""
    start, end = _year_bounds(year)
    found: list[tuple[str, str, int]] = []

    def gather(queryset, path_field, **figures):
        for branch, values in _per_branch(queryset, path_field, **figures):
            found.extend((branch, name, value or 0) for name, value in values.items())

    gather(ReadingRoom.objects.for_user(user), "organisation__path", rooms=Count("pk"))
    gather(Book.objects.for_user(user), "room__organisation__path", books=Sum("copies"))
    gather(
        Loan.objects.for_user(user).filter(
            lent_on__gte=datetime.date(year, 1, 1), lent_on__lt=datetime.date(year + 1, 1, 1)
        ),
        "book__room__organisation__path",
        loans=Count("pk"),
    )
    gather(
        Activity.objects.for_user(user).filter(
            status=ActivityStatus.HELD, starts_at__gte=start, starts_at__lt=end
        ),
        "organiser__path",
        activities_held=Count("pk"),
    )
    gather(
        SignUp.objects.for_user(user).filter(
            status=SignUpStatus.ATTENDED,
            activity__status=ActivityStatus.HELD,
            activity__starts_at__gte=start,
            activity__starts_at__lt=end,
        ),
        "activity__organiser__path",
        attended=Count("pk"),
    )
    gather(
        Reading.objects.for_user(user).filter(opened_at__gte=start, opened_at__lt=end),
        "union__path",
        reads=Count("pk"),
    )
    return found


def stations_counts(user, year: int) -> list[tuple[str, str, int]]:
    """Active rest stations and their visits in ``year``, placed by the township the
    station stands in (``Station.township``: where outdoor workers find it), whoever
    runs it: two grouped queries."""
    found = []
    for queryset, path_field, figures in (
        (Station.objects.for_user(user).active(), "township__path", {"stations": Count("pk")}),
        (
            StationVisit.objects.for_user(user).filter(
                day__gte=datetime.date(year, 1, 1), day__lt=datetime.date(year + 1, 1, 1)
            ),
            "station__township__path",
            {"station_visits": Sum("count")},
        ),
    ):
        for branch, values in _per_branch(queryset, path_field, **figures):
            found.extend((branch, name, value or 0) for name, value in values.items())
    return found


def offers_counts(user, year: int) -> list[tuple[str, str, int]]:
    """Member offers of ``year``, placed by the offering union: offers published whose
    validity reaches into the year, claims made in it and codes redeemed in it (a claim
    of December redeemed in January counts in each year once): two grouped queries."""
    start, end = _year_bounds(year)
    claimed = Q(claimed_at__gte=start, claimed_at__lt=end)
    redeemed = Q(redeemed_at__gte=start, redeemed_at__lt=end)
    found = []
    for queryset, path_field, figures in (
        (
            Offer.objects.for_user(user).filter(
                status=OfferStatus.PUBLISHED,
                valid_from__lt=datetime.date(year + 1, 1, 1),
                valid_until__gte=datetime.date(year, 1, 1),
            ),
            "union__path",
            {"offers_published": Count("pk")},
        ),
        (
            Claim.objects.for_user(user).filter(claimed | redeemed),
            "offer__union__path",
            {
                "offers_claimed": Count("pk", filter=claimed),
                "offers_redeemed": Count("pk", filter=redeemed),
            },
        ),
    ):
        for branch, values in _per_branch(queryset, path_field, **figures):
            found.extend((branch, name, value or 0) for name, value in values.items())
    return found


def life_report(user, *, today: datetime.date | None = None) -> LifeReport:
    """Union life this year in ``user``'s scope, by branch of the county, and the total."""
    today = today or timezone.localdate()
    per_branch: dict[str, LifeRow] = {}
    counted = [
        *life_counts(user, today.year),
        *stations_counts(user, today.year),
        *offers_counts(user, today.year),
    ]
    for branch, name, value in counted:
        row = per_branch.setdefault(branch, LifeRow(key=branch, label=""))
        setattr(row, name, getattr(row, name) + value)
    keys = {int(branch): branch for branch in per_branch if branch}
    townships = (
        Organisation.objects.townships()
        .filter(pk__in=list(keys))
        .order_by("path")
        .values_list("pk", "name")
    )
    rows = []
    for pk, name in townships:
        row = per_branch.pop(keys[pk])
        row.key, row.label = str(pk), name
        rows.append(row)
    total = LifeRow(key="total", label="")
    for row in rows:
        total.add(row)
    if per_branch:
        # The county federation's own and the industry unions' (not under a township).
        elsewhere = LifeRow(key="elsewhere", label=_("Unions above the townships"))
        for row in per_branch.values():
            elsewhere.add(row)
        rows.append(elsewhere)
        total.add(elsewhere)
    return LifeReport(year=today.year, total=total, rows=rows)
