"""Every staff-account page × every persona → the expected answer.

The staff pages are the system administrator's (accounts) and the security
administrator's (roles, locks, second factors), each action asking its own power
(accounts.roles, the separation of powers); the county administrator, an
operational role, and the auditor reach none of them. Among those with the power,
an account outside the subtree is 404; a signed-out visitor is sent to sign in.
"""

import pytest
from django.urls import reverse

LOGIN = "login"  # 302 to the sign-in page
BACK = "back"  # 302 to the account's page, the service having said why it refused

PERSONAS = (
    "superuser",
    "admin",
    "sysadmin",
    "t1admin",
    "secadmin",
    "auditor",
    "leader",
    "t1staff",
    "chair1",
    "outsider",
)

# fmt: off
#                                      su   adm  sys  t1a  sec  aud  ldr  t1s  ch1  out
MATRIX = {
    ("staff-list", None, "get"):        (200, 403, 200, 200, 200, 403, 403, 403, 403, 403),
    ("staff-create", None, "get"):      (200, 403, 200, 200, 403, 403, 403, 403, 403, 403),
    ("staff-create", None, "post"):     (200, 403, 200, 200, 403, 403, 403, 403, 403, 403),
    ("staff-detail", "chair1", "get"):  (200, 403, 200, 200, 200, 403, 403, 403, 403, 403),
    ("staff-detail", "t2staff", "get"): (200, 403, 200, 404, 200, 403, 403, 403, 403, 403),
    ("staff-update", "chair1", "get"):  (200, 403, 200, 200, 200, 403, 403, 403, 403, 403),
    ("staff-update", "t2staff", "post"):(200, 403, 200, 404, 200, 403, 403, 403, 403, 403),
    ("staff-unlock", "chair1", "post"): (BACK, 403, 403, 403, BACK, 403, 403, 403, 403, 403),
    ("staff-unlock", "t2staff", "post"):(BACK, 403, 403, 403, BACK, 403, 403, 403, 403, 403),
    ("staff-unlock", "chair1", "get"):  (405, 403, 403, 403, 405, 403, 403, 403, 403, 403),
}
# fmt: on

CASES = [
    pytest.param(name, target, method, persona, expected, id=f"{name}-{target}-{method}-{persona}")
    for (name, target, method), row in MATRIX.items()
    for persona, expected in [*zip(PERSONAS, row, strict=True), ("anonymous", LOGIN)]
]


@pytest.mark.parametrize(("name", "target", "method", "persona", "expected"), CASES)
def test_access(client, client_for, county, t1admin, name, target, method, persona, expected):
    people = {"t1admin": t1admin}
    account = getattr(county, target) if target else None
    url = reverse(f"accounts:{name}", args=[account.pk] if account else [])
    if persona == "anonymous":
        browser = client
    else:
        browser = client_for(people.get(persona) or getattr(county, persona))
    response = getattr(browser, method)(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    elif expected == BACK:
        assert response.status_code == 302
        assert response.url == account.get_absolute_url()
    else:
        assert response.status_code == expected
