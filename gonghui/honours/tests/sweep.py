"""Honours for the access sweep (``core/tests/test_access_sweep.py``): in each subtree a
model worker holding a title (with a condition and a story), and a nomination by the
subtree's union on public notice with evidence and a pending objection."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gonghui.honours import services
from gonghui.honours.models import ConditionKind, NominationStatus, Title

_NOMINATION = {"pk": "nomination"}
_WORKER = {"pk": "model_worker"}

ROUTES = {
    **{
        f"honours:nomination-{page}": _NOMINATION
        for page in ("review", "resubmit", "notice", "objection", "confirm", "withdraw")
    },
    "honours:objection-answer": {"pk": "nomination", "objection": "nomination_objection"},
    "honours:evidence-download": {"pk": "nomination", "evidence": "nomination_evidence"},
    "honours:care-person": _WORKER,
    "honours:care-record": _WORKER,
    "honours:condition-record": _WORKER,
    "honours:condition-end": {"pk": "model_worker", "condition": "holder_condition"},
    "honours:story-update": {"pk": "story"},
    "honours:story-publish": {"pk": "story"},
    "portal-honours:story-photo": {"pk": "story"},
}

PUBLIC = {
    "notice:*": "the public notice (公示) of nominations: by law anyone may read it and "
    "object, without signing in; it shows name, union, title and deeds only",
}

COUNTY_WIDE = {
    "portal-honours:story-photo": "published stories of model workers are for every "
    "worker of the county to read",
}


def build(subtree):
    by = subtree.admin  # the superuser: every level of the review path
    worker = subtree.person("劳模丙")
    title = Title.objects.get(name="县劳动模范")
    services.holding_record(
        by=by, title=title, year=2024, conferred_on=date(2024, 4, 30), person=worker
    )
    condition = services.condition_record(
        by=by, person=worker, kind=ConditionKind.DIFFICULTY, since=date(2025, 1, 1)
    )
    story = services.story_save(by=by, person=worker, headline="扎根一线", text="二十年")
    nominee = subtree.person("候选丁")
    nomination = services.nomination_create(
        by=by,
        title=title,
        year=timezone.localdate().year,
        person=nominee,
        reasons="事迹突出",
        deeds="技术革新",
        organisation=subtree.union,
        evidence=[SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", "application/pdf")],
    )
    while nomination.status == NominationStatus.REVIEW:
        nomination = services.nomination_approve(by=by, nomination=nomination)
    nomination = services.nomination_start_notice(by=by, nomination=nomination)
    objection = services.nomination_objection_record(
        by=by, nomination=nomination, received_on=timezone.localdate(), content="来信异议"
    )
    return {
        "model_worker": worker,
        "holder_condition": condition,
        "story": story,
        "nomination": nomination,
        "nomination_objection": objection,
        "nomination_evidence": nomination.evidence.get(),
    }
