"""Resident ID numbers: genuine numbers are accepted, typing errors are refused.

A genuine worker wrongly refused is an aid failure; a wrong number accepted is
a data failure. The property tests generate valid numbers and mutate them.
What the mutations may assert follows from the arithmetic of MOD 11-2 (see the
docstring of ``core.idnumbers``): every single substitution and every swap of
two different adjacent digits among the first 17 changes the weighted sum by
a non-zero amount modulo the prime 11, so each is refused, always.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from gonghui.core.idnumbers import (
    Gender,
    IdKind,
    check_character,
    complete_id_number,
    mask_id_number,
    normalise_id_number,
    parse_id_number,
)

#: Region codes in the GB/T 2260 data: current districts and counties, and
#: 330103 (Xiacheng district, merged away in 2021: its people keep their numbers).
KNOWN_REGIONS = ["110101", "310104", "330106", "330103", "440305", "510104", "652901"]
LATEST_BIRTH = date(2020, 12, 31)

regions = st.sampled_from(KNOWN_REGIONS)
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=LATEST_BIRTH)
twentieth_century_births = st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31))
sequences = st.integers(min_value=0, max_value=999)


@st.composite
def valid_ids(draw, region=regions, born=birth_dates):
    born = draw(born)
    return complete_id_number(f"{draw(region)}{born:%Y%m%d}{draw(sequences):03d}")


def refusal_code(value) -> str:
    with pytest.raises(ValidationError) as caught:
        parse_id_number(value)
    return caught.value.code


@given(valid_ids())
def test_a_generated_valid_number_is_accepted_with_what_it_says(number):
    result = parse_id_number(number)

    assert result.number == number
    assert result.birth_date == date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert result.gender == (Gender.MALE if int(number[16]) % 2 else Gender.FEMALE)
    assert result.region_code == number[:6]
    assert result.kind == IdKind.RESIDENT
    assert result.warnings == ()


@given(valid_ids(), st.data())
def test_every_single_digit_substitution_in_the_first_17_is_refused(number, data):
    position = data.draw(st.integers(min_value=0, max_value=16), label="position")
    digit = data.draw(st.sampled_from("0123456789").filter(lambda d: d != number[position]))
    mutated = number[:position] + digit + number[position + 1 :]

    with pytest.raises(ValidationError):
        parse_id_number(mutated)


@given(valid_ids())
def test_every_substitution_of_every_digit_of_one_number_is_refused(number):
    # Exhaustive over one number: 17 positions × 9 other digits.
    for position in range(17):
        for digit in "0123456789":
            if digit != number[position]:
                mutated = number[:position] + digit + number[position + 1 :]
                with pytest.raises(ValidationError):
                    parse_id_number(mutated)


@given(valid_ids())
def test_every_swap_of_two_different_adjacent_digits_in_the_first_17_is_refused(number):
    swaps = 0
    for position in range(16):
        a, b = number[position], number[position + 1]
        if a == b:
            continue
        swapped = number[:position] + b + a + number[position + 2 :]
        with pytest.raises(ValidationError):
            parse_id_number(swapped)
        swaps += 1
    assert swaps > 0  # every 17-digit body has at least two different neighbours here


@given(valid_ids(), st.data())
def test_a_wrong_check_character_is_refused(number, data):
    wrong = data.draw(st.sampled_from("0123456789X").filter(lambda c: c != number[17]))

    assert refusal_code(number[:17] + wrong) == "id_check_digit"


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) for ch in text)


@given(
    valid_ids(),
    st.lists(
        st.sampled_from(["full_width", "spaces", "zero_width", "lower_x", "dashes", "padding"]),
        unique=True,
    ),
)
@example("11010119900307002X", ["lower_x", "full_width"])
def test_written_variants_of_a_valid_number_give_the_same_result(number, variants):
    written = number
    if "lower_x" in variants:
        written = written.lower()
    if "full_width" in variants:
        written = _full_width(written)
    if "spaces" in variants:
        written = f"{written[:6]} {written[6:14]}\u3000{written[14:]}"
    if "dashes" in variants:
        written = f"{written[:6]}-{written[6:14]}-{written[14:]}"
    if "zero_width" in variants:
        written = "\u200b" + written[:9] + "\u200d" + written[9:] + "\ufeff"
    if "padding" in variants:
        written = f"  {written}\t\n"

    assert parse_id_number(written) == parse_id_number(number)
    assert normalise_id_number(written) == number


@given(valid_ids(born=twentieth_century_births))
def test_an_old_15_digit_number_converts_to_its_18_digit_form(number):
    # 15-digit numbers were issued to people born in the 1900s only (GB 11643-1989).
    old = number[:6] + number[8:17]

    assert parse_id_number(old).number == number


def test_a_region_code_of_a_district_that_no_longer_exists_is_accepted_without_warning():
    # 330103: Xiacheng district, Hangzhou, merged into Gongshu in 2021.
    result = parse_id_number(complete_id_number("33010319850612002"))

    assert result.region_code == "330103"
    assert result.warnings == ()


def test_an_unknown_region_code_is_a_warning_not_a_refusal():
    result = parse_id_number(complete_id_number("33999919850612002"))

    assert result.number.startswith("339999")
    assert len(result.warnings) == 1
    assert "339999" in result.warnings[0]


@pytest.mark.parametrize("region", ["810000", "820000", "830000"])
def test_residence_permits_of_hong_kong_macao_and_taiwan_residents_are_accepted(region):
    # Permits are issued to adults born long before 1997/1999: no year check on the code.
    result = parse_id_number(complete_id_number(f"{region}19700101003"))

    assert result.kind == IdKind.PERMIT
    assert result.warnings == ()
    assert result.birth_date == date(1970, 1, 1)


def test_a_foreigners_permanent_residence_id_starting_with_9_is_accepted():
    # 2023 format: 9, the issuing province (33), the nationality code (156), birth date.
    result = parse_id_number(complete_id_number("93315619881120001"))

    assert result.kind == IdKind.FOREIGNER
    assert result.warnings == ()
    assert result.gender == Gender.MALE


@pytest.mark.parametrize(
    ("first17", "code"),
    [
        ("33010618990101001", "id_birth_date"),  # 1899
        ("33010618500101001", "id_birth_date"),  # 1850
        ("33010620990101001", "id_birth_date"),  # 2099
        ("33010619900230001", "id_birth_date"),  # 30 February
        ("33010619901301001", "id_birth_date"),  # month 13
        ("33010619900100001", "id_birth_date"),  # day 0
    ],
)
def test_an_impossible_date_of_birth_is_refused(first17, code):
    assert refusal_code(complete_id_number(first17)) == code


def test_a_date_of_birth_tomorrow_is_refused_and_today_accepted():
    number = complete_id_number("33010620260302001")

    assert parse_id_number(number, today=date(2026, 3, 2)).birth_date == date(2026, 3, 2)
    with pytest.raises(ValidationError) as caught:
        parse_id_number(number, today=date(2026, 3, 1))
    assert caught.value.code == "id_birth_date"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        ("33010619900101001", "id_length"),  # 17 characters
        ("3301061990010100188", "id_length"),  # 19
        ("3.30106199001E+17", "id_length"),  # what Excel makes of a number cell
        ("33010619900101X018", "id_structure"),  # X inside
        ("33010619900101001A", "id_structure"),
        ("33010690010100A", "id_structure"),  # 15 characters, not all digits
    ],
)
def test_a_malformed_number_is_refused_with_the_reason(value, code):
    assert refusal_code(value) == code


def test_the_check_character_is_the_gb_11643_one():
    # The example number of GB 11643-1999 Appendix A.
    assert check_character("11010519491231002") == "X"


def test_refusals_explain_themselves(settings):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValidationError) as caught:
        parse_id_number("330106199001010017")  # the check digit is 8
    message = caught.value.messages[0]

    assert "check digit" in message


def test_the_masked_form_shows_the_first_three_and_last_four_characters():
    assert mask_id_number("11010119900307002X") == "110***********002X"
