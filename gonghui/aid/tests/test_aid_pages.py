"""The aid pages through the scope rule: lists, the application page and its
decisions, payment list, bank export, notices and reports."""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from gonghui.aid import services
from gonghui.aid.models import AidApplication, Payment
from gonghui.aid.vocabularies import AidStatus, ConsentKind
from gonghui.people.models import RevealLog

from .conftest import YEAR, approve_all_levels, illness_consent, notice, relief_application


def test_the_list_shows_only_applications_in_scope(county, aid, client_for):
    mine = relief_application(county, aid)
    other = relief_application(county, aid, person=aid.p2, by=county.chair2)
    page = client_for(county.chair1).get("/aid/")
    assert page.status_code == 200
    assert [a.pk for a in page.context["object_list"]] == [mine.pk]
    assert client_for(county.chair1).get(f"/aid/{other.pk}/").status_code == 404
    assert client_for(county.t1staff).get(f"/aid/{other.pk}/").status_code == 200
    assert client_for(county.t2staff).get(f"/aid/{mine.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "list_status", "detail_status"),
    [
        ("admin", 200, 200),
        ("leader", 200, 200),
        ("t1staff", 200, 200),
        ("chair1", 200, 200),
        ("chair2", 200, 404),
        ("t2staff", 200, 404),
        ("outsider", 403, 403),
    ],
)
def test_who_may_open_an_application_of_g1(
    county, aid, client_for, persona, list_status, detail_status
):
    application = relief_application(county, aid)
    client = client_for(getattr(county, persona))
    assert client.get("/aid/").status_code == list_status
    assert client.get(f"/aid/{application.pk}/").status_code == detail_status
    assert client.get(f"/aid/campaigns/{aid.relief_campaign.pk}/").status_code == list_status


def test_a_visitor_is_sent_to_sign_in(client, county, aid):
    response = client.get("/aid/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_application_is_entered_from_the_page_and_refused_above_the_rule(
    county, aid, client_for
):
    client = client_for(county.chair1)
    form = client.get(f"/aid/new/?person={aid.p1.pk}")
    assert "张一" in form.context["title"]
    data = {
        "campaign": aid.relief_campaign.pk,
        "person": aid.p1.pk,
        "amount_requested": "2500.00",
        "reason": "住院",
        "bank_name": "工商银行",
        "bank_account": "6222 0202 0000 1111",
    }
    refused = client.post("/aid/new/", data)
    assert refused.status_code == 200, refused.context["form"].errors
    assert "above what the programme&#x27;s rule allows here: ¥2000.00" in refused.content.decode()
    assert not AidApplication.objects.exists()
    data["amount_requested"] = "1500.00"
    created = client.post("/aid/new/", data)
    application = AidApplication.objects.get()
    assert created["Location"] == f"/aid/{application.pk}/"
    assert application.plain_bank_account() == "6222020200001111"
    submitted = client.post(f"/aid/{application.pk}/submit/", follow=True)
    assert "awaits approval at 东镇机械厂工会" in submitted.content.decode()
    application.refresh_from_db()
    assert application.status == AidStatus.SUBMITTED


def test_a_chair_cannot_enter_aid_for_a_person_outside_the_union(county, aid, client_for):
    page = client_for(county.chair1).post(
        "/aid/new/",
        {
            "campaign": aid.relief_campaign.pk,
            "person": aid.p2.pk,
            "amount_requested": "100.00",
            "reason": "x",
        },
    )
    assert page.status_code == 200
    assert "person" in page.context["form"].errors
    assert not AidApplication.objects.exists()


def test_deciding_on_the_page_at_each_level(county, aid, client_for):
    application = relief_application(county, aid)
    refused = client_for(county.chair1).post(
        f"/aid/{application.pk}/decide/", {"decision": "approve"}
    )
    assert refused.status_code == 403
    assert "Whoever entered an application cannot approve it." in refused.content.decode()

    response = client_for(aid.g1clerk).post(
        f"/aid/{application.pk}/decide/",
        {"decision": "approve", "amount": "900.00", "comment": "ok"},
        follow=True,
    )
    assert "sent on to 东镇总工会" in response.content.decode()
    raised = client_for(county.t1staff).post(
        f"/aid/{application.pk}/decide/", {"decision": "approve", "amount": "901.00"}
    )
    assert "not raised above ¥900.00" in raised.content.decode()
    client_for(county.t1staff).post(f"/aid/{application.pk}/decide/", {"decision": "approve"})
    final = client_for(county.admin).post(
        f"/aid/{application.pk}/decide/", {"decision": "approve"}, follow=True
    )
    assert "¥900.00 reserved from the fund" in final.content.decode()
    application.refresh_from_db()
    assert (application.status, application.amount) == (AidStatus.APPROVED, Decimal("900.00"))


def test_approving_out_of_scope_is_a_404(county, aid, client_for):
    application = relief_application(county, aid)
    response = client_for(county.chair2).post(
        f"/aid/{application.pk}/decide/", {"decision": "approve"}
    )
    assert response.status_code == 404
    assert application.steps.count() == 1


