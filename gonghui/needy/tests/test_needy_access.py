"""Every page of the needy app × every persona → the expected answer.

From the roles (``needy.apps``: chairs enter files and record visits, staff
establish, review and exit, leaders only read) and the scope rule: without
the permission 403 whatever the file, outside the user's subtree 404.

    f1  file of w1 (E1 in township T1, member of G1), kept by T1
    f3  file of w3 (E3 in township T2), kept by T2
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from gonghui.needy import services

from .conftest import TODAY, open_file, to_notice

PERSONAS = ("superuser", "admin", "leader", "t1staff", "t2staff", "chair1", "chair2", "outsider")

# fmt: off
#                                       super admin leader t1st t2st chair1 chair2 outsider
FILE_ROUTES = {
    "file-detail":                      (200, 200, 200,  200, 404, 200,  404,  403),
    "file-update":                      (200, 200, 403,  200, 404, 200,  404,  403),
    "file-visit":                       (200, 200, 403,  200, 404, 200,  404,  403),
    "file-check-income":                (200, 200, 403,  200, 404, 403,  403,  403),
    "file-notice":                      (200, 200, 403,  200, 404, 403,  403,  403),
    "file-objection":                   (200, 200, 403,  200, 404, 403,  403,  403),
    "file-objection-resolve":           (200, 200, 403,  200, 404, 403,  403,  403),
    "file-file":                        (200, 200, 403,  200, 404, 403,  403,  403),
    "file-withdraw":                    (200, 200, 403,  200, 404, 403,  403,  403),
    "file-review":                      (200, 200, 403,  200, 404, 403,  403,  403),
    "file-exit":                        (200, 200, 403,  200, 404, 403,  403,  403),
}
PAGES = {
    "file-list":                        (200, 200, 200,  200, 200, 200,  200,  403),
    "file-create":                      (200, 200, 403,  200, 200, 200,  200,  403),
    "notice-list":                      (200, 200, 200,  200, 200, 200,  200,  403),
    "threshold-list":                   (200, 200, 403,  200, 200, 403,  403,  403),
    "threshold-set":                    (200, 200, 403,  200, 200, 403,  403,  403),
}
# fmt: on


@pytest.fixture
def files(county, workers):
    f1 = to_notice(open_file(county.t1staff, workers.w1), county.t1staff)
    services.needy_objection_record(by=county.t1staff, file=f1, received_on=TODAY, content="异议")
    f3 = to_notice(open_file(county.t2staff, workers.w3), county.t2staff)
    services.needy_objection_record(by=county.t2staff, file=f3, received_on=TODAY, content="异议")
    return {"f1": f1, "f3": f3}


def _url(name, file):
    if name == "file-objection-resolve":
        return reverse(f"needy:{name}", args=[file.pk, file.objections.get().pk])
    return reverse(f"needy:{name}", args=[file.pk])


def _cases(table):
    for name, codes in table.items():
        for persona, code in zip(PERSONAS, codes, strict=True):
            yield pytest.param(name, persona, code, id=f"{name}-{persona}")


@pytest.mark.parametrize(("name", "persona", "expected"), list(_cases(FILE_ROUTES)))
def test_file_pages_answer_each_persona_as_the_scope_rule_says(
    county, files, client_for, name, persona, expected
):
    client = client_for(getattr(county, persona))
    assert client.get(_url(name, files["f1"])).status_code == expected


@pytest.mark.parametrize("name", list(FILE_ROUTES))
@pytest.mark.parametrize("persona", ["t1staff", "chair1", "chair2"])
def test_another_townships_file_is_not_found_on_any_route(county, files, client_for, name, persona):
    client = client_for(getattr(county, persona))
    response = client.get(_url(name, files["f3"]))
    # Scope answers 404 to those holding the permission; the rest never get that far.
    assert response.status_code in (403, 404)
    if FILE_ROUTES[name][PERSONAS.index(persona)] != 403:
        assert response.status_code == 404


@pytest.mark.parametrize("name", [n for n in FILE_ROUTES if n != "file-detail"])
def test_posting_to_another_townships_file_changes_nothing(county, files, client_for, name):
    client = client_for(county.t1staff)
    before = files["f3"].steps.count()
    response = client.post(_url(name, files["f3"]), {"comment": "x", "reason": "x"})
    assert response.status_code == 404
    assert files["f3"].steps.count() == before


@pytest.mark.parametrize(("name", "persona", "expected"), list(_cases(PAGES)))
def test_list_pages_answer_each_persona(county, files, client_for, name, persona, expected):
    client = client_for(getattr(county, persona))
    assert client.get(reverse(f"needy:{name}")).status_code == expected


def test_a_signed_out_visitor_is_sent_to_sign_in(client, files):
    response = client.get(reverse("needy:file-detail", args=[files["f1"].pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]
