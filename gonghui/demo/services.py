"""Building and wiping the demo county.

The demo is built by the command line, never by a signed-in user, so these
functions take no ``by=``. The thousands of generated rows are kept out of the
audit trail: they are not anybody's work.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import (
    CASCADE,
    DO_NOTHING,
    SET_NULL,
    Count,
    Max,
    ProtectedError,
    Q,
    Sum,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.models import User
from gonghui.core.scope import subtree_q
from gonghui.orgs.models import Employer, Organisation, OrgKind
from gonghui.people.models import CardCounter, JoinApplication, Membership, Person, RevealLog
from gonghui.people.services import county_code

from .care import CareSummary, care_exists, care_wipe, demo_care_build
from .county import COVERAGE_THRESHOLD, CountyBuilder, Progress
from .models import DemoCounty
from .portal import PortalLogin, demo_portal_build, demo_portal_wipe
from .staff import (
    DEMO_LOGINS,
    Authenticator,
    Login,
    add_missing_demo_staff,
    create_demo_staff,
)

#: SQLite page cache (KiB) while the demo county is written or wiped.
SQLITE_CACHE_KIB = 1024 * 1024


@dataclass(frozen=True)
class DemoSummary:
    county: str
    seed: int
    scale: int
    organisations: dict[str, int]
    employers: int
    employers_without_union: int
    large_employers: int
    large_employers_without_union: int
    employees: int
    workers: int
    members: int
    members_joined_this_year: int
    pending_applications: int
    logins: list[Login]
    authenticator: Authenticator
    care: CareSummary
    portal: list[PortalLogin]


def demo_exists() -> bool:
    return DemoCounty.objects.exists()


@transaction.atomic
def demo_county_create(
    *, seed: int, scale: int, force: bool = False, progress: Progress | None = None
) -> DemoSummary:
    """Build a fictional county of ``scale`` workers from ``seed`` into an empty tree.

    With ``force`` an earlier demo county is wiped first (in the same
    transaction, so a failed rebuild leaves the old one in place). Organisations
    that are not demo data are never touched: their presence refuses the build.
    """
    if scale < 1:
        raise ValidationError(_("The scale (number of workers) must be at least 1."))
    existing = DemoCounty.objects.select_related("root").first()
    if existing and not force:
        raise ValidationError(
            _(
                "Demo data already exists (%(county)s, seed %(seed)s). "
                "Use --force to wipe it and build again."
            )
            % {"county": existing.root.name, "seed": existing.seed}
        )
    with disable_auditlog(), _large_cache():
        # Refused before any wiping: at a million workers the wipe takes a while.
        if _organisations_outside_demo().exists():
            raise ValidationError(
                _(
                    "The database already holds organisations that are not demo data; "
                    "the demo county is only built into an empty organisation tree."
                )
            )
        if existing:
            if progress:
                progress(_("wiping the earlier demo county"))
            demo_county_wipe()
        taken = sorted(
            User.objects.filter(username__in=_demo_usernames()).values_list("username", flat=True)
        )
        if taken:
            raise ValidationError(
                _("These user names are taken by accounts outside the demo: %(names)s.")
                % {"names": ", ".join(taken)}
            )
        builder = CountyBuilder(seed=seed, scale=scale, progress=progress)
        root = builder.build()
        logins, authenticator = create_demo_staff(root=root, seed=seed)
        DemoCounty.objects.create(root=root, seed=seed, scale=scale)
        care = demo_care_build(seed=seed, root=root, today=builder.today, progress=progress)
        portal = demo_portal_build(root)
    return _summary(root, seed, scale, logins, authenticator, builder.workforce, care, portal)


@transaction.atomic
def demo_care_add(*, progress: Progress | None = None) -> CareSummary:
    """Add the care data (aid, needy files, outreach, jobs, counselling) to a demo county
    built before they existed, from the county's own seed.

    Refused when the county already has them. The sign-ins the care data
    needs (the aid clerk, a second counsellor) are created when missing.
    """
    demo = DemoCounty.objects.select_related("root").first()
    if demo is None:
        raise ValidationError(_("There is no demo county to add care data to."))
    if care_exists(demo.root):
        raise ValidationError(_("The demo county already has its care data."))
    with disable_auditlog(), _large_cache():
        add_missing_demo_staff(root=demo.root)
        return demo_care_build(
            seed=demo.seed, root=demo.root, today=timezone.localdate(), progress=progress
        )


@transaction.atomic
def demo_county_wipe() -> int:
    """Delete every demo county: its people, staff, employers and organisations.

    Returns the number of counties wiped. Records of other apps that still point
    at demo rows and protect them stop the wipe with a readable error.
    """
    wiped = 0
    with disable_auditlog():
        for demo in DemoCounty.objects.select_related("root"):
            path = demo.root.path
            try:
                care_wipe(demo.root, whole=not _outside(demo.root).exists())
                demo_portal_wipe()
                _wipe_people(demo.root)
                User.objects.filter(subtree_q(path, "organisation")).delete()
                Employer.objects.filter(
                    subtree_q(path, "township") | subtree_q(path, "union")
                ).delete()
                organisations = Organisation.objects.filter(subtree_q(path))
                deepest = organisations.aggregate(deepest=Max("depth"))["deepest"] or 0
                # Children first: the parent key protects an organisation that has any.
                for depth in range(deepest, -1, -1):
                    organisations.filter(depth=depth).delete()
            except ProtectedError as exc:
                kinds = sorted(
                    {str(obj._meta.verbose_name_plural) for obj in exc.protected_objects}
                )
                raise ValidationError(
                    _("The demo data cannot be wiped: %(things)s still refer to it.")
                    % {"things": ", ".join(kinds)}
                ) from exc
            wiped += 1
    return wiped


def _outside(root: Organisation):
    return Organisation.objects.exclude(subtree_q(root.path))


def _organisations_outside_demo():
    demo_trees = Q()
    for demo in DemoCounty.objects.select_related("root"):
        demo_trees |= subtree_q(demo.root.path)
    return Organisation.objects.exclude(demo_trees) if demo_trees else Organisation.objects.all()


#: The people tables in the order they are wiped: each refers only to those after it.
_PEOPLE_MODELS = (RevealLog, JoinApplication, Membership, Person)


def _wipe_people(root: Organisation) -> None:
    """Delete the people of the county and everything recorded about them, one table at a time.

    ``QuerySet.delete()`` would load every row first (the audit log listens to
    deletions and the people tables protect each other), which takes minutes
    and gigabytes for a million workers; these tables are deleted from as
    whole sets instead, children before parents. Rows of other apps that
    refer to them are dealt with first as their ``on_delete`` says.
    """
    if _outside(root).exists():
        people = Person.objects.in_subtree(root)
        unions = subtree_q(root.path, "union")
        querysets = (
            RevealLog.objects.filter(person__in=people),
            JoinApplication.objects.filter(unions | Q(person__in=people)),
            Membership.objects.filter(unions | Q(person__in=people)),
            people,
        )
    else:
        # Every organisation is the county's, so every person's file is kept
        # in it: whole tables, without a subquery over a million rows.
        querysets = tuple(model.objects.all() for model in _PEOPLE_MODELS)
    for queryset in querysets:
        _release_references(queryset)
    for queryset in querysets:
        queryset._raw_delete(queryset.db)
    # The card counters of the county's code: a rebuilt county issues its cards afresh.
    CardCounter.objects.filter(
        prefix__regex=rf"^{re.escape(county_code(root))}[0-9]{{4}}$"
    ).delete()


def _release_references(queryset) -> None:
    """Apply ``on_delete`` of other apps' keys to rows of ``queryset`` that are about to go.

    A protecting key stops the wipe with a readable error, as it would in
    ``QuerySet.delete()``.
    """
    for relation in queryset.model._meta.related_objects:
        if relation.related_model in _PEOPLE_MODELS or relation.many_to_many:
            continue
        referring = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": queryset}
        )
        if relation.on_delete is CASCADE:
            referring.delete()
        elif relation.on_delete is SET_NULL:
            referring.update(**{relation.field.name: None})
        elif relation.on_delete is not DO_NOTHING and referring.exists():
            raise ProtectedError("demo people are referred to", set(referring.order_by()[:1]))


@contextmanager
def _large_cache():
    """A page cache of SQLITE_CACHE_KIB for the connection while the county is written or wiped.

    A million workers make indexes far larger than the everyday cache; with
    the default most index pages would be written out and read back again
    many times over.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (everyday,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        # After a failed statement the transaction accepts none until rolled back;
        # the error is what the caller needs to see, not this one.
        if not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size={int(everyday)}")


def _demo_usernames() -> list[str]:
    return [username for username, _role, _place in DEMO_LOGINS]


def _summary(root, seed, scale, logins, authenticator, workforce, care, portal) -> DemoSummary:
    kinds = dict(
        Organisation.objects.filter(subtree_q(root.path))
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    employers = Employer.objects.filter(subtree_q(root.path, "township")).aggregate(
        total=Count("pk"),
        without_union=Count("pk", filter=Q(union__isnull=True)),
        large=Count("pk", filter=Q(employee_count__gte=COVERAGE_THRESHOLD)),
        large_without_union=Count(
            "pk", filter=Q(employee_count__gte=COVERAGE_THRESHOLD, union__isnull=True)
        ),
        employees=Sum("employee_count"),
    )
    return DemoSummary(
        county=root.name,
        seed=seed,
        scale=scale,
        organisations={kind: kinds.get(kind, 0) for kind in OrgKind.values},
        employers=employers["total"],
        employers_without_union=employers["without_union"],
        large_employers=employers["large"],
        large_employers_without_union=employers["large_without_union"],
        employees=employers["employees"] or 0,
        workers=workforce.workers,
        members=workforce.members,
        members_joined_this_year=workforce.joined_this_year,
        pending_applications=workforce.pending_applications,
        logins=logins,
        authenticator=authenticator,
        care=care,
        portal=portal,
    )
