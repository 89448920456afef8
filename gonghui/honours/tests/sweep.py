"""Honours for the access sweep (``core/tests/test_access_sweep.py``): in each subtree a
model worker holding a title (in difficulty, so a monthly allowance is owed, and with a
story), and nominations by the subtree's union: one on public notice with evidence and
a pending objection, one waiting for the first level above to review it, one approved
and waiting for its notice."""

import io
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gonghui.honours import services
from gonghui.honours.models import (
    CareKind,
    CareRule,
    ConditionKind,
    Frequency,
    NominationStatus,
    Title,
)

_NOMINATION = {"pk": "nomination"}
_WORKER = {"pk": "model_worker"}

ROUTES = {
    "honours:nomination-detail": _NOMINATION,
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
    "portal-honours:story-detail": {"pk": "story"},
    "portal-honours:story-photo": {"pk": "story"},
}

PUBLIC = {
    "notice:*": "the public notice (公示) of nominations: by law anyone may read it and "
    "object, without signing in; it shows name, union, title and deeds only",
}

_STORIES_READ_COUNTY_WIDE = (
    "published stories of model workers are for every worker of the county to read"
)
COUNTY_WIDE = {
    "portal-honours:stories": _STORIES_READ_COUNTY_WIDE,
    "portal-honours:story-detail": _STORIES_READ_COUNTY_WIDE,
    "portal-honours:story-photo": _STORIES_READ_COUNTY_WIDE,
}


def _today() -> str:
    return timezone.localdate().isoformat()


#: The care owed this month: filled in by ``build`` once the rule exists (its key is
#: "<rule pk>:<the month's first day>", what the care form offers).
_CARE_DUE: dict[str, str] = {}

POST_DATA = {
    "honours:nomination-review": {"decision": "approve", "comment": "同意"},
    "honours:nomination-resubmit": {"reasons": "事迹突出", "deeds": "技术革新"},
    "honours:nomination-notice": {},
    "honours:nomination-objection": {"received_on": _today(), "content": "来信异议"},
    "honours:objection-answer": {"upheld": "0", "answer": "经核查，不属实"},
    "honours:nomination-confirm": {"document_number": "县工〔2026〕1号"},
    "honours:nomination-withdraw": {"reason": "本人申请撤回"},
    "honours:care-record": _CARE_DUE,
    "honours:condition-record": {"kind": ConditionKind.ILL, "since": _today()},
    "honours:condition-end": {"until": _today()},
    "honours:story-publish": {"publish": "1"},
}

#: G1's nominations wait for T1 (the first level above it), then for the county. A 302 is
#: the step done (the savepoint of each request undoes it).
ANSWERS = {
    # Review: only the staff of the level the nomination waits at.
    ("honours:nomination-review", "nomination_review", "t1staff"): 200,
    ("honours:nomination-review", "nomination_review", "t1staff", "post"): 302,
    ("honours:nomination-review", "nomination_review", "admin", "post"): 403,
    ("honours:nomination-review", "nomination_review", "chair1"): 403,
    ("honours:nomination-review", "nomination_review", "leader"): 403,
    # The notice, objections received and the confirmation: only the county's staff.
    ("honours:nomination-notice", "nomination_approved", "admin", "post"): 302,
    ("honours:nomination-notice", "nomination_approved", "t1staff", "post"): 403,
    ("honours:nomination-notice", "nomination_approved", "chair1"): 403,
    ("honours:nomination-objection", None, "admin", "post"): 302,
    ("honours:nomination-objection", None, "t1staff", "post"): 403,
    ("honours:objection-answer", None, "admin", "post"): 302,
    ("honours:objection-answer", None, "t1staff", "post"): 403,
    ("honours:objection-answer", None, "chair1"): 403,
    # On notice with an objection unanswered: the county's staff are told why on the form.
    ("honours:nomination-confirm", None, "admin", "post"): 200,
    ("honours:nomination-confirm", None, "t1staff", "post"): 403,
    # The chair withdraws the union's own nomination; a leader only reads.
    ("honours:nomination-withdraw", "nomination_review", "chair1", "post"): 302,
    ("honours:nomination-withdraw", None, "leader"): 403,
    # Care: the union's chair records it; health stays with federation staff.
    ("honours:care-record", None, "chair1", "post"): 302,
    ("honours:care-record", None, "leader"): 403,
    ("honours:condition-record", None, "chair1", "post"): 302,
    ("honours:condition-end", None, "chair1"): 200,
}


def build(subtree):
    by = subtree.admin  # the superuser: every level of the review path
    worker = subtree.person("劳模丙")
    title = Title.objects.get(name="县劳动模范")
    rule = CareRule.objects.filter(title=title, kind=CareKind.ALLOWANCE).first()
    if rule is None:
        rule = services.care_rule_save(
            by=by,
            title=title,
            kind=CareKind.ALLOWANCE,
            frequency=Frequency.MONTHLY,
            amount=Decimal("500"),
        )
    month = timezone.localdate().replace(day=1)
    _CARE_DUE.update(
        {"due": f"{rule.pk}:{month.isoformat()}", "given_on": _today(), "amount": "500"}
    )
    services.holding_record(
        by=by, title=title, year=2024, conferred_on=date(2024, 4, 30), person=worker
    )
    condition = services.condition_record(
        by=by, person=worker, kind=ConditionKind.DIFFICULTY, since=date(2025, 1, 1)
    )
    story = services.story_save(
        by=by, person=worker, headline="扎根一线", text="二十年", photo=_photo()
    )
    story = services.story_publish(by=by, story=story, publish=True)
    nomination = _nominate(subtree, title, "候选丁")
    while nomination.status == NominationStatus.REVIEW:
        nomination = services.nomination_approve(by=by, nomination=nomination)
    nomination = services.nomination_start_notice(by=by, nomination=nomination)
    objection = services.nomination_objection_record(
        by=by, nomination=nomination, received_on=timezone.localdate(), content="来信异议"
    )
    approved = _nominate(subtree, title, "候选戊")
    while approved.status == NominationStatus.REVIEW:
        approved = services.nomination_approve(by=by, nomination=approved)
    return {
        "model_worker": worker,
        "holder_condition": condition,
        "story": story,
        "nomination": nomination,
        "nomination_objection": objection,
        "nomination_evidence": nomination.evidence.get(),
        "nomination_review": _nominate(subtree, title, "候选己"),
        "nomination_approved": approved,
    }


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile("劳模.png", out.getvalue(), content_type="image/png")


def _nominate(subtree, title, name):
    """A nomination of a new worker of ``subtree`` by its union, waiting at the first level."""
    return services.nomination_create(
        by=subtree.admin,
        title=title,
        year=timezone.localdate().year,
        person=subtree.person(name),
        reasons="事迹突出",
        deeds="技术革新",
        organisation=subtree.union,
        evidence=[SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test", "application/pdf")],
    )
