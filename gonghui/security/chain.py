"""The hash chains over the security event log and the change history.

Each link's ``hash`` is ``sha256(prev_hash + "\\n" + canonical row)``, the canonical
row being its columns as sorted, compact JSON (times in UTC to the microsecond).
Changing, removing or inserting a sealed row breaks the chain at that row or at
the next one; removing the newest rows leaves the chain shorter than its head.

Rows are sealed after the transaction that wrote them commits (at most every
``SECURITY_SEAL_EVERY_SECONDS`` per process, see ``seal_soon``), not inside it:
sealing takes the chain's head row lock, and a transaction holding it while it
goes on locking other rows (an aid approval locking its fund) could deadlock
with one that holds those rows and waits to seal. The row itself is written in
the caller's transaction, so it stands or falls with the action it records.
Rows left unsealed by a process that died between commit and sealing are sealed
by the next sealing of their chain (``gonghui audit seal``, which the pruning job
runs first).

The chains are pruned from their oldest end only (``prune``): the last pruned
link's hash stays on the head as the checkpoint the verifier starts from.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from auditlog.models import LogEntry
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext

from .models import AuditSeal, Chain, ChainHead, SecurityEvent

#: The least time rows are kept, in days, per chain. Security logs: six months
#: (网络安全法 第二十一条), 184 days being the longest six calendar months.
#: Accesses to personal data and the change history of records: three years (个人
#: 信息保护法 第五十五、五十六条 practice for processing records; 等保 2.0 audit).
#: The PostgreSQL trigger (migration 0002) enforces the same numbers.
KEEP_DAYS = {Chain.SECURITY: 184, Chain.ACCESS: 1096, Chain.CHANGES: 1096}
logger = logging.getLogger(__name__)

#: Rows sealed or verified per query.
BATCH = 2000


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat(timespec="microseconds")


def _digest(prev_hash: str, fields: dict) -> str:
    canonical = json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def event_fields(event: SecurityEvent) -> dict:
    """The columns of an event that its link covers."""
    return {
        "id": event.pk,
        "chain": event.chain,
        "seq": event.seq,
        "at": _time(event.at),
        "kind": event.kind,
        "result": event.result,
        "account": event.account_id,
        "username": event.username,
        "roles": event.roles,
        "organisation": event.organisation_id,
        "organisation_name": event.organisation_name,
        "ip_address": event.ip_address,
        "request_id": event.request_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "detail": event.detail,
    }


def entry_fields(entry: LogEntry, seal: AuditSeal) -> dict:
    """The columns of a change-history entry that its seal covers; the actor is the
    seal's copy (an account's deletion may empty the entry's own)."""
    return {
        "id": entry.pk,
        "seq": seal.seq,
        "actor": seal.actor_id,
        "at": _time(entry.timestamp),
        "content_type": entry.content_type_id,
        "object_pk": entry.object_pk,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "serialized_data": entry.serialized_data,
        "action": entry.action,
        "changes_text": entry.changes_text,
        "changes": entry.changes,
        "cid": entry.cid,
        "remote_addr": entry.remote_addr,
        "remote_port": entry.remote_port,
        "additional_data": entry.additional_data,
        "actor_email": getattr(entry, "actor_email", None),
    }


def _head(chain: str) -> ChainHead:
    """The chain's head, locked until the transaction ends (SQLite serialises writers)."""
    try:
        return ChainHead.objects.select_for_update().get(chain=chain)
    except ChainHead.DoesNotExist:
        ChainHead.objects.get_or_create(chain=chain)
        return ChainHead.objects.select_for_update().get(chain=chain)


def _save_head(head: ChainHead) -> None:
    ChainHead.objects.filter(pk=head.pk).update(last_seq=head.last_seq, last_hash=head.last_hash)


# --- sealing ---------------------------------------------------------------------------


def seal_events(chain: str) -> int:
    """Seal the events of ``chain`` still waiting, oldest first; returns how many."""
    sealed = 0
    while True:
        with transaction.atomic():
            head = _head(chain)
            waiting = list(
                SecurityEvent.objects.filter(chain=chain, seq__isnull=True).order_by("pk")[:BATCH]
            )
            for event in waiting:
                event.seq = head.last_seq + 1
                event.prev_hash = head.last_hash
                event.hash = _digest(event.prev_hash, event_fields(event))
                head.last_seq, head.last_hash = event.seq, event.hash
            # One plain UPDATE per row: the ORM's bulk_update builds a CASE per column,
            # which cost more than the rest of a sealing when, as after each commit,
            # one or two rows wait (docs/benchmarks.md, the card check).
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {SecurityEvent._meta.db_table} SET seq = %s, prev_hash = %s, "
                    "hash = %s WHERE id = %s",
                    [(e.seq, e.prev_hash, e.hash, e.pk) for e in waiting],
                )
            _save_head(head)
        sealed += len(waiting)
        if len(waiting) < BATCH:
            return sealed


