"""Every page of the orgs app × every persona → the expected answer.

The table is written out by hand from the roles (``accounts.roles``) and the
scope rule: view pages need ``view_*``, edit pages ``change_*``/``add_*``,
the move page ``move_organisation``, delete ``delete_*``; a signed-out visitor
is sent to sign in, a user without the permission gets 403 whatever the
record, and a record outside the user's subtree is 404.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from gonghui.accounts.models import Role
from gonghui.conftest import make_user
from gonghui.orgs.models import Employer, Organisation

#: The columns of the table below.
PERSONAS = (
    "superuser",
    "admin",
    "leader",
    "t1staff",
    "t2staff",
    "chair1",
    "chair2",
    "unplaced",  # holds the staff role but belongs to no organisation yet
)

LOGIN = "login"  # 302 to the sign-in page
BACK = "back"  # 302 to the record's own page: the service refused and said why
LIST = "list"  # 302 to the list: done

# fmt: off
#                                          super admin leader t1st  t2st  chair1 chair2 unplaced
MATRIX = {
    ("organisation-list", None, "get"):    (200,  200,  200,   200,  200,  200,   200,   200),
    ("organisation-create", None, "get"):  (200,  200,  403,   200,  200,  403,   403,   200),
    ("organisation-detail", "t1", "get"):  (200,  200,  200,   200,  404,  404,   404,   404),
    ("organisation-detail", "g2", "get"):  (200,  200,  200,   200,  404,  404,   200,   404),
    ("organisation-update", "t1", "get"):  (200,  200,  403,   200,  404,  404,   404,   404),
    ("organisation-update", "g2", "get"):  (200,  200,  403,   200,  404,  404,   200,   404),
    ("organisation-move", "t1", "get"):    (200,  200,  403,   200,  404,  403,   403,   404),
    ("organisation-move", "g2", "get"):    (200,  200,  403,   200,  404,  403,   403,   404),
    # An empty form posted: where the form may be used it comes back with its errors.
    ("organisation-create", None, "post"): (200,  200,  403,   200,  200,  403,   403,   200),
    ("organisation-update", "g2", "post"): (200,  200,  403,   200,  404,  404,   200,   404),
    ("organisation-move", "g2", "post"):   (200,  200,  403,   200,  404,  403,   403,   404),
    # T1 has units under it and G2 covers an employer: refused; J1 is empty and goes.
    # Nobody may delete the organisation they belong to (t1staff and T1).
    ("organisation-delete", "t1", "post"): (BACK, BACK, 403,   403,  404,  403,   403,   404),
    ("organisation-delete", "g2", "post"): (BACK, BACK, 403,   BACK, 404,  403,   403,   404),
    ("organisation-delete", "j1", "post"): (LIST, LIST, 403,   LIST, 404,  403,   403,   404),
    ("organisation-delete", "j1", "get"):  (405,  405,  403,   405,  405,  403,   403,   405),
    ("employer-list", None, "get"):        (200,  200,  200,   200,  200,  200,   200,   200),
    ("employer-create", None, "get"):      (200,  200,  403,   200,  200,  200,   200,   200),
    ("employer-detail", "e1", "get"):      (200,  200,  200,   200,  404,  200,   404,   404),
    ("employer-detail", "e3", "get"):      (200,  200,  200,   404,  200,  404,   404,   404),
    ("employer-update", "e1", "get"):      (200,  200,  403,   200,  404,  200,   404,   404),
    ("employer-update", "e3", "get"):      (200,  200,  403,   404,  200,  404,   404,   404),
    ("employer-create", None, "post"):     (200,  200,  403,   200,  200,  200,   200,   200),
    ("employer-update", "e1", "post"):     (200,  200,  403,   200,  404,  200,   404,   404),
    ("employer-delete", "e1", "post"):     (LIST, LIST, 403,   LIST, 404,  403,   403,   404),
    ("employer-delete", "e3", "post"):     (LIST, LIST, 403,   404,  LIST, 403,   403,   404),
    ("employer-delete", "e1", "get"):      (405,  405,  403,   405,  405,  403,   403,   405),
}
# fmt: on

# Two more columns are the same on every line: the outsider (signed in, no role,
# no organisation) is refused everything, and a signed-out visitor is sent to sign in.
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


def database_state() -> tuple[list, list]:
    return (
        list(Organisation.objects.order_by("pk").values()),
        list(Employer.objects.order_by("pk").values()),
    )


def test_the_matrix_covers_every_page_of_the_orgs_app():
    names = {
        name
        for name, _value in get_resolver().namespace_dict["orgs"][1].reverse_dict.items()
        if isinstance(name, str)
    }

    assert names == {url_name for url_name, _target, _method in MATRIX}


@pytest.fixture
def unplaced(db):
    return make_user("unplaced", None, Role.STAFF)


@pytest.mark.parametrize(("url_name", "target", "method", "persona", "expected"), CASES)
def test_access(county, unplaced, client, client_for, url_name, target, method, persona, expected):
    record = getattr(county, target) if target else None
    url = reverse(f"orgs:{url_name}", args=[record.pk] if record else [])
    if persona != "anonymous":
        user = unplaced if persona == "unplaced" else getattr(county, persona)
        client = client_for(user)

    before = database_state()
    response = getattr(client, method)(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    elif expected == BACK:
        assert response.status_code == 302
        assert response["Location"] == record.get_absolute_url()
        assert type(record).objects.filter(pk=record.pk).exists()
    elif expected == LIST:
        assert response.status_code == 302
        assert response["Location"] == reverse(f"orgs:{url_name.split('-')[0]}-list")
        assert not type(record).objects.filter(pk=record.pk).exists()
    else:
        assert response.status_code == expected
    if expected != LIST:
        assert database_state() == before
