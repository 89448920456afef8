"""Spring-jobs records for the access sweep (``core/tests/test_access_sweep.py``): a
posting of the subtree's employer, a worker's application to it, and a job fair
held by the subtree's union."""

from datetime import date
from decimal import Decimal

from gonghui.employment import services

ROUTES = {
    "employment:posting-update": {"pk": "posting"},
    "employment:posting-status": {"pk": "posting"},
    "employment:application-create": {"pk": "posting"},
    "employment:application-advance": {"pk": "job_application"},
    "employment:fair-attendance": {"pk": "fair"},
}


def build(subtree):
    by = subtree.admin
    posting = services.job_posting_create(
        by=by,
        employer=subtree.employer,
        title="Machinist",
        pay_min=Decimal("4000.00"),
        pay_max=Decimal("6000.00"),
        headcount=2,
        location="Workshop 1",
        campaign_year=2026,
    )
    application = services.job_application_create(
        by=by, posting=posting, person=subtree.person("求职戊", member=False)
    )
    fair = services.job_fair_create(
        by=by,
        organiser=subtree.union,
        name=f"{subtree.union.name} fair",
        held_on=date(2026, 3, 1),
        place="Square",
        campaign_year=2026,
    )
    return {"posting": posting, "job_application": application, "fair": fair}


POST_DATA = {
    "employment:posting-status": {"status": "closed"},
    "employment:application-advance": {"to_status": "interviewed"},
    "employment:fair-attendance": {"attendance": "10"},
}

#: Cells of the former matrix that the sweep's generic rules do not decide: the owning
#: township and the county reach every page of the records; a leader reads them and
#: enters nothing; a user without the right sees no list.
ANSWERS = {
    **{
        (f"employment:{page}", None, persona): 200
        for page in (
            "posting-detail",
            "posting-update",
            "application-create",
            "application-detail",
            "fair-detail",
        )
        for persona in ("admin", "t2staff", "t1staff")
    },
    ("employment:posting-detail", None, "leader"): 200,
    ("employment:posting-create", None, "leader"): 403,
    ("employment:application-advance", None, "leader"): 403,
    ("employment:posting-list", None, "outsider"): 403,
}
