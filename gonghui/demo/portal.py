"""Portal accounts of the demo county: a few workers who sign into ``/m/`` with their
file's mobile number, and one number with no file yet, to try the binding."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from gonghui.core.crypto import encrypt
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person, phone_hash
from gonghui.portal.models import PHONE_CONTEXT, WorkerAccount

#: A number no demo file holds (the demo's numbers are drawn from other prefixes).
UNBOUND_PHONE = "19900000001"


@dataclass(frozen=True)
class PortalLogin:
    phone: str
    name: str  # "" for the account not bound to a file yet
    union: str  # "" for a worker who is not a member


def demo_portal_build(root: Organisation) -> list[PortalLogin]:
    """Two members and one non-member of the county, bound, and one unbound number."""
    people = Person.objects.in_subtree(root).exclude(phone_hash="").order_by("pk")
    chosen = list(people.filter(current_union__isnull=False).select_related("current_union")[:2])
    chosen += list(people.filter(current_union__isnull=True)[:1])
    logins = []
    now = timezone.now()
    for person in chosen:
        phone = person.plain_phone()
        _account(phone, person=person, now=now)
        union = person.current_union.name if person.current_union_id else ""
        logins.append(PortalLogin(phone, person.name, union))
    if not WorkerAccount.objects.filter(phone_hash=phone_hash(UNBOUND_PHONE)).exists():
        _account(UNBOUND_PHONE, person=None, now=now)
    logins.append(PortalLogin(UNBOUND_PHONE, "", ""))
    return logins


def _account(phone: str, *, person, now) -> WorkerAccount:
    account, _created = WorkerAccount.objects.update_or_create(
        phone_hash=phone_hash(phone),
        defaults={
            "phone_encrypted": encrypt(phone, context=PHONE_CONTEXT),
            "person": person,
            "bound_at": now if person else None,
        },
    )
    return account


def demo_portal_wipe() -> None:
    """The demo's unbound number; bound accounts lose their files with the people."""
    WorkerAccount.objects.filter(phone_hash=phone_hash(UNBOUND_PHONE)).delete()
