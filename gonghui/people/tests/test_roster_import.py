"""Importing a roster: every row's outcome, what is written, and what never is.

The messy roster (roster_fixtures.py) is imported by chair1 into G1, the
union of employer E1, in each of the three formats.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection
from openpyxl import Workbook, load_workbook

from gonghui.core.crypto import decrypt
from gonghui.core.idnumbers import parse_id_number
from gonghui.orgs.models import Organisation
from gonghui.people import services
from gonghui.people.models import (
    PHONE_CONTEXT,
    CardCounter,
    Membership,
    Person,
    RevealLog,
    id_hash,
)
from gonghui.people.roster import importer
from gonghui.people.roster.bulk import RowInserter
from gonghui.people.roster.importer import roster_import
from gonghui.people.roster.report import write_report
from gonghui.people.vocabularies import MembershipStatus

from .conftest import valid_id
from .roster_fixtures import (
    FIRST_ROW,
    HYPERLINK_NAME,
    Case,
    cases,
    roster_id,
    row_numbers,
    write_csv,
    write_roster,
)

FORMATS = ["xlsx", "xls", "csv"]


def outcomes(result) -> dict[int, tuple[str, tuple[str, ...]]]:
    return {row: (status, reasons) for row, status, reasons in result.rows()}


def snapshot() -> tuple:
    """Everything an import could write."""
    return (
        Person.objects.count(),
        Membership.objects.count(),
        list(CardCounter.objects.values_list("prefix", "last_number")),
        LogEntry.objects.count(),
        list(Person.objects.order_by("pk").values_list("current_union_id", "card_number")),
    )


@pytest.fixture
def messy(people):
    return cases(people)


def import_as_chair(county, path, **options):
    return roster_import(by=county.chair1, union=county.g1, path=path, **options)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_row_of_the_messy_roster_gets_its_outcome(fmt, messy, county, tmp_path):
    result = import_as_chair(county, write_roster(fmt, tmp_path, messy), dry_run=True)

    got = outcomes(result)
    rows = row_numbers(fmt, messy)
    assert {case.key: got[rows[case.key]][0] for case in messy} == {
        case.key: case.status for case in messy
    }
    for case in messy:
        assert case.reason in " ".join(got[rows[case.key]][1]), case.key
    assert f"row {rows['plain']}" in " ".join(got[rows["duplicate"]][1])
    signatures = sorted(set(got) - set(rows.values()))
    assert [got[row][0] for row in signatures] == ["ignored"] * 3
    assert result.header.row == FIRST_ROW[fmt] - 1
    assert result.file_format == fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_counts_add_up_to_the_rows(fmt, messy, county, tmp_path):
    result = import_as_chair(county, write_roster(fmt, tmp_path, messy), dry_run=True)

    expected = {
        status: sum(c.status == status for c in messy)
        for status in ("imported", "warning", "rejected", "skipped")
    }
    assert result.imported == expected["imported"] + expected["warning"]
    assert result.warnings == expected["warning"]
    assert result.rejected == expected["rejected"]
    assert result.skipped == expected["skipped"]
    assert result.ignored == 3


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_dry_run_writes_nothing(fmt, messy, county, tmp_path):
    before = snapshot()

    result = import_as_chair(county, write_roster(fmt, tmp_path, messy), dry_run=True)

    assert result.imported > 0
    assert snapshot() == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_real_run_writes_the_accepted_rows(fmt, messy, county, people, tmp_path):
    before = Person.objects.count()

    result = import_as_chair(county, write_roster(fmt, tmp_path, messy))

    new = [c for c in messy if c.status in ("imported", "warning") and c.key != "joins"]
    assert Person.objects.count() == before + len(new)
    members = Membership.objects.filter(union=county.g1, status=MembershipStatus.ACTIVE)
    assert members.count() == 1 + result.imported  # p1 was a member before
    created = Person.objects.filter(memberships__created_by=county.chair1)
    assert created.count() == result.imported
    assert set(created.values_list("current_union", flat=True)) == {county.g1.pk}
    # The union covers one employer: every new person works there.
    assert set(created.exclude(pk=people.p3.pk).values_list("employer", "file_org")) == {
        (county.e1.pk, county.t1.pk)
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_values_are_stored_normalised(fmt, messy, county, tmp_path):
    import_as_chair(county, write_roster(fmt, tmp_path, messy))
    by_key = {c.key: c for c in messy}

    def person(key: str) -> Person:
        return Person.objects.get(name=by_key[key].name)

    for key in ("plain", "serial", "dotted", "iso", "slashed", "chinese", "compact"):
        assert person(key).memberships.get().joined_on == date(2021, 3, 5), key
    fullwidth = person("fullwidth")
    assert fullwidth.plain_id_number().endswith("X")
    assert fullwidth.id_hash == id_hash(fullwidth.plain_id_number())
    assert (
        person("fifteen").plain_id_number()
        == "33010619850601071" + (person("fifteen").plain_id_number()[-1])
    )
    assert len(person("fifteen").plain_id_number()) == 18
    assert person("phone_as_number").plain_phone() == "13900000029"
    assert person("bad_phone").phone_encrypted == ""
    assert person("plain").plain_phone() == "13900000011"
    plain = person("plain")
    assert (plain.ethnicity, plain.education, plain.job_title) == ("01", "bachelor", "工人")
    resident = parse_id_number(roster_id(11))
    assert (plain.birth_date, plain.gender, plain.region_code) == (
        resident.birth_date,
        resident.gender,
        resident.region_code,
    )
    assert Person.objects.get(name=HYPERLINK_NAME).plain_id_number() == roster_id(26)
    # Without a join date, the day of the import.
    assert person("fullwidth").memberships.get().joined_on == date.today()


def test_existing_people_are_never_registered_twice(messy, county, people, tmp_path):
    import_as_chair(county, write_roster("xlsx", tmp_path, messy))

    for person in (people.p1, people.p2, people.p3):
        assert Person.objects.filter(id_hash=person.id_hash).count() == 1
    people.p2.refresh_from_db()
    assert people.p2.current_union == county.g2  # a member elsewhere stays there
    people.p3.refresh_from_db()
    assert people.p3.current_union == county.g1  # not a member before: joined
    assert people.p3.employer == county.e3  # and the file was kept as it was
    assert people.p3.card_number
    assert people.p3.memberships.get().union == county.g1


def test_card_numbers_are_one_block_issued_for_the_import(messy, county, tmp_path):
    result = import_as_chair(county, write_roster("xlsx", tmp_path, messy))

    cards = sorted(
        Person.objects.filter(memberships__created_by=county.chair1).values_list(
            "card_number", flat=True
        )
    )
    numbers = [int(card[-7:]) for card in cards]
    assert len(cards) == result.imported
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert {card[:-7] for card in cards} == {f"C{date.today().year}"}


def test_the_import_leaves_one_audit_entry_on_the_union(messy, county, tmp_path):
    import_as_chair(county, write_roster("xlsx", tmp_path, messy))

    entry = LogEntry.objects.get_for_object(county.g1).latest("timestamp")
    assert entry.actor == county.chair1
    assert "roster.xlsx" in str(entry.changes)


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_the_same_file_again_adds_nothing(fmt, messy, county, tmp_path):
    path = write_roster(fmt, tmp_path, messy)
    first = import_as_chair(county, path)
    after_first = snapshot()

    second = import_as_chair(county, path)

    assert snapshot()[:3] == after_first[:3]
    assert second.imported == 0
    first_rows, second_rows = outcomes(first), outcomes(second)
    for row, (status, _reasons) in first_rows.items():
        if status in ("imported", "warning", "skipped"):
            assert second_rows[row][0] == "skipped", row
        else:
            assert second_rows[row][0] == status, row


def test_an_unexpected_database_error_rolls_the_whole_import_back(
    messy, county, tmp_path, monkeypatch
):
    path = write_roster("xlsx", tmp_path, messy)
    before = snapshot()
    # Several chunks, and the error in the middle of the third one's writes.
    monkeypatch.setattr(importer, "CHUNK_ROWS", 4)
    original = RowInserter.insert
    calls = []

    def failing(self, rows):
        calls.append(len(rows))
        if len(calls) == 5:
            raise DatabaseError("disk I/O error")
        return original(self, rows)

    monkeypatch.setattr(RowInserter, "insert", failing)

    with pytest.raises(DatabaseError):
        import_as_chair(county, path)

    assert len(calls) == 5
    assert snapshot() == before


def test_a_union_outside_the_scope_is_refused(messy, county, tmp_path):
    path = write_roster("csv", tmp_path, messy)

    with pytest.raises(PermissionDenied):
        roster_import(by=county.chair1, union=county.g2, path=path)
    with pytest.raises(ValidationError):
        roster_import(by=county.t1staff, union=county.t1, path=path)
    with pytest.raises(PermissionDenied):
        roster_import(by=county.leader, union=county.g1, path=path)


def employer_cases(county) -> list[Case]:
    return [
        Case(
            "by_code",
            "imported",
            name="甲",
            id_number=roster_id(101),
            credit_code=county.e1.credit_code,
        ),
        Case(
            "code_elsewhere",
            "warning",
            "not covered by this union",
            name="乙",
            id_number=roster_id(102),
            credit_code=county.e2.credit_code,
        ),
        Case("by_name", "imported", name="丙", id_number=roster_id(103), employer=county.e1.name),
        Case(
            "unknown_name",
            "warning",
            "No employer named",
            name="丁",
            id_number=roster_id(104),
            employer="不存在的公司",
        ),
        Case(
            "unknown_code",
            "warning",
            "No employer with the credit code",
            name="戊",
            id_number=roster_id(105),
            credit_code="91330100MA2XXXXX0X",
        ),
    ]


def test_the_employer_is_found_by_credit_code_then_by_name(county, tmp_path):
    the_cases = employer_cases(county)
    path = write_csv(tmp_path / "employers.csv", the_cases)

    result = roster_import(by=county.t1staff, union=county.g1, path=path)

    got = outcomes(result)
    rows = row_numbers("csv", the_cases)
    for case in the_cases:
        assert got[rows[case.key]][0] == case.status, case.key
        assert case.reason in " ".join(got[rows[case.key]][1]), case.key
    employers = dict(Person.objects.values_list("name", "employer"))
    assert employers["甲"] == county.e1.pk
    assert employers["乙"] == county.e2.pk  # named by its code, though another union covers it
    assert employers["丙"] == county.e1.pk
    # Not found: the union covers one employer only, so that one is taken (with the warning).
    assert employers["丁"] == county.e1.pk
    assert employers["戊"] == county.e1.pk


def test_without_an_employer_the_file_is_kept_by_the_union(county, tmp_path):
    the_cases = [
        Case("none", "warning", "without an employer", name="己", id_number=roster_id(106))
    ]
    path = write_csv(tmp_path / "joint.csv", the_cases)

    result = roster_import(by=county.t1staff, union=county.j1, path=path)

    assert result.warnings == 1
    person = Person.objects.get(name="己")
    assert person.employer is None
    assert person.file_org == county.j1
    assert person.current_union == county.j1


def test_a_code_outside_the_users_scope_is_not_an_employer(county, tmp_path):
    the_cases = [
        Case(
            "e2",
            "warning",
            "No employer with the credit code",
            name="庚",
            id_number=roster_id(107),
            credit_code=county.e2.credit_code,
        )
    ]
    path = write_csv(tmp_path / "scope.csv", the_cases)

    roster_import(by=county.chair1, union=county.g1, path=path)

    assert Person.objects.get(name="庚").employer == county.e1


def test_the_report_holds_every_original_row_and_its_result(messy, county, tmp_path):
    result = import_as_chair(county, write_roster("xlsx", tmp_path, messy))
    target = BytesIO()

    write_report(result, target)

    sheet = load_workbook(BytesIO(target.getvalue())).active
    rows = row_numbers("xlsx", messy)
    result_column = result.width + 1
    assert sheet.cell(1, 1).value == "东镇机械厂工会会员花名册"
    assert sheet.cell(4, result_column).value == "result"
    assert sheet.cell(4, result_column + 1).value == "reasons"
    assert sheet.cell(rows["plain"], 2).value == "钱一"
    assert sheet.cell(rows["plain"], result_column).value == "Imported"
    assert sheet.cell(rows["duplicate"], result_column).value == "Rejected"
    assert f"row {rows['plain']}" in sheet.cell(rows["duplicate"], result_column + 1).value
    assert sheet.cell(rows["member_here"], result_column).value == "Already a member"
    formula = sheet.cell(rows["formula_name"], 2)
    assert formula.value == HYPERLINK_NAME and formula.data_type == "s"
    assert sheet.max_row == rows["phone_as_number"] + 4  # a blank row, three signature lines


def test_a_dry_run_report_says_what_would_happen(messy, county, tmp_path):
    result = import_as_chair(county, write_roster("csv", tmp_path, messy), dry_run=True)
    target = BytesIO()

    write_report(result, target)

    sheet = load_workbook(BytesIO(target.getvalue())).active
    rows = row_numbers("csv", messy)
    assert sheet.cell(rows["plain"], result.width + 1).value == "Would be imported"


def test_the_import_reveals_nothing_and_logs_no_reveal(messy, county, tmp_path):
    import_as_chair(county, write_roster("xlsx", tmp_path, messy))

    assert RevealLog.objects.count() == 0
    phone = Person.objects.get(name="钱一").phone_encrypted
    assert "13900000011" not in phone
    assert decrypt(phone, context=PHONE_CONTEXT) == "13900000011"


def test_a_person_active_in_another_union_is_refused_naming_that_union(county, people, tmp_path):
    the_cases = [Case("p2", "rejected", "active member of", name="李二", id_number=valid_id(2))]
    path = write_csv(tmp_path / "p2.csv", the_cases)

    result = roster_import(by=None, union=county.j1, path=path)

    assert result.rejected == 1
    assert county.g2.name in " ".join(next(result.rows())[2])
    assert Organisation.objects.get(pk=county.j1.pk).memberships.count() == 0


def test_a_roster_that_starts_away_from_the_corner_keeps_its_places_in_the_report(county, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet["C3"] = "姓名"
    sheet["D3"] = "身份证号码"
    sheet["C4"] = "辛一"
    sheet["D4"] = roster_id(120)
    sheet["C5"] = "辛二"
    sheet["D5"] = "123"
    path = tmp_path / "corner.xlsx"
    workbook.save(path)
    result = import_as_chair(county, path)
    target = BytesIO()

    write_report(result, target)

    report = load_workbook(BytesIO(target.getvalue())).active
    assert [(row, status) for row, status, _reasons in result.rows()] == [
        (4, "imported"),
        (5, "rejected"),
    ]
    assert [report.cell(4, column).value for column in (3, 4, 5)] == [
        "辛一",
        roster_id(120),
        "Imported",
    ]
    assert report.cell(3, 5).value == "result"
    assert report.cell(5, 5).value == "Rejected"


def test_a_former_member_rejoins_without_overlapping_the_old_membership(county, people, tmp_path):
    su = county.superuser
    services.membership_leave(by=su, person=people.p2, reason="换工作", on=date(2023, 1, 1))
    the_cases = [
        Case(
            "p2",
            "warning",
            "previous membership ended on 2023-01-01",
            name="李二",
            id_number=valid_id(2),
            joined="2015-06-01",
        ),
    ]
    path = write_csv(tmp_path / "rejoin.csv", the_cases)

    result = import_as_chair(county, path)

    assert result.warnings == 1
    people.p2.refresh_from_db()
    assert people.p2.current_union == county.g1
    history = list(people.p2.memberships.order_by("joined_on").values_list("union", "joined_on"))
    assert history == [(county.g2.pk, date(2021, 6, 1)), (county.g1.pk, date(2023, 1, 1))]


def test_the_larger_sqlite_cache_lasts_only_as_long_as_the_import(
    messy, county, tmp_path, monkeypatch
):
    def cache_size():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    sqlite = connection.vendor == "sqlite"
    before = cache_size() if sqlite else None
    during = []
    original = RowInserter.insert

    def watching(self, rows):
        during.append(cache_size() if sqlite else None)
        return original(self, rows)

    monkeypatch.setattr(RowInserter, "insert", watching)

    import_as_chair(county, write_roster("csv", tmp_path, messy))

    assert during
    if sqlite:  # other databases size their buffers themselves: nothing to change there
        assert set(during) == {-1024 * importer.SQLITE_CACHE_MB}
        assert cache_size() == before
