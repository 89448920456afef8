"""Every change to offers: publishing and withdrawing, the merchant's PIN, a member's
claim and the merchant's redemption.

A claim raises the offer's ``claimed_count`` by a conditional UPDATE (``WHERE
claimed_count < quantity``) in the claim's own transaction: of many members claiming
the last ones at once, the database lets through exactly as many as are left, and
the rest are told they are gone. The member's row is locked first, so one member's
claims are counted one after the other against the per-member limit; the unique
``(offer, person, seq)`` is the database's own guard behind it.

A redemption marks the code used by a conditional UPDATE (``WHERE redeemed_at IS
NULL``): a code redeems once however many counters type it at once. What the
merchant is told never names the member.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.scope import is_in_scope, subtree_bounds
from gonghui.orgs.models import OrgKind
from gonghui.people.models import Person
from gonghui.portal.services import Limit

from .models import CODE_ALPHABET, Claim, Offer, OfferStatus, RedeemAttempt, new_claim_code

ADD = "offers.add_offer"
CHANGE = "offers.change_offer"

#: Wrong PINs in a row before the offer's PIN is locked, and for how long.
PIN_TRIES = 5
PIN_LOCK = timedelta(minutes=30)
#: Failed redemptions are forgotten after the longest window of the limits.
KEPT = timedelta(days=1)
PIN_LENGTH = 6

FIELDS = (
    "union",
    "merchant_name",
    "merchant_address",
    "merchant_phone",
    "title",
    "description",
    "price",
    "valid_from",
    "valid_until",
    "quantity",
    "per_member_limit",
)


def limits() -> tuple[Limit, ...]:
    """Failed redemptions (unknown codes, wrong PINs) an address may make."""
    return (
        Limit(
            timedelta(minutes=10),
            10,
            _("Too many wrong codes or PINs were typed here. Wait ten minutes and try again."),
        ),
        Limit(
            timedelta(days=1),
            50,
            _("Too many wrong codes or PINs were typed here today. Try again tomorrow."),
        ),
    )


# --- Managing offers ----------------------------------------------------------------------


def may_manage(user, offer: Offer) -> bool:
    """Whether ``user`` may change ``offer``: the right, and the union in scope."""
    return user.has_perm(CHANGE) and Offer.objects.for_user(user).filter(pk=offer.pk).exists()


def _guard_manage(user, offer: Offer) -> None:
    if not may_manage(user, offer):
        raise PermissionDenied(_("You do not have the right to do this."))


def _clean(by, values: dict) -> dict:
    values = {field: values.get(field) for field in FIELDS}
    errors = {}
    union = values["union"]
    if not is_in_scope(by, union):
        errors["union"] = _("Choose a union in your scope.")
    elif union.kind not in (OrgKind.COUNTY, OrgKind.TOWNSHIP):
        errors["union"] = _("Offers are published by a county or township union.")
    if (
        values["valid_from"]
        and values["valid_until"]
        and values["valid_until"] < values["valid_from"]
    ):
        errors["valid_until"] = _("An offer ends no earlier than it starts.")
    if values["quantity"] is None or values["quantity"] < 1:
        errors["quantity"] = _("An offer has a quantity of at least one.")
    if values["per_member_limit"] is None or values["per_member_limit"] < 1:
        errors["per_member_limit"] = _("A member may claim an offer at least once.")
    if errors:
        raise ValidationError(errors)
    for field in ("merchant_phone", "description"):
        values[field] = (values[field] or "").strip()
    return values


@transaction.atomic
def offer_create(*, by, **values) -> Offer:
    """A new offer, as a draft, published by a county or township union in scope."""
    if not by.has_perm(ADD):
        raise PermissionDenied(_("You do not have the right to do this."))
    return Offer.objects.create(created_by=by, **_clean(by, values))


@transaction.atomic
def offer_update(*, by, offer: Offer, **values) -> Offer:
    """Change an offer's terms; fewer than are claimed already is refused."""
    _guard_manage(by, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status == OfferStatus.WITHDRAWN:
        raise ValidationError(_("A withdrawn offer cannot be changed."))
    values = _clean(by, values)
    if values["quantity"] < offer.claimed_count:
        raise ValidationError(
            {
                "quantity": _("%(claimed)s are claimed already: the quantity cannot be lower.")
                % {"claimed": offer.claimed_count}
            }
        )
    for field, value in values.items():
        setattr(offer, field, value)
    offer.save()
    return offer


@transaction.atomic
def offer_publish(*, by, offer: Offer) -> Offer:
    """Open a draft to the members (it needs the merchant's PIN first)."""
    _guard_manage(by, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != OfferStatus.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    if not offer.pin_hash:
        raise ValidationError(_("Set the merchant's PIN before publishing the offer."))
    offer.status = OfferStatus.PUBLISHED
    offer.save(update_fields=["status", "updated_at"])
    return offer


@transaction.atomic
def offer_withdraw(*, by, offer: Offer) -> Offer:
    """Take an offer back: no more claims, and its codes no longer redeem."""
    _guard_manage(by, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status == OfferStatus.WITHDRAWN:
        raise ValidationError(_("This offer is withdrawn already."))
    offer.status = OfferStatus.WITHDRAWN
    offer.save(update_fields=["status", "updated_at"])
    return offer


@transaction.atomic
def offer_set_pin(*, by, offer: Offer) -> str:
    """A new merchant's PIN for the offer: returned once to be handed to the merchant,
    stored only hashed; the lock of wrong PINs is lifted."""
    _guard_manage(by, offer)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    pin = "".join(secrets.choice("0123456789") for _i in range(PIN_LENGTH))
    offer.pin_hash = make_password(pin)
    offer.pin_set_at = timezone.now()
    offer.pin_failures = 0
    offer.pin_locked_until = None
    # Saved (not updated) so that the history records when, and by whom, it was set.
    offer.save(
        update_fields=["pin_hash", "pin_set_at", "pin_failures", "pin_locked_until", "updated_at"]
    )
    return pin


# --- Claiming -----------------------------------------------------------------------------


def eligibility_problem(offer: Offer, person: Person) -> str | None:
    """Why ``person`` is not among the members the offer is for, or None."""
    union = person.current_union
    low, high = subtree_bounds(offer.union.path)
    if union is None or not (low <= union.path < high):
        return _("This offer is for the members under %(union)s.") % {"union": offer.union.name}
    return None


def claim_problem(offer: Offer, person: Person, *, today: date | None = None) -> str | None:
    """Why ``person`` cannot claim ``offer`` now, or None (the quantity and the
    per-member limit are decided when claiming)."""
    today = today or timezone.localdate()
    if offer.status != OfferStatus.PUBLISHED:
        return _("This offer is not open.")
    if today < offer.valid_from:
        return _("This offer opens on %(day)s.") % {"day": offer.valid_from}
    if today > offer.valid_until:
        return _("This offer ended on %(day)s.") % {"day": offer.valid_until}
    return eligibility_problem(offer, person)


@transaction.atomic
def offer_claim(
    *, offer: Offer, person: Person, since: datetime | None = None, today: date | None = None
) -> Claim:
    """Claim ``offer`` for ``person``. ``since``: when the form was issued; a claim of
    the member's made since is returned instead of another (a double tap)."""
    Person.objects.select_for_update().only("pk").get(pk=person.pk)
    mine = Claim.objects.filter(offer_id=offer.pk, person_id=person.pk)
    if since is not None:
        already = mine.filter(claimed_at__gte=since).order_by("-pk").first()
        if already is not None:
            return already
    offer = Offer.objects.select_related("union").get(pk=offer.pk)
    person = Person.objects.select_related("current_union").get(pk=person.pk)
    problem = claim_problem(offer, person, today=today)
    if problem is not None:
        raise ValidationError(problem)
    seq = mine.count() + 1
    if seq > offer.per_member_limit:
        if offer.per_member_limit == 1:
            raise ValidationError(_("You have already claimed this offer."))
        raise ValidationError(
            _("You have claimed this offer %(limit)s times: that is the most a member may.")
            % {"limit": offer.per_member_limit}
        )
    taken = Offer.objects.filter(
        pk=offer.pk, status=OfferStatus.PUBLISHED, claimed_count__lt=F("quantity")
    ).update(claimed_count=F("claimed_count") + 1)
    if not taken:
        raise ValidationError(_("All of this offer have been claimed."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Claim.objects.create(
                    offer=offer, person=person, seq=seq, code=new_claim_code()
                )
        except IntegrityError:
            if mine.filter(seq=seq).exists():
                raise ValidationError(_("You have already claimed this offer.")) from None
            # Else a code drawn twice (one in 10^14): draw again.
    raise ValidationError(_("The claim could not be made. Try again."))  # pragma: no cover


# --- Redeeming ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Redemption:
    """What the merchant is told: ``ok``, the offer when the PIN was right, and what to
    say (never the member's name)."""

    ok: bool
    message: str
    offer: Offer | None = None
    limited: bool = False


def normalise(text: str) -> str:
    """A code as typed or scanned: full-width folded, separators dropped, upper case."""
    from gonghui.rights.tracking import normalise as fold

    return "".join(ch for ch in fold(text) if ch in CODE_ALPHABET)[:20]


def _fail(address: str | None, now: datetime) -> None:
    with transaction.atomic():
        RedeemAttempt.objects.create(address=address, at=now)


def _limited(address: str | None, now: datetime) -> str | None:
    RedeemAttempt.objects.filter(at__lt=now - KEPT).delete()
    failed = RedeemAttempt.objects.filter(address=address)
    for limit in limits():
        if failed.filter(at__gt=now - limit.window).count() >= limit.most:
            return limit.message
    return None


def offer_redeem(
    *, pin: str, code: str, address: str | None, now: datetime | None = None
) -> Redemption:
    """The merchant's counter: the offer's PIN and the member's code. Unknown codes
    and wrong PINs count against the address (``limits``); wrong PINs in a row lock
    the offer's PIN (``PIN_TRIES``)."""
    now = now or timezone.now()
    limited = _limited(address, now)
    if limited is not None:
        return Redemption(False, limited, limited=True)
    claim = Claim.objects.select_related("offer").filter(code=normalise(code)).first()
    if claim is None:
        _fail(address, now)
        return Redemption(False, _("No claim has this code. Check it and try again."))
    offer = claim.offer
    if offer.pin_locked_until is not None and offer.pin_locked_until > now:
        return Redemption(
            False,
            _("Too many wrong PINs: this offer's PIN is locked. Ask the union for a new one."),
        )
    if not offer.pin_hash or not check_password((pin or "").strip(), offer.pin_hash):
        _fail(address, now)
        with transaction.atomic():
            Offer.objects.filter(pk=offer.pk).update(pin_failures=F("pin_failures") + 1)
            Offer.objects.filter(pk=offer.pk, pin_failures__gte=PIN_TRIES).update(
                pin_locked_until=now + PIN_LOCK, pin_failures=0
            )
        return Redemption(False, _("The PIN is wrong for the offer of this code."))
    if offer.pin_failures:
        Offer.objects.filter(pk=offer.pk).update(pin_failures=0)
    if offer.status == OfferStatus.WITHDRAWN:
        return Redemption(False, _("This offer was withdrawn: the code cannot be used."), offer)
    today = timezone.localdate(now)
    if today > offer.valid_until:
        return Redemption(
            False, _("This offer ended on %(day)s.") % {"day": offer.valid_until}, offer
        )
    if today < offer.valid_from:
        return Redemption(
            False, _("This offer opens on %(day)s.") % {"day": offer.valid_from}, offer
        )
    with transaction.atomic():
        used = Claim.objects.filter(pk=claim.pk, redeemed_at__isnull=True).update(redeemed_at=now)
    if not used:
        claim.refresh_from_db(fields=["redeemed_at"])
        return Redemption(
            False,
            _("This code was used already, at %(time)s.")
            % {"time": f"{timezone.localtime(claim.redeemed_at):%Y-%m-%d %H:%M}"},
            offer,
        )
    return Redemption(
        True,
        _("Redeemed: %(title)s (%(price)s).") % {"title": offer.title, "price": offer.price},
        offer,
    )
