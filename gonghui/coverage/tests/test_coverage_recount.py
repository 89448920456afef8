"""The coverage page's figures equal a recount done here row by row, for every persona.

Registered workers are counted for the eight groups only (their rate's
denominator); employers' rates divide by the employee counts they report.

The recount reads every employer, person and membership and decides the scope
from the organisation paths itself (a subtree is every path that begins with
the root's path), without the scope rule, the selectors or the database's
grouping.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone

from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import Membership, Person
from gonghui.people.vocabularies import NewFormGroup

PERSONAS = ("superuser", "admin", "leader", "t1staff", "t2staff", "chair1", "chair2")
FIGURES = ("employers", "large", "large_covered", "employees", "workers", "members")


def _inside(org, root) -> bool:
    return org is not None and org.path.startswith(root.path)


def recount(user, threshold: int) -> dict[str, dict[str, dict[str, int]]]:
    """{table: {key: {figure: n}}} by plain loops over every row."""
    root = None if user.is_superuser else user.organisation
    employers = {
        e.pk: e
        for e in Employer.objects.select_related("township", "union")
        if root is None or _inside(e.township, root) or _inside(e.union, root)
    }
    tables: dict[str, dict[str, dict[str, int]]] = {
        "townships": defaultdict(lambda: dict.fromkeys(FIGURES, 0)),
        "industries": defaultdict(lambda: dict.fromkeys(FIGURES, 0)),
        "groups": {value: dict.fromkeys(FIGURES, 0) for value in NewFormGroup.values},
        "total": defaultdict(lambda: dict.fromkeys(FIGURES, 0)),
    }

    def places(employer):
        return [
            tables["townships"][str(employer.township_id)],
            tables["industries"][employer.industry],
            tables["total"]["all"],
        ]

    for employer in employers.values():
        for target in places(employer):
            target["employers"] += 1
            target["employees"] += employer.employee_count
            if employer.employee_count >= threshold:
                target["large"] += 1
                if employer.union_id is not None:
                    target["large_covered"] += 1

    group_employers: dict[str, set] = defaultdict(set)
    workers = [p for p in Person.objects.all() if p.employer_id in employers]
    for person in workers:
        targets = places(employers[person.employer_id])
        if person.new_form_group:
            group = tables["groups"][person.new_form_group]
            group["workers"] += 1
            group["members"] += person.current_union_id is not None
            group_employers[person.new_form_group].add(person.employer_id)
        for target in targets:
            if person.current_union_id is not None:
                target["members"] += 1
    for group, employer_ids in group_employers.items():
        figures = tables["groups"][group]
        figures["employers"] = len(employer_ids)
        figures["employees"] = figures["workers"]
        large = [pk for pk in employer_ids if employers[pk].employee_count >= threshold]
        figures["large"] = len(large)
        figures["large_covered"] = sum(1 for pk in large if employers[pk].union_id is not None)

    return {name: dict(table) for name, table in tables.items()}


def recount_joined(user) -> dict[str, int]:
    """{township name or "elsewhere": memberships begun this year, not by transfer}."""
    year = timezone.localdate().year
    root = None if user.is_superuser else user.organisation
    counts: dict[str, int] = defaultdict(int)
    for membership in Membership.objects.select_related("union"):
        union = membership.union
        if root is not None and not _inside(union, root):
            continue
        if membership.joined_on.year != year or membership.transferred_from_id is not None:
            continue
        ancestors = Organisation.objects.filter(pk__in=union.ancestor_ids(), kind="township")
        township = ancestors.first()
        counts[township.name if township else "elsewhere"] += 1
    return dict(counts)


def shown(report) -> dict[str, dict[str, dict[str, int]]]:
    def figures(row):
        return {name: getattr(row, name) for name in FIGURES}

    return {
        "townships": {row.key: figures(row) for row in report.townships},
        "industries": {row.key: figures(row) for row in report.industries},
        "groups": {row.key: figures(row) for row in report.groups},
        "total": {"all": figures(report.total)} if report.townships else {},
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("threshold", [25, 11])
def test_every_figure_equals_a_recount(extra, county, client_for, persona, threshold):
    user = getattr(county, persona)
    response = client_for(user).get(reverse("coverage:overview"), {"min_employees": threshold})

    assert response.status_code == 200
    report = response.context["report"]
    assert report.threshold == threshold
    assert shown(report) == recount(user, threshold)
    joined = dict(report.joined)
    if "Unions above the townships" in joined:
        joined["elsewhere"] = joined.pop("Unions above the townships")
    assert joined == recount_joined(user)
    assert report.joined_total == sum(joined.values())


@pytest.mark.parametrize(
    ("persona", "employers", "members"),
    [
        # Everything but the member without an employer ("loose").
        ("admin", 9, 11),
        # E1, E2, E4, E7 by place and E9 through J1.
        ("t1staff", 5, 9),
        # E3, E5, E6, E8, E9 by place.
        ("t2staff", 5, 3),
        # E1 and E7, covered by G1.
        ("chair1", 2, 4),
    ],
)
def test_the_recount_itself_sees_what_each_persona_should(
    extra, county, persona, employers, members
):
    # Guards the recount against agreeing with the page by seeing nothing.
    total = recount(getattr(county, persona), 25)["total"]["all"]
    assert (total["employers"], total["members"]) == (employers, members)


def test_the_page_shows_the_totals_it_counted(extra, county, client_for):
    response = client_for(county.t2staff).get(reverse("coverage:overview"))
    total = response.context["report"].total
    page = response.content.decode()

    # T2: E3 (60), E5 (30) and E8 (70) have 25+ employees; only E8 has a union.
    assert (total.large, total.large_covered) == (3, 1)
    assert 'data-figure="coverage">33.3%<' in page
    assert (
        'data-figure="large-uncovered"><a href="/coverage/without-union/?min_employees=25">2<'
        in (page)
    )
    # 3 members (E8 ×2, E9 ×1) among 60 + 30 + 5 + 70 + 12 = 177 employees.
    assert 'data-figure="membership-rate">1.7%<' in page
    # New members of unions in T2's subtree: none (J1 is T1's, G3 is the industry union's).
    assert 'data-figure="joined-this-year"><a href="#joined">0<' in page


def test_new_members_are_counted_by_the_union_that_admitted_them(extra, county, client_for):
    report = client_for(county.admin).get(reverse("coverage:overview")).context["report"]

    # This year: e1b, e7a at G1; e2b at G2; e4a, e9a, "loose" at J1 (T1), and e8a at G3
    # under the industry union. e1c's transfer to G1 adds no member.
    assert report.joined == [("东镇总工会", 6), ("Unions above the townships", 1)]
    assert report.joined_total == 7
