"""The working-day calendar for the access sweep (``core/tests/test_access_sweep.py``).
Its pages name no record and hold no one's data: one calendar for the county, kept by
its administrators (``workdays.apps``); every other role is refused, a visitor sent to
sign in. The generic rules check every persona against the views' permissions; the
cells below pin the answers themselves."""

_ANSWERS = {
    "superuser": 200,
    "admin": 200,
    "leader": 403,
    "t1staff": 403,
    "t2staff": 403,
    "chair1": 403,
    "legal_aid": 403,
    "sysadmin": 403,
    "auditor": 403,
    "outsider": 403,
    "anonymous": "login",
}

ANSWERS = {
    (f"workdays:{page}", None, persona): answer
    for page in ("year-list", "year-enter")
    for persona, answer in _ANSWERS.items()
}
