"""The security log for the access sweep (``core/tests/test_access_sweep.py``): a
reveal of the subtree's worker, whose name the event carries, so that the log and
its export must not show it to anyone outside the subtree. The console's routes
name no record: every persona is asked for them by the generic rules."""

ROUTES: dict = {}


def build(subtree):
    from gonghui.security.events import EventKind, security_event

    person = subtree.records.get("person")
    if person is not None:
        security_event(kind=EventKind.REVEAL, by=subtree.admin, obj=person)
    return {}
