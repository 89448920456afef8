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
    # Named: the subtree holds two applications (the portal worker's too).
    "employment:application-detail": {"pk": "job_application"},
    "employment:fair-attendance": {"pk": "fair"},
    # The worker portal: a posting of the county's job board.
    "portal-jobs:detail": {"pk": "posting"},
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
    # The subtree's portal worker has applied to the posting (their own record in the
    # portal's list of applications).
    worker_application = services.job_application_create(
        by=by, posting=posting, person=subtree.records["person"]
    )
    return {
        "posting": posting,
        "job_application": application,
        "worker_job_application": worker_application,
        "fair": fair,
    }


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
    # The worker portal: the worker's own county's board, posting and applications.
    **{
        (f"portal-jobs:{page}", None, persona): 200
        for page in ("list", "detail", "mine")
        for persona in ("worker1", "worker2")
    },
    ("portal-jobs:list", None, "chair1"): "login",
    ("portal-jobs:mine", None, "t1staff"): "login",
}

#: A posting is an advert its employer wants every worker of the county to read: the
#: portal's board shows the county's open postings, the worker's own township first,
#: so a worker rightly reads (and may apply for) a posting of the other subtree of the
#: same county. The neighbouring county's postings, closed ones and another worker's
#: applications are refused (404) or left out, as test_portal_jobs.py asserts.
COUNTY_WIDE = {
    f"portal-jobs:{page}": (
        "the county's job board: postings of the county's other townships are "
        "public adverts to its workers (another county's are not: 404)"
    )
    for page in ("list", "detail")
}
