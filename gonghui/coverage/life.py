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
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.activities.models import Activity, ActivityStatus, SignUpStatus
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
    # Open loans only, from their partial index (``library_loan_open_due``).
    loans = (
        _in(Loan, user, organisation)
        .open()
        .aggregate(out=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
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
        _in(Activity, user, organisation)
        .filter(this_year, status=ActivityStatus.HELD)
        .aggregate(n=Count("signups", filter=Q(signups__status=SignUpStatus.ATTENDED)))["n"]
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


Counts = list[tuple[int, str, int]]


def _grouped(queryset: QuerySet, key: str, **figures) -> list[tuple[int, dict]]:
    """``figures`` of ``queryset`` grouped by the foreign key ``key`` (an id column,
    read without joining the table it points to)."""
    rows = queryset.values(key).annotate(**figures).order_by()
    return [(row.pop(key), row) for row in rows]


def _counts(found: Counts, placed: dict[int, int], grouped, figure_map=None) -> None:
    """Add ``grouped`` (key, figures) to ``found`` as (organisation, figure, value), the
    key placed by ``placed`` (key -> organisation id; None: the key is the organisation)."""
    for key, values in grouped:
        organisation = key if placed is None else placed.get(key)
        if organisation is None:
            continue
        found.extend((organisation, name, value or 0) for name, value in values.items())


def life_counts(user, year: int) -> Counts:
    """(organisation, figure, value) of reading rooms, study and activities in ``year``:
    five queries, whatever the number of rooms, activities or branches.

    The large tables (loans, sign-ups, readings) are grouped by a key of their own
    (the loan's room, the activity, the reader's union) and placed in the tree from
    the few organisations found, in Python: joining every row to its organisation to
    group by the branch cost about a third more (300,000 readings read from the index
    ``study_reading_union_month`` alone); a year's loans and the attended sign-ups are
    read from their indexes too (``library_loan_lent``, ``signup_activity_status``).
    """
    start, end = _year_bounds(year)
    found: Counts = []
    rooms = dict(ReadingRoom.objects.for_user(user).values_list("pk", "organisation_id"))
    for organisation in rooms.values():
        found.append((organisation, "rooms", 1))
    _counts(found, rooms, _grouped(Book.objects.for_user(user), "room_id", books=Sum("copies")))
    loans = Loan.objects.for_user(user).filter(
        lent_on__gte=datetime.date(year, 1, 1), lent_on__lt=datetime.date(year + 1, 1, 1)
    )
    _counts(found, rooms, _grouped(loans, "book__room_id", loans=Count("pk")))
    # Attendance is counted through the scoped activities (a sign-up is seen where its
    # activity is: ``SignUpQuerySet.scope_fields``), from the index on a sign-up's
    # activity: the held activities of a year are few, their sign-ups many.
    held = (
        Activity.objects.for_user(user)
        .filter(status=ActivityStatus.HELD, starts_at__gte=start, starts_at__lt=end)
        .annotate(attended=Count("signups", filter=Q(signups__status=SignUpStatus.ATTENDED)))
        .values_list("organiser_id", "attended")
    )
    for organisation, attended in held:
        found += [(organisation, "activities_held", 1), (organisation, "attended", attended)]
    reads = Reading.objects.for_user(user).filter(opened_at__gte=start, opened_at__lt=end)
    _counts(found, None, _grouped(reads, "union_id", reads=Count("pk")))
    return found


def stations_counts(user, year: int) -> Counts:
    """Active rest stations and their visits in ``year``, placed by the township the
    station stands in (``Station.township``: where outdoor workers find it), whoever
    runs it: two grouped queries."""
    stations = Station.objects.for_user(user).active()
    visits = StationVisit.objects.for_user(user).filter(
        day__gte=datetime.date(year, 1, 1), day__lt=datetime.date(year + 1, 1, 1)
    )
    found: Counts = []
    _counts(found, None, _grouped(stations, "township_id", stations=Count("pk")))
    _counts(found, None, _grouped(visits, "station__township_id", station_visits=Sum("count")))
    return found


def offers_counts(user, year: int) -> Counts:
    """Member offers of ``year``, placed by the offering union: offers published whose
    validity reaches into the year, claims made in it and codes redeemed in it (a claim
    of December redeemed in January counts in each year once): two grouped queries."""
    start, end = _year_bounds(year)
    claimed = Q(claimed_at__gte=start, claimed_at__lt=end)
    redeemed = Q(redeemed_at__gte=start, redeemed_at__lt=end)
    offers = Offer.objects.for_user(user).filter(
        status=OfferStatus.PUBLISHED,
        valid_from__lt=datetime.date(year + 1, 1, 1),
        valid_until__gte=datetime.date(year, 1, 1),
    )
    claims = Claim.objects.for_user(user).filter(claimed | redeemed)
    found: Counts = []
    _counts(found, None, _grouped(offers, "union_id", offers_published=Count("pk")))
    _counts(
        found,
        None,
        _grouped(
            claims,
            "offer__union_id",
            offers_claimed=Count("pk", filter=claimed),
            offers_redeemed=Count("pk", filter=redeemed),
        ),
    )
    return found


def life_report(user, *, today: datetime.date | None = None) -> LifeReport:
    """Union life this year in ``user``'s scope, by branch of the county, and the total."""
    today = today or timezone.localdate()
    counted = [
        *life_counts(user, today.year),
        *stations_counts(user, today.year),
        *offers_counts(user, today.year),
    ]
    paths = dict(
        Organisation.objects.filter(pk__in={org for org, _n, _v in counted}).values_list(
            "pk", "path"
        )
    )
    per_branch: dict[str, LifeRow] = {}
    for organisation, name, value in counted:
        # The segment just below the county federation ("" for the federation itself).
        branch = paths[organisation][SEGMENT_WIDTH : 2 * SEGMENT_WIDTH]
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
