"""我为群众办实事: fulfilled wishes and visits counted per organisation, and nothing else."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from gonghui.outreach import services
from gonghui.outreach.models import Visit, Wish
from gonghui.outreach.vocabularies import WishStatus


def ledger_rows(client, year):
    response = client.get(reverse("outreach:ledger"), {"year": year})
    assert response.status_code == 200
    return {
        row.organisation.pk: (row.wishes, row.visits) for row in response.context["ledger"].rows
    }


def recount(organisations, year):
    expected = {}
    for org in organisations:
        wishes = Wish.objects.filter(
            organisation=org, status=WishStatus.FULFILLED, fulfilled_on__year=year
        ).count()
        visits = Visit.objects.filter(organisation=org, visited_on__year=year).count()
        if wishes or visits:
            expected[org.pk] = (wishes, visits)
    return expected


def post(county, by, organisation, person, text="愿望"):
    return services.wish_post(
        by=by, organisation=organisation, person=person, text=text, estimated_value="50"
    )


def test_the_ledger_counts_fulfilled_wishes_and_visits_per_organisation(
    county, client_for, outreach
):
    people = outreach.people
    # One more fulfilled in 2025, one claimed but open, one withdrawn, one fulfilled in 2024.
    done = post(county, county.chair1, county.g1, people.p1)
    services.wish_claim(by=county.chair1, wish=done, donor_employer=county.e1)
    services.wish_fulfil(by=county.chair1, wish=done, fulfilled_on=date(2025, 6, 1), delivered="x")
    services.wish_claim(by=county.chair1, wish=outreach.w1, donor_name="某人")
    gone = post(county, county.t2staff, county.t2, people.p3)
    services.wish_withdraw(by=county.t2staff, wish=gone, reason="不再需要")
    earlier = post(county, county.chair1, county.g1, people.p1)
    services.wish_claim(by=county.chair1, wish=earlier, donor_name="某人")
    services.wish_fulfil(
        by=county.chair1, wish=earlier, fulfilled_on=date(2024, 12, 31), delivered="x"
    )

    rows = ledger_rows(client_for(county.admin), 2025)

    all_orgs = [county.root, county.t1, county.t2, county.g1, county.g2, county.j1]
    assert rows == recount(all_orgs, 2025)
    assert rows[county.g1.pk] == (2, 1)
    assert rows[county.t2.pk] == (0, 1)
    assert ledger_rows(client_for(county.admin), 2024) == {county.g1.pk: (1, 0)}


def test_a_township_ledger_holds_its_subtree_only(county, client_for, outreach):
    t1 = ledger_rows(client_for(county.t1staff), 2025)
    chair2 = ledger_rows(client_for(county.chair2), 2025)

    assert t1 == {county.g1.pk: (1, 1)}
    assert chair2 == {}


def test_the_ledger_page_shows_the_total_of_things_done(county, client_for, outreach):
    html = client_for(county.leader).get(reverse("outreach:ledger"), {"year": 2025}).content
    html = html.decode()

    # wf (fulfilled) + v1 + v3
    assert (
        '<tr data-org="total"><th>Total</th><th>1</th><th></th><th>2</th><th></th><th>3</th>'
        in html
    )
