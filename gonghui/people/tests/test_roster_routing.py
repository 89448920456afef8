"""A roster row finds its employer by the rule join applications follow; a rejected row says why.

东镇小餐馆  an employer of township T1 without a union: its workers join J1,
           T1's joint union (people.services.route_union)
"""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from gonghui.core.idnumbers import complete_id_number
from gonghui.people import services
from gonghui.people.models import Person
from gonghui.people.roster.importer import roster_import
from gonghui.people.vocabularies import JoinChannel, NewFormGroup

from .conftest import valid_id
from .roster_fixtures import roster_id

HEADER = ["姓名", "身份证号码", "工作单位", "统一社会信用代码", "新就业形态群体", "入会日期"]


def write(tmp_path, rows: list[list]) -> str:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    return str(path)


def outcomes(result) -> list[tuple[str, tuple[str, ...]]]:
    return [(status, reasons) for _row, status, reasons in result.rows()]


def join_union(employer, seq: int, group: str = ""):
    application = services.join_application_submit(
        employer=employer,
        channel=JoinChannel.PORTAL,
        person_data={"name": "申请人", "id_number": valid_id(seq)},
        new_form_group=group,
    )
    return application.union


@pytest.mark.parametrize("by", ["name", "credit_code"])
def test_a_roster_row_and_a_join_application_for_one_employer_reach_one_union(
    by, county, uncovered_t1_employer, tmp_path
):
    cells = ["东镇小餐馆", ""] if by == "name" else ["", uncovered_t1_employer.credit_code]
    path = write(tmp_path, [["钱一", roster_id(401), *cells, "", ""]])

    result = roster_import(by=county.t1staff, union=county.j1, path=path)

    person = Person.objects.get(name="钱一")
    assert outcomes(result) == [("imported", ())]
    assert (person.employer, person.current_union, person.file_org) == (
        uncovered_t1_employer,
        county.j1,
        county.t1,
    )
    assert join_union(uncovered_t1_employer, 401) == person.current_union


def test_a_new_form_worker_of_a_covered_employer_is_found_by_the_joint_union(county, tmp_path):
    path = write(tmp_path, [["快递一", roster_id(402), "东镇机械有限公司", "", "快递员", ""]])

    result = roster_import(by=county.t1staff, union=county.j1, path=path)

    person = Person.objects.get(name="快递一")
    assert outcomes(result) == [("imported", ())]
    assert (person.employer, person.new_form_group) == (county.e1, NewFormGroup.COURIER)
    assert join_union(county.e1, 402, NewFormGroup.COURIER) == person.current_union == county.j1


def test_an_employer_whose_workers_join_elsewhere_is_not_taken_by_its_name(
    county, uncovered_t1_employer, tmp_path
):
    # E1's workers (not of the eight groups) join G1, not the joint union.
    path = write(tmp_path, [["钱二", roster_id(403), "东镇机械有限公司", "", "", ""]])

    result = roster_import(by=county.t1staff, union=county.j1, path=path)

    [(status, reasons)] = outcomes(result)
    assert status == "warning"
    assert "No employer named" in " ".join(reasons)
    assert Person.objects.get(name="钱二").employer is None
    assert join_union(county.e1, 403) == county.g1


def test_a_rejected_row_says_why_and_never_that_anything_was_saved(county, tmp_path):
    unknown_region = complete_id_number("33999919850601025")
    path = write(
        tmp_path,
        [
            ["秦一", unknown_region, "", "", "", "2099-01-01"],
            ["秦二", roster_id(404), "", "", "", "2021-03"],
            ["秦三", roster_id(404), "", "", "", "2021-03"],
        ],
    )

    result = roster_import(by=county.chair1, union=county.g1, path=path, dry_run=True)

    rows = outcomes(result)
    assert [status for status, _reasons in rows] == ["rejected", "warning", "rejected"]
    future, _fine, duplicate = (" ".join(reasons) for _status, reasons in rows)
    assert "in the future" in future
    assert "same ID number as row" in duplicate
    for text in (future, duplicate):
        for claim in ("accepted", "recorded", "saved"):
            assert claim not in text, text


def test_a_member_of_a_union_outside_the_importers_scope_is_of_another_union(
    county, people, tmp_path
):
    path = write(tmp_path, [["李二", valid_id(2), "", "", "", ""]])

    result = roster_import(by=county.chair1, union=county.g1, path=path, dry_run=True)

    [(status, reasons)] = outcomes(result)
    assert status == "rejected"
    assert "active member of another union" in reasons[0]
    assert county.g2.name not in reasons[0]
    people.p2.refresh_from_db()
    assert people.p2.current_union == county.g2
