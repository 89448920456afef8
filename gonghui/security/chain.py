"""The hash chains over the security event log and the change history.

Each link's ``hash`` is ``sha256(prev_hash + "\\n" + canonical row)``, the canonical
row being its columns as sorted, compact JSON (times in UTC to the microsecond).
Changing, removing or inserting a sealed row breaks the chain at that row or at
the next one; removing the newest rows leaves the chain shorter than its head.

Rows are sealed right after the transaction that wrote them commits, not inside
it: sealing takes the chain's head row lock, and a transaction holding it while
it goes on locking other rows (an aid approval locking its fund) could deadlock
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
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from auditlog.models import LogEntry
from django.db import connection, transaction
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


#: What the current thread's transactions wrote, sealed after they commit: the
#: chains with new events, the ids of new change-history entries.
_pending = threading.local()


def _pending_sets() -> tuple[set[str], set[int]]:
    if not hasattr(_pending, "chains"):
        _pending.chains, _pending.entries = set(), set()
    return _pending.chains, _pending.entries


def event_written(chain: str) -> None:
    _pending_sets()[0].add(chain)
    # robust: a sealing that fails (a lock timeout) is logged, not turned into an
    # error of the action that already committed; its rows wait for the next one.
    transaction.on_commit(seal_soon, robust=True)


def entry_written(entry_id: int) -> None:
    _pending_sets()[1].add(entry_id)
    transaction.on_commit(seal_soon, robust=True)


def seal_soon() -> None:
    """Seal what the committed transaction wrote (``transaction.on_commit``); free
    when an earlier callback of the same commit already did."""
    chains, entries = _pending_sets()
    for chain in sorted(chains):
        chains.discard(chain)
        seal_events(chain)
    if entries:
        ids = list(entries)
        entries.clear()
        seal_entries(ids)


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
