from collections import Counter

import pytest

from gonghui.accounts.models import User
from gonghui.core.creditcodes import credit_code_problem
from gonghui.core.scope import path_segment
from gonghui.demo.county import COVERAGE_THRESHOLD, MIN_EMPLOYERS
from gonghui.demo.tests.helpers import SMALL_SCALE, build
from gonghui.orgs.models import Employer, Organisation, OrgKind


@pytest.fixture
def demo(db):
    build(7)


def test_every_credit_code_validates(demo):
    employer_codes = list(Employer.objects.values_list("credit_code", flat=True))
    union_codes = list(
        Organisation.objects.exclude(credit_code=None).values_list("credit_code", flat=True)
    )
    assert [code for code in employer_codes if credit_code_problem(code)] == []
    assert [code for code in union_codes if credit_code_problem(code)] == []
    assert all(code.startswith("81") for code in union_codes)
    assert Organisation.objects.filter(kind=OrgKind.GRASSROOTS).exclude(credit_code=None)
    # Besides enterprises (9…): public institutions (1…), and authorities N and Y.
    assert {code[0] for code in employer_codes} >= {"9", "1", "N", "Y"}


def test_the_tree_paths_are_consistent(demo):
    organisations = {org.pk: org for org in Organisation.objects.all()}
    for org in organisations.values():
        parent = organisations.get(org.parent_id)
        assert org.path == (parent.path if parent else "") + path_segment(org.pk)
        assert org.depth == (parent.depth + 1 if parent else 0)
    kinds = Counter(org.kind for org in organisations.values())
    assert kinds[OrgKind.COUNTY] == 1
    assert kinds[OrgKind.TOWNSHIP] == 15
    assert kinds[OrgKind.JOINT] == 15 + 8  # one per township, one per new business form
    names = [org.name for org in organisations.values() if org.kind == OrgKind.TOWNSHIP]
    assert all(name.endswith(("镇总工会", "街道总工会")) for name in names)
    assert len(set(names)) == len(names)


def test_township_staff_see_only_their_township(demo):
    staff = User.objects.get(username="township1")
    township = staff.organisation
    visible = Organisation.objects.for_user(staff)
    assert set(visible) == set(Organisation.objects.filter(path__startswith=township.path))
    assert visible.filter(kind=OrgKind.GRASSROOTS).exists()
    assert not visible.filter(kind=OrgKind.TOWNSHIP).exclude(pk=township.pk).exists()
    for username in ("chair1", "chair2"):
        assert visible.filter(pk=User.objects.get(username=username).organisation_id).exists()
    neighbour = User.objects.get(username="township2")
    assert not Organisation.objects.for_user(neighbour).filter(path__startswith=township.path)


def test_some_employers_of_25_or_more_have_no_union(demo):
    large = Employer.objects.filter(employee_count__gte=COVERAGE_THRESHOLD)
    assert large.filter(union__isnull=True).exists()
    assert large.filter(union__kind=OrgKind.GRASSROOTS).exists()
    without = Employer.objects.without_union().count()
    assert 0.2 < without / Employer.objects.count() < 0.5
    assert Employer.objects.filter(union__kind=OrgKind.JOINT).exists()


def test_a_small_scale_still_makes_a_county_of_real_size(demo):
    assert Employer.objects.count() == MIN_EMPLOYERS
    employees = sum(Employer.objects.values_list("employee_count", flat=True))
    assert abs(employees - SMALL_SCALE) < SMALL_SCALE * 0.05
    assert len(set(Employer.objects.values_list("name", flat=True))) == MIN_EMPLOYERS


def test_a_grassroots_chair_sees_only_the_employer_of_their_union(demo):
    chair = User.objects.get(username="chair1")
    employers = Employer.objects.for_user(chair)
    assert employers.exists()
    assert set(employers.values_list("union_id", flat=True)) == {chair.organisation_id}
