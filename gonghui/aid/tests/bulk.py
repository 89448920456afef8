"""Applications waiting at one level, for the bulk-approval tests.

People registered at E1 without a union are kept by T1: their chain is
T1 → county. ``t1clerk`` enters them (so that the township's other staff may
approve them) and ``t1approver`` moves them up to the county.
"""

from __future__ import annotations

from gonghui.accounts.models import Role
from gonghui.aid import services
from gonghui.aid.models import AidApplication
from gonghui.conftest import make_user

from .conftest import register, relief_application


def t1_users(county):
    from gonghui.accounts.models import User

    clerk = User.objects.filter(username="t1clerk").first() or make_user(
        "t1clerk", county.t1, Role.STAFF
    )
    approver = User.objects.filter(username="t1approver").first() or make_user(
        "t1approver", county.t1, Role.STAFF
    )
    return clerk, approver


def at_township(county, aid, first: int, count: int, amount="1000.00") -> list[AidApplication]:
    """``count`` new people at E1, each with a submitted application waiting at T1."""
    clerk, _approver = t1_users(county)
    applications = []
    for seq in range(first, first + count):
        person = register(county, seq, f"工人{seq}", county.e1)
        applications.append(relief_application(county, aid, person=person, by=clerk, amount=amount))
    return applications


def at_county(county, aid, first: int, count: int, amount="1000.00") -> list[AidApplication]:
    """As ``at_township``, then approved at T1: waiting at the county."""
    _clerk, approver = t1_users(county)
    return [
        services.aid_application_approve(by=approver, application=application)
        for application in at_township(county, aid, first, count, amount)
    ]
