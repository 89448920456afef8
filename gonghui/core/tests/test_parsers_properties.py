"""Property tests over every parser of outside data: whatever arrives, a parser returns
a value it would return again, or refuses with its own error, never anything else.

The parsers: ID numbers (18 and 15 digits, residence permits of Hong Kong, Macao
and Taiwan residents, foreigners' permanent residence IDs), unified social credit
codes, mobile numbers, roster cells (dates as text, numbers and Excel serials,
full-width digits), amounts of money as forms read them, and a roster row as a
whole (random rows of the roster's columns: each row gets its status, and the
import raises nothing). The well-formed cases of each parser are proven in its
own test file; here the input is hostile.
"""

from __future__ import annotations

import csv
import string
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.aid.forms import money
from gonghui.core.creditcodes import normalise_credit_code, validate_credit_code
from gonghui.core.idnumbers import (
    FOREIGNER_PREFIX,
    PERMIT_REGION_CODES,
    IdKind,
    complete_id_number,
    fifteen_to_eighteen,
    parse_id_number,
)
from gonghui.core.phones import parse_phone
from gonghui.people.models import Membership, Person
from gonghui.people.roster.importer import roster_import
from gonghui.people.roster.parse import CellError, id_number_text, parse_date
from gonghui.people.roster.reader import RosterFileError

from . import hostile

FAST = settings(max_examples=150, deadline=None)
SLOW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TODAY = date(2026, 6, 1)

#: Text as it arrives from a spreadsheet or a form: any character, with the ones
#: these parsers care about (digits, X, separators, full-width forms) made likely.
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789Xx -＿０１２３４５６７８９Ｘ\u3000\u200b\ufeff+()", max_size=24),
)
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)


def eighteen(prefix: str, born: date, seq: int) -> str:
    return complete_id_number(f"{prefix}{born:%Y%m%d}{seq:03d}")


# --- ID numbers ----------------------------------------------------------------------


@FAST
@given(hostile_text)
def test_any_text_is_an_id_number_or_a_validation_error(text):
    try:
        resident = parse_id_number(text, today=TODAY)
    except ValidationError as exc:
        assert exc.messages and all(exc.messages)
    else:
        # Accepted: it is its own normal form.
        assert parse_id_number(resident.number, today=TODAY) == resident


@FAST
@given(st.sampled_from(["330106", "110101", "440305"]), births, sequences)
def test_a_valid_18_digit_number_round_trips(region, born, seq):
    number = eighteen(region, born, seq)

    resident = parse_id_number(number, today=TODAY)

    assert (resident.number, resident.birth_date, resident.kind) == (
        number,
        born,
        IdKind.RESIDENT,
    )
    assert resident.gender == ("M" if seq % 2 else "F")


@FAST
@given(st.text(alphabet=string.digits, min_size=15, max_size=15))
def test_any_15_digits_are_the_old_number_converted_or_refused(digits):
    try:
        resident = parse_id_number(digits, today=TODAY)
    except ValidationError as exc:
        assert exc.code in {"id_birth_date"}
    else:
        assert resident.number == fifteen_to_eighteen(digits)
        assert resident.birth_date.year == 1900 + int(digits[6:8])


@FAST
@given(st.sampled_from(sorted(PERMIT_REGION_CODES)), births, sequences)
def test_residence_permits_of_hong_kong_macao_and_taiwan_residents_are_permits(region, born, seq):
    resident = parse_id_number(eighteen(region, born, seq), today=TODAY)

    assert (resident.kind, resident.region_code, resident.warnings) == (IdKind.PERMIT, region, ())


@FAST
@given(st.text(alphabet=string.digits, min_size=5, max_size=5), births, sequences)
def test_foreigners_permanent_residence_ids_are_their_kind(rest, born, seq):
    resident = parse_id_number(eighteen(FOREIGNER_PREFIX + rest, born, seq), today=TODAY)

    assert resident.kind == IdKind.FOREIGNER and resident.warnings == ()


@FAST
@given(st.one_of(hostile_text, st.integers(), st.floats(), st.booleans(), st.none()))
def test_an_id_number_cell_of_any_type_is_text_or_a_cell_error(value):
    try:
        text = id_number_text(value)
    except CellError as exc:
        assert exc.message
    else:
        assert isinstance(text, str)


