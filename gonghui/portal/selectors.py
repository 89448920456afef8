"""What the portal's home reads about the worker: their open applications, in one
query however many kinds there are (every signed-in worker opens the home first)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db import connection

from gonghui.orgs.models import Organisation
from gonghui.people.models import JoinApplication
from gonghui.people.vocabularies import JoinStatus


@dataclass(frozen=True)
class OpenItem:
    kind: str  # "join", …
    deciding: str  # the organisation deciding it


def open_items(account) -> list[OpenItem]:
    """The applications of ``account``'s worker waiting for a decision, oldest first
    (the worker's own records: ``mine.py``'s rule, asked of the bound file).

    Written once by hand, like ``services.session_account``: the ORM would spend more
    time building the query than the database answering it (bench/portal_home.py)."""
    if account is None or account.person_id is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_open_items_sql(), [account.person_id, JoinStatus.PENDING])
        return [OpenItem(kind, deciding) for kind, deciding in cursor.fetchall()]


@functools.cache
def _open_items_sql() -> str:
    quote = connection.ops.quote_name
    join, organisation = (quote(m._meta.db_table) for m in (JoinApplication, Organisation))
    return (
        f"SELECT 'join', o.name FROM {join} j JOIN {organisation} o ON o.id = j.union_id "
        f"WHERE j.person_id = %s AND j.status = %s ORDER BY j.submitted_at, j.id"
    )
