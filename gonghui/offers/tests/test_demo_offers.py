"""The demo county's offers: open, ended and draft offers of the townships, claims by
members under the publishing union only, never more than the quantity, part redeemed;
and a demo wipe takes them away."""

import pytest
from django.db.models import Count

from gonghui.demo.models import DemoCounty
from gonghui.demo.tests.helpers import build
from gonghui.offers import services
from gonghui.offers.models import Claim, Offer, OfferStatus


@pytest.fixture
def demo(db):
    build(7)
    return DemoCounty.objects.select_related("root").get()


def test_the_demo_has_offers_claimed_within_the_rules_and_some_redeemed(demo):
    assert Offer.objects.filter(status=OfferStatus.PUBLISHED).exists()
    assert Offer.objects.filter(status=OfferStatus.DRAFT).exists()
    assert Claim.objects.filter(redeemed_at__isnull=False).exists()
    assert Claim.objects.filter(redeemed_at__isnull=True).exists()
    for offer in Offer.objects.annotate(made=Count("claims")):
        assert offer.made == offer.claimed_count <= offer.quantity
        assert offer.pin_hash and not offer.pin_hash.isdigit()
    for claim in Claim.objects.select_related("offer__union", "person__current_union")[:300]:
        assert services.eligibility_problem(claim.offer, claim.person) is None
    assert not Claim.objects.values("offer", "person").annotate(n=Count("pk")).filter(n__gt=1)