def seal_entries(entry_ids=None) -> int:
    """Seal change-history entries into the ``changes`` chain: those of
    ``entry_ids`` that exist and are unsealed, or (None) every unsealed one."""
    sealed = 0
    unsealed = LogEntry.objects.filter(~Exists(AuditSeal.objects.filter(entry_id=OuterRef("pk"))))
    if entry_ids is not None:
        unsealed = unsealed.filter(pk__in=list(entry_ids))
    while True:
        with transaction.atomic():
            head = _head(Chain.CHANGES)
            entries = list(unsealed.order_by("pk")[:BATCH])
            seals = []
            for entry in entries:
                seal = AuditSeal(
                    seq=head.last_seq + 1,
                    entry_id=entry.pk,
                    actor_id=entry.actor_id,
                    at=entry.timestamp,
                    prev_hash=head.last_hash,
                )
                seal.hash = _digest(seal.prev_hash, entry_fields(entry, seal))
                head.last_seq, head.last_hash = seal.seq, seal.hash
                seals.append(seal)
            AuditSeal.objects.bulk_create(seals)
            _save_head(head)
        sealed += len(entries)
        if len(entries) < BATCH:
            return sealed


#: What this process's transactions wrote and nobody has sealed yet: the chains with
#: new events, the ids of new change-history entries. Shared by the threads of the
#: process, as the timer below seals from its own.
_pending_chains: set[str] = set()
_pending_entries: set[int] = set()
_pending_lock = threading.Lock()
#: When this process last sealed (``time.monotonic()``), and the timer that will
#: seal what a busy moment left waiting.
_last_sealed = float("-inf")
_timer: threading.Timer | None = None


def event_written(chain: str) -> None:
    # Counted as pending once committed: a sealing by another thread before then
    # would not see the row, and must not take its chain off the list.
    # robust: a sealing that fails (a lock timeout) is logged, not turned into an
    # error of the action that already committed; its rows wait for the next one.
    transaction.on_commit(partial(_committed, chain=chain), robust=True)


def entry_written(entry_id: int) -> None:
    transaction.on_commit(partial(_committed, entry_id=entry_id), robust=True)


def _committed(chain: str | None = None, entry_id: int | None = None) -> None:
    with _pending_lock:
        if chain is not None:
            _pending_chains.add(chain)
        if entry_id is not None:
            _pending_entries.add(entry_id)
    seal_soon()


def seal_soon() -> None:
    """Seal what committed transactions wrote.

    Sealing is a second write transaction after the action's own, taking the
    chain's head and, on SQLite, the database's one write lock again. A process
    seals at most once every ``SECURITY_SEAL_EVERY_SECONDS``: what is written in
    between waits, written but unsealed, for a timer that seals it all at once at
    the end of that time, so a desk checking card after card seals a few times a
    second instead of after every card. 0 seals after every commit (the tests,
    which read the chain right after an action).
    """
    global _last_sealed, _timer
    interval = settings.SECURITY_SEAL_EVERY_SECONDS
    if interval > 0:
        now = time.monotonic()
        with _pending_lock:
            if now - _last_sealed < interval:
                if _timer is None:
                    _timer = _start_timer(interval - (now - _last_sealed))
                return
            _last_sealed = now
    seal_pending()


def _start_timer(delay: float) -> threading.Timer:
    timer = threading.Timer(delay, _sealed_by_timer)
    timer.daemon = True  # a process that stops leaves the rows to the next sealing
    timer.start()
    return timer


def _sealed_by_timer() -> None:
    global _last_sealed, _timer
    with _pending_lock:
        _timer = None
        _last_sealed = time.monotonic()
    try:
        seal_pending()
    except Exception:
        # The rows stay unsealed for the next sealing (``seal_pending`` or ``audit seal``).
        logger.exception("sealing the security log failed")
    finally:
        connections.close_all()  # this thread's own connections


def seal_pending() -> None:
    """Seal every chain and entry this process wrote and has not sealed yet."""
    with _pending_lock:
        chains = sorted(_pending_chains)
        entries = list(_pending_entries)
        _pending_chains.clear()
        _pending_entries.clear()
    for chain in chains:
        seal_events(chain)
    if entries:
        seal_entries(entries)


def seal_all() -> dict[str, int]:
    """Seal every waiting row of every chain (``gonghui audit seal``)."""
    return {
        Chain.SECURITY: seal_events(Chain.SECURITY),
        Chain.ACCESS: seal_events(Chain.ACCESS),
        Chain.CHANGES: seal_entries(),
    }


# --- verifying -------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first link of a chain that does not hold."""

    chain: str
    table: str
    row_id: int | None
    at: datetime | None
    reason: str


@dataclass(frozen=True)
class Verification:
    chain: str
    verified: int
    waiting: int
    head_hash: str
    broken: Break | None = None


