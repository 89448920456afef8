"""Reading roster cells and headers: property tests over what real rosters hold."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gonghui.core.idnumbers import complete_id_number, parse_id_number
from gonghui.people.roster import columns
from gonghui.people.roster.parse import (
    EXCEL_EPOCH,
    CellError,
    id_number_text,
    parse_date,
    parse_education,
    parse_ethnicity,
    parse_gender,
)

dates = st.dates(min_value=date(1927, 5, 18), max_value=date(2099, 12, 31))
valid_ids = st.builds(
    lambda born, seq: complete_id_number(f"330106{born:%Y%m%d}{seq:03d}"),
    st.dates(min_value=date(1940, 1, 1), max_value=date(2005, 12, 31)),
    st.integers(min_value=0, max_value=999),
)

TEXT_FORMATS = [
    "{d.year}-{d.month:02d}-{d.day:02d}",
    "{d.year}/{d.month}/{d.day}",
    "{d.year}.{d.month}.{d.day}",
    "{d.year}年{d.month}月{d.day}日",
    "{d.year}{d.month:02d}{d.day:02d}",
    "{d.year}-{d.month:02d}-{d.day:02d} 00:00:00",
    "{d.year}/{d.month}/{d.day} 0:00",
    " {d.year} 年 {d.month} 月 {d.day} 日 ",
]


@pytest.mark.parametrize("template", TEXT_FORMATS)
@given(day=dates)
def test_a_date_written_in_any_supported_way_reads_as_that_date(template, day):
    assert parse_date(template.format(d=day)) == (day, False)


@given(day=dates)
def test_a_date_in_full_width_digits_reads_as_that_date(day):
    text = f"{day.year}年{day.month}月{day.day}日".translate(
        {ord(c): ord(c) + 0xFEE0 for c in "0123456789"}
    )

    assert parse_date(text) == (day, False)


@given(day=dates)
def test_an_excel_serial_number_reads_as_its_date(day):
    serial = (day - EXCEL_EPOCH).days

    assert parse_date(serial) == (day, False)
    assert parse_date(float(serial)) == (day, False)
    assert parse_date(str(serial)) == (day, False)


@given(day=dates)
def test_a_date_cell_reads_as_its_date(day):
    assert parse_date(day) == (day, False)
    assert parse_date(datetime(day.year, day.month, day.day, 8, 30)) == (day, False)


@given(day=dates)
def test_year_and_month_alone_read_as_the_first_of_the_month_and_say_so(day):
    assert parse_date(f"{day.year}年{day.month}月") == (day.replace(day=1), True)
    assert parse_date(f"{day.year}-{day.month:02d}") == (day.replace(day=1), True)


@given(text=st.text(max_size=30))
def test_any_text_is_a_date_or_a_cell_error(text):
    try:
        parsed, _month_only = parse_date(text)
    except CellError as exc:
        assert exc.message
    else:
        assert parsed is None or isinstance(parsed, date)


@pytest.mark.parametrize("text", ["2021-02-30", "2021年13月1日", "20210230", "2021.0.5"])
def test_an_impossible_calendar_date_is_refused(text):
    with pytest.raises(CellError, match="not a real calendar date"):
        parse_date(text)


@pytest.mark.parametrize("value", ["2021", 2021, "3/5/2021", "去年", "21.3.5", True])
def test_a_value_that_is_no_full_date_is_refused(value):
    with pytest.raises(CellError):
        parse_date(value)


def test_an_empty_cell_is_no_date():
    assert parse_date("") == (None, False)
    assert parse_date(None) == (None, False)


@given(number=valid_ids)
def test_an_id_number_held_as_a_number_is_refused_even_when_it_is_valid(number):
    digits = number if number.isdigit() else number[:-1] + "0"

    for cell in (int(digits), float(digits), f"{float(digits):.5E}", f"{float(digits):E}"):
        with pytest.raises(CellError, match="stored this ID number as a number"):
            id_number_text(cell)


@given(
    number=valid_ids, form=st.sampled_from(["plain", "fullwidth", "spaced", "quoted", "formula"])
)
def test_an_id_number_typed_as_text_reads_as_itself(number, form):
    text = {
        "plain": number,
        "fullwidth": number.lower().translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}),
        "spaced": f" {number[:6]} {number[6:14]} {number[14:]} ",
        "quoted": "'" + number,
        "formula": f'="{number}"',
    }[form]

    assert parse_id_number(id_number_text(text)).number == number


@given(
    name=st.sampled_from([(f, n) for f, names in columns.SYNONYMS.items() for n in names]),
    star=st.sampled_from(["", "*", "＊"]),
    note=st.sampled_from(["", "（必填）", "(18位)", "【选填】"]),
    spaces=st.sampled_from(["", " ", "\u3000"]),
)
def test_every_spelling_of_a_column_name_maps_to_its_field(name, star, note, spaces):
    field, spelling = name
    header = f"{star}{spaces}{spelling}{note}{spaces}"

    assert columns.field_for(header) == field


def test_the_header_is_the_first_row_naming_the_name_and_the_id_number():
    rows = [
        (1, ["会员花名册", "", ""]),
        (2, ["姓名：", "", ""]),
        (3, ["序号", "姓名", "身份证号码", "手机"]),
        (4, ["1", "张三", "330106199001010019", "13900000001"]),
    ]

    header = columns.find_header(rows)

    assert header.row == 3
    assert header.columns == {"sequence": 0, "name": 1, "id_number": 2, "phone": 3}


def test_no_header_within_the_first_twenty_rows_is_no_header():
    rows = [(n, [f"说明 {n}"]) for n in range(1, 21)] + [(21, ["姓名", "身份证号"])]

    assert columns.find_header(rows) is None


def test_a_two_row_header_takes_merged_cells_from_above_and_details_from_below():
    rows = [
        (1, ["序号", "基本信息", "", "入会时间"]),
        (2, ["", "姓名", "身份证号", ""]),
        (3, ["1", "张三", "330106199001010019", "2020-01-01"]),
    ]
    header = columns.find_header(rows)

    assert header.row == 2
    assert header.columns == {"sequence": 0, "name": 1, "id_number": 2, "joined_on": 3}

    rows = [
        (1, ["姓名", "身份证号", "联系方式", ""]),
        (2, ["", "", "手机", "固定电话"]),
        (3, ["张三", "330106199001010019", "13900000001", "0571-1234567"]),
    ]
    header = columns.find_header(rows)

    assert header.row == 1 and header.extra_rows == (2,)
    assert header.columns["phone"] == 2


@pytest.mark.parametrize(
    ("value", "code"), [("男", "M"), ("女性", "F"), ("F", "F"), ("male", "M"), ("", "")]
)
def test_gender_values(value, code):
    assert parse_gender(value) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [("汉族", "01"), ("汉", "01"), ("回族", "03"), ("维吾尔族", "05"), ("01", "01"), ("", "")],
)
def test_ethnicity_values(value, code):
    assert parse_ethnicity(value) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("本科", "bachelor"),
        ("大学本科", "bachelor"),
        ("高中/中专", "senior_secondary"),
        ("大专", "junior_college"),
        ("研究生", "master"),
        ("初中", "junior_secondary"),
        ("", ""),
    ],
)
def test_education_values(value, code):
    assert parse_education(value) == code


@pytest.mark.parametrize(
    ("parser", "value"),
    [(parse_gender, "未知"), (parse_ethnicity, "火星族"), (parse_education, "自学成才")],
)
def test_an_unknown_vocabulary_value_is_a_cell_error(parser, value):
    with pytest.raises(CellError, match=value):
        parser(value)


def test_serials_of_years_are_not_taken_for_dates():
    # 2021 typed alone would be day 2021 of 1900 (1905-07-13): refused instead.
    with pytest.raises(CellError):
        parse_date(2021)
    assert parse_date(10000) == (EXCEL_EPOCH + timedelta(days=10000), False)