def test_paying_an_unapproved_application_on_the_page_is_refused(county, aid, client_for):
    application = relief_application(county, aid)
    response = client_for(county.admin).post(f"/aid/{application.pk}/pay/", {"reference": ""})
    assert "Only an approved application can be paid." in response.content.decode()
    assert not Payment.objects.exists()


def test_the_bank_export_masks_id_numbers_unless_revealed_and_logged(county, aid, client_for):
    approve_all_levels(county, aid, relief_application(county, aid))
    client = client_for(county.admin)
    masked = load_workbook(BytesIO(client.get("/aid/payments/export/").content)).active
    rows = list(masked.values)
    assert rows[1][0] == "张一"
    assert rows[1][1] == aid.p1.masked_id_number()
    assert rows[1][3] == "6222020200001111"
    assert rows[1][4] == 1000
    # The account the bank needs is written in full, and logged; the ID number is not.
    reveals = RevealLog.objects.filter(by=county.admin, person=aid.p1)
    assert list(reveals.values_list("field", flat=True)) == ["bank_account"]
    full = load_workbook(BytesIO(client.get("/aid/payments/export/?full=1").content)).active
    assert list(full.values)[1][1] == aid.p1.plain_id_number()
    assert reveals.filter(field="id_number").count() == 1
    assert reveals.filter(field="bank_account").count() == 2
    assert client_for(county.chair1).get("/aid/payments/export/?full=1").status_code == 403


def test_marking_several_paid_at_once(county, aid, client_for):
    first = approve_all_levels(county, aid, relief_application(county, aid))
    client = client_for(county.admin)
    page = client.get("/aid/payments/")
    assert first in page.context["applications"]
    response = client.post(
        "/aid/payments/mark-paid/", {"applications": [first.pk], "reference": "批次1"}, follow=True
    )
    assert "1 payments marked paid." in response.content.decode()
    first.refresh_from_db()
    assert first.status == AidStatus.PAID
    assert Payment.objects.get().reference == "批次1"
    again = client.post("/aid/payments/mark-paid/", {"applications": [first.pk]})
    assert again.status_code == 400
    assert Payment.objects.count() == 1


def test_the_public_notice_never_shows_phone_account_or_diagnosis(county, aid, client_for):
    illness_consent(county, aid.p1)
    application = services.aid_application_create(
        by=county.chair1,
        campaign=aid.illness_campaign,
        person=aid.p1,
        amount_requested=Decimal("3000.00"),
        diagnosis_category="cancer",
        total_cost=Decimal("10000.00"),
        insurance_reimbursement=Decimal("2000.00"),
        bank_account="6222020200007777",
    )
    approve_all_levels(
        county, aid, services.aid_application_submit(by=county.chair1, application=application)
    )
    page = client_for(county.admin).get(f"/aid/campaigns/{aid.illness_campaign.pk}/notice/")
    html = page.content.decode()
    assert "张一" in html and "¥3000.00" in html
    assert aid.p1.masked_id_number() in html
    assert aid.p1.plain_id_number() not in html
    assert aid.p1.plain_phone() not in html
    assert "6222020200007777" not in html
    assert "Malignant tumour" not in html and "cancer" not in html


def test_the_person_page_shows_the_aid_history(county, aid, client_for):
    relief_application(county, aid)
    page = client_for(county.chair1).get(f"/people/{aid.p1.pk}/")
    html = page.content.decode()
    assert 'id="aid-history"' in html
    assert "帮扶救助" in html
    assert (
        'id="aid-history"'
        not in client_for(county.t1staff).get(f"/people/{aid.p2.pk}/").content.decode()
    )


def test_consent_is_recorded_from_the_page(county, aid, client_for):
    health = notice(ConsentKind.HEALTH)
    response = client_for(county.chair1).post(f"/aid/consent/{aid.p1.pk}/", {"notice": health.pk})
    assert response.status_code == 302
    assert response.url == aid.p1.get_absolute_url()
    assert aid.p1.aid_consents.get().notice == health
    assert (
        client_for(county.chair1)
        .post(f"/aid/consent/{aid.p2.pk}/", {"notice": health.pk})
        .status_code
        == 404
    )


def test_the_reports_open_for_the_year(county, aid, client_for):
    client = client_for(county.admin)
    assert client.get(f"/aid/reports/duplicates/?year={YEAR}").status_code == 200
    assert client.get(f"/aid/reports/missed/?year={YEAR}").status_code == 200
    assert client_for(county.chair1).get("/aid/reports/duplicates/").status_code == 403


def test_the_history_never_shows_health_facts_or_the_bank_account(county, aid, client_for):
    illness_consent(county, aid.p1)
    application = services.aid_application_create(
        by=county.chair1,
        campaign=aid.illness_campaign,
        person=aid.p1,
        amount_requested=Decimal("3000.00"),
        diagnosis_category="cancer",
        total_cost=Decimal("10000.00"),
        insurance_reimbursement=Decimal("2000.00"),
        bank_account="6222020200007777",
    )
    page = client_for(county.admin).get(f"/aid/{application.pk}/")
    history = page.content.decode().split('id="history"')[1]
    assert "6222020200007777" not in history
    assert "10000.00" not in history
    assert "Malignant tumour" not in history
    assert "3000.00" in history
