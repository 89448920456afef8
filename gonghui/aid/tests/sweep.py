"""Aid records for the access sweep (``core/tests/test_access_sweep.py``): a campaign
of the subtree's union with a fund, a draft application of a worker there with
an evidence file, and the union chair's staff account."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gonghui.aid import evidence, services
from gonghui.aid.vocabularies import ProgrammeKind

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"

APPLICATION_PAGES = ("update", "delete", "submit", "decide", "cancel", "pay")

ROUTES = {
    **{f"aid:application-{page}": {"pk": "aid_application"} for page in APPLICATION_PAGES},
    "aid:evidence-upload": {"pk": "aid_application"},
    "aid:evidence-download": {"pk": "aid_application", "evidence_pk": "evidence"},
    "aid:consent-create": {"person": "person"},
    "aid:staff-person-edit": {"pk": "account"},
    "aid:staff-person-unlink": {"pk": "account"},
    "aid:campaign-notice": {"pk": "campaign"},
    "aid:fund-create": {"pk": "campaign"},
    # Named, since the portal's records below are of the same models.
    "aid:application-detail": {"pk": "aid_application"},
    "aid:campaign-detail": {"pk": "campaign"},
    # The portal: the subtree's worker's own application (``portal_application``), and
    # the campaign open now that it was made under, asked by worker1/worker2.
    "portal-aid:detail": {"pk": "portal_application"},
    "portal-aid:apply": {"pk": "portal_campaign"},
}


def build(subtree):
    by = subtree.admin
    programme = services.programme_create(
        by=by,
        name=f"{subtree.key}帮扶救助",
        kind=ProgrammeKind.ASSISTANCE,
        max_amount=Decimal("2000.00"),
    )
    campaign = services.campaign_create(
        by=by,
        programme=programme,
        year=2026,
        organisation=subtree.union,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    fund = services.fund_create(
        by=by, campaign=campaign, organisation=subtree.union, budget=Decimal("10000.00")
    )
    bank_account = f"62220202{subtree.next_seq():08d}"
    application = services.aid_application_create(
        by=by,
        campaign=campaign,
        person=subtree.person("救助庚"),
        amount_requested=Decimal("1000.00"),
        reason="家庭困难",
        bank_name="工商银行",
        bank_account=bank_account,
    )
    subtree.bank_accounts.append(bank_account)
    item = evidence.evidence_add(
        by=by,
        application=application,
        kind="income",
        upload=SimpleUploadedFile("收入证明.pdf", PDF, content_type="application/pdf"),
    )
    return {
        "campaign": campaign,
        "fund": fund,
        "aid_application": application,
        "evidence": item,
        **_portal_records(subtree),
    }


def _portal_records(subtree) -> dict:
    """A campaign of the subtree's union open today (the portal offers only those), and
    the application of the worker the portal's personas are bound to, made as the
    worker makes it in the portal (none where the people app built no worker)."""
    if "person" not in subtree.records:
        return {}
    by, today = subtree.admin, timezone.localdate()
    programme = services.programme_create(
        by=by,
        name=f"{subtree.key}职工互助",
        kind=ProgrammeKind.ASSISTANCE,
        max_amount=Decimal("2000.00"),
    )
    campaign = services.campaign_create(
        by=by,
        programme=programme,
        year=today.year,
        organisation=subtree.union,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
    )
    services.fund_create(
        by=by, campaign=campaign, organisation=subtree.union, budget=Decimal("10000.00")
    )
    bank_account = f"62220303{subtree.next_seq():08d}"
    application = services.aid_application_apply_by_worker(
        person=subtree.records["person"],
        campaign=campaign,
        amount_requested=Decimal("800.00"),
        reason="生活困难",
        bank_name="建设银行",
        bank_account=bank_account,
    )
    subtree.bank_accounts.append(bank_account)
    return {"portal_campaign": campaign, "portal_application": application}


#: The payments page's form marks the chosen applications paid on another route.
FORM_POSTS_TO = {"aid:payment-list": "aid:payment-mark-paid"}


class NoticeInForce:
    """The health notice in force, as a POST carries it: read when the POST is encoded,
    since the first notices come with migrate (aid.notices)."""

    def __str__(self) -> str:
        from gonghui.aid.models import PrivacyNotice

        return str(PrivacyNotice.objects.in_force().filter(kind="health").first().pk)


POST_DATA = {
    "aid:application-decide": {"decision": "approve", "comment": "同意"},
    "aid:application-cancel": {"comment": "重复申请"},
    "aid:consent-create": {"notice": NoticeInForce()},
    "aid:fund-create": {"budget": "1000.00"},
}

SEEN_BELOW = {
    key: (
        "a grassroots union applies under the campaigns of the organisations above it "
        "(aid.models.CampaignQuerySet.for_user)"
    )
    for key in ("campaign", "portal_campaign")
}

#: A worker applies under any campaign of their union or above it: the county's (and
#: a township's) campaigns reach the unions below, so within the worker's county only
#: their own union's chain decides (``services.campaigns_open_to``), checked in
#: test_portal_aid.py; another county's campaign stays foreign.
COUNTY_WIDE = {
    "portal-aid:apply": "a worker applies under the campaigns of the organisations above "
    "their union (aid.services.campaigns_open_to)",
}

#: The worker's own aid pages in the portal; the console's staff are visitors there.
ANSWERS = {
    ("portal-aid:list", None, "worker1"): 200,
    ("portal-aid:list", None, "worker2"): 200,
    ("portal-aid:list", None, "chair1"): "login",
    ("portal-aid:detail", "portal_application", "worker1"): 200,
    ("portal-aid:detail", "portal_application", "worker2"): 200,
    ("portal-aid:detail", "portal_application", "chair1"): "login",
    ("portal-aid:apply", "portal_campaign", "worker1"): 200,
    ("portal-aid:apply", "portal_campaign", "worker2"): 200,
    ("portal-aid:apply", "portal_campaign", "chair1"): "login",
}
