"""Reads of offers: what a member may claim, and the counts of an organisation's page."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Claim, Offer, OfferStatus


def offers_for_worker(person, *, today=None) -> QuerySet:
    """The offers open to a member now: published, valid today, by their union or one
    above it (the index ``offer_portal_list`` answers it per union). A worker who is
    not a member sees none."""
    if person is None or person.current_union_id is None:
        return Offer.objects.none()
    union = person.current_union
    above = [*union.ancestor_ids(), union.pk]
    today = today or timezone.localdate()
    return (
        Offer.objects.filter(
            union_id__in=above,
            status=OfferStatus.PUBLISHED,
            valid_from__lte=today,
            valid_until__gte=today,
        )
        .select_related("union")
        .order_by("valid_until", "pk")
    )


def subtree_counts(user, organisation) -> dict:
    """Offers published over ``organisation``'s subtree, and their claims and
    redemptions."""
    offers = Offer.objects.for_user(user).in_subtree(organisation)
    published = offers.exclude(status=OfferStatus.DRAFT).aggregate(
        offers=Count("pk"), current=Count("pk", filter=Q(status=OfferStatus.PUBLISHED))
    )
    claims = Claim.objects.filter(offer__in=offers).aggregate(
        claims=Count("pk"), redeemed=Count("pk", filter=Q(redeemed_at__isnull=False))
    )
    return {**published, **claims}


def claim_counts(offer: Offer) -> dict:
    return Claim.objects.filter(offer=offer).aggregate(
        claims=Count("pk"), redeemed=Count("pk", filter=Q(redeemed_at__isnull=False))
    )
