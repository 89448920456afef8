"""Every page of the outreach app × every persona → the expected answer.

Written out by hand from the roles (``outreach.apps``: county administrators,
staff and chairs record and handle; leaders only read) and the scope rule:
without the permission 403 whatever the record, outside the user's subtree
404, signed out → the sign-in page. Nothing is ever written by these requests
(an empty form comes back with its errors).

    d1, v1, w1, wf  by G1 (chair1's union, under T1)      d3, v3, w3  by T2
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from gonghui.accounts.models import Role
from gonghui.conftest import make_user
from gonghui.outreach.models import Delivery, DeliveryLine, Visit, Wish, WishStep

PERSONAS = ("superuser", "admin", "leader", "t1staff", "t2staff", "chair1", "chair2", "unplaced")
LOGIN = "login"

# fmt: off
#                                          super admin leader t1st t2st chair1 chair2 unplaced
MATRIX = {
    ("delivery-list", None, "get"):          (200, 200, 200,  200, 200, 200,  200,  200),
    ("delivery-summary", None, "get"):       (200, 200, 200,  200, 200, 200,  200,  200),
    ("delivery-create", None, "get"):        (200, 200, 403,  200, 200, 200,  200,  200),
    ("delivery-create", None, "post"):       (200, 200, 403,  200, 200, 200,  200,  200),
    ("delivery-detail", "d1", "get"):        (200, 200, 200,  200, 404, 200,  404,  404),
    ("delivery-detail", "d3", "get"):        (200, 200, 200,  404, 200, 404,  404,  404),
    ("delivery-update", "d1", "get"):        (200, 200, 403,  200, 404, 200,  404,  404),
    ("delivery-update", "d3", "get"):        (200, 200, 403,  404, 200, 404,  404,  404),
    ("delivery-update", "d3", "post"):       (200, 200, 403,  404, 200, 404,  404,  404),
    ("visit-list", None, "get"):             (200, 200, 200,  200, 200, 200,  200,  200),
    ("visit-create", None, "get"):           (200, 200, 403,  200, 200, 200,  200,  200),
    ("visit-create", None, "post"):          (200, 200, 403,  200, 200, 200,  200,  200),
    ("visit-detail", "v1", "get"):           (200, 200, 200,  200, 404, 200,  404,  404),
    ("visit-detail", "v3", "get"):           (200, 200, 200,  404, 200, 404,  404,  404),
    ("visit-update", "v1", "get"):           (200, 200, 403,  200, 404, 200,  404,  404),
    ("visit-update", "v3", "get"):           (200, 200, 403,  404, 200, 404,  404,  404),
    ("visit-update", "v3", "post"):          (200, 200, 403,  404, 200, 404,  404,  404),
    ("wish-list", None, "get"):              (200, 200, 200,  200, 200, 200,  200,  200),
    ("wish-create", None, "get"):            (200, 200, 403,  200, 200, 200,  200,  200),
    ("wish-create", None, "post"):           (200, 200, 403,  200, 200, 200,  200,  200),
    ("wish-detail", "w1", "get"):            (200, 200, 200,  200, 404, 200,  404,  404),
    ("wish-detail", "w3", "get"):            (200, 200, 200,  404, 200, 404,  404,  404),
    ("wish-update", "w1", "get"):            (200, 200, 403,  200, 404, 200,  404,  404),
    ("wish-update", "w3", "get"):            (200, 200, 403,  404, 200, 404,  404,  404),
    ("wish-update", "w3", "post"):           (200, 200, 403,  404, 200, 404,  404,  404),
    ("wish-claim", "w1", "get"):             (200, 200, 403,  200, 404, 200,  404,  404),
    ("wish-claim", "w3", "get"):             (200, 200, 403,  404, 200, 404,  404,  404),
    ("wish-claim", "w3", "post"):            (200, 200, 403,  404, 200, 404,  404,  404),
    ("wish-fulfil", "w3", "get"):            (200, 200, 403,  404, 200, 404,  404,  404),
    ("wish-fulfil", "w3", "post"):           (200, 200, 403,  404, 200, 404,  404,  404),
    ("wish-withdraw", "w3", "get"):          (200, 200, 403,  404, 200, 404,  404,  404),
    ("wish-withdraw", "w3", "post"):         (200, 200, 403,  404, 200, 404,  404,  404),
    ("wish-photo", "wf", "get"):             (200, 200, 200,  200, 404, 200,  404,  404),
    # A wish without a photo has nothing to serve.
    ("wish-photo", "w1", "get"):             (404, 404, 404,  404, 404, 404,  404,  404),
    ("ledger", None, "get"):                 (200, 200, 200,  200, 200, 200,  200,  200),
}
# fmt: on

CASES = [
    pytest.param(
        url_name, target, method, persona, expected, id=f"{url_name}-{target}-{method}-{persona}"
    )
    for (url_name, target, method), row in MATRIX.items()
    for persona, expected in [
        *zip(PERSONAS, row, strict=True),
        ("outsider", 403),
        ("anonymous", LOGIN),
    ]
]


def test_the_matrix_covers_every_page_of_the_outreach_app():
    names = {
        name
        for name, _value in get_resolver().namespace_dict["outreach"][1].reverse_dict.items()
        if isinstance(name, str)
    }

    assert names == {url_name for url_name, _target, _method in MATRIX}


@pytest.fixture
def unplaced(db):
    return make_user("unplaced", None, Role.STAFF)


def database_state() -> list:
    return [
        list(model.objects.order_by("pk").values())
        for model in (Delivery, DeliveryLine, Visit, Wish, WishStep)
    ]


@pytest.mark.parametrize(("url_name", "target", "method", "persona", "expected"), CASES)
def test_access(
    county, outreach, unplaced, client, client_for, url_name, target, method, persona, expected
):
    record = getattr(outreach, target) if target else None
    url = reverse(f"outreach:{url_name}", args=[record.pk] if record else [])
    if persona != "anonymous":
        user = unplaced if persona == "unplaced" else getattr(county, persona)
        client = client_for(user)

    before = database_state()
    response = getattr(client, method)(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    else:
        assert response.status_code == expected
    assert database_state() == before
