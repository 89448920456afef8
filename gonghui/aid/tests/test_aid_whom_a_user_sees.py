"""Whom a township sees (docs/architecture.md): a worker employed in the township
whose union is an industry union elsewhere is the township's to see, and so are
that worker's aid applications; seeing them gives no right to decide on them.

    county ── IU industry union ── GI grassroots union ── chairi
              employer E4: located in T1, covered by GI; p4 works there
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gonghui.accounts.models import Role
from gonghui.aid import selectors, services
from gonghui.aid.models import AidApplication
from gonghui.aid.vocabularies import AidStatus, ProgrammeKind
from gonghui.conftest import credit_code, make_user
from gonghui.orgs.models import OrgKind
from gonghui.orgs.services import employer_create, organisation_create
from gonghui.people import services as people_services
from gonghui.people.models import Person

from .conftest import YEAR, register


@pytest.fixture
def elsewhere(county, aid):
    """An industry union's worker at an employer located in T1, with an application."""
    su = county.superuser
    iu = organisation_create(
        by=su, code="IU", name="建筑行业工会", kind=OrgKind.INDUSTRY, parent=county.root
    )
    gi = organisation_create(
        by=su, code="GI", name="路桥公司工会", kind=OrgKind.GRASSROOTS, parent=iu
    )
    e4 = employer_create(
        by=su,
        credit_code=credit_code(4),
        name="路桥公司",
        industry="E",
        ownership="non_public",
        employee_count=80,
        township=county.t1,
        union=gi,
    )
    p4 = register(county, 14, "赵四", e4)
    people_services.membership_start(by=su, person=p4, union=gi, joined_on=date(2020, 1, 1))
    chairi = make_user("chairi", gi, Role.GRASSROOTS_CHAIR)
    application = services.aid_application_create(
        by=chairi,
        campaign=aid.relief_campaign,
        person=p4,
        amount_requested=Decimal("800.00"),
        reason="家庭困难",
        bank_name="工商银行",
        bank_account="6222020200004444",
    )
    application = services.aid_application_submit(by=chairi, application=application)
    return p4, application


def test_the_township_where_the_employer_sits_sees_the_worker_and_the_application(
    client, county, elsewhere
):
    p4, application = elsewhere
    assert Person.objects.for_user(county.t1staff).filter(pk=p4.pk).exists()
    assert selectors.applications_for(county.t1staff).filter(pk=application.pk).exists()

    client.force_login(county.t1staff)
    assert client.get(reverse("aid:application-detail", args=[application.pk])).status_code == 200
    listing = client.get(reverse("aid:application-list"), {"q": p4.name})
    assert p4.name in listing.content.decode()
    page = client.get(reverse("people:person-detail", args=[p4.pk]))
    assert reverse("aid:application-detail", args=[application.pk]) in page.content.decode()


def test_neighbours_still_see_neither(client, county, elsewhere):
    p4, application = elsewhere
    for user in (county.t2staff, county.chair1, county.chair2):
        assert not selectors.applications_for(user).filter(pk=application.pk).exists()
        client.force_login(user)
        url = reverse("aid:application-detail", args=[application.pk])
        assert client.get(url).status_code == 404


def test_seeing_an_application_gives_no_right_to_decide_on_it(county, elsewhere):
    _, application = elsewhere
    with pytest.raises(PermissionDenied):
        services.aid_application_approve(by=county.t1staff, application=application)
    application.refresh_from_db()
    assert application.status == AidStatus.SUBMITTED


def test_the_duplicates_report_lists_only_people_whose_grants_the_reader_can_open(
    client, county, aid, elsewhere
):
    p4, application = elsewhere
    grants = services.programme_create(
        by=county.superuser,
        name="职工互助",
        kind=ProgrammeKind.CUSTOM,
        max_amount=Decimal("3000.00"),
    )
    campaign = services.campaign_create(
        by=county.superuser,
        programme=grants,
        year=YEAR,
        organisation=county.root,
        starts_on=date(YEAR, 1, 1),
        ends_on=date(YEAR, 12, 31),
    )
    second = services.aid_application_create(
        by=county.superuser,
        campaign=campaign,
        person=p4,
        amount_requested=Decimal("3000.00"),
        reason="子女上学",
        bank_name="工商银行",
        bank_account="6222020200004444",
    )
    # The report reads granted states only; how they were reached is proven elsewhere.
    AidApplication.objects.filter(pk__in=[application.pk, second.pk]).update(
        status=AidStatus.APPROVED, amount=Decimal("500.00"), year=YEAR
    )

    rows = selectors.duplicates_report(county.t1staff, YEAR)
    assert [row.person for row in rows] == [p4]
    for row in rows:
        visible = selectors.applications_for(county.t1staff).filter(
            person=row.person, year=YEAR, status__in=(AidStatus.APPROVED, AidStatus.PAID)
        )
        assert visible.count() == row.grants

    client.force_login(county.t1staff)
    page = client.get(reverse("aid:duplicates"), {"year": YEAR}).content.decode()
    assert p4.name in page
    client.force_login(county.t2staff)
    page = client.get(reverse("aid:duplicates"), {"year": YEAR}).content.decode()
    assert p4.name not in page


def test_every_way_of_asking_the_scope_rule_gives_the_same_rows(county, elsewhere):
    """core.scope asks the rule by joins, by subqueries or not at all, by cost;
    the rows are those of the plain rule (any scope field in the subtree)."""
    from django.apps import apps

    from gonghui.core.scope import ScopedQuerySet, joined_condition

    readers = [county.admin, county.leader, county.t1staff, county.t2staff]
    readers += [county.chair1, county.chair2]
    checked = 0
    for model in apps.get_models():
        queryset = model._default_manager.all()
        if not isinstance(queryset, ScopedQuerySet) or not queryset.exists():
            continue
        for user in readers:
            plain = model._base_manager.filter(
                joined_condition(type(queryset).scope_fields, user.organisation.path)
            )
            # UserQuerySet and CampaignQuerySet add rules of their own on top.
            seen = set(ScopedQuerySet.for_user(queryset, user).values_list("pk", flat=True))
            assert seen == set(plain.values_list("pk", flat=True)), (model, user)
            checked += 1
    assert checked >= 6 * 8
