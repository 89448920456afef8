"""A process seals the security log at most every SECURITY_SEAL_EVERY_SECONDS: an event
committed sooner waits, unsealed, for a timer that seals everything waiting."""

from __future__ import annotations

import pytest

from gonghui.security import chain
from gonghui.security.events import EventKind, security_event
from gonghui.security.models import SecurityEvent


class Timers:
    """Stands in for threading.Timer: records each delay; ``fire()`` runs the timer's work."""

    def __init__(self):
        self.delays: list[float] = []

    def start(self, delay: float):
        self.delays.append(delay)
        return object()

    def fire(self) -> None:
        chain._sealed_by_timer()


@pytest.fixture
def timers(settings, monkeypatch):
    settings.SECURITY_SEAL_EVERY_SECONDS = 5
    clock = {"now": 1000.0}
    monkeypatch.setattr(chain.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(chain, "_last_sealed", float("-inf"))
    monkeypatch.setattr(chain, "_timer", None)
    fake = Timers()
    monkeypatch.setattr(chain, "_start_timer", fake.start)
    # The timer's work closes its thread's connections; here it runs in the test's.
    monkeypatch.setattr(chain.connections, "close_all", lambda: None)
    fake.clock = clock
    return fake


def commit_event(county, capture) -> SecurityEvent:
    with capture(execute=True):
        event = security_event(kind=EventKind.SIGN_IN, by=county.admin)
    event.refresh_from_db()
    return event


def test_the_first_commit_seals_and_the_next_ones_wait_for_the_timer(
    county, timers, django_capture_on_commit_callbacks
):
    first = commit_event(county, django_capture_on_commit_callbacks)
    assert first.seq is not None and timers.delays == []

    timers.clock["now"] += 1
    second = commit_event(county, django_capture_on_commit_callbacks)
    third = commit_event(county, django_capture_on_commit_callbacks)
    assert second.seq is None and third.seq is None
    assert timers.delays == [4.0]  # one timer, for the rest of the interval

    timers.fire()
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.seq, third.seq) == (first.seq + 1, first.seq + 2)
    assert third.prev_hash == second.hash and second.prev_hash == first.hash


def test_after_the_interval_a_commit_seals_at_once_again(
    county, timers, django_capture_on_commit_callbacks
):
    commit_event(county, django_capture_on_commit_callbacks)
    timers.clock["now"] += 5
    later = commit_event(county, django_capture_on_commit_callbacks)
    assert later.seq is not None and timers.delays == []


def test_without_an_interval_every_commit_seals(
    county, timers, settings, django_capture_on_commit_callbacks
):
    settings.SECURITY_SEAL_EVERY_SECONDS = 0
    events = [commit_event(county, django_capture_on_commit_callbacks) for _ in range(3)]
    assert all(e.seq is not None for e in events) and timers.delays == []
