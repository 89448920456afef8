"""Staff accounts for the access sweep (``core/tests/test_access_sweep.py``): the
chair of the subtree's union is the account a foreign administrator must not reach."""

ROUTES = {
    f"accounts:staff-{page}": {"pk": "account"}
    for page in (
        "detail",
        "update",
        "deactivate",
        "reactivate",
        "password-reset",
        "totp-reset",
        "unlock",
    )
}

PUBLIC = {
    "accounts:login": "the sign-in page itself",
    "accounts:logout": "signing out touches only the caller's own session",
}


def build(subtree):
    return {"account": subtree.chair}


PERSONAS = ("superuser", "admin", "sysadmin", "t1admin", "secadmin", "auditor", "leader")
PERSONAS += ("t1staff", "chair1", "outsider")

# The staff pages belong to the system administrator (accounts) and the security
# administrator (roles, locks, second factors), each action asking its own power
# (accounts.roles); the county administrator, an operational role, and the auditor
# reach none of them. The account is the chair of G1, inside every persona's
# subtree (the outsider's, having none, does not exist: 403 before any lookup).
# fmt: off
#                                                su   adm  sys  t1a  sec  aud  ldr  t1s  ch1  out
_MATRIX = {
    ("staff-list", None, "get"):                (200, 403, 200, 200, 200, 403, 403, 403, 403, 403),
    ("staff-create", None, "get"):              (200, 403, 200, 200, 403, 403, 403, 403, 403, 403),
    ("staff-create", None, "post"):             (200, 403, 200, 200, 403, 403, 403, 403, 403, 403),
    ("staff-detail", "account", "get"):         (200, 403, 200, 200, 200, 403, 403, 403, 403, 403),
    ("staff-update", "account", "get"):         (200, 403, 200, 200, 200, 403, 403, 403, 403, 403),
    ("staff-update", "account", "post"):        (200, 403, 200, 200, 200, 403, 403, 403, 403, 403),
    # Unlocking is the security administrator's: back to the account with a message.
    ("staff-unlock", "account", "post"):        (302, 403, 403, 403, 302, 403, 403, 403, 403, 403),
    ("staff-unlock", "account", "get"):         (405, 403, 403, 403, 405, 403, 403, 403, 403, 403),
}
# fmt: on

ANSWERS = {
    (f"accounts:{name}", key, persona, method): answer
    for (name, key, method), row in _MATRIX.items()
    for persona, answer in zip(PERSONAS, row, strict=True)
}
