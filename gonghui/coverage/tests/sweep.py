"""Coverage for the access sweep (``core/tests/test_access_sweep.py``). Its pages
name no record: every persona is asked for them by the generic rules; inside them
the scope decides what is counted (test_coverage_recount.py,
test_uncovered_employers.py)."""

#: The coverage right goes to county administrators, union staff, chairs and leaders
#: (``coverage.apps``); the specialist roles and users without a role are refused.
ANSWERS = {
    (f"coverage:{page}", None, persona): answer
    for page in ("overview", "uncovered")
    for persona, answer in {
        "superuser": 200,
        "admin": 200,
        "leader": 200,
        "t1staff": 200,
        "t2staff": 200,
        "chair1": 200,
        "chair2": 200,
        "outsider": 403,
        "mediator": 403,
        "judge": 403,
        "auditor": 403,
        "anonymous": "login",
    }.items()
}
