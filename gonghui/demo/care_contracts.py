"""The demo county's collective contracts: about a third of the employers with a
union have a contract of their own (most in force, some expired, some ending within
90 days, some signed and not filed, a few objected), and every township has one
regional contract covering employers of its area that have no union yet.

Written in bulk; the dates follow the rules the services keep (a term of one to
three years, filed on or after signing, in force 15 days after filing unless
objected), so the demo's figures are what the pages would have recorded.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from gonghui.contracts.models import (
    OBJECTION_DAYS,
    CollectiveContract,
    ContractEmployer,
    ContractKind,
    ContractReach,
)
from gonghui.contracts.services import add_years
from gonghui.core.scope import subtree_q
from gonghui.orgs.models import Employer

from .care import BATCH_SIZE

#: The share of employers with a union that have a contract of their own.
CONTRACT_SHARE = 0.35
#: At most this many employers without a union join their township's regional contract.
REGIONAL_EMPLOYERS = 40


def _dates(world, shape: str) -> dict:
    """Signing, term, filing and objection dates for a contract of ``shape``."""
    today = world.today
    day = datetime.timedelta
    if shape == "expiring":
        ends = today + day(days=world.rng.randint(5, 85))
        starts = add_years(ends, -world.rng.choice((1, 2, 3))) + day(days=1)
    elif shape == "expired":
        ends = today - day(days=world.rng.randint(10, 400))
        starts = add_years(ends, -world.rng.choice((1, 2, 3))) + day(days=1)
    else:
        starts = today - day(days=world.rng.randint(20, 300))
        ends = add_years(starts, world.rng.choice((1, 2, 3))) - day(days=1)
    signed = starts - day(days=world.rng.randint(3, 20))
    fields = {"signed_on": signed, "starts_on": starts, "ends_on": ends}
    if shape == "not_filed":
        # Signed lately; some still within their 10 days, others overdue.
        fields["signed_on"] = today - day(days=world.rng.randint(1, 30))
        fields["starts_on"] = fields["signed_on"]
        fields["ends_on"] = add_years(fields["starts_on"], 2) - day(days=1)
        return fields
    filed = signed + day(days=world.rng.randint(1, 10))
    fields["filed_on"] = filed
    if shape == "objected":
        fields["objected_on"] = filed + day(days=world.rng.randint(3, OBJECTION_DAYS))
        fields["objection"] = _("Wage terms below the local minimum wage.")
    else:
        fields["in_force_on"] = filed + day(days=OBJECTION_DAYS)
    return fields


def build_contracts(world, summary) -> None:
    rng = world.rng
    creator = world.users.get("admin") or world.default_user
    employers = list(
        Employer.objects.filter(subtree_q(world.root.path, "township"))
        .order_by("pk")
        .values_list("pk", "name", "township_id", "union_id")
    )
    shapes = ["in_force"] * 6 + ["expiring", "expired", "not_filed", "objected"]
    kinds = [ContractKind.COMPREHENSIVE] * 3 + [
        ContractKind.WAGE,
        ContractKind.WAGE,
        ContractKind.WOMEN,
        ContractKind.SAFETY,
    ]
    contracts: list[CollectiveContract] = []
    covered: list[list[int]] = []
    for pk, name, _township_id, union_id in employers:
        if union_id is None or rng.random() >= CONTRACT_SHARE:
            continue
        kind = rng.choice(kinds)
        dates = _dates(world, rng.choice(shapes))
        contracts.append(
            CollectiveContract(
                title=_("%(employer)s %(year)s %(kind)s collective contract")
                % {"employer": name, "year": dates["starts_on"].year, "kind": kind.label},
                kind=kind,
                reach=ContractReach.EMPLOYER,
                owner_id=union_id,
                employer_id=pk,
                wage_increase=rng.choice((None, 3, 4, 5, 6, 8)),
                minimum_wage=rng.choice((None, 2280, 2490, 2600)),
                created_by=creator,
                **dates,
            )
        )
        covered.append([pk])
    names = {t: world.organisation_name(t) for t in world.townships}
    for township_id in world.townships:
        without_union = [pk for pk, _n, t, u in employers if t == township_id and u is None]
        if not without_union:
            continue
        dates = _dates(world, "in_force")
        contracts.append(
            CollectiveContract(
                title=_("%(township)s regional wage collective contract %(year)s")
                % {"township": names[township_id], "year": dates["starts_on"].year},
                kind=ContractKind.WAGE,
                reach=ContractReach.REGIONAL,
                owner_id=township_id,
                wage_increase=5,
                minimum_wage=2490,
                created_by=creator,
                **dates,
            )
        )
        covered.append(without_union[:REGIONAL_EMPLOYERS])
    made = CollectiveContract.objects.bulk_create(contracts, batch_size=BATCH_SIZE)
    ContractEmployer.objects.bulk_create(
        (
            ContractEmployer(contract_id=contract.pk, employer_id=employer_id)
            for contract, ids in zip(made, covered, strict=True)
            for employer_id in ids
        ),
        batch_size=BATCH_SIZE,
    )
    summary.collective_contracts = len(made)
