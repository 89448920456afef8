"""``gonghui roster import``: the JSON shape, stdout kept for the result, the report file."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from gonghui.people.models import Membership, Person

from .roster_fixtures import cases, row_numbers, write_roster


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("roster", "import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def roster(people, tmp_path):
    the_cases = cases(people)
    return write_roster("xlsx", tmp_path, the_cases), the_cases


def test_json_is_one_object_with_the_counts_and_every_row(roster, county):
    path, the_cases = roster

    out, err = run(str(path), "--union", "G1", "--json")

    data = json.loads(out)  # the whole of stdout is one JSON object
    assert {"imported", "rejected", "warnings", "rows"} <= set(data)
    expected_rejected = sum(c.status == "rejected" for c in the_cases)
    assert data["rejected"] == expected_rejected
    assert data["warnings"] == sum(c.status == "warning" for c in the_cases)
    assert data["imported"] == sum(c.status in ("imported", "warning") for c in the_cases)
    assert data["dry_run"] is False
    rows = {item["row"]: item for item in data["rows"]}
    for case in the_cases:
        item = rows[row_numbers("xlsx", the_cases)[case.key]]
        assert set(item) == {"row", "status", "reasons"}
        assert item["status"] == case.status
        assert isinstance(item["reasons"], list)
    assert Person.objects.filter(name="钱一").exists()
    assert "%" in err  # the progress went to stderr


def test_a_dry_run_from_the_command_line_writes_nothing(roster, county):
    path, _cases = roster
    before = (Person.objects.count(), Membership.objects.count())

    out, _err = run(str(path), "--union", "G1", "--dry-run", "--json")

    assert json.loads(out)["dry_run"] is True
    assert json.loads(out)["imported"] > 0
    assert (Person.objects.count(), Membership.objects.count()) == before


def test_the_report_file_holds_the_results(roster, county, tmp_path):
    path, the_cases = roster
    report = tmp_path / "result.xlsx"

    out, _err = run(str(path), "--union", "G1", "--report", str(report))

    sheet = load_workbook(report).active
    header = [cell.value for cell in sheet[4]]
    assert header[-2:] == ["result", "reasons"]
    row = row_numbers("xlsx", the_cases)["missing_name"]
    assert sheet.cell(row, len(header) - 1).value == "Rejected"
    assert str(report) in out


def test_the_plain_output_lists_the_rows_that_were_not_simply_imported(roster, county):
    path, the_cases = roster

    out, _err = run(str(path), "--union", "G1", "--dry-run")

    rows = row_numbers("xlsx", the_cases)
    assert out.startswith("Dry run, nothing was written")
    assert f"row {rows['missing_name']}: Rejected. The name is missing." in out
    assert f"row {rows['plain']}:" not in out


def test_acting_as_a_chair_keeps_to_the_chairs_union(roster, county):
    path, _cases = roster

    with pytest.raises(CommandError, match="outside your scope"):
        run(str(path), "--union", "G2", "--user", "chair1")

    out, _err = run(str(path), "--union", "G1", "--user", "chair1", "--json")
    assert json.loads(out)["imported"] > 0
    assert Membership.objects.filter(created_by=county.chair1).exists()


def test_an_error_with_json_still_prints_one_json_object(county, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"%PDF-1.4\n\x00\x01\x02")
    out = StringIO()

    with pytest.raises(CommandError, match="not a spreadsheet"):
        call_command(
            "roster", "import", str(path), "--union", "G1", "--json", stdout=out, stderr=StringIO()
        )

    data = json.loads(out.getvalue())
    assert "not a spreadsheet" in data["error"]
    assert data["imported"] == 0 and data["rows"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--union", "NOPE"], "No organisation has the code"),
        (["--union", "T1"], "grassroots or joint union"),
        (["--union", "G1", "--user", "nobody"], "No active account"),
    ],
)
def test_wrong_arguments_are_explained(args, message, roster, county):
    path, _cases = roster

    with pytest.raises(CommandError, match=message):
        run(str(path), *args)


def test_a_missing_file_is_explained(county, tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        run(str(tmp_path / "nothing.xlsx"), "--union", "G1")
