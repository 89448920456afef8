"""The demo county's care data: needy-worker files, aid, outreach, spring jobs, counselling.

Built after the workers and the staff sign-ins, in proportion to the scale,
from a generator of its own (``random.Random("gonghui-demo-care:<seed>")``),
so the organisations and workers drawn before stay exactly what they were.
Rows are written in bulk (``bulk_create``), never one service call each; the
invariants the services keep are kept here by construction and checked by
the demo's tests: every fund's balances equal the sums of its ledger rows, at
most one active grant per person, programme and year, a consent before
health or income facts, one open needy file per person.

Steps taken at an organisation that has no demo sign-in of its own are
recorded as taken by the county's staff account (``county_staff``); the
applications themselves are entered by the county aid clerk (``aid_clerk``),
so that every demo approver may decide on them.
"""

from __future__ import annotations

import datetime
import random
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.models import User
from gonghui.core.scope import SEGMENT_WIDTH, subtree_q
from gonghui.orgs.models import Organisation, OrgKind
from gonghui.people.models import Person

from .staff import demo_places

Progress = Callable[[str], None]

#: Rows per INSERT batch handed to ``bulk_create``.
BATCH_SIZE = 2000


@dataclass
class CareSummary:
    needy_files: int = 0
    needy_filed: int = 0
    needy_exited: int = 0
    programmes: int = 0
    campaigns: int = 0
    funds: int = 0
    past_applications: int = 0
    current_applications: dict[str, int] = field(default_factory=dict)
    awaiting_county: int = 0
    payments: int = 0
    consents: int = 0
    deliveries: int = 0
    visits: int = 0
    wishes: int = 0
    job_postings: int = 0
    job_fairs: int = 0
    job_applications: int = 0
    counselling_slots: int = 0
    counselling_bookings: int = 0
    collective_contracts: int = 0
    congress_employers: int = 0
    congress_overdue: int = 0
    congress_delegates: int = 0
    congress_sessions: int = 0
    congress_proposals: int = 0
    congress_resolutions: int = 0
    congress_disclosures: int = 0
    rights_cases: int = 0
    rights_overdue: int = 0
    rights_group: int = 0
    skill_records: int = 0
    skilled_workers: int = 0
    high_skilled_workers: int = 0
    study_articles: int = 0
    study_readings: int = 0
    studios: int = 0
    studio_achievements: int = 0
    studio_achievements_published: int = 0
    mentoring_pairs: int = 0
    mentoring_completed: int = 0
    honour_holders: int = 0
    honour_nominations: int = 0
    honour_stories: int = 0
    honour_activities: int = 0
    care_given: int = 0
    care_overdue_holders: int = 0
    activities: int = 0
    activity_signups: int = 0
    competitions: int = 0
    competition_entries: int = 0
    competition_scores: int = 0
    library_rooms: int = 0
    rest_stations: int = 0
    offers: int = 0
    offer_claims: int = 0
    station_visits: int = 0
    library_books: int = 0
    library_loans: int = 0
    library_overdue: int = 0


@dataclass
class CareWorld:
    """What every part of the care build reads: the county, its people, its staff, the dates."""

    seed: int
    root: Organisation
    today: datetime.date
    progress: Progress | None = None

    def __post_init__(self):
        self.rng = random.Random(f"gonghui-demo-care:{self.seed}")
        self.year = self.today.year
        self.tz = timezone.get_current_timezone()
        # Everything recorded happened before today began: the same seed on the same
        # day gives the same moments, whatever the hour of the build.
        self.now = datetime.datetime.combine(self.today, datetime.time(0), tzinfo=self.tz)
        organisations = list(
            Organisation.objects.filter(subtree_q(self.root.path)).values_list("pk", "path", "kind")
        )
        self.paths = {pk: path for pk, path, _kind in organisations}
        self.townships = sorted(
            pk
            for pk, path, kind in organisations
            if kind == OrgKind.TOWNSHIP and len(path) == 2 * SEGMENT_WIDTH
        )
        self._chains: dict[int, list[int]] = {}
        places = demo_places(self.root)
        self.users = {
            user.username: user
            for user in User.objects.filter(
                username__in=[
                    "admin",
                    "county_staff",
                    "aid_clerk",
                    "township1",
                    "township2",
                    "chair1",
                    "chair2",
                    "counsellor",
                    "counsellor2",
                ]
            )
        }
        self.places = places
        staff = self.users["county_staff"]
        self._level_users = {
            places["chair1"].pk: self.users["chair1"],
            places["chair2"].pk: self.users["chair2"],
            places["township1"].pk: self.users["township1"],
            places["township2"].pk: self.users["township2"],
        }
        self.default_user = staff
        self._load_people()

    def say(self, message: str) -> None:
        if self.progress:
            self.progress(message)

    def _load_people(self) -> None:
        """Every worker of the county as three parallel arrays: id, applicant organisation,
        township. A million workers take some 24 MB this way."""
        self.person_ids = array("q")
        self.person_orgs = array("q")
        self.person_townships = array("q")
        rows = (
            Person.objects.filter(file_org_id__in=self.townships)
            .order_by("pk")
            .values_list("pk", "current_union_id", "file_org_id")
        )
        for pk, union_id, township_id in rows.iterator(chunk_size=20_000):
            self.person_ids.append(pk)
            self.person_orgs.append(union_id or township_id)
            self.person_townships.append(township_id)

    # --- the tree ----------------------------------------------------------------

    def chain(self, organisation_id: int) -> list[int]:
        """``aid.services.approval_chain`` without a query: the organisation up to the root."""
        chain = self._chains.get(organisation_id)
        if chain is None:
            path = self.paths[organisation_id]
            chain = [int(path[i : i + SEGMENT_WIDTH]) for i in range(0, len(path), SEGMENT_WIDTH)][
                ::-1
            ]
            self._chains[organisation_id] = chain
        return chain

    def deciding_chain(self, organisation_id: int) -> list[int]:
        """The levels of ``chain`` where an account may decide on aid: the demo's chairs'
        unions, its townships with staff, and the county. An application passes the
        others (``aid.duties``), as ``aid.services`` would have passed it."""
        return [
            pk
            for pk in self.chain(organisation_id)
            if pk in self._level_users or pk == self.root.pk
        ]

    def organisation_name(self, organisation_id: int) -> str:
        if not hasattr(self, "_names"):
            self._names = dict(
                Organisation.objects.filter(subtree_q(self.root.path)).values_list("pk", "name")
            )
        return self._names[organisation_id]

    def level_user(self, organisation_id: int) -> User:
        """Who the demo records as acting at an organisation below the county."""
        return self._level_users.get(organisation_id, self.default_user)

    # --- draws -------------------------------------------------------------------------

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        if last <= first:
            return first
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    def moment(self, day: datetime.date) -> datetime.datetime:
        """A moment of office hours on ``day``, never later than now."""
        at = datetime.datetime.combine(
            day, datetime.time(self.rng.randint(8, 17), self.rng.randrange(60))
        ).replace(tzinfo=self.tz)
        return min(at, self.now - datetime.timedelta(minutes=self.rng.randint(1, 600)))

    def person_index(self) -> int:
        return self.rng.randrange(len(self.person_ids))


