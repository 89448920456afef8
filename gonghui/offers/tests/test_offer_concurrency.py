"""Many members claiming the last of an offer at the same moment on PostgreSQL: exactly
as many claims as are left; one member claiming many times at once: no more than the
per-member limit; one code typed at two counters at once: redeemed once.

Threads on separate connections are released together by a barrier. SQLite
serialises every writer, so this runs in the PostgreSQL pass only (``make test-pg``).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.core.tests.concurrency import run_together
from gonghui.offers import services
from gonghui.offers.models import Claim
from gonghui.offers.tests.test_offers import make_offer
from gonghui.portal.tests.test_card import worker

pytestmark = pytest.mark.postgres


def test_twelve_members_claiming_the_last_five_make_exactly_five_claims(on_postgres, county):
    offer = make_offer(county, quantity=5)
    members = [worker(county, n, union=county.g1, name=f"会员{n}") for n in range(1, 13)]

    results = run_together(
        [lambda p=p: services.offer_claim(offer=offer, person=p) for p in members]
    )

    claimed = [r for r in results if isinstance(r, Claim)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(claimed) == 5 and len(refused) == 7
    assert {e.messages[0] for e in refused} == {"All of this offer have been claimed."}
    offer.refresh_from_db()
    assert offer.claimed_count == 5 == Claim.objects.filter(offer=offer).count()


def test_one_member_claiming_six_times_at_once_gets_the_limit(on_postgres, county):
    offer = make_offer(county, quantity=20, limit=2)
    member = worker(county, 1, union=county.g1, name="会员甲")

    results = run_together([lambda: services.offer_claim(offer=offer, person=member)] * 6)

    claimed = [r for r in results if isinstance(r, Claim)]
    assert len(claimed) == 2
    assert all(isinstance(r, ValidationError) for r in results if r not in claimed)
    offer.refresh_from_db()
    assert offer.claimed_count == 2
    assert sorted(Claim.objects.filter(person=member).values_list("seq", flat=True)) == [1, 2]


def test_a_code_typed_at_two_counters_at_once_redeems_once(on_postgres, county):
    offer = make_offer(county)
    claim = services.offer_claim(offer=offer, person=worker(county, 1, union=county.g1))

    results = run_together(
        [
            lambda n=n: services.offer_redeem(
                pin=offer.pin, code=claim.code, address=f"192.0.2.{n}"
            )
            for n in range(4)
        ]
    )

    assert sum(r.ok for r in results) == 1
    claim.refresh_from_db()
    assert claim.redeemed_at <= timezone.now()
