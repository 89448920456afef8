"""Workers and members of the shared test county (gonghui/conftest.py), for counting.

The county's employers E1 (T1, G1), E2 (T1, G2) and E3 (T2, no union), plus:

    E4  T1, covered by the joint union J1, 10 employees, food-delivery riders
    E5  T2, no union, 30 employees (25+ and still without a union)
    E6  T2, no union, 5 employees
    E7  T1, covered by G1 as well, 40 employees, another industry (F)
    E8  T2, covered by G3, which stands under the industry union I1 (outside T2)
    E9  T2, covered by J1 (T1's joint union): seen from T1 through the union, from T2 by place

Members joined last year, this year, by transfer this year (not a new member),
and one left; one member has no employer: in no employer's figures, but a new
member of the union that admitted them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import timezone

from gonghui.conftest import credit_code
from gonghui.core.idnumbers import complete_id_number
from gonghui.orgs.models import Employer, Organisation
from gonghui.orgs.services import employer_create, organisation_create
from gonghui.people import services
from gonghui.people.models import Person


@dataclass
class Extra:
    i1: Organisation
    g3: Organisation
    e4: Employer
    e5: Employer
    e6: Employer
    e7: Employer
    e8: Employer
    e9: Employer
    people: dict[str, Person]


def _id_number(seq: int) -> str:
    return complete_id_number(f"330106199{seq % 10}0101{seq:03d}")


@pytest.fixture
def extra(county) -> Extra:
    su = county.superuser
    this_year = date(timezone.localdate().year, 1, 1)
    last_year = date(this_year.year - 1, 6, 1)
    i1 = organisation_create(by=su, code="I1", name="交通工会", kind="industry", parent=county.root)
    g3 = organisation_create(by=su, code="G3", name="西镇客运站工会", kind="grassroots", parent=i1)

    def employer(n, name, township, union, count, industry="C"):
        return employer_create(
            by=su,
            credit_code=credit_code(n),
            name=name,
            industry=industry,
            ownership="non_public",
            employee_count=count,
            township=township,
            union=union,
        )

    e4 = employer(4, "东镇外卖站", county.t1, county.j1, 10, "H")
    e5 = employer(5, "西镇快递有限公司", county.t2, None, 30, "G")
    e6 = employer(6, "西镇便利店", county.t2, None, 5, "F")
    e7 = employer(7, "东镇商贸有限公司", county.t1, county.g1, 40, "F")
    e8 = employer(8, "西镇客运有限公司", county.t2, g3, 70, "G")
    e9 = employer(9, "西镇家政服务部", county.t2, county.j1, 12, "O")

    seq = iter(range(1, 1000))
    people: dict[str, Person] = {}

    def person(key, employer, group="", *, by=su):
        people[key] = services.person_create(
            by=by,
            name=f"工{key}",
            id_number=_id_number(next(seq)),
            employer=employer,
            new_form_group=group,
        )
        return people[key]

    def join(key, union, on):
        services.membership_start(by=su, person=people[key], union=union, joined_on=on)

    for key in ("e1a", "e1b", "e1c", "e1d", "e1e"):
        person(key, county.e1)
    join("e1a", county.g1, last_year)
    join("e1b", county.g1, this_year)
    join("e1c", county.g2, last_year)
    services.membership_transfer(by=su, person=people["e1c"], to_union=county.g1, on=this_year)
    join("e1d", county.g1, last_year)
    services.membership_leave(by=su, person=people["e1d"], reason="退休", on=this_year)
    for key in ("e2a", "e2b", "e2c"):
        person(key, county.e2)
    join("e2a", county.g2, last_year)
    join("e2b", county.g2, this_year)
    person("e3a", county.e3)
    person("e3b", county.e3, "courier")
    for key in ("e4a", "e4b", "e4c"):
        person(key, e4, "food_delivery")
    join("e4a", county.j1, this_year)
    join("e4b", county.j1, last_year)
    person("e5a", e5, "courier")
    person("e5b", e5)
    person("e7a", e7)
    join("e7a", county.g1, this_year)
    person("e8a", e8)
    person("e8b", e8, "ride_hailing")
    join("e8a", g3, this_year)
    join("e8b", g3, last_year)
    person("e9a", e9, "domestic")
    join("e9a", county.j1, this_year)
    # A member registered without an employer: in no employer's figures.
    person("loose", None, by=county.t1staff)
    join("loose", county.j1, this_year)

    for item in people.values():
        item.refresh_from_db()
    return Extra(i1=i1, g3=g3, e4=e4, e5=e5, e6=e6, e7=e7, e8=e8, e9=e9, people=people)
