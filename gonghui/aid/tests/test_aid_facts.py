"""What an application must carry: the programme's facts, consent before health or
income facts, and an amount within the rule."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gonghui.aid import services
from gonghui.aid.models import AidApplication, Consent
from gonghui.aid.vocabularies import ConsentKind, ProgrammeKind

from .conftest import YEAR, consent, illness_consent


def create(county, campaign, person, amount, **facts):
    return services.aid_application_create(
        by=county.chair1,
        campaign=campaign,
        person=person,
        amount_requested=Decimal(amount),
        bank_account="6222020200001111",
        **facts,
    )


def test_an_amount_above_the_programmes_maximum_is_refused(county, aid):
    with pytest.raises(ValidationError) as caught:
        create(county, aid.relief_campaign, aid.p1, "2000.01")
    assert "above what the programme's rule allows here: ¥2000.00" in str(caught.value)
    assert not AidApplication.objects.exists()


def test_illness_relief_is_capped_at_the_share_of_the_out_of_pocket_cost(county, aid):
    illness_consent(county, aid.p1)
    facts = dict(
        diagnosis_category="cancer",
        total_cost=Decimal("30000.00"),
        insurance_reimbursement=Decimal("18000.00"),
    )
    with pytest.raises(ValidationError, match="¥6000.00"):
        create(county, aid.illness_campaign, aid.p1, "6000.01", **facts)
    application = create(county, aid.illness_campaign, aid.p1, "6000.00", **facts)
    assert application.out_of_pocket == Decimal("12000.00")
    assert services.rule_cap(application) == Decimal("6000.00")


def test_missing_facts_are_named(county, aid):
    illness_consent(county, aid.p1)
    with pytest.raises(ValidationError) as caught:
        create(county, aid.illness_campaign, aid.p1, "100.00", diagnosis_category="cancer")
    assert set(caught.value.error_dict) == {"total_cost", "insurance_reimbursement"}
    assert "total medical cost" in str(caught.value)


def test_education_grants_need_the_child_the_school_and_the_admission_year(county, aid):
    programme = services.programme_create(
        by=county.superuser, name="金秋助学", kind=ProgrammeKind.EDUCATION
    )
    campaign = services.campaign_create(
        by=county.superuser,
        programme=programme,
        year=YEAR,
        organisation=county.root,
        starts_on=aid.relief_campaign.starts_on,
        ends_on=aid.relief_campaign.ends_on,
    )
    with pytest.raises(ValidationError) as caught:
        create(county, campaign, aid.p1, "500.00", child_name="张小一")
    assert set(caught.value.error_dict) == {"school", "admission_year"}
    application = create(
        county,
        campaign,
        aid.p1,
        "500.00",
        child_name="张小一",
        school="某大学",
        admission_year=YEAR,
    )
    assert application.school == "某大学"


def test_health_facts_are_refused_until_the_worker_has_consented(county, aid):
    facts = dict(
        diagnosis_category="cancer",
        total_cost=Decimal("30000.00"),
        insurance_reimbursement=Decimal("0.00"),
    )
    with pytest.raises(ValidationError, match="consent to health information"):
        create(county, aid.illness_campaign, aid.p1, "100.00", **facts)
    assert not AidApplication.objects.exists()
    illness_consent(county, aid.p1)
    consent = Consent.objects.get(person=aid.p1)
    assert (consent.kind, consent.notice.version, consent.recorded_by) == (
        ConsentKind.HEALTH,
        "1",
        county.chair1,
    )
    assert create(county, aid.illness_campaign, aid.p1, "100.00", **facts).pk


def test_income_above_the_threshold_is_refused(county, aid):
    aid.relief.income_threshold = Decimal("1200.00")
    aid.relief.save()
    consent(county.chair1, aid.p1, ConsentKind.INCOME)
    with pytest.raises(ValidationError, match="needs the household income"):
        create(county, aid.relief_campaign, aid.p1, "100.00")
    with pytest.raises(ValidationError, match="above the programme's threshold of ¥1200.00"):
        create(county, aid.relief_campaign, aid.p1, "100.00", per_capita_income=Decimal("1300"))
    assert create(
        county, aid.relief_campaign, aid.p1, "100.00", per_capita_income=Decimal("1100.00")
    ).pk


def test_a_chair_cannot_enter_aid_for_someone_of_another_union(county, aid):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied, match="outside your scope"):
        create(county, aid.relief_campaign, aid.p2, "100.00")