def _links(chain: str) -> Iterator[tuple[str, int | None, datetime | None, int, str, str, str]]:
    """(table, row id, time, seq, stored prev_hash, stored hash, recomputed digest)
    of each sealed row of ``chain`` in chain order; a seal whose entry is gone
    yields an empty digest."""
    after = -1
    if chain == Chain.CHANGES:
        table = LogEntry._meta.db_table
        while True:
            seals = list(AuditSeal.objects.filter(seq__gt=after).order_by("seq")[:BATCH])
            if not seals:
                return
            entries = LogEntry.objects.in_bulk([seal.entry_id for seal in seals])
            for seal in seals:
                entry = entries.get(seal.entry_id)
                digest = _digest(seal.prev_hash, entry_fields(entry, seal)) if entry else ""
                yield (table, seal.entry_id, seal.at, seal.seq, seal.prev_hash, seal.hash, digest)
            after = seals[-1].seq
    table = SecurityEvent._meta.db_table
    while True:
        events = list(
            SecurityEvent.objects.filter(chain=chain, seq__gt=after).order_by("seq")[:BATCH]
        )
        if not events:
            return
        for event in events:
            digest = _digest(event.prev_hash, event_fields(event))
            yield (table, event.pk, event.at, event.seq, event.prev_hash, event.hash, digest)
        after = events[-1].seq


def verify(chain: str) -> Verification:
    """Walk ``chain`` from its checkpoint to its head; the first broken link, if any."""
    head = ChainHead.objects.filter(chain=chain).first() or ChainHead(chain=chain)
    expected_seq, running, verified = head.pruned_seq + 1, head.pruned_hash, 0
    if chain == Chain.CHANGES:
        waiting = LogEntry.objects.filter(
            ~Exists(AuditSeal.objects.filter(entry_id=OuterRef("pk")))
        ).count()
    else:
        waiting = SecurityEvent.objects.filter(chain=chain, seq__isnull=True).count()

    def broken(table, row_id, at, reason) -> Verification:
        return Verification(
            chain, verified, waiting, head.last_hash, Break(chain, table, row_id, at, reason)
        )

    for table, row_id, at, seq, prev_hash, stored, digest in _links(chain):
        if seq != expected_seq:
            return broken(
                table,
                row_id,
                at,
                gettext("links %(first)d–%(last)d are missing before it")
                % {"first": expected_seq, "last": seq - 1},
            )
        if prev_hash != running:
            return broken(table, row_id, at, gettext("it does not follow the link before it"))
        if not digest:
            return broken(table, row_id, at, gettext("the sealed row is gone"))
        if digest != stored:
            return broken(table, row_id, at, gettext("the row was changed after it was sealed"))
        running, expected_seq, verified = stored, seq + 1, verified + 1
    if expected_seq - 1 != head.last_seq or running != head.last_hash:
        return broken(
            "",
            None,
            None,
            gettext("the chain ends at link %(end)d but its head is at %(head)d")
            % {"end": expected_seq - 1, "head": head.last_seq},
        )
    return Verification(chain, verified, waiting, head.last_hash)


# --- pruning ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pruned:
    chain: str
    rows: int
    cutoff: datetime


def _allow_pruning() -> None:
    """Let this transaction delete rows the PostgreSQL trigger deems old enough."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL gonghui.prune = 'on'")


def prune(chain: str, *, older_than_days: int | None = None, now: datetime | None = None) -> Pruned:
    """Delete the oldest links of ``chain`` whose rows are all older than
    ``older_than_days`` (never fewer days than ``KEEP_DAYS``), keeping the chain
    verifiable from a checkpoint. Stops at the first row still too young, so only
    the oldest end is ever cut."""
    days = max(older_than_days or 0, KEEP_DAYS[chain])
    cutoff = (now or timezone.now()) - timedelta(days=days)
    if chain == Chain.CHANGES:
        rows = AuditSeal.objects.all()
    else:
        rows = SecurityEvent.objects.filter(chain=chain, seq__isnull=False)
    with transaction.atomic():
        head = _head(chain)
        young = rows.filter(at__gte=cutoff).order_by("seq").values_list("seq", flat=True).first()
        last = head.last_seq if young is None else young - 1
        if last <= head.pruned_seq:
            return Pruned(chain, 0, cutoff)
        doomed = rows.filter(seq__gt=head.pruned_seq, seq__lte=last)
        checkpoint = doomed.get(seq=last).hash
        _allow_pruning()
        if chain == Chain.CHANGES:
            entry_ids = list(doomed.values_list("entry_id", flat=True))
            count = doomed._raw_delete(doomed.db)
            LogEntry.objects.filter(pk__in=entry_ids)._raw_delete(LogEntry.objects.db)
        else:
            count = doomed._raw_delete(doomed.db)
        head.pruned_seq, head.pruned_hash, head.pruned_at = last, checkpoint, timezone.now()
        head.save(update_fields=["pruned_seq", "pruned_hash", "pruned_at"])
    return Pruned(chain, count, cutoff)
