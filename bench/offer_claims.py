"""200 members claiming the last 50 of an offer at the same moment, on PostgreSQL:
exactly 50 claims, and how long the rush takes.

The claims are counted by the conditional UPDATE of ``offers.services.offer_claim``
(``claimed_count < quantity``), so the offer's row is where they queue. The members
claim from ``--connections`` threads released together by a barrier, each with its own
database connection, as a server's workers would (PostgreSQL's default
``max_connections`` of 100 leaves no room for 200 at once, nor should a server hold
them). Everything is written in a throwaway test database made and dropped here:

    bash scripts/pg.sh
    DATABASE_URL=postgres://gonghui:gonghui@127.0.0.1:5432/gonghui \\
        .venv/bin/python bench/offer_claims.py [--connections 40] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from datetime import date, timedelta

import common  # noqa: F401  (sets Django up)
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import setup_databases, teardown_databases
from django.utils import timezone

MEMBERS = 200
LEFT = 50


def build():
    from gonghui.accounts.models import User
    from gonghui.core.creditcodes import make_credit_code
    from gonghui.core.idnumbers import complete_id_number
    from gonghui.offers import services
    from gonghui.offers.models import Offer
    from gonghui.orgs.models import OrgKind
    from gonghui.orgs.services import employer_create, organisation_create
    from gonghui.people.services import membership_start, person_create

    user = User.objects.create_superuser("bench-offers", "bench@example.org", None)
    county = organisation_create(
        by=user, code="BO", name="基准县", kind=OrgKind.COUNTY, parent=None
    )
    township = organisation_create(
        by=user, code="BO1", name="基准镇", kind=OrgKind.TOWNSHIP, parent=county
    )
    union = organisation_create(
        by=user, code="BO11", name="基准厂工会", kind=OrgKind.GRASSROOTS, parent=township
    )
    employer = employer_create(
        by=user,
        credit_code=make_credit_code("91330100000000001"[:17]),
        name="基准有限公司",
        industry="C",
        ownership="non_public",
        employee_count=MEMBERS,
        township=township,
        union=union,
    )
    members = []
    for n in range(MEMBERS):
        person = person_create(
            by=user,
            name=f"会员{n}",
            id_number=complete_id_number(f"330106{date(1980, 1, 1) + timedelta(days=n):%Y%m%d}001"),
            employer=employer,
        )
        membership_start(by=user, person=person, union=union, joined_on=date(2020, 1, 1))
        members.append(person)
    today = timezone.localdate()
    offer = services.offer_create(
        by=user,
        union=township,
        merchant_name="基准商户",
        merchant_address="某路1号",
        merchant_phone="",
        title="基准优惠",
        description="",
        price="九折",
        valid_from=today,
        valid_until=today,
        quantity=1000,
        per_member_limit=1,
    )
    services.offer_set_pin(by=user, offer=offer)
    services.offer_publish(by=user, offer=offer)
    # The last 50: the claims before them are only a count (no member is asked twice).
    Offer.objects.filter(pk=offer.pk).update(claimed_count=1000 - LEFT)
    return offer, members


def rush(offer, members, connections_count: int) -> tuple[list, float]:
    from gonghui.offers import services

    barrier = threading.Barrier(connections_count)
    results: list = [None] * len(members)

    def run(first: int) -> None:
        try:
            barrier.wait()
            for index in range(first, len(members), connections_count):
                try:
                    results[index] = services.offer_claim(offer=offer, person=members[index])
                except ValidationError as exc:
                    results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(connections_count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=40)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL=postgres://… : the rush is measured on PostgreSQL.")
    from gonghui.offers.models import Claim, Offer

    old = setup_databases(verbosity=0, interactive=False)
    try:
        offer, members = build()
        results, elapsed = rush(offer, members, args.connections)
        offer = Offer.objects.get(pk=offer.pk)
        claims = Claim.objects.filter(offer=offer).count()
        refused = sum(isinstance(r, ValidationError) for r in results)
        figures = {
            "members": MEMBERS,
            "left": LEFT,
            "connections": args.connections,
            "claims": claims,
            "refused": refused,
            "claimed_count": offer.claimed_count,
            "quantity": offer.quantity,
            "elapsed_ms": round(elapsed, 1),
        }
        assert claims == LEFT and offer.claimed_count == offer.quantity, figures
        assert refused == MEMBERS - LEFT, figures
    finally:
        connections.close_all()
        teardown_databases(old, verbosity=0)
    if args.json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name}: {value}")


if __name__ == "__main__":
    main()
