"""``gonghui audit prune``: rows past the retention go from the oldest end of each
chain, a younger row never does (whatever age is asked for), and the chain still
verifies from its checkpoint."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from gonghui.security.events import EventKind, security_event
from gonghui.security.models import ChainHead, SecurityEvent


def written_days_ago(days: int, kind: str) -> SecurityEvent:
    with time_machine.travel(timezone.now() - timedelta(days=days), tick=False):
        return security_event(kind=kind, username="someone")


def prune(*args) -> str:
    out = StringIO()
    call_command("audit", "prune", *args, stdout=out)
    return out.getvalue()


def test_prune_deletes_only_rows_past_the_retention_and_the_chain_still_verifies(db):
    old_reveal = written_days_ago(1100, EventKind.REVEAL)
    reveal = written_days_ago(200, EventKind.REVEAL)
    old_sign_in = written_days_ago(200, EventKind.SIGN_IN)
    call_command("audit", "seal", stdout=StringIO())

    output = prune()

    remaining = set(SecurityEvent.objects.values_list("pk", flat=True))
    # Security events are kept 184 days, accesses to personal data 1096.
    assert old_sign_in.pk not in remaining and old_reveal.pk not in remaining
    assert remaining == {reveal.pk}
    assert "security: 1 rows older than" in output
    assert "access: 1 rows older than" in output
    head = ChainHead.objects.get(chain="security")
    assert head.pruned_seq == 1 and head.pruned_hash
    verified = StringIO()
    call_command("audit", "verify", stdout=verified)
    assert "security: 0 links verified" in verified.getvalue()
    assert "access: 1 links verified" in verified.getvalue()


def test_a_shorter_age_asked_for_never_deletes_younger_rows(db):
    kept = [written_days_ago(days, EventKind.SIGN_IN) for days in (180, 30, 0)]
    kept.append(written_days_ago(1000, EventKind.EXPORT))
    call_command("audit", "seal", stdout=StringIO())
    before = SecurityEvent.objects.count()

    prune("--older-than", "1")

    assert SecurityEvent.objects.count() == before
    assert all(SecurityEvent.objects.filter(pk=event.pk).exists() for event in kept)


def test_pruning_stops_at_the_first_row_too_young_to_go(db):
    # Sealed in this order: an old row after a young one stays, so that only
    # the oldest end of the chain is ever cut.
    first_old = written_days_ago(300, EventKind.SIGN_IN)
    call_command("audit", "seal", stdout=StringIO())
    young = written_days_ago(10, EventKind.SIGN_IN)
    call_command("audit", "seal", stdout=StringIO())
    late_old = written_days_ago(300, EventKind.SIGN_IN)
    call_command("audit", "seal", stdout=StringIO())

    prune()

    remaining = set(SecurityEvent.objects.values_list("pk", flat=True))
    assert young.pk in remaining and late_old.pk in remaining
    assert first_old.pk not in remaining


def test_a_negative_age_is_refused(db):
    with pytest.raises(CommandError, match="number of days"):
        prune("--older-than", "-5")
