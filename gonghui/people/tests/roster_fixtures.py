"""A messy roster, written as .xlsx, .xls and .csv at test time.

One table of cases, each a data row with the outcome it must get, laid out
the way real rosters are: a title and a subtitle above a two-row header with
merged group cells (.xlsx, .xls) or a title and a blank row above one header
row in other spellings (.csv), signature lines and blank rows under the
table. The .csv is what Excel writes: every cell as text, dates as 2021/3/5,
a number cell holding an ID number as 3.30106E+17.

The import target of the cases is union G1 of the shared county, which covers
one employer (E1); people p1 (member of G1), p2 (member of G2) and p3 (no
union) of people/tests/conftest.py are already registered.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

from gonghui.core.idnumbers import complete_id_number

from .conftest import valid_id

BORN = date(1985, 6, 1)
HYPERLINK_NAME = '=HYPERLINK("http://x","y")'


def roster_id(seq: int) -> str:
    """IDs of roster rows: born 1985, never those of the people fixture (born 1990)."""
    return valid_id(seq, born=BORN)


def _id_with_x() -> str:
    seq = 1
    while not roster_id(seq).endswith("X"):
        seq += 1
    return roster_id(seq)


def _digits_only_id(first: int) -> str:
    seq = first
    while not roster_id(seq).isdigit():
        seq += 1
    return roster_id(seq)


def _wrong_check_digit(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text.lower())


@dataclass
class Case:
    """A data row: its cells by field, and the outcome it must get."""

    key: str
    status: str
    reason: str = ""  # a part of one of the reasons ("" to check none)
    name: object = "测试"
    id_number: object = ""
    gender: object = ""
    ethnicity: object = "汉族"
    education: object = "本科"
    phone: object = ""
    employer: object = ""
    credit_code: object = ""
    job: object = "工人"
    joined: object = ""
    card: object = ""
    extra: dict = field(default_factory=dict)


def cases(people) -> list[Case]:
    """The rows, in order. ``people`` is the people fixture (p1, p2, p3 registered)."""
    with_x = _id_with_x()
    fifteen = "330106850601071"  # 15 digits: born 1985-06-01, sequence 071
    return [
        Case(
            "plain",
            "imported",
            name="钱一",
            id_number=roster_id(11),
            gender="男" if int(roster_id(11)[16]) % 2 else "女",
            phone="13900000011",
            employer="东镇机械有限公司",
            joined=datetime(2021, 3, 5),
        ),
        Case("serial", "imported", name="孙二", id_number=roster_id(12), joined=44260),
        Case("dotted", "imported", name="周三", id_number=roster_id(13), joined="2021.3.5"),
        Case("iso", "imported", name="吴四", id_number=roster_id(14), joined="2021-03-05"),
        Case("slashed", "imported", name="郑五", id_number=roster_id(15), joined="2021/3/5"),
        Case("chinese", "imported", name="王六", id_number=roster_id(16), joined="2021年3月5日"),
        Case("compact", "imported", name="冯七", id_number=roster_id(17), joined="20210305"),
        Case(
            "numeric_id",
            "rejected",
            "stored this ID number as a number",
            name="陈八",
            # A valid number, held as a number: refused all the same.
            id_number=int(_digits_only_id(18)),
        ),
        Case(
            "scientific_id",
            "rejected",
            "stored this ID number as a number",
            name="褚九",
            id_number="3.30106E+17",
        ),
        Case(
            "check_digit",
            "rejected",
            "check digit",
            name="卫十",
            id_number=_wrong_check_digit(roster_id(20)),
        ),
        Case(
            "impossible_birth",
            "rejected",
            "not a real date of birth",
            name="蒋十一",
            id_number=complete_id_number("33010619850230021"),
        ),
        Case("fifteen", "warning", "15-digit", name="沈十二", id_number=fifteen),
        Case("fullwidth", "imported", name="韩十三", id_number=_fullwidth(with_x)),
        Case(
            "duplicate",
            "rejected",
            "same ID number as row",
            name="钱一",
            id_number=roster_id(11),
        ),
        Case("member_here", "skipped", "Already a member", name="张一", id_number=valid_id(1)),
        Case(
            "member_elsewhere",
            "rejected",
            "transfer",
            name="李二",
            id_number=valid_id(2),
        ),
        Case("joins", "warning", "Already registered", name="王三", id_number=valid_id(3)),
        Case(
            "gender_contradiction",
            "warning",
            "gender column says",
            name="杨十四",
            id_number=roster_id(22),
            gender="女" if int(roster_id(22)[16]) % 2 else "男",
        ),
        Case(
            "bad_phone",
            "warning",
            "mobile phone was not recorded",
            name="朱十五",
            id_number=roster_id(23),
            phone="0571-8888888",
        ),
        Case("missing_name", "rejected", "name is missing", name="", id_number=roster_id(24)),
        Case(
            "unknown_region",
            "warning",
            "339999",
            name="秦十六",
            id_number=complete_id_number("33999919850601025"),
        ),
        Case("formula_name", "imported", name=HYPERLINK_NAME, id_number=roster_id(26)),
        Case(
            "bad_join_date",
            "rejected",
            "not a real calendar date",
            name="尤十七",
            id_number=roster_id(27),
            joined="2021-13-45",
        ),
        Case(
            "future_join_date",
            "rejected",
            "in the future",
            name="许十八",
            id_number=roster_id(28),
            joined="2099-01-01",
        ),
        Case("missing_id", "rejected", "ID number is missing", name="何十九", id_number=""),
        Case(
            "phone_as_number",
            "imported",
            name="吕二十",
            id_number=roster_id(29),
            phone=13900000029,
            card="C20190000001",
        ),
    ]


SIGNATURES = [["填表人：张三", "", "", "审核人：李四"], ["（单位盖章）"], ["日期：2024年5月1日"]]

# Field order of the sheet columns.
FIELDS = [
    "seq",
    "name",
    "gender",
    "ethnicity",
    "id_number",
    "education",
    "phone",
    "employer",
    "credit_code",
    "job",
    "joined",
    "card",
]
#: Two-row header of the workbooks: group cells merged over the row below.
GROUP_ROW = [
    "序号",
    "基本信息",
    "",
    "",
    "",
    "",
    "联系方式",
    "工作信息",
    "",
    "",
    "入会日期",
    "会员卡号",
]
HEADER_ROW = [
    "",
    "姓名",
    "性别",
    "民族",
    "公民身份号码",
    "文化程度",
    "手机号码",
    "工作单位",
    "统一社会信用代码",
    "岗位",
    "",
    "",
]
#: One header row in other spellings (the CSV file).
CSV_HEADER = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "身份证号",
    "学历",
    "联系电话",
    "单位名称",
    "信用代码",
    "职务",
    "入会时间",
    "会员卡号",
]
TITLE = "东镇机械厂工会会员花名册"
SUBTITLE = "填报单位：东镇机械厂工会"
#: Row number of the first case in each format.
FIRST_ROW = {"xlsx": 5, "xls": 5, "csv": 4}


def _cells(number: int, case: Case) -> list:
    values = {name: getattr(case, name, "") for name in FIELDS if name != "seq"}
    values["seq"] = number
    values["joined"] = case.joined
    return [values[name] for name in FIELDS]


def row_numbers(fmt: str, the_cases: list[Case]) -> dict[str, int]:
    return {case.key: FIRST_ROW[fmt] + i for i, case in enumerate(the_cases)}


def write_xlsx(path: Path, the_cases: list[Case]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "会员名册"
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(FIELDS))
    sheet.append([SUBTITLE])
    sheet.append(GROUP_ROW)
    sheet.append(HEADER_ROW)
    sheet.merge_cells("B3:F3")
    sheet.merge_cells("H3:J3")
    for column in ("A", "K", "L"):
        sheet.merge_cells(f"{column}3:{column}4")
    for n, case in enumerate(the_cases, start=1):
        sheet.append(_cells(n, case))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, as a person typed it, not a formula
    sheet.append([])
    for line in SIGNATURES:
        sheet.append(line)
    workbook.save(path)
    return path


def write_xls(path: Path, the_cases: list[Case]) -> Path:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("会员名册")
    dated = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sheet.write_merge(0, 0, 0, len(FIELDS) - 1, TITLE)
    sheet.write(1, 0, SUBTITLE)
    merged = {1: (1, 5), 7: (7, 9)}
    for column, value in enumerate(GROUP_ROW):
        if column in merged:
            sheet.write_merge(2, 2, *merged[column], value)
        elif column in (0, 10, 11):
            sheet.write_merge(2, 3, column, column, value)
        elif value:
            sheet.write(2, column, value)
    for column, value in enumerate(HEADER_ROW):
        if value:
            sheet.write(3, column, value)
    for n, case in enumerate(the_cases, start=1):
        for column, value in enumerate(_cells(n, case)):
            if isinstance(value, datetime):
                sheet.write(3 + n, column, value, dated)
            elif value != "":
                sheet.write(3 + n, column, value)
    row = 4 + len(the_cases) + 1
    for line in SIGNATURES:
        for column, value in enumerate(line):
            if value:
                sheet.write(row, column, value)
        row += 1
    workbook.save(str(path))
    return path


def _as_excel_text(value) -> str:
    """A cell as Excel writes it to CSV in a Chinese locale."""
    if isinstance(value, datetime):
        return f"{value.year}/{value.month}/{value.day}"
    if isinstance(value, int) and not isinstance(value, bool) and value > 10**15:
        return f"{value:.5E}"
    return "" if value is None else str(value)


def write_csv(path: Path, the_cases: list[Case], encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([TITLE] + [""] * (len(FIELDS) - 1))
        writer.writerow([""] * len(FIELDS))
        writer.writerow(CSV_HEADER)
        for n, case in enumerate(the_cases, start=1):
            writer.writerow([_as_excel_text(v) for v in _cells(n, case)])
        writer.writerow([])
        for line in SIGNATURES:
            writer.writerow(line)
    return path


WRITERS = {"xlsx": write_xlsx, "xls": write_xls, "csv": write_csv}


def write_roster(fmt: str, folder: Path, the_cases: list[Case], *, suffix: str | None = None):
    """The roster in format ``fmt`` under ``folder``, named with ``suffix`` (default: fmt)."""
    return WRITERS[fmt](folder / f"roster.{suffix or fmt}", the_cases)
