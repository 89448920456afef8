"""Following a case by its tracking code, and what a worker may see of a case.

The tracking code is the only way an anonymous worker reaches their case, and anyone
may type one at ``/track/`` without signing in. So a lookup tells nothing but what
the worker who lodged the case would see (``worker_view``: never a name, a staff
member, a note or what the case is about), any wrong code gets the one answer "no
case has this code", and an address may look up ``LIMITS`` codes: with 31^16 codes,
guessing is hopeless. The limits count rows as the portal's sign-in codes do
(``portal.services.Limit``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.portal.services import Limit

from .models import TRACKING_LENGTH, Case, CaseEvent, TrackingLookup

#: Lookups are forgotten after the longest window of the limits.
KEPT = timedelta(days=1)

#: What a worker reads for each step of a case's timeline (``CaseEvent.action``).
#: Comments are never shown: they hold staff names (an assignment) or file names.
STEP_LABELS = {
    "lodge": gettext_lazy("Received"),
    "accept": gettext_lazy("Accepted by the union"),
    "decline": gettext_lazy("Declined"),
    "assign": gettext_lazy("Given to a handler"),
    "start_mediation": gettext_lazy("Mediation started"),
    "start_legal_aid": gettext_lazy("Legal aid started"),
    "resolve": gettext_lazy("Resolved"),
    "callback": gettext_lazy("Callback made; the case is closed"),
    "attach": gettext_lazy("A document was added"),
    "add_worker": gettext_lazy("Another worker was named on the case"),
}

#: Anything a worker may put between the characters of a code when typing it.
SEPARATORS = re.compile(r"[\s\-_.·,，。、/]+")


def limits() -> tuple[Limit, ...]:
    message = _("Too many codes were looked up from your network. Try again later.")
    return (
        Limit(
            timedelta(minutes=1), 10, _("Too many codes were looked up in a minute. Wait a minute.")
        ),
        Limit(timedelta(days=1), 50, message),
    )


def normalise(text: str) -> str:
    """A code as typed, made comparable: full-width characters of a Chinese input
    method folded (NFKC), separators dropped, upper case. The code's alphabet has no
    look-alikes (no 0/O, 1/I/L), so nothing typed needs guessing."""
    folded = unicodedata.normalize("NFKC", text or "")
    return SEPARATORS.sub("", folded).upper()[: TRACKING_LENGTH * 2]


def grouped(code: str) -> str:
    """The code in groups of four, as the worker is shown it to write down."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def tracking_lookup(*, code: str, address: str | None, now: datetime | None = None) -> Case | None:
    """The case of ``code``, or None; ``ValidationError`` (code "limit") when the
    address has looked up too many codes.

    Every lookup counts, found or not, well-formed or not, and asks the database the
    same question, so a wrong code cannot be told from a malformed one by the answer
    or its time."""
    now = now or timezone.now()
    with transaction.atomic():
        TrackingLookup.objects.filter(at__lt=now - KEPT).delete()
        asked = TrackingLookup.objects.filter(address=address)
        for limit in limits():
            if asked.filter(at__gt=now - limit.window).count() >= limit.most:
                raise ValidationError(limit.message % {"most": limit.most}, code="limit")
        TrackingLookup.objects.create(address=address, at=now)
    return (
        Case.objects.select_related("organisation", "escalated_to")
        .filter(tracking_code=normalise(code))
        .first()
    )


@dataclass(frozen=True)
class Step:
    at: datetime
    label: str | Promise


def worker_steps(case: Case) -> list[Step]:
    """The case's timeline as the worker reads it: what happened and when."""
    events = CaseEvent.objects.filter(case=case).order_by("at", "pk").values_list("at", "action")
    return [Step(at, STEP_LABELS[action]) for at, action in events if action in STEP_LABELS]


@dataclass(frozen=True)
class WorkerView:
    """What a worker may see of a case (``rights/portal/_case.html``)."""

    case: Case
    steps: list[Step]
    #: The terms of the resolution may name the worker: shown to the named worker
    #: signed in, and on ``/track/`` only for an anonymous case.
    terms: str
    due_on: date | None


def worker_view(case: Case, *, signed_in_worker: bool) -> WorkerView:
    return WorkerView(
        case=case,
        steps=worker_steps(case),
        terms=case.resolution_terms if signed_in_worker or case.anonymous else "",
        due_on=case.due_on if case.is_open else None,
    )
