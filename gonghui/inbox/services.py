"""The one way to tell a worker something: ``notify`` (or ``notify_many`` for a batch).

Every app calls it inside the service function that changes a worker's application,
booking or transfer, after the change is saved: the message is written in that
transaction (a change rolled back leaves no message, and no text message), and for
the important kinds a text message is queued through ``gonghui.sms``, delivered
after the commit and retried there, so the staff member's page never waits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gonghui.people.models import Person
from gonghui.portal.mine import mine
from gonghui.sms.services import sms_queue_many

from .models import Message, MessageKind, SmsPreference

#: The kinds that also go by text message unless the worker turned them off: the
#: decisions a worker waits for and the reminder the day before an appointment.
SMS_KINDS = (
    MessageKind.JOIN_APPROVED,
    MessageKind.JOIN_REJECTED,
    MessageKind.AID_APPROVED,
    MessageKind.AID_REJECTED,
    MessageKind.AID_PAID,
    MessageKind.BOOKING_TOMORROW,
)
#: The kinds a worker may turn text messages off for: those above, and those of which
#: only the important steps are texted (``sms=True``): a case accepted, declined or
#: resolved, a transfer answered, a place on an activity, a registration decided.
TEXTED_KINDS = (
    *SMS_KINDS,
    MessageKind.RIGHTS_CASE,
    MessageKind.MEMBERSHIP_REQUEST,
    MessageKind.GENERAL,
)


def workers_language():
    """The language messages are written in: the site's, not that of the staff
    member whose action sends them (``with workers_language(): notify(...)``)."""
    return translation.override(settings.LANGUAGE_CODE)


@dataclass(frozen=True)
class Notice:
    """One message to write (``notify_many``); the arguments of ``notify``."""

    person: Person
    kind: str
    title: str
    body: str
    url: str = ""
    sms: bool | None = None
    key: str = ""


def notify(
    person: Person,
    kind: str,
    *,
    title: str,
    body: str,
    url: str = "",
    sms: bool | None = None,
    key: str = "",
) -> Message | None:
    """Write a message to ``person`` and, for ``SMS_KINDS`` (or ``sms=True``; never
    with ``sms=False``), queue a text message unless the worker turned the kind off
    (``TEXTED_KINDS`` are those a worker may turn off).

    ``key`` names a thing told once (``"booking:12:tomorrow"``): if a message with
    the key exists, nothing is written or sent and None is returned.
    """
    written = notify_many([Notice(person, kind, title, body, url, sms, key)])
    return written[0] if written else None


@transaction.atomic
def notify_many(notices: Iterable[Notice]) -> list[Message]:
    """``notify`` for a batch (a bulk approval): the messages in one insert, the
    preferences in one read, one text message queued per message that sends one."""
    notices = list(notices)
    for notice in notices:
        if notice.kind not in MessageKind.values:
            raise ValueError(f"unknown message kind {notice.kind!r}")
        if not notice.title.strip():
            raise ValueError("a message needs a title")
    keyed = [n for n in notices if n.key]
    if keyed:
        # A key told already, or twice in this batch, is skipped, not an error.
        taken = set(
            Message.objects.filter(
                person_id__in={n.person.pk for n in keyed}, key__in={n.key for n in keyed}
            ).values_list("person_id", "key")
        )
        fresh = []
        for notice in notices:
            if notice.key:
                if (notice.person.pk, notice.key) in taken:
                    continue
                taken.add((notice.person.pk, notice.key))
            fresh.append(notice)
        notices = fresh
    if not notices:
        return []
    messages = Message.objects.bulk_create(
        Message(person=n.person, kind=n.kind, title=n.title, body=n.body, url=n.url, key=n.key)
        for n in notices
    )
    texted = [n for n in notices if n.sms is True or (n.sms is None and n.kind in SMS_KINDS)]
    if texted:
        turned_off = set(
            SmsPreference.objects.filter(
                person_id__in={n.person.pk for n in texted},
                kind__in={n.kind for n in texted},
                send=False,
            ).values_list("person_id", "kind")
        )
        outgoing = []
        for notice in texted:
            # The worker's choice holds for the important steps (sms=True) too.
            if (notice.person.pk, notice.kind) in turned_off:
                continue
            phone = notice.person.plain_phone()
            if phone:
                outgoing.append((phone, sms_text(notice), notice.kind))
        sms_queue_many(outgoing)
    return messages


def sms_text(notice: Notice) -> str:
    """The text message of a notice: its title and where to read the rest, so that
    what the message says stays on the portal, behind the worker's sign-in."""
    return _("%(title)s. Details: sign in to the union's worker portal.") % {
        "title": notice.title.rstrip("。.")
    }


# --- What the portal reads and writes ----------------------------------------------------


def messages_of(account):
    """The signed-in worker's messages, newest first (nothing before binding)."""
    return mine(account, Message.objects.all()).order_by("-created_at", "-pk")


def unread_count(account) -> int:
    """How many of the worker's messages are unread (for the portal's home page)."""
    return mine(account, Message.objects.filter(read_at__isnull=True)).count()


def message_read(*, account, message: Message) -> Message:
    """Mark the worker's own message read (the first time it is opened)."""
    if message.read_at is None:
        message.read_at = timezone.now()
        mine(account, Message.objects.filter(pk=message.pk, read_at__isnull=True)).update(
            read_at=message.read_at
        )
    return message


def sms_preferences(person: Person) -> dict[str, bool]:
    """Whether the worker gets a text message, by kind of ``TEXTED_KINDS`` (yes unless off)."""
    saved = dict(
        SmsPreference.objects.filter(person=person, kind__in=TEXTED_KINDS).values_list(
            "kind", "send"
        )
    )
    return {kind: saved.get(kind, True) for kind in TEXTED_KINDS}


@transaction.atomic
def sms_preferences_save(*, person: Person, send: Iterable[str]) -> dict[str, bool]:
    """Save the worker's choice: a text message for the kinds in ``send``, none for
    the other ``TEXTED_KINDS``. Only the kinds whose choice changed are written."""
    send = set(send)
    unknown = send - set(TEXTED_KINDS)
    if unknown:
        raise ValueError(f"not a text-message kind: {sorted(unknown)}")
    current = sms_preferences(person)
    for kind in TEXTED_KINDS:
        wanted = kind in send
        if current[kind] != wanted:
            SmsPreference.objects.update_or_create(
                person=person, kind=kind, defaults={"send": wanted}
            )
    return sms_preferences(person)
