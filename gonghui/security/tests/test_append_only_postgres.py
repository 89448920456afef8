"""On PostgreSQL the triggers refuse any UPDATE or DELETE of the security log, the
seals and the change history; pruning deletes only rows past the retention, even
when the pruning switch is on. (SQLite has no triggers: the chains show changes.)"""

from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.orgs.services import organisation_create
from gonghui.security import chain
from gonghui.security.events import EventKind, security_event
from gonghui.security.models import AuditSeal, SecurityEvent

pytestmark = pytest.mark.postgres


@pytest.fixture
def on_postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only triggers exist on PostgreSQL only (DATABASE_URL=postgres://…)")


def refused(statement, params) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
    except DatabaseError as exc:
        return "append-only" in str(exc)
    return False


@pytest.fixture
def sealed_rows(on_postgres, county):
    event = security_event(kind=EventKind.SIGN_IN, by=county.admin)
    organisation_create(
        by=county.admin, name="新工会", kind="grassroots", parent=county.t1, code="PG1"
    )
    chain.seal_all()
    entry = LogEntry.objects.order_by("-pk").first()
    return event, entry, AuditSeal.objects.get(entry_id=entry.pk)


def test_a_plain_update_or_delete_of_an_event_is_refused(sealed_rows):
    event, _entry, _seal = sealed_rows
    sql = "UPDATE security_securityevent SET result = 'failed' WHERE id = %s"
    assert refused(sql, [event.pk])
    assert refused("DELETE FROM security_securityevent WHERE id = %s", [event.pk])
    assert refused("UPDATE security_securityevent SET seq = 99 WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.result == "ok"


def test_the_change_history_and_its_seals_cannot_be_changed_or_deleted(sealed_rows):
    _event, entry, seal = sealed_rows
    sql = "UPDATE auditlog_logentry SET object_repr = 'forged' WHERE id = %s"
    assert refused(sql, [entry.pk])
    assert refused("DELETE FROM auditlog_logentry WHERE id = %s", [entry.pk])
    assert refused("UPDATE security_auditseal SET hash = 'x' WHERE seq = %s", [seal.seq])
    assert refused("DELETE FROM security_auditseal WHERE seq = %s", [seal.seq])


def test_the_pruning_switch_does_not_let_a_young_row_go(sealed_rows):
    event, entry, _seal = sealed_rows
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL gonghui.prune = 'on'")
        assert refused("DELETE FROM security_securityevent WHERE id = %s", [event.pk])
        assert refused("DELETE FROM auditlog_logentry WHERE id = %s", [entry.pk])


def test_pruning_deletes_an_old_row_through_the_trigger(on_postgres):
    with time_machine.travel(timezone.now() - timedelta(days=200), tick=False):
        old = security_event(kind=EventKind.SIGN_IN, username="someone")
    chain.seal_all()

    pruned = chain.prune("security")

    assert pruned.rows == 1
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()


def test_deleting_an_account_empties_its_entries_actor_and_the_chain_still_holds(
    on_postgres, county
):
    from auditlog.context import set_actor

    leaving = User.objects.create_user(username="leaving", password="x")
    with set_actor(leaving):
        organisation_create(
            by=county.admin, name="又一工会", kind="grassroots", parent=county.t1, code="PG2"
        )
    chain.seal_all()
    entry = LogEntry.objects.get(actor=leaving)
    leaving_pk = leaving.pk

    leaving.delete()

    entry.refresh_from_db()
    assert entry.actor_id is None
    assert AuditSeal.objects.get(entry_id=entry.pk).actor_id == leaving_pk
    assert chain.verify("changes").broken is None
