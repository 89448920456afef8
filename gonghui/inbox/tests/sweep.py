"""The worker's messages for the access sweep (``core/tests/test_access_sweep.py``):
one message to each subtree's worker (``person``), whom the portal persona of the
subtree (``worker1`` for G1, ``worker2`` for G3) is bound to. Every other worker's
message is foreign to a worker: 404, as a message that does not exist."""

from gonghui.inbox.models import Message, MessageKind

ROUTES = {"inbox:detail": {"pk": "message"}}


def build(subtree):
    message = Message.objects.create(
        person=subtree.records["person"],
        kind=MessageKind.JOIN_APPROVED,
        title="Your application to join the union was approved",
        body="Welcome.",
    )
    return {"message": message}


#: A worker's messages answer the worker; the console's staff get the portal's
#: sign-in (they hold no portal session).
ANSWERS = {
    ("inbox:detail", "message", "worker1"): 200,
    ("inbox:detail", "message", "worker2"): 200,
    ("inbox:list", None, "worker1"): 200,
    ("inbox:settings", None, "worker1"): 200,
    ("inbox:list", None, "chair1"): "login",
    ("inbox:detail", "message", "chair1"): "login",
}
