"""Rights cases for the access sweep (``core/tests/test_access_sweep.py``): in every
subtree a case about the subtree's worker, handled by a mediator of the subtree's
union and in mediation, with a file and a confidential note; and a closed case drawn
for the quality check. The subtree's worker follows the open case in the portal.

Mediators and legal-aid handlers handle cases, so they are not among the sweep's
read-only roles: their POSTs on cases of their own scope may write.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gonghui.accounts.models import Role
from gonghui.conftest import make_user
from gonghui.core.tests.sweep import Fixed
from gonghui.rights import services
from gonghui.rights.models import QualityCheck

ROUTES = {
    "rights:case-detail": {"pk": "case"},
    "rights:case-notes": {"pk": "case"},
    "rights:case-action": {"pk": "case", "action": Fixed("accept")},
    "rights:quality-check": {"pk": "quality_check"},
    "rights:attachment-add": {"pk": "case"},
    "rights:case-worker-add": {"pk": "case"},
    "rights:attachment-download": {"pk": "case", "attachment_pk": "attachment"},
    "rights:employer-watch": {"pk": "employer", "action": Fixed("watch")},
    # The worker's own case in the portal (``person`` is the subtree's worker).
    "portal-rights:detail": {"pk": "case"},
}

PUBLIC = {
    "track:lookup": (
        "following a case by its tracking code, without signing in: a code posted shows "
        "what the worker who lodged the case sees (never a name), any wrong code one "
        "answer; lookups are limited per address (rights/tracking.py)"
    ),
}


def build(subtree):
    admin = subtree.admin
    handler = make_user(f"sweep_rights_{subtree.key}", subtree.union, Role.MEDIATOR)

    def handled(summary: str):
        case = services.case_lodge(
            by=admin,
            kind="mediation",
            channel="hotline",
            category="wages",
            summary=summary,
            workers=[subtree.records["person"]],
            organisation=subtree.union,
        )
        case = services.case_accept(by=admin, case=case)
        case = services.case_assign(by=admin, case=case, handler=handler)
        return services.case_start_mediation(by=handler, case=case)

    case = handled("拖欠工资")
    attachment = services.case_attachment_add(
        by=handler, case=case, upload=SimpleUploadedFile("工资条.pdf", b"%PDF-1.4 sweep")
    )
    services.case_note_add(by=handler, case=case, text="机密")
    closed = handled("加班费")
    closed = services.case_resolve(
        by=handler, case=closed, resolution="agreement", terms="分期支付"
    )
    closed = services.case_callback(by=handler, case=closed, satisfaction=4)
    check = QualityCheck.objects.create(
        case=closed, month=timezone.localdate().replace(day=1), drawn_by=admin
    )
    return {"case": case, "quality_check": check, "attachment": attachment}


POST_DATA = {
    "rights:case-notes": {"text": "sweep note"},
    "rights:quality-check": {"result": "good"},
    "rights:employer-watch": {"note": "同一雇主一年内多起欠薪"},
}

#: The notes answer to the handler, the staff of organisations above the handler's and
#: county administrators: others who see the case (a leader, a mediator or legal-aid
#: handler who is not the case's) are refused.
ANSWERS = {
    **{("rights:case-notes", "case", p): 403 for p in ("leader", "mediator", "legal_aid")},
    # The portal: the worker's own cases and case; the console answers a worker as a
    # visitor, and the portal a staff member as a visitor.
    ("portal-rights:mine", None, "worker1"): 200,
    ("portal-rights:mine", None, "worker2"): 200,
    ("portal-rights:mine", None, "chair1"): "login",
    ("portal-rights:new", None, "worker1"): 200,
    ("portal-rights:new", None, "worker2"): 200,
    ("portal-rights:new", None, "chair1"): "login",
    ("portal-rights:detail", "case", "worker1"): 200,
    ("portal-rights:detail", "case", "worker2"): 200,
    ("portal-rights:detail", "case", "chair1"): "login",
    # Nothing was just lodged from this phone: back to the list.
    ("portal-rights:lodged", None, "worker1"): "302 → /m/rights/",
    ("rights:case-detail", "case", "worker1"): "login",
}
