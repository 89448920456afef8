"""Programmes, campaigns and funds set up from the pages, and the fund's ledger page."""

from decimal import Decimal

from gonghui.aid.models import Campaign, Fund, Programme
from gonghui.aid.vocabularies import Fact

from .conftest import YEAR, approve_all_levels, relief_application


def test_a_county_admin_adds_a_programme_whose_facts_default_to_its_kind(county, aid, client_for):
    client = client_for(county.admin)
    response = client.post(
        "/aid/programmes/new/",
        {"name": "金秋助学", "kind": "education", "max_amount": "3000", "grants_per_year": 1},
    )
    assert response.status_code == 302
    programme = Programme.objects.get(name="金秋助学")
    assert programme.required_facts == [Fact.CHILD_NAME, Fact.SCHOOL, Fact.ADMISSION_YEAR]
    assert "金秋助学" in client.get("/aid/programmes/").content.decode()
    assert client_for(county.t1staff).get("/aid/programmes/new/").status_code == 403


def test_a_campaign_and_its_fund_are_set_up_and_a_second_fund_refused(county, aid, client_for):
    client = client_for(county.admin)
    response = client.post(
        "/aid/campaigns/new/",
        {
            "programme": aid.relief.pk,
            "year": YEAR + 1,
            "organisation": county.t1.pk,
            "starts_on": f"{YEAR + 1}-01-01",
            "ends_on": f"{YEAR + 1}-12-31",
            "status": "open",
        },
    )
    campaign = Campaign.objects.get(year=YEAR + 1)
    assert response["Location"] == f"/aid/campaigns/{campaign.pk}/"
    client.post(
        f"/aid/campaigns/{campaign.pk}/fund/",
        {"organisation": county.t1.pk, "budget": "5000.00"},
    )
    assert Fund.objects.get(campaign=campaign).budget == Decimal("5000.00")
    again = client.post(
        f"/aid/campaigns/{campaign.pk}/fund/", {"organisation": county.t1.pk, "budget": "1"}
    )
    assert "already has a fund" in again.content.decode()
    assert Fund.objects.filter(campaign=campaign).count() == 1
    # The township's staff see the campaign of their township, not the other township's.
    assert client_for(county.t1staff).get(f"/aid/campaigns/{campaign.pk}/").status_code == 200
    assert client_for(county.t2staff).get(f"/aid/campaigns/{campaign.pk}/").status_code == 404


def test_the_fund_page_shows_balances_and_ledger(county, aid, client_for):
    approve_all_levels(county, aid, relief_application(county, aid))
    html = client_for(county.admin).get(f"/aid/funds/{aid.relief_fund.pk}/").content.decode()
    assert "¥9000.00" in html and "Reserved" in html
    assert client_for(county.chair1).get(f"/aid/funds/{aid.relief_fund.pk}/").status_code == 404
