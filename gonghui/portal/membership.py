"""The worker's membership in the portal: the electronic card's token, its check by
union staff, and joining from the portal with a form that a double tap cannot send
twice.

The card's QR code carries a signed token (``django.core.signing``, a salt of its
own) of the person's id and card number, valid for ``CARD_TOKEN_MINUTES``: never
the ID number or the phone. A photograph of a card is useless ten minutes later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import qrcode
import qrcode.image.svg
from django.core import signing
from django.db import transaction
from django.db.models import TextChoices
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from gonghui.core.rows import RowReader
from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import JoinApplication, Person
from gonghui.people.services import join_application_submit
from gonghui.people.vocabularies import JoinChannel
from gonghui.security.events import EventKind, EventResult, security_event

#: How long a card's token is accepted: long enough to walk to a desk, short enough
#: that a screenshot passed around stops working.
CARD_TOKEN_MINUTES = 10
CARD_SALT = "gonghui.portal.card"
#: The join form's purpose for its key (``formkeys``).
JOIN_FORM = "join"
#: The QR's side on the card page: fits a 360 px phone's card with its margins, and
#: leaves each module of the code (41 with its quiet zone for a token) over 6 pixels.
QR_PIXELS = 256


# --- The card's token ---------------------------------------------------------------------


class _CardSigner(signing.TimestampSigner):
    """The timestamp signer with its HMAC-SHA256 cut to 128 bits (22 characters), so
    that the code under the QR can be typed; RFC 2104 §5 allows truncation to half
    the hash's output, and a guess has ten minutes against the server's rate."""

    def __init__(self):
        super().__init__(salt=CARD_SALT, algorithm="sha256")

    def signature(self, value, key=None):
        return super().signature(value, key)[:22]


def card_token(person: Person) -> str:
    """A token for the card of ``person`` (a member: it has a card number)."""
    return _CardSigner().sign(f"{person.pk}.{person.card_number}")


def token_groups(token: str) -> str:
    """The token in groups of four, for reading out and typing (spaces are ignored)."""
    return " ".join(token[i : i + 4] for i in range(0, len(token), 4))


def card_qr_svg(token: str, *, label: str) -> str:
    """The QR code of ``token`` as an inline ``<svg>`` element named ``label``.

    The path factory draws one ``<path>`` on a white square (a phone in dark mode
    still shows a readable code) and writes no ``style`` attribute, which the page
    policy would refuse. Its size in millimetres becomes ``QR_PIXELS``.
    """
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
        image_factory=qrcode.image.svg.SvgPathFillImage,
    )
    code.add_data(token)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    head, _sep, rest = svg.partition(">")
    attributes = " ".join(
        part for part in head.split(" ") if not part.startswith(("width=", "height="))
    )
    size = f'width="{QR_PIXELS}" height="{QR_PIXELS}"'
    return f'{attributes} {size} class="qr" role="img" aria-label="{escape(label)}">{rest}'


class CardCheck(TextChoices):
    """What a card check answers, in the words staff say to the worker."""

    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    NOT_MEMBER = "not_member", _("Not a member")
    OUTSIDE = "outside", _("Outside your organisation")
    NOT_A_CARD = "not_a_card", _("Not a card")


@dataclass(frozen=True)
class CardCheckResult:
    result: str
    #: The card's holder, only when the card is valid and the holder in the checker's scope.
    person: Person | None = None
    union: Organisation | None = None


def _unsign(token: str) -> tuple[str, int | None, str]:
    """(result, person id, card number) of a token, before any lookup."""
    try:
        value = _CardSigner().unsign(token, max_age=CARD_TOKEN_MINUTES * 60)
    except signing.SignatureExpired:
        return CardCheck.EXPIRED, None, ""
    except signing.BadSignature:
        return CardCheck.NOT_A_CARD, None, ""
    pk, _sep, card_number = value.partition(".")
    if not pk.isdigit() or not card_number:
        return CardCheck.NOT_A_CARD, None, ""
    return "", int(pk), card_number


#: A desk checks card after card: the holder and their union are read by SQL written once.
_CARD_HOLDER = RowReader(
    Person, related=("current_union",), where="t.id = %s AND t.card_number = %s"
)


def card_check(*, by, token: str) -> CardCheckResult:
    """Check a card's token for the staff user ``by``; every check is a security event.

    The holder is named only to staff whose scope holds the file: to anyone else a
    real card says "outside your organisation" and nothing more, whether or not the
    holder is still a member. An expired token says only that it expired.
    """
    token = "".join((token or "").split())
    result, pk, card_number = _unsign(token)
    person = None
    if not result:
        person = _CARD_HOLDER.get(pk, card_number)
        if person is None:
            result = CardCheck.NOT_A_CARD
        elif not Person.objects.holds(by, pk):
            result = CardCheck.OUTSIDE
        elif person.current_union_id is None:
            result = CardCheck.NOT_MEMBER
        else:
            result = CardCheck.VALID
    in_scope = result in (CardCheck.VALID, CardCheck.NOT_MEMBER)
    security_event(
        kind=EventKind.REVEAL,
        by=by,
        result=EventResult.OK if result == CardCheck.VALID else EventResult.REFUSED,
        obj=person if in_scope else None,
        # A holder outside the checker's scope is logged by id only, never by name.
        object_type="people.person" if person is not None else "",
        object_id=str(person.pk) if person is not None else "",
        detail={"card_check": str(result)},
    )
    if result != CardCheck.VALID:
        return CardCheckResult(result)
    return CardCheckResult(result, person, person.current_union)


# --- Joining --------------------------------------------------------------------------------


@dataclass(frozen=True)
class JoinOutcome:
    application: JoinApplication
    #: False when the key had already sent its application (a double tap, a resend).
    created: bool


@transaction.atomic
def portal_join_submit(
    *, account, employer: Employer, new_form_group: str, issued_at: datetime
) -> JoinOutcome:
    """The worker of ``account`` applies to join, from a form issued at ``issued_at``.

    The person's row is locked first, so of two posts of one form (a double tap)
    the second waits, then finds the application the first made since the form was
    issued and returns it instead of a refusal: one application, one result page.
    """
    person = Person.objects.select_for_update().get(pk=account.person_id)
    sent = (
        person.join_applications.filter(channel=JoinChannel.PORTAL, submitted_at__gte=issued_at)
        .order_by("-submitted_at")
        .first()
    )
    if sent is not None:
        return JoinOutcome(sent, created=False)
    application = join_application_submit(
        by=None,
        channel=JoinChannel.PORTAL,
        person=person,
        employer=employer,
        new_form_group=new_form_group,
    )
    return JoinOutcome(application, created=True)
