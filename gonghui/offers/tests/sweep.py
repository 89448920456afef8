"""Member offers for the access sweep (``core/tests/test_access_sweep.py``).

In every subtree: a published offer of the subtree's own organisation and, where the
subtree's worker is a member, their claim of it. A grassroots union does not publish
offers (the service's rule, tested in ``test_offers``); the sweep's offer is made
directly at the subtree's union so that every subtree holds one where the scope rule
is asked about it. ``/redeem/`` is public: the merchant signs in nowhere."""

from datetime import timedelta

from django.utils import timezone

from gonghui.offers import services
from gonghui.offers.models import Offer, OfferStatus

ROUTES = {
    "offers:update": {"pk": "offer"},
    "offers:status": {"pk": "offer"},
    "offers:pin": {"pk": "offer"},
    "offers:claims": {"pk": "offer"},
    "portal-offers:detail": {"pk": "offer"},
    "portal-offers:claim": {"pk": "offer_claim"},
}

PUBLIC = {
    "merchant:redeem": "the merchant's counter: the offer's PIN and a member's code, "
    "no sign-in; it never names the member, and failures are limited per address",
}


def build(subtree):
    today = timezone.localdate()
    offer = Offer.objects.create(
        union=subtree.union,
        merchant_name=f"{subtree.key}便民超市",
        merchant_address="中心街1号",
        merchant_phone="",
        title=f"{subtree.union.name}购物九折",
        price="九折",
        valid_from=today - timedelta(days=1),
        valid_until=today + timedelta(days=30),
        quantity=10,
        per_member_limit=1,
        status=OfferStatus.PUBLISHED,
        created_by=subtree.admin,
    )
    services.offer_set_pin(by=subtree.admin, offer=offer)
    records = {"offer": offer}
    person = subtree.records.get("person")
    if subtree.member_union is not None and person is not None:
        records["offer_claim"] = services.offer_claim(offer=offer, person=person)
    return records


POST_DATA = {
    "offers:status": {"action": "withdraw"},
}

ANSWERS = {
    ("portal-offers:detail", None, "worker1"): 200,
    ("portal-offers:claim", None, "worker1"): 200,
}

#: An offer is for every member under its union: the portal lists a township's (or the
#: county's) offers to the workers of the unions below it.
SEEN_BELOW = {"offer": "an offer is for every member under the union that publishes it"}
