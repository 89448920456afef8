"""The worker portal for the access sweep (``core/tests/test_access_sweep.py``): the
subtree's worker (``person``) holds a portal account, the persona of ``worker1`` (G1)
and ``worker2`` (G3); a second phone asks to be bound to the same file, a request
the worker's union answers in the console."""

from django.utils import timezone

from gonghui.core.crypto import encrypt
from gonghui.people.models import phone_hash
from gonghui.portal.models import (
    PHONE_CONTEXT,
    BindingReason,
    BindingRequest,
    CorrectionRequest,
    WorkerAccount,
)

ROUTES = {
    "bindings:confirm": {"pk": "binding_request"},
    "bindings:refuse": {"pk": "binding_request"},
    "corrections:answer": {"pk": "correction_request"},
}

PUBLIC = {
    "portal:sign-in": "the portal's sign-in page: a number asks for a code, nothing else",
    "portal:sign-in-code": "the portal's sign-in: a number and its code, nothing else",
    "portal:sign-out": "signing out ends only the caller's own portal session",
    "portal:language": "sets only the visitor's own language cookie, like set_language",
}

POST_DATA = {
    "bindings:refuse": {"comment": "不是本人"},
    "corrections:answer": {"answer": "已更正"},
    # A code that is no card's: the check answers "not a card" and names no one.
    "scan:check": {"token": "1.C20200000001:1abcde:forgedforgedforgedforg"},
}


def account(phone: str, person=None) -> WorkerAccount:
    return WorkerAccount.objects.create(
        phone_hash=phone_hash(phone),
        phone_encrypted=encrypt(phone, context=PHONE_CONTEXT),
        person=person,
        bound_at=timezone.now() if person else None,
    )


def build(subtree):
    person = subtree.records["person"]
    bound = account(person.plain_phone(), person)
    stranger = account(f"147{subtree.next_seq():08d}")
    request = BindingRequest.objects.create(
        account=stranger, person=person, reason=BindingReason.BOUND_ELSEWHERE
    )
    correction = CorrectionRequest.objects.create(
        person=person, text="电话号码有误", due_on=timezone.localdate()
    )
    return {"worker_account": bound, "binding_request": request, "correction_request": correction}


#: A worker's own portal pages answer the worker; the console answers a worker as it
#: answers a visitor (the generic rules: the sign-in page, everywhere).
ANSWERS = {
    ("portal:home", None, "worker1"): 200,
    ("portal:home", None, "worker2"): 200,
    ("portal:home", None, "chair1"): "login",
    ("portal:bind", None, "worker1"): 302,  # bound already: back home
    ("bindings:detail", "binding_request", "chair1"): 200,
    ("bindings:detail", "binding_request", "t1staff"): 200,
    ("bindings:detail", "binding_request", "leader"): 403,
    ("bindings:list", None, "worker1"): "login",
    # The card: a member's own, with a fresh code at every load; joining: the two
    # workers are members already, so the page says so (and a post changes nothing).
    ("membership:card", None, "worker1"): 200,
    ("membership:card", None, "worker2"): 200,
    ("membership:card", None, "chair1"): "login",
    ("membership:join", None, "worker1"): 200,
    ("membership:join", None, "worker2", "post"): 200,
    ("membership:join-done", None, "worker1"): "302 → /m/membership/join/",
    # The card check: whoever may read the members' files (people.view_person).
    ("scan:check", None, "chair1"): 200,
    ("scan:check", None, "t1staff"): 200,
    ("scan:check", None, "leader"): 200,
    ("scan:check", None, "chair1", "post"): 200,
    ("scan:check", None, "sysadmin"): 403,
    ("scan:check", None, "counsellor"): 403,
    ("scan:check", None, "worker1"): "login",
    # My data: the worker's own; the console's side answers those who see the file.
    ("portal:my-data", None, "worker1"): 200,
    ("portal:my-data", None, "worker2"): 200,
    ("portal:my-data", None, "chair1"): "login",
    ("corrections:detail", "correction_request", "chair1"): 200,
    ("corrections:detail", "correction_request", "leader"): 403,
    ("corrections:list", None, "worker1"): "login",
}
