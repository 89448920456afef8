"""The demo county's member offers (普惠): a few offers of every township and two of the
county, with merchants of the kinds unions arrange (barbers, supermarkets, cinemas,
health checks), some claimed by members under the publishing union and part of those
redeemed at the counter. Per township: one open now, one ended, one still a draft.

Written in bulk, as the services would have recorded them: claims by members under the
publishing union only, no more than the quantity, one claim per member and offer
(``seq`` 1), codes from the claim code's alphabet. Every offer carries one PIN hashed
once for the build and shown to nobody: staff set a new PIN in the console to try the
merchant's page.
"""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth.hashers import make_password

from gonghui.offers.models import Claim, Offer, OfferStatus, new_claim_code

from .care import BATCH_SIZE

#: (merchant, what is offered, price) of the demo's offers (the demo is a Chinese county).
MERCHANTS = (
    ("便民理发店", "会员理发", "八折"),
    ("惠民超市", "生活用品满100元减15元", "减15元"),
    ("星光影城", "观影券", "19.9元一张"),
    ("康宁体检中心", "职工健康体检套餐", "168元"),
    ("清风洗车行", "普通洗车", "九折"),
    ("阳光眼镜店", "配镜", "七五折"),
)
#: Workers sampled to find the members under each publishing union.
SAMPLE = 4000


def _members_under(world, unions: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for _draw in range(min(SAMPLE, len(world.person_ids))):
        index = world.person_index()
        union = world.person_orgs[index]
        if union == world.person_townships[index]:
            continue  # no union: not a member
        chain = world.chain(union)
        for publisher in unions:
            if publisher in chain:
                found.setdefault(publisher, []).append(world.person_ids[index])
    return {key: list(dict.fromkeys(people)) for key, people in found.items()}


def build_offers(world, summary) -> None:
    rng = world.rng
    county = world.places["county"].pk
    publishers = [county, *world.townships]
    members = _members_under(world, publishers)
    pin_hash = make_password("".join(secrets.choice("0123456789") for _i in range(6)))
    today = world.today
    plans: list[tuple[Offer, str]] = []
    n = 0
    for union in publishers:
        shapes = ("open", "ended") if union == county else ("open", "ended", "draft")
        by = world.level_user(union) if union != county else world.default_user
        for shape in shapes:
            merchant, title, price = MERCHANTS[n % len(MERCHANTS)]
            n += 1
            if shape == "ended":
                start = today - datetime.timedelta(days=rng.randint(60, 120))
                until = today - datetime.timedelta(days=rng.randint(1, 30))
            elif shape == "draft":
                start = today + datetime.timedelta(days=rng.randint(10, 20))
                until = start + datetime.timedelta(days=rng.randint(30, 90))
            else:
                start = today - datetime.timedelta(days=rng.randint(0, 20))
                until = today + datetime.timedelta(days=rng.randint(20, 90))
            offer = Offer(
                union_id=union,
                merchant_name=merchant,
                merchant_address=f"{world.organisation_name(union)}附近",
                merchant_phone="",
                title=title,
                description="",
                price=price,
                valid_from=start,
                valid_until=until,
                quantity=rng.choice((50, 100, 200)),
                per_member_limit=1,
                status=OfferStatus.DRAFT if shape == "draft" else OfferStatus.PUBLISHED,
                pin_hash=pin_hash,
                created_by=by,
            )
            plans.append((offer, shape))
    Offer.objects.bulk_create([o for o, _shape in plans], batch_size=BATCH_SIZE)
    claims = []
    for offer, shape in plans:
        people = members.get(offer.union_id, [])
        if shape == "draft" or not people:
            continue
        wanted = offer.quantity // 2 if shape == "open" else offer.quantity * 4 // 5
        chosen = rng.sample(people, min(wanted, len(people)))
        first = world.moment(offer.valid_from)
        for i, person in enumerate(chosen):
            at = min(first + datetime.timedelta(minutes=37 * (i + 1)), world.now)
            redeemed = None
            if rng.random() < (0.9 if shape == "ended" else 0.4):
                redeemed = min(at + datetime.timedelta(days=rng.randint(0, 10)), world.now)
            claims.append(
                Claim(
                    offer=offer,
                    person_id=person,
                    seq=1,
                    code=new_claim_code(),
                    claimed_at=at,
                    redeemed_at=redeemed,
                )
            )
        offer.claimed_count = len(chosen)
    Offer.objects.bulk_update([o for o, _shape in plans], ["claimed_count"], batch_size=BATCH_SIZE)
    Claim.objects.bulk_create(claims, batch_size=BATCH_SIZE)
    summary.offers = len(plans)
    summary.offer_claims = len(claims)
