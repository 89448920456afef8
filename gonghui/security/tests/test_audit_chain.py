"""``gonghui audit verify``: the chains hold, and a row altered behind the
application's back (raw SQL) is named by the verifier."""

from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection

from gonghui.orgs.services import organisation_create
from gonghui.security.events import EventKind, security_event
from gonghui.security.models import AuditSeal, SecurityEvent


def verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def raw(table: str, sql: str, params: list) -> None:
    """Run ``sql`` past the append-only trigger, as the tables' owner could (on
    SQLite there is no trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The test's open transaction has deferred key checks pending on the table.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


@pytest.fixture
def events(county, sealed):
    written = [
        security_event(kind=EventKind.SIGN_IN, by=county.admin),
        security_event(kind=EventKind.PERMISSION_DENIED, by=county.chair1, result="refused"),
        security_event(kind=EventKind.SIGN_OUT, by=county.admin),
    ]
    sealed()
    return written


def test_an_untouched_log_verifies(events):
    output = verify()

    # The personas' roles were given as the county was built: events too.
    links = SecurityEvent.objects.filter(chain="security").count()
    assert links >= 3
    assert f"security: {links} links verified, 0 rows waiting" in output


def test_an_event_altered_through_raw_sql_is_named(events):
    altered = events[1]
    raw(
        "security_securityevent",
        "UPDATE security_securityevent SET result = 'ok' WHERE id = %s",
        [altered.pk],
    )

    with pytest.raises(CommandError) as refused:
        verify()

    message = str(refused.value)
    assert "security_securityevent" in message
    assert f"row {altered.pk}," in message
    assert "changed after it was sealed" in message


def test_a_deleted_event_breaks_the_link_after_it(events):
    raw(
        "security_securityevent", "DELETE FROM security_securityevent WHERE id = %s", [events[1].pk]
    )

    with pytest.raises(CommandError) as refused:
        verify()

    assert f"row {events[2].pk}," in str(refused.value)
    assert "missing" in str(refused.value)


def test_the_newest_event_deleted_leaves_the_chain_shorter_than_its_head(events):
    raw(
        "security_securityevent", "DELETE FROM security_securityevent WHERE id = %s", [events[2].pk]
    )

    with pytest.raises(CommandError) as refused:
        verify()

    assert "the end of the chain" in str(refused.value)


def test_a_change_history_entry_is_sealed_and_an_altered_one_named(county, sealed):
    organisation_create(
        by=county.admin, name="新工会", kind="grassroots", parent=county.t1, code="NEW1"
    )
    sealed()
    entry = LogEntry.objects.order_by("-pk").first()
    assert AuditSeal.objects.filter(entry_id=entry.pk).exists()
    assert "0 rows waiting" in verify().split("changes:")[1]

    raw(
        "auditlog_logentry",
        "UPDATE auditlog_logentry SET object_repr = 'forged' WHERE id = %s",
        [entry.pk],
    )

    with pytest.raises(CommandError) as refused:
        verify()
    assert f"auditlog_logentry, row {entry.pk}," in str(refused.value)


def test_an_event_is_sealed_after_its_transaction_commits(
    county, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = security_event(kind=EventKind.SIGN_IN, by=county.admin)

    event.refresh_from_db()
    before = SecurityEvent.objects.get(chain=event.chain, seq=event.seq - 1)
    assert event.prev_hash == before.hash and len(event.hash) == 64
    assert not SecurityEvent.objects.filter(seq__isnull=True).exists()
