"""People records for the access sweep (``core/tests/test_access_sweep.py``):

person       works at the subtree's employer, member of its union
application  a pending join application of a second worker there, routed to the union
transfer     the union's request for the file of a worker kept by the township (not in a
             township's own subtree)
non_member   the applicant: the membership pages do not apply to them
membership_request  the worker's own request to leave the union, open, answered by its union
roster_job   the chair's checked roster import (a dry run), which only they may run for real
"""

from gonghui.core.tests.sweep import Fixed
from gonghui.jobs.models import Job, JobStatus
from gonghui.people import services
from gonghui.people.models import MembershipRequestKind
from gonghui.people.roster.services import IMPORT_JOB
from gonghui.people.vocabularies import JoinChannel

PERSON_PAGES = (
    "person-detail",
    "person-update",
    "membership-transfer",
    "membership-leave",
    "person-join",
)

ROUTES = {
    **{f"people:{page}": {"pk": "person"} for page in PERSON_PAGES},
    "people:person-reveal": {"pk": "person", "field": Fixed("id_number")},
    "people:application-approve": {"pk": "join_application"},
    "people:application-reject": {"pk": "join_application"},
    "people:file-transfer-confirm": {"pk": "file_transfer"},
    "people:file-transfer-decline": {"pk": "file_transfer"},
    "people:file-transfer-withdraw": {"pk": "file_transfer"},
    "people:roster:import-run": {"pk": "roster_job"},
    "membership-requests:detail": {"pk": "membership_request"},
    "membership-requests:confirm": {"pk": "membership_request"},
    "membership-requests:decline": {"pk": "membership_request"},
    "membership:request": {"pk": "membership_request"},
    "membership:request-withdraw": {"pk": "membership_request"},
}

POST_DATA = {
    "membership-requests:decline": {"reason": "请来工会面谈"},
}


def build(subtree):
    person = subtree.person("职工甲")
    applicant = subtree.person("申请人乙", member=False)
    application = services.join_application_submit(
        by=subtree.admin, channel=JoinChannel.STAFF, person=applicant, employer=subtree.employer
    )
    records = {}
    if subtree.member_union is not None:
        # The worker asks, from the portal, to leave: the union answers in the console.
        records["membership_request"] = services.membership_request_submit(
            person=person, kind=MembershipRequestKind.LEAVE, reason="另谋职业"
        )
        # A union asks its township for a file: a township's own subtree has no such request.
        kept = subtree.person("档案丙", employer=False, member=False, by=subtree.staff)
        records["file_transfer"] = services.file_transfer_request(
            by=subtree.chair, id_number=subtree.id_numbers[-1], employer=subtree.employer
        )
        assert records["file_transfer"].person_id == kept.pk
    checked = Job.objects.create(
        kind=IMPORT_JOB,
        title="Roster import (dry run)",
        started_by=subtree.chair,
        status=JobStatus.DONE,
        params={"dry_run": True},
    )
    return {
        **records,
        "roster_job": checked,
        "person": person,
        "join_application": application,
        "non_member": applicant,
    }


OPEN_FIELDS = {
    ("people:membership-transfer", "to_union"): (
        "a member follows a new job to any union of the same county federation "
        "(people.forms.TransferForm)"
    ),
}

#: Cells of the former matrix that the sweep's generic rules do not decide.
ANSWERS = {
    # Transfer and leave apply to members only: back to the file, whoever asks.
    **{
        (f"people:{page}", "non_member", persona): 302
        for page in ("membership-transfer", "membership-leave")
        for persona in ("superuser", "admin", "t1staff", "chair1")
    },
    **{("people:membership-transfer", None, persona): 200 for persona in ("admin", "chair1")},
    # A file request is seen by the requesting union and by the keeping township,
    # and only the keeper answers it.
    ("people:file-transfer-detail", "file_transfer", "chair1"): 200,
    ("people:file-transfer-detail", "file_transfer", "t1staff"): 200,
    ("people:file-transfer-detail", "file_transfer", "chair2"): 404,
    ("people:file-transfer-confirm", "file_transfer", "t1staff"): 200,
    ("people:file-transfer-confirm", "file_transfer", "chair1"): 404,
    # A member's own request: the worker follows and withdraws it in the portal; the
    # union holding the membership answers it (people.change_membership), a leader reads it.
    ("membership:transfer", None, "worker1"): 200,  # says a request waits already
    ("membership:leave", None, "worker2"): 200,
    ("membership:leave", None, "worker2", "post"): 200,  # no new request while one waits
    ("membership:request", "membership_request", "worker1"): 200,
    ("membership:request", "membership_request", "worker2"): 200,
    ("membership:request-withdraw", "membership_request", "worker1", "post"): 302,
    ("membership:request", "membership_request", "chair1"): "login",
    ("membership-requests:list", None, "worker1"): "login",
    ("membership-requests:detail", "membership_request", "chair1"): 200,
    ("membership-requests:detail", "membership_request", "t1staff"): 200,
    ("membership-requests:detail", "membership_request", "leader"): 200,
    ("membership-requests:confirm", "membership_request", "leader"): 403,
    ("membership-requests:confirm", "membership_request", "chair1", "post"): 302,
    ("membership-requests:decline", "membership_request", "t1staff", "post"): 302,
    ("people:reveal-log", None, "admin"): 200,
    ("people:reveal-log", None, "t1staff"): 403,
    # The roster pages: a leader exports but imports nothing.
    **{
        (f"people:roster:{page}", None, persona): answer
        for page, answers in {
            "import": (200, 403, 200, 200, 200, 403),
            "export": (200, 200, 200, 200, 200, 403),
            "template": (200, 403, 200, 200, 200, 403),
        }.items()
        for persona, answer in zip(
            ("admin", "leader", "t1staff", "chair1", "chair2", "outsider"), answers, strict=True
        )
    },
    # The chair's dry run is its starter's alone; its file being gone, the chair is sent
    # back to the job with a message (test_roster_import_run.py).
    ("people:roster:import-run", "roster_job", "chair1"): 302,
    **{
        ("people:roster:import-run", "roster_job", persona): answer
        for persona, answer in {"admin": 404, "t1staff": 404, "leader": 403}.items()
    },
}

#: The union suggestions, asked for a foreign union's name.
GET_DATA = {
    "people:union-suggestions": {"union": "{union}"},
    # The worker chooser (forms.WorkerChoiceForm), asked for a foreign worker's name.
    "people:worker-suggestions": {"worker": "{name}"},
}
