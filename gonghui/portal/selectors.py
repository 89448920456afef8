"""What the portal's home reads about the worker: their open applications and their
unread messages, in one query however many kinds there are (every signed-in worker
opens the home first)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.db import connection

from gonghui.inbox.models import Message
from gonghui.orgs.models import Organisation
from gonghui.people.models import (
    JoinApplication,
    Membership,
    MembershipRequest,
    MembershipRequestStatus,
)
from gonghui.people.vocabularies import JoinStatus


@dataclass(frozen=True)
class OpenItem:
    kind: str  # "join", "transfer", "leave"
    deciding: str  # the organisation deciding it
    pk: int | None = None  # the request's, where the worker can open it


@dataclass(frozen=True)
class HomeFacts:
    open_items: list[OpenItem] = field(default_factory=list)
    unread: int = 0


def home_facts(account) -> HomeFacts:
    """The applications of ``account``'s worker waiting for a decision, and how many of
    their messages are unread (the worker's own records: ``mine.py``'s rule, asked of
    the bound file).

    Written once by hand, like ``services.session_account``: the ORM would spend more
    time building the queries than the database answering them (bench/portal_home.py)."""
    if account is None or account.person_id is None:
        return HomeFacts()
    person = account.person_id
    with connection.cursor() as cursor:
        cursor.execute(
            _home_sql(),
            [person, JoinStatus.PENDING, person, MembershipRequestStatus.REQUESTED, person],
        )
        rows = cursor.fetchall()
    items = [
        OpenItem(kind, label, number or None) for kind, label, number in rows if kind != "unread"
    ]
    unread = next(number for kind, _label, number in rows if kind == "unread")
    return HomeFacts(items, unread)


@functools.cache
def _home_sql() -> str:
    quote = connection.ops.quote_name
    join, organisation, message, request, membership = (
        quote(m._meta.db_table)
        for m in (JoinApplication, Organisation, Message, MembershipRequest, Membership)
    )
    return (
        f"SELECT 'join', o.name, 0 FROM {join} j JOIN {organisation} o ON o.id = j.union_id "
        f"WHERE j.person_id = %s AND j.status = %s "
        # A transfer or leaving asked for: the union of the membership it ends answers.
        f"UNION ALL SELECT r.kind, o.name, r.id FROM {request} r "
        f"JOIN {membership} ms ON ms.id = r.membership_id "
        f"JOIN {organisation} o ON o.id = ms.union_id "
        f"WHERE r.person_id = %s AND r.status = %s "
        f"UNION ALL SELECT 'unread', '', COUNT(*) FROM {message} m "
        f"WHERE m.person_id = %s AND m.read_at IS NULL"
    )