# --- credit codes and phones -----------------------------------------------------------


@FAST
@given(hostile_text)
def test_any_text_is_a_credit_code_or_a_validation_error(text):
    try:
        code = validate_credit_code(text)
    except ValidationError as exc:
        assert exc.messages and all(exc.messages)
    else:
        assert code == normalise_credit_code(code) == validate_credit_code(code)
        assert len(code) == 18


@FAST
@given(hostile_text)
def test_any_text_is_a_mobile_number_or_a_validation_error(text):
    try:
        number = parse_phone(text)
    except ValidationError as exc:
        assert exc.messages and all(exc.messages)
    else:
        assert parse_phone(number) == number and len(number) == 11 and number.isdigit()


# --- roster cells: dates ---------------------------------------------------------------

cells = st.one_of(
    hostile_text,
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(),
    st.datetimes(),
)


@FAST
@given(cells)
def test_any_cell_is_a_date_or_a_cell_error(value):
    try:
        parsed, month_only = parse_date(value)
    except CellError as exc:
        assert exc.message
    else:
        assert parsed is None or isinstance(parsed, date)
        assert isinstance(month_only, bool)


@FAST
@given(st.dates(min_value=date(1927, 6, 1), max_value=date(2099, 12, 31)))
def test_a_date_as_serial_number_text_or_full_width_digits_reads_as_itself(day):
    serial = (day - date(1899, 12, 30)).days
    full_width = day.isoformat().translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))

    assert parse_date(serial) == (day, False)
    assert parse_date(float(serial)) == (day, False)
    assert parse_date(str(serial)) == (day, False)
    assert parse_date(full_width) == (day, False)
    assert parse_date(datetime.combine(day, datetime.min.time())) == (day, False)


# --- amounts ---------------------------------------------------------------------------

amount_text = st.one_of(
    st.text(max_size=20),
    st.text(alphabet="0123456789.,-+eE ０１２３４５６７８９．", max_size=16),
    st.sampled_from(["NaN", "-NaN", "Infinity", "-inf", "1e400", "1E-400", "１２３.４５", "-0"]),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
)


@FAST
@given(amount_text)
def test_any_text_is_an_amount_in_bounds_or_a_validation_error(text):
    field = money("amount", required=True)
    try:
        amount = field.clean(text)
    except ValidationError as exc:
        assert exc.messages and all(exc.messages)
    else:
        assert isinstance(amount, Decimal) and amount.is_finite()
        assert Decimal(0) <= amount < Decimal(10) ** 10
        assert amount.as_tuple().exponent >= -2  # at most two decimals (fen)


# --- a roster row as a whole -----------------------------------------------------------

roster_cell = st.one_of(
    st.text(max_size=30),
    st.builds(lambda n: hostile.roster_id(n), st.integers(min_value=0, max_value=5000)),
    st.sampled_from(["男", "女", "汉族", "本科", "13900000001", "2021-03-05", "2021年3月", ""]),
)
roster_row = st.fixed_dictionaries(
    {
        column: roster_cell
        for column in ("姓名", "身份证号码", "性别", "民族", "学历", "手机号码", "入会时间")
    }
    | {"出生日期": roster_cell, "工作单位": roster_cell, "统一社会信用代码": roster_cell}
)


@SLOW
@given(st.lists(roster_row, min_size=1, max_size=6))
def test_random_roster_rows_each_get_a_status_and_the_import_raises_nothing(county, rows):
    columns = list(rows[0])
    before = (Person.objects.count(), Membership.objects.count())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows([row[c] for c in columns] for row in rows)

        try:
            result = roster_import(
                by=county.chair1, union=county.g1, path=path, dry_run=True, today=TODAY
            )
        except RosterFileError as exc:
            # The file as a whole (a control character makes it binary): its own message.
            assert exc.message
            assert any(ch < " " for row in rows for v in row.values() for ch in v)
            return

    # Every non-blank row is accounted for once; a dry run writes nothing.
    recorded = sum(result.counts.values())
    non_blank = sum(any(str(v).strip() for v in row.values()) for row in rows)
    assert recorded <= non_blank
    assert result.imported + result.rejected + result.skipped + result.ignored == recorded
    assert (Person.objects.count(), Membership.objects.count()) == before
