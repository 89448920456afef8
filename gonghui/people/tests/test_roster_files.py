"""Roster files: the format is told by content, and a bad file gets one message and no writes."""

from __future__ import annotations

import zipfile

import pytest
from openpyxl import Workbook

from gonghui.core.idnumbers import complete_id_number
from gonghui.people.models import Membership, Person
from gonghui.people.roster.importer import roster_import
from gonghui.people.roster.reader import RosterFileError

from .roster_fixtures import cases, write_csv, write_roster, write_xlsx

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + bytes(range(256)) * 4


def refused(county, path) -> str:
    """The one message a bad file gets; the database is left as it was."""
    before = (Person.objects.count(), Membership.objects.count())
    with pytest.raises(RosterFileError) as caught:
        roster_import(by=county.chair1, union=county.g1, path=path)
    assert (Person.objects.count(), Membership.objects.count()) == before
    return caught.value.message


def test_a_picture_named_xlsx_is_not_a_spreadsheet(county, tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(PNG)

    assert "not a spreadsheet" in refused(county, path)


def test_a_word_document_is_not_a_spreadsheet(county, tmp_path):
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")

    assert "not a spreadsheet" in refused(county, path)


def test_an_empty_file_says_so(county, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(b"")

    assert refused(county, path) == "The file is empty."


def test_a_truncated_workbook_is_damaged(people, county, tmp_path):
    whole = write_xlsx(tmp_path / "whole.xlsx", cases(people)).read_bytes()
    path = tmp_path / "roster.xlsx"
    path.write_bytes(whole[: len(whole) // 2])

    assert "damaged or incomplete" in refused(county, path)


def test_a_zip_bomb_dressed_as_a_workbook_is_refused_before_it_is_parsed(county, tmp_path):
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))

    assert path.stat().st_size < 100_000
    assert "unpacks to more than" in refused(county, path)


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused(people, county, tmp_path, settings):
    path = write_xlsx(tmp_path / "roster.xlsx", cases(people))
    settings.ROSTER_MAX_UNPACKED_BYTES = 20_000

    assert "unpacks to more than" in refused(county, path)


def test_a_zip_whose_headers_understate_its_size_is_still_measured(county, tmp_path):
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    data = bytearray(path.read_bytes())
    # Claim 100 bytes unpacked in the central directory entry of the sheet.
    entry = data.rfind(b"PK\x01\x02")
    data[entry + 24 : entry + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))

    # Inflating it shows the lie (a CRC error past the claimed size): refused unparsed.
    assert "damaged or incomplete" in refused(county, path)


def test_a_broken_excel_97_file_says_what_to_do(county, tmp_path):
    path = tmp_path / "roster.xls"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 600)

    assert "Excel 97-2003" in refused(county, path)


def test_text_without_a_header_row_says_which_columns_are_needed(county, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("这是一份说明文字，\n不是花名册。\n", encoding="utf-8")

    message = refused(county, path)

    assert "No header row" in message and "姓名" in message and "身份证号码" in message


@pytest.mark.parametrize(("fmt", "named"), [("xlsx", "csv"), ("csv", "xlsx"), ("xls", "xlsx")])
def test_the_format_is_told_by_content_not_by_the_name(fmt, named, people, county, tmp_path):
    path = write_roster(fmt, tmp_path, cases(people), suffix=named)

    result = roster_import(by=county.chair1, union=county.g1, path=path, dry_run=True)

    assert path.suffix == f".{named}"
    assert result.file_format == fmt
    assert result.imported > 0


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8", "utf-8-sig", "utf-16"])
def test_csv_files_in_each_encoding_excel_writes_are_read(encoding, people, county, tmp_path):
    the_cases = cases(people)
    path = write_csv(tmp_path / "roster.csv", the_cases, encoding=encoding)

    roster_import(by=county.chair1, union=county.g1, path=path)

    assert Person.objects.filter(name="钱一").exists()
    assert Person.objects.filter(name="韩十三").exists()


def test_a_tab_separated_text_file_is_read(county, tmp_path):
    path = tmp_path / "roster.txt"
    number = complete_id_number("33010619850601001")
    path.write_text(f"姓名\t身份证号码\t手机\n张新\t{number}\t13900000001\n", encoding="utf-8")

    result = roster_import(by=county.chair1, union=county.g1, path=path)

    assert result.imported == 1
    assert Person.objects.get(name="张新").plain_phone() == "13900000001"


def test_the_roster_is_the_first_visible_sheet_with_a_header(county, tmp_path):
    number = complete_id_number("33010619850601002")
    workbook = Workbook()
    notes = workbook.active
    notes.title = "填表说明"
    notes.append(["请按下表填写，身份证号码列设为文本格式。"])
    hidden = workbook.create_sheet("旧表")
    hidden.append(["姓名", "身份证号"])
    hidden.append(["旧人", complete_id_number("33010619850601003")])
    hidden.sheet_state = "hidden"
    roster = workbook.create_sheet("名单")
    roster.append(["姓名", "身份证号"])
    roster.append(["新人", number])
    path = tmp_path / "roster.xlsx"
    workbook.save(path)

    result = roster_import(by=county.chair1, union=county.g1, path=path)

    assert (result.sheet_name, result.imported) == ("名单", 1)
    assert Person.objects.filter(name="新人").exists()
    assert not Person.objects.filter(name="旧人").exists()
