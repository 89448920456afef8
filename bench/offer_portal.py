"""The member's offer list in the portal (``/m/offers/``) at a million workers: the
offers open to the worker (their union and those above it, published, valid today)
and their own claims, timed with the page around them.

Offers (a few of every organisation of the county) and claims spread over the county
are written inside a transaction that is rolled back, so a copy of the benchmark
county migrated to the offers' tables will do:

    cp -a /tmp/bench-1m /tmp/offers-1m && GONGHUI_VAR_DIR=/tmp/offers-1m gonghui migrate
    GONGHUI_VAR_DIR=/tmp/offers-1m python bench/offer_portal.py [--json]

Target (median): the page within 30 ms.
"""

from __future__ import annotations

import datetime
import json
import random
import sys

from common import median_ms, require_demo
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.core.crypto import encrypt
from gonghui.offers.models import Claim, Offer, OfferStatus, new_claim_code
from gonghui.offers.selectors import offers_for_worker
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person, phone_hash
from gonghui.portal.auth import COOKIE
from gonghui.portal.models import PHONE_CONTEXT, WorkerAccount
from gonghui.portal.services import session_start

PAGE_MS = 30
#: Offers per organisation, and claims written over the county's members.
PER_ORGANISATION = 3
CLAIMS = 100_000


class RolledBack(Exception):
    pass


def main() -> None:
    require_demo(100_000)
    figures = {}
    rng = random.Random(1)
    today = timezone.localdate()
    try:
        with transaction.atomic():
            user = User.objects.filter(is_superuser=True).first() or User.objects.first()
            organisations = list(Organisation.objects.values_list("pk", flat=True))
            offers = Offer.objects.bulk_create(
                Offer(
                    union_id=org,
                    merchant_name="基准商户",
                    merchant_address="某路1号",
                    title=f"优惠{n}",
                    price="九折",
                    valid_from=(start := today - datetime.timedelta(days=rng.randint(0, 200))),
                    valid_until=start + datetime.timedelta(days=rng.randint(0, 300)),
                    quantity=1000,
                    claimed_count=0,
                    status=rng.choice([OfferStatus.PUBLISHED] * 3 + [OfferStatus.DRAFT]),
                    created_by=user,
                )
                for org in organisations
                for n in range(PER_ORGANISATION)
            )
            members = list(
                Person.objects.filter(current_union__isnull=False)
                .order_by("pk")
                .values_list("pk", flat=True)[::5][: CLAIMS // 2]
            )
            now = timezone.now()
            Claim.objects.bulk_create(
                (
                    Claim(
                        offer_id=rng.choice(offers).pk,
                        person_id=rng.choice(members),
                        seq=n + 1,  # unique per (offer, person) whatever the draw
                        code=new_claim_code(),
                        claimed_at=now,
                    )
                    for n in range(CLAIMS)
                ),
                batch_size=5000,
            )
            person = Person.objects.select_related("current_union").get(
                pk=members[len(members) // 2]
            )
            account = WorkerAccount.objects.filter(person=person).first()
            if account is None:
                account = WorkerAccount.objects.create(
                    phone_hash=phone_hash("19911112222"),
                    phone_encrypted=encrypt("19911112222", context=PHONE_CONTEXT),
                    person=person,
                    bound_at=now,
                )
            client = Client()
            client.cookies[COOKIE] = session_start(account)
            url = reverse("portal-offers:list")
            assert client.get(url).status_code == 200
            figures["offers_open_to_the_worker"] = len(offers_for_worker(person))
            figures["selector"] = median_ms(lambda: list(offers_for_worker(person)[:50]))
            figures["page"] = median_ms(lambda: client.get(url))
            figures["offers"] = len(offers)
            figures["claims"] = CLAIMS
            figures["workers"] = Person.objects.count()
            raise RolledBack
    except RolledBack:
        pass
    figures["page_target_ms"] = PAGE_MS
    if "--json" in sys.argv:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name}: {value}")


if __name__ == "__main__":
    main()
