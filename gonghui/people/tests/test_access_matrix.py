"""Every page of the people app × every persona → the expected answer.

Written out by hand from the roles (``people.apps``: chairs may not reveal,
only county administrators read the reveal log, leaders only read) and the
scope rule: without the permission 403 whatever the record, outside the
user's subtree 404, signed out → the sign-in page.

    p1  at E1, member of G1      p3  at E3 (township T2), not a member
    a4  pending application of p4 (at E1), routed to G1
    ft  T1's request for p3's file (kept by T2), to move to E1
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from gonghui.accounts.models import Role
from gonghui.conftest import make_user
from gonghui.people import services

PERSONAS = ("superuser", "admin", "leader", "t1staff", "t2staff", "chair1", "chair2", "unplaced")
LOGIN = "login"
BACK = "back"  # 302 to the person's file: the page does not apply (not a member)

# fmt: off
#                                             super admin leader t1st t2st chair1 chair2 unplaced
MATRIX = {
    ("person-list", None, "get"):               (200, 200, 200,  200, 200, 200,  200,  200),
    ("union-suggestions", None, "get"):         (200, 200, 200,  200, 200, 200,  200,  200),
    ("person-create", None, "get"):             (200, 200, 403,  200, 200, 200,  200,  200),
    ("person-detail", "p1", "get"):             (200, 200, 200,  200, 404, 200,  404,  404),
    ("person-detail", "p3", "get"):             (200, 200, 200,  404, 200, 404,  404,  404),
    ("person-update", "p1", "get"):             (200, 200, 403,  200, 404, 200,  404,  404),
    ("person-update", "p3", "get"):             (200, 200, 403,  404, 200, 404,  404,  404),
    ("person-reveal", "p1", "post"):            (200, 200, 403,  200, 404, 403,  403,  404),
    ("person-reveal", "p3", "post"):            (200, 200, 403,  404, 200, 403,  403,  404),
    ("person-reveal", "p1", "get"):             (405, 405, 403,  405, 405, 403,  403,  405),
    ("membership-transfer", "p1", "get"):       (200, 200, 403,  200, 404, 200,  404,  404),
    ("membership-transfer", "p3", "get"):       (BACK, BACK, 403, 404, BACK, 404, 404,  404),
    ("membership-leave", "p1", "get"):          (200, 200, 403,  200, 404, 200,  404,  404),
    ("membership-leave", "p3", "get"):          (BACK, BACK, 403, 404, BACK, 404, 404,  404),
    ("person-join", "p3", "get"):               (200, 200, 403,  404, 200, 404,  404,  404),
    ("person-join", "p1", "get"):               (200, 200, 403,  200, 404, 200,  404,  404),
    ("application-list", None, "get"):          (200, 200, 200,  200, 200, 200,  200,  200),
    ("application-create", None, "get"):        (200, 200, 403,  200, 200, 200,  200,  200),
    ("application-detail", "a4", "get"):        (200, 200, 200,  200, 404, 200,  404,  404),
    ("application-approve", "a4", "get"):       (200, 200, 403,  200, 404, 200,  404,  404),
    ("application-reject", "a4", "get"):        (200, 200, 403,  200, 404, 200,  404,  404),
    ("reveal-log", None, "get"):                (200, 200, 403,  403, 403, 403,  403,  403),
    ("file-transfer-list", None, "get"):        (200, 200, 200,  200, 200, 200,  200,  200),
    ("file-transfer-requested", None, "get"):   (200, 200, 200,  200, 200, 200,  200,  200),
    ("file-transfer-detail", "ft", "get"):      (200, 200, 200,  200, 200, 404,  404,  404),
    ("file-transfer-confirm", "ft", "get"):     (200, 200, 403,  404, 200, 404,  404,  404),
    ("file-transfer-decline", "ft", "get"):     (200, 200, 403,  404, 200, 404,  404,  404),
    ("file-transfer-withdraw", "ft", "get"):    (200, 200, 403,  200, 404, 404,  404,  404),
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


def test_the_matrix_covers_every_page_of_the_people_app():
    names = {
        name
        for name, _value in get_resolver().namespace_dict["people"][1].reverse_dict.items()
        if isinstance(name, str)
    }

    assert names == {url_name for url_name, _target, _method in MATRIX}


@pytest.fixture
def unplaced(db):
    return make_user("unplaced", None, Role.STAFF)


def url_for(url_name, record):
    if record is None:
        return reverse(f"people:{url_name}")
    if url_name == "person-reveal":
        return reverse(f"people:{url_name}", args=[record.pk, "id_number"])
    return reverse(f"people:{url_name}", args=[record.pk])


@pytest.mark.parametrize(("url_name", "target", "method", "persona", "expected"), CASES)
def test_access(
    people, county, unplaced, client, client_for, url_name, target, method, persona, expected
):
    if target == "ft":
        record = services.file_transfer_request(
            by=county.t1staff, id_number=people.p3.plain_id_number(), employer=county.e1
        )
    else:
        record = getattr(people, target) if target else None
    url = url_for(url_name, record)
    if persona != "anonymous":
        user = unplaced if persona == "unplaced" else getattr(county, persona)
        client = client_for(user)

    response = getattr(client, method)(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    elif expected == BACK:
        assert response.status_code == 302
        assert response["Location"] == record.get_absolute_url()
    else:
        assert response.status_code == expected
