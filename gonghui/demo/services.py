"""Building and wiping the demo county.

The demo is built by the command line, never by a signed-in user, so these
functions take no ``by=``. The thousands of generated rows are kept out of the
audit trail: they are not anybody's work.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, ProtectedError, Q, Sum
from django.utils.translation import gettext as _

from gonghui.accounts.models import User
from gonghui.core.scope import subtree_q
from gonghui.orgs.models import Employer, Organisation, OrgKind

from .county import COVERAGE_THRESHOLD, CountyBuilder, Progress
from .models import DemoCounty
from .staff import DEMO_LOGINS, Authenticator, Login, create_demo_staff


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
    logins: list[Login]
    authenticator: Authenticator


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
    with disable_auditlog():
        if existing:
            demo_county_wipe()
        if Organisation.objects.exists():
            raise ValidationError(
                _(
                    "The database already holds organisations that are not demo data; "
                    "the demo county is only built into an empty organisation tree."
                )
            )
        taken = sorted(
            User.objects.filter(username__in=_demo_usernames()).values_list("username", flat=True)
        )
        if taken:
            raise ValidationError(
                _("These user names are taken by accounts outside the demo: %(names)s.")
                % {"names": ", ".join(taken)}
            )
        root = CountyBuilder(seed=seed, scale=scale, progress=progress).build()
        logins, authenticator = create_demo_staff(root=root, seed=seed)
        DemoCounty.objects.create(root=root, seed=seed, scale=scale)
    return _summary(root, seed, scale, logins, authenticator)


@transaction.atomic
def demo_county_wipe() -> int:
    """Delete every demo county: its staff, employers and organisations.

    Returns the number of counties wiped. Records of other apps that still point
    at demo rows and protect them stop the wipe with a readable error.
    """
    wiped = 0
    with disable_auditlog():
        for demo in DemoCounty.objects.select_related("root"):
            path = demo.root.path
            try:
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


def _demo_usernames() -> list[str]:
    return [username for username, _role, _place in DEMO_LOGINS]


def _summary(root, seed, scale, logins, authenticator) -> DemoSummary:
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
        logins=logins,
        authenticator=authenticator,
    )
