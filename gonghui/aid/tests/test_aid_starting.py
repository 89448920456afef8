"""Starting an application without dead ends: consent from the worker's file or on the
application form itself (a notice version chosen, never typed), the worker chosen on
the page, a draft's campaign changed, a draft deleted; versions of the notices
published by the county."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.aid import services
from gonghui.aid.evidence import evidence_add
from gonghui.aid.models import AidApplication, Consent, PrivacyNotice
from gonghui.aid.vocabularies import AidStatus, ConsentKind

from .conftest import illness_consent, notice, relief_application

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def income_rule(aid):
    aid.relief.income_threshold = Decimal("1200.00")
    aid.relief.save()
    return aid


def form_data(aid, **extra) -> dict:
    return {
        "campaign": aid.relief_campaign.pk,
        "person": aid.p1.pk,
        "worker": "张",
        "amount_requested": "800.00",
        "reason": "家庭困难",
        "per_capita_income": "1000.00",
        "bank_name": "工商银行",
        "bank_account": "6222020200001111",
        **extra,
    }


# --- consent on the application form -------------------------------------------------


def test_the_first_application_is_saved_with_the_consent_given_on_its_form(
    county, income_rule, client_for
):
    aid = income_rule
    income = notice(ConsentKind.INCOME)
    response = client_for(county.chair1).post("/aid/new/", form_data(aid, consents=[income.pk]))

    application = AidApplication.objects.get()
    assert response.status_code == 302
    assert response.url == application.get_absolute_url()
    assert application.per_capita_income == Decimal("1000.00")
    consent = Consent.objects.get(person=aid.p1)
    assert (consent.notice, consent.recorded_by) == (income, county.chair1)


def test_without_consent_the_form_comes_back_with_what_was_typed(county, income_rule, client_for):
    aid = income_rule
    response = client_for(county.chair1).post("/aid/new/", form_data(aid))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Record the worker&#x27;s separate consent to income information first" in page
    assert 'value="1000.00"' in page and 'value="家庭困难"' not in page  # a textarea
    assert "家庭困难</textarea>" in page
    assert f'name="person" value="{aid.p1.pk}" checked' in page
    assert not AidApplication.objects.exists() and not Consent.objects.exists()


def test_a_refused_application_records_no_consent_either(county, income_rule, client_for):
    aid = income_rule
    income = notice(ConsentKind.INCOME)
    data = form_data(aid, consents=[income.pk], per_capita_income="1500.00")
    response = client_for(county.chair1).post("/aid/new/", data)

    assert response.status_code == 200
    assert "above the programme&#x27;s threshold" in response.content.decode()
    assert not Consent.objects.exists() and not AidApplication.objects.exists()


def test_the_form_offers_only_the_consents_not_on_file(county, aid, client_for):
    illness_consent(county, aid.p1)
    application = services.aid_application_create(
        by=county.chair1,
        campaign=aid.relief_campaign,
        person=aid.p1,
        amount_requested=Decimal("500.00"),
        reason="困难",
    )
    form = client_for(county.chair1).get(f"/aid/{application.pk}/edit/").context["form"]
    assert [n.kind for n in form.fields["consents"].queryset] == [ConsentKind.INCOME]


# --- consent from the worker's file ----------------------------------------------------


def test_consent_is_recorded_from_the_workers_file_and_returns_to_the_form(county, aid, client_for):
    client = client_for(county.chair1)
    person_page = client.get(f"/people/{aid.p1.pk}/").content.decode()
    assert f'href="/aid/consent/{aid.p1.pk}/"' in person_page
    assert "No consent recorded." in person_page

    page = client.get(f"/aid/consent/{aid.p1.pk}/?kind=income&next=/aid/new/%3Fperson%3D1")
    income = notice(ConsentKind.INCOME)
    assert page.context["form"].initial == {"notice": income.pk}
    assert income.text[:20] in page.content.decode()

    response = client.post(
        f"/aid/consent/{aid.p1.pk}/", {"notice": income.pk, "next": "/aid/new/?person=1"}
    )
    assert response.url == "/aid/new/?person=1"
    person_page = client.get(f"/people/{aid.p1.pk}/").content.decode()
    assert 'id="aid-consents"' in person_page and "version 1" in person_page


def test_consent_never_returns_to_another_site(county, aid, client_for):
    income = notice(ConsentKind.INCOME)
    response = client_for(county.chair1).post(
        f"/aid/consent/{aid.p1.pk}/", {"notice": income.pk, "next": "https://evil.example/"}
    )
    assert response.url == aid.p1.get_absolute_url()


def test_a_notice_not_yet_in_force_cannot_be_consented_to(county, aid):
    later = services.privacy_notice_publish(
        by=county.superuser,
        kind=ConsentKind.INCOME,
        version="2",
        text="新的告知",
        in_force_from=date(2999, 1, 1),
    )
    with pytest.raises(ValidationError, match="not in force"):
        services.consent_record(by=county.chair1, person=aid.p1, notice=later)


def test_the_county_publishes_a_new_version_and_never_the_same_twice(county, client_for):
    client = client_for(county.admin)
    data = {"kind": "income", "version": "2", "text": "第二版告知", "in_force_from": "2026-06-01"}
    assert client.post("/aid/notices/new/", data).status_code == 302
    assert PrivacyNotice.objects.get(version="2").text == "第二版告知"
    again = client.post("/aid/notices/new/", {**data, "text": "改过的文字"})
    assert "already has this version" in again.content.decode()
    assert PrivacyNotice.objects.get(version="2").text == "第二版告知"
    assert client_for(county.chair1).post("/aid/notices/new/", data).status_code == 403
    assert "第二版告知" in client_for(county.chair1).get("/aid/notices/").content.decode()


# --- starting from the list --------------------------------------------------------------


def test_the_list_offers_a_new_application_and_the_page_a_worker_chooser(county, aid, client_for):
    client = client_for(county.chair1)
    assert 'href="/aid/new/"' in client.get("/aid/").content.decode()
    page = client.get("/aid/new/").content.decode()
    assert 'hx-get="/people/workers/"' in page
    choices = client.get("/people/workers/", {"worker": "张"}).content.decode()
    assert f'value="{aid.p1.pk}"' in choices


def test_a_worker_outside_scope_cannot_be_chosen(county, aid, client_for):
    response = client_for(county.chair1).post("/aid/new/", form_data(aid, person=aid.p3.pk))
    assert response.status_code == 200
    assert "Choose the worker from the suggestions." in response.content.decode()
    assert aid.p3.name not in response.content.decode()
    assert not AidApplication.objects.exists()


# --- a draft's campaign, deleting a draft ------------------------------------------------


def draft(county, aid) -> AidApplication:
    return services.aid_application_create(
        by=county.chair1,
        campaign=aid.relief_campaign,
        person=aid.p1,
        amount_requested=Decimal("800.00"),
        reason="家庭困难",
    )


def test_a_drafts_campaign_changes_under_the_new_programmes_rules(county, aid, client_for):
    application = draft(county, aid)
    client = client_for(county.chair1)
    data = {"campaign": aid.illness_campaign.pk, "amount_requested": "800.00", "reason": "住院"}
    refused = client.post(f"/aid/{application.pk}/edit/", data)
    assert "The programme needs this: diagnosis category." in refused.content.decode()
    application.refresh_from_db()
    assert application.campaign == aid.relief_campaign

    health = notice(ConsentKind.HEALTH)
    data |= {
        "diagnosis_category": "cancer",
        "total_cost": "20000.00",
        "insurance_reimbursement": "5000.00",
        "consents": [health.pk],
    }
    assert client.post(f"/aid/{application.pk}/edit/", data).status_code == 302
    application.refresh_from_db()
    assert (application.campaign, application.programme) == (aid.illness_campaign, aid.illness)


def test_only_a_draft_changes_campaign(county, aid):
    returned = relief_application(county, aid)
    services.aid_application_return(by=aid.g1clerk, application=returned, comment="补材料")
    with pytest.raises(ValidationError, match="Only a draft can move"):
        services.aid_application_update(
            by=county.chair1,
            application=returned,
            amount_requested=Decimal("800.00"),
            campaign=aid.illness_campaign,
        )


def test_a_draft_is_deleted_with_its_evidence_files(
    county, aid, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    application = draft(county, aid)
    item = evidence_add(
        by=county.chair1,
        application=application,
        kind="income",
        upload=SimpleUploadedFile("证明.pdf", PDF, content_type="application/pdf"),
    )
    stored = tmp_path / item.file.name
    assert stored.exists()
    client = client_for(county.chair1)
    assert (
        f'href="/aid/{application.pk}/delete/"'
        in client.get(application.get_absolute_url()).content.decode()
    )

    with pytest.raises(PermissionDenied):
        services.aid_application_delete(by=county.chair2, application=application)
    assert client_for(county.chair2).post(f"/aid/{application.pk}/delete/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(county.chair1).post(f"/aid/{application.pk}/delete/")
    assert response.status_code == 302 and response.url == "/aid/"
    assert not AidApplication.objects.exists()
    assert not stored.exists()


def test_a_submitted_application_is_cancelled_not_deleted(county, aid):
    application = relief_application(county, aid)
    with pytest.raises(ValidationError, match="cancel this one instead"):
        services.aid_application_delete(by=county.chair1, application=application)
    assert AidApplication.objects.get().status == AidStatus.SUBMITTED
