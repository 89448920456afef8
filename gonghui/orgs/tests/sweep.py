"""Organisations and employers for the access sweep (``core/tests/test_access_sweep.py``):
the subtree's grassroots union and its employer."""

ROUTES = {
    **{
        f"orgs:organisation-{page}": {"pk": "organisation"}
        for page in ("detail", "update", "move", "delete")
    },
    **{f"orgs:employer-{page}": {"pk": "employer"} for page in ("detail", "update", "delete")},
}


def build(subtree):
    return {"organisation": subtree.union, "employer": subtree.employer}
