"""Rights cases for the access sweep (``core/tests/test_access_sweep.py``): in every
subtree a case about the subtree's worker, handled by a mediator of the subtree's
union, taken to its close (so that a POST of any step, by anyone, is refused by the
status and writes nothing), with a confidential note and a quality check."""

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
    "rights:attachment-download": {"pk": "case", "attachment_pk": "attachment"},
    # No POST_DATA: a POST without a note is refused by the form, so the read-only
    # roles' POSTs write nothing; a foreign employer is refused by the scope first.
    "rights:employer-watch": {"pk": "employer", "action": Fixed("watch")},
}


def build(subtree):
    admin = subtree.admin
    handler = make_user(f"sweep_rights_{subtree.key}", subtree.union, Role.MEDIATOR)
    case = services.case_lodge(
        by=admin,
        kind="mediation",
        channel="hotline",
        category="wages",
        summary="拖欠工资",
        workers=[subtree.records["person"]],
        organisation=subtree.union,
    )
    case = services.case_accept(by=admin, case=case)
    case = services.case_assign(by=admin, case=case, handler=handler)
    case = services.case_start_mediation(by=handler, case=case)
    attachment = services.case_attachment_add(
        by=handler, case=case, upload=SimpleUploadedFile("工资条.pdf", b"%PDF-1.4 sweep")
    )
    case = services.case_resolve(by=handler, case=case, resolution="agreement", terms="分期支付")
    case = services.case_callback(by=handler, case=case, satisfaction=4)
    services.case_note_add(by=handler, case=case, text="机密")
    check = QualityCheck.objects.create(
        case=case, month=timezone.localdate().replace(day=1), drawn_by=admin
    )
    return {"case": case, "quality_check": check, "attachment": attachment}


POST_DATA = {
    "rights:case-notes": {"text": "sweep note"},
    "rights:quality-check": {"result": "good"},
}

#: The notes answer to the handler, the staff of organisations above the handler's and
#: county administrators: others who see the case (a leader, a mediator or legal-aid
#: handler who is not the case's) are refused.
ANSWERS = {
    **{("rights:case-notes", "case", p): 403 for p in ("leader", "mediator", "legal_aid")},
}
