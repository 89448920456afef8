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
