"""Aid in the worker portal (issue 14, items 2 and 5): a worker sees the programmes
open to them, applies for an education grant or critical-illness relief with photos
of evidence and (for health facts) separate consent, follows every step to the
payment; without consent nothing is written; a double tap is one application;
another worker's application is a 404."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from gonghui.aid import services
from gonghui.aid.models import AidApplication, Consent, Evidence
from gonghui.aid.tests.conftest import YEAR
from gonghui.aid.vocabularies import AidStatus, ConsentKind, ProgrammeKind, StepAction
from gonghui.inbox.models import Message, MessageKind
from gonghui.portal.tests.test_card import bound_client

LIST = reverse("portal-aid:list")


@pytest.fixture(autouse=True)
def _in_the_campaigns_year():
    with time_machine.travel(datetime(YEAR, 9, 1, 10, 0, tzinfo=UTC)):
        yield


def apply_url(campaign) -> str:
    return reverse("portal-aid:apply", args=[campaign.pk])


def detail(application) -> str:
    return reverse("portal-aid:detail", args=[application.pk])


def key_of(page: str) -> str:
    return re.search(r'name="key" value="([^"]+)"', page).group(1)


def jpeg(size=(800, 600), gps=True) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (30, 60, 200))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("录取通知书.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def education(county):
    su = county.superuser
    programme = services.programme_create(
        by=su, name="金秋助学", kind=ProgrammeKind.EDUCATION, max_amount=Decimal("3000.00")
    )
    campaign = services.campaign_create(
        by=su,
        programme=programme,
        year=YEAR,
        organisation=county.root,
        starts_on=datetime(YEAR, 7, 1).date(),
        ends_on=datetime(YEAR, 10, 31).date(),
    )
    services.fund_create(
        by=su, campaign=campaign, organisation=county.root, budget=Decimal("50000.00")
    )
    return campaign


def education_data(client, campaign, **fields) -> dict:
    page = client.get(apply_url(campaign)).content.decode()
    return {
        "key": key_of(page),
        "child_name": "张小一",
        "school": "县第一中学",
        "admission_year": "2026",
        "amount_requested": "2000",
        "reason": "孩子考上高中，家里负担重",
        "bank_name": "工商银行",
        "bank_account": "6222 0202 0000 1234",
        **fields,
    }


def illness_data(client, campaign, **fields) -> dict:
    page = client.get(apply_url(campaign)).content.decode()
    return {
        "key": key_of(page),
        "diagnosis_category": "cancer",
        "total_cost": "40000",
        "insurance_reimbursement": "24000",
        "amount_requested": "8000",
        "reason": "住院化疗",
        "bank_name": "农业银行",
        "bank_account": "6228480000001234",
        **fields,
    }


def test_a_worker_sees_the_programmes_open_to_them_and_what_they_ask_for(
    aid, education, county, portal_sign_in
):
    client = bound_client(portal_sign_in, aid.p1)

    page = client.get(LIST).content.decode()

    assert "金秋助学" in page and "大病救助" in page and "帮扶救助" in page
    assert "child&#x27;s name" in page and "school" in page
    assert apply_url(education) in page


def test_an_unbound_account_is_told_to_link_its_file(aid, education, county, portal_sign_in):
    client = portal_sign_in("13911112222")

    assert "Link my file" in client.get(LIST).content.decode()
    response = client.post(apply_url(education), {"amount_requested": "100"})
    assert "Link my file" in response.content.decode()
    assert AidApplication.objects.count() == 0


def test_a_worker_applies_for_an_education_grant_with_a_photo_and_it_enters_approval(
    aid, education, county, portal_sign_in
):
    client = bound_client(portal_sign_in, aid.p1)
    form = client.get(apply_url(education)).content.decode()
    assert 'accept="image/*" capture="environment" multiple' in form
    assert 'type="checkbox"' not in form  # an education grant asks no health or income facts

    response = client.post(
        apply_url(education), {**education_data(client, education), "photos": jpeg((6000, 4000))}
    )

    application = AidApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(application)
    assert (application.person, application.status) == (aid.p1, AidStatus.SUBMITTED)
    assert application.entered_by is None
    assert (application.child_name, application.school, application.admission_year) == (
        "张小一",
        "县第一中学",
        2026,
    )
    assert application.plain_bank_account() == "6222020200001234"
    assert "6222020200001234" not in str(application.bank_account_encrypted)
    assert application.current_level == county.g1  # the first level, as for staff
    step = application.steps.get()
    assert (step.action, step.by) == (StepAction.SUBMIT, None)
    item = Evidence.objects.get()
    assert (item.content_type, item.kind, item.uploaded_by) == ("image/jpeg", "enrolment", None)
    stored = Image.open(item.file.open("rb"))
    assert stored.size == (2000, 1333) and len(stored.getexif()) == 0
    message = Message.objects.get(person=aid.p1)
    assert message.kind == MessageKind.GENERAL
    assert f"no. {application.pk} was received" in message.title

    page = client.get(detail(application)).content.decode()
    assert "waiting for a decision at" in page and county.g1.name in page
    assert "录取通知书.jpg" in page


def test_illness_relief_shows_the_notice_and_records_the_workers_own_consent(
    aid, county, portal_sign_in
):
    client = bound_client(portal_sign_in, aid.p1)
    form = client.get(apply_url(aid.illness_campaign)).content.decode()
    assert "为审核您的大病救助等申请" in form  # the notice's own text, before the facts
    assert form.index("为审核您的大病救助等申请") < form.index('name="diagnosis_category"')

    response = client.post(
        apply_url(aid.illness_campaign),
        {**illness_data(client, aid.illness_campaign), "consent_health": "on"},
    )

    application = AidApplication.objects.get()
    assert response.status_code == 302
    assert application.status == AidStatus.SUBMITTED
    assert (application.diagnosis_category, application.total_cost) == (
        "cancer",
        Decimal("40000.00"),
    )
    consent = Consent.objects.get(person=aid.p1)
    assert (consent.kind, consent.recorded_by) == (ConsentKind.HEALTH, None)
    # Consented once, the next form does not ask again.
    assert "consent_health" not in client.get(apply_url(aid.illness_campaign)).content.decode()


def test_without_consent_the_application_is_refused_and_nothing_is_written(
    aid, county, portal_sign_in
):
    client = bound_client(portal_sign_in, aid.p1)

    response = client.post(
        apply_url(aid.illness_campaign),
        {**illness_data(client, aid.illness_campaign), "photos": jpeg()},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Without your consent the union cannot review" in page
    assert 'value="住院化疗"' not in page  # a textarea keeps it as its content
    assert "住院化疗" in page and 'value="40000"' in page  # what was typed stays
    assert AidApplication.objects.count() == 0
    assert Consent.objects.count() == 0 and Evidence.objects.count() == 0
    assert not Message.objects.filter(person=aid.p1).exists()


def test_bad_facts_are_refused_field_by_field_and_nothing_is_written(
    aid, education, county, portal_sign_in
):
    client = bound_client(portal_sign_in, aid.p1)

    response = client.post(
        apply_url(education),
        education_data(client, education, school="", amount_requested="5000", bank_account="12"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in page
    assert "A bank account number is 8 to 30 digits." in page
    assert AidApplication.objects.count() == 0

    # Above the programme's rule: the service's own check (_check_facts) speaks.
    response = client.post(
        apply_url(education), education_data(client, education, amount_requested="5000")
    )
    assert "above what the programme&#x27;s rule allows" in response.content.decode()
    assert AidApplication.objects.count() == 0


def test_a_double_tap_makes_one_application(aid, education, county, portal_sign_in):
    client = bound_client(portal_sign_in, aid.p1)
    data = education_data(client, education)

    first = client.post(apply_url(education), data)
    second = client.post(apply_url(education), data)

    application = AidApplication.objects.get()
    assert first["Location"] == second["Location"] == detail(application)
    assert application.steps.count() == 1


def test_a_photo_that_is_not_an_image_refuses_the_application(
    aid, education, county, portal_sign_in
):
    client = bound_client(portal_sign_in, aid.p1)
    html = SimpleUploadedFile("证明.jpg", b"<html><script>x</script></html>", "image/jpeg")

    response = client.post(
        apply_url(education), {**education_data(client, education), "photos": html}
    )

    assert "This file is not a photo." in response.content.decode()
    assert AidApplication.objects.count() == 0 and Evidence.objects.count() == 0


def test_photos_are_added_on_the_page_while_undecided_and_bad_ones_refused(
    aid, education, county, portal_sign_in
):
    client = bound_client(portal_sign_in, aid.p1)
    client.post(apply_url(education), education_data(client, education))
    application = AidApplication.objects.get()

    refused = client.post(
        detail(application), {"photos": SimpleUploadedFile("a.jpg", b"not an image")}
    )
    assert "This file is not a photo." in refused.content.decode()
    assert Evidence.objects.count() == 0

    added = client.post(detail(application), {"photos": [jpeg(), jpeg(gps=False)]})
    assert added.status_code == 302
    assert Evidence.objects.filter(application=application).count() == 2

    services.aid_application_reject(by=aid.g1clerk, application=application, comment="不符合")
    page = client.get(detail(application)).content.decode()
    assert 'name="photos"' not in page
    assert client.post(detail(application), {"photos": jpeg()}).status_code == 200
    assert Evidence.objects.count() == 2


def test_another_workers_application_and_a_campaign_not_open_to_them_are_404(
    aid, education, county, portal_sign_in
):
    other = services.aid_application_submit(
        by=county.chair1,
        application=services.aid_application_create(
            by=county.chair1,
            campaign=aid.relief_campaign,
            person=aid.p1,
            amount_requested=Decimal("500.00"),
            reason="困难",
            bank_name="工商银行",
            bank_account="6222020200009999",
        ),
    )
    client = bound_client(portal_sign_in, aid.p2)

    assert client.get(detail(other)).status_code == 404
    assert client.post(detail(other), {"photos": jpeg()}).status_code == 404
    assert Evidence.objects.count() == 0
    g1_campaign = services.campaign_create(
        by=county.superuser,
        programme=services.programme_create(
            by=county.superuser, name="G1帮扶", kind=ProgrammeKind.ASSISTANCE
        ),
        year=YEAR,
        organisation=county.g1,
        starts_on=datetime(YEAR, 1, 1).date(),
        ends_on=datetime(YEAR, 12, 31).date(),
    )
    assert client.get(apply_url(g1_campaign)).status_code == 404  # p2 is of G2
    assert "G1帮扶" not in client.get(LIST).content.decode()


def test_every_step_and_the_payment_made_in_the_console_show_on_the_workers_page(
    aid, education, county, portal_sign_in, client_for
):
    client = bound_client(portal_sign_in, aid.p1)
    client.post(apply_url(education), education_data(client, education))
    application = AidApplication.objects.get()
    # The union's console shows the worker's own application like any other.
    console = client_for(aid.g1clerk).get(f"/aid/{application.pk}/")
    assert console.status_code == 200 and "张小一" in console.content.decode()
    # Entered and submitted by no staff member: the worker, in the portal.
    assert console.content.decode().count("the worker, in the portal") == 2

    services.aid_application_return(by=aid.g1clerk, application=application, comment="缺录取通知书")
    page = client.get(detail(application)).content.decode()
    assert "缺录取通知书" in page and "you can add photos" in page

    services.aid_application_submit(by=county.chair1, application=application)
    services.aid_application_approve(by=aid.g1clerk, application=application)
    services.aid_application_approve(by=county.t1staff, application=application)
    services.aid_application_approve(
        by=county.admin, application=application, amount=Decimal("1500.00")
    )
    services.aid_application_pay(by=aid.admin2, application=application, reference="B-1")

    page = client.get(detail(application)).content.decode()
    assert "¥1500.00 was paid into your account on" in page
    assert "Amount approved" in page and "¥1500.00" in page
    for label in ("Submitted", "Returned for more information", "Approved at this level"):
        assert label in page
    assert "Finally approved" in page and "Paid" in page
    assert "B-1" not in page  # the bank's reference is the union's business
    kinds = set(Message.objects.filter(person=aid.p1).values_list("kind", flat=True))
    assert {MessageKind.AID_RETURNED, MessageKind.AID_PAID} <= kinds
    assert "Paid" in client.get(LIST).content.decode()