def insert_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Write ``rows`` (values of ``fields``, in that order) into ``model``'s table.

    An ``executemany`` of one INSERT: for hundreds of thousands of rows that
    need no primary key back, far quicker than ``bulk_create``. Values are
    adapted for the database exactly as the fields would adapt them.
    """
    if not rows:
        return
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in model_fields),
        ", ".join(["%s"] * len(model_fields)),
    )
    adapters = [(lambda value, f=f: f.get_db_prep_save(value, connection)) for f in model_fields]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            cursor.executemany(
                sql,
                [
                    [adapt(value) for adapt, value in zip(adapters, row, strict=True)]
                    for row in rows[start : start + 10_000]
                ],
            )


def demo_care_build(
    *, seed: int, root: Organisation, today: datetime.date, progress: Progress | None = None
) -> CareSummary:
    """Write the care data of the demo county under ``root`` (its workers and staff exist)."""
    from .care_activities import build_activities
    from .care_aid import build_aid
    from .care_needy import build_needy

    world = CareWorld(seed=seed, root=root, today=today, progress=progress)
    summary = CareSummary()
    if not world.person_ids:
        return summary
    needy = build_needy(world, summary)
    world.say(_("%(n)d needy-worker files") % {"n": summary.needy_files})
    build_aid(world, summary, needy)
    world.say(
        _("%(past)d past and %(current)d current aid applications")
        % {
            "past": summary.past_applications,
            "current": sum(summary.current_applications.values()),
        }
    )
    build_activities(world, summary, needy)
    world.say(_("deliveries, visits, wishes, spring jobs and counselling"))
    from .care_contracts import build_contracts

    build_contracts(world, summary)
    world.say(_("%(n)d collective contracts") % {"n": summary.collective_contracts})
    from .care_congress import build_congress

    build_congress(world, summary)
    world.say(_("%(n)d workers' congresses") % {"n": summary.congress_employers})
    from .care_rights import build_rights

    build_rights(world, summary)
    world.say(_("%(n)d rights cases") % {"n": summary.rights_cases})
    from .care_skills import build_skills

    build_skills(world, summary)
    world.say(_("%(n)d skill records") % {"n": summary.skill_records})
    from .care_study import build_study

    build_study(world, summary)
    world.say(_("%(n)d study articles") % {"n": summary.study_articles})
    from .care_studios import build_studios

    build_studios(world, summary)
    world.say(_("%(n)d innovation studios") % {"n": summary.studios})
    from .care_honours import build_honours

    build_honours(world, summary)
    world.say(_("%(n)d model workers holding titles") % {"n": summary.honour_holders})
    from .care_activities_life import build_activities_life

    build_activities_life(world, summary)
    world.say(_("%(n)d activities") % {"n": summary.activities})
    from .care_competitions import build_competitions

    build_competitions(world, summary)
    world.say(_("%(n)d competition entries") % {"n": summary.competition_entries})
    from .care_library import build_library

    build_library(world, summary)
    world.say(_("%(n)d reading rooms") % {"n": summary.library_rooms})
    from .care_stations import build_stations

    build_stations(world, summary)
    world.say(_("%(n)d rest stations") % {"n": summary.rest_stations})
    from .care_offers import build_offers

    build_offers(world, summary)
    world.say(_("%(n)d member offers") % {"n": summary.offers})
    return summary


def care_exists(root: Organisation) -> bool:
    from gonghui.aid.models import Campaign

    return Campaign.objects.filter(subtree_q(root.path, "organisation")).exists()


def care_wipe(root: Organisation, *, whole: bool) -> None:
    """Delete the care records of the county under ``root`` and of its people and staff.

    With ``whole`` (every organisation is the county's) whole tables are
    emptied without loading a row; otherwise the rows that refer to the
    county's organisations, employers, people or staff are deleted, children
    before parents. Evidence files and wish photos go with their rows.
    """
    from . import care_wipe as wiping

    wiping.wipe(root, whole=whole)
