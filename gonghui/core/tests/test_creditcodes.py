"""Unified social credit codes (GB 32100-2015): what is accepted, what is
refused, and that every single typing error is caught."""

from __future__ import annotations

import string

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gonghui.core.creditcodes import (
    ALPHABET,
    make_credit_code,
    normalise_credit_code,
    validate_credit_code,
    validate_union_credit_code,
)

#: GB 32100-2015 §4.3 spelled out independently of the code under test.
CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
NEVER_IN_A_CODE = "IOSVZ"
PUNCTUATION = ".,;:/#*_+=()（）。，!?'\"\\"


def reference_check_character(first17: str) -> str:
    """GB 32100-2015 §5: weights 3^(i-1) mod 31, check = 31 − (Σ mod 31), 31 → 0."""
    total = sum(CODE_CHARACTERS.index(ch) * pow(3, i, 31) for i, ch in enumerate(first17))
    return CODE_CHARACTERS[(31 - total % 31) % 31]


def is_refused(code: str) -> bool:
    try:
        validate_credit_code(code)
    except ValidationError:
        return True
    return False


# --- accepted ------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["914403001922038216", "91110000710925462X"])
def test_real_public_codes_validate(code):
    assert validate_credit_code(code) == code


@pytest.mark.parametrize(
    "code",
    [
        "N2330100MA2H3K4L5F",  # rural collective economic organisation
        "Y1330100MA0C8Q7R2Q",  # other registration authorities
        "A1110000MB1T4U9W0X",
        "31330000MD0123456R",  # an institution (事业单位)
    ],
)
def test_well_formed_codes_beginning_with_a_letter_or_another_digit_validate(code):
    assert validate_credit_code(code) == code


def test_the_alphabet_is_the_standards():
    assert ALPHABET == CODE_CHARACTERS


@pytest.mark.parametrize(
    "typed",
    [
        "91110000710925462x",  # lower case
        "９１１１００００７１０９２５４６２Ｘ",  # full-width
        "9111 0000 7109 2546 2X",  # spaces
        "911100-007109-25462X",  # dashes
        "91110000\u200b710925462X\ufeff",  # zero-width characters
        "\u30009111000071092546２x\t",  # ideographic space, mixed widths, tab
    ],
)
def test_the_ways_people_type_a_code_are_normalised(typed):
    assert normalise_credit_code(typed) == "91110000710925462X"
    assert validate_credit_code(typed) == "91110000710925462X"


# --- refused -------------------------------------------------------------------------


@pytest.mark.parametrize("length", [0, 1, 17, 19, 36])
def test_wrong_lengths_are_refused(length):
    code = ("91110000710925462X" * 2)[:length]
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(code)
    assert refused.value.code == "invalid_credit_code"


def test_a_union_code_must_begin_with_81():
    union = "81330100MA2GXX3P7K"
    assert validate_union_credit_code(union) == union
    assert validate_union_credit_code(union.lower()) == union
    with pytest.raises(ValidationError) as refused:
        validate_union_credit_code("91110000710925462X")
    assert refused.value.code == "not_union_credit_code"
    with pytest.raises(ValidationError) as refused:
        validate_union_credit_code(union[:-1] + "0")
    assert refused.value.code == "invalid_credit_code"


# --- every single typing error is caught -----------------------------------------------

first17 = st.builds(
    lambda authority, kind, division, body: authority + kind + division + body,
    st.sampled_from(CODE_CHARACTERS[1:]),
    st.sampled_from(CODE_CHARACTERS),
    st.text(alphabet=string.digits, min_size=6, max_size=6),
    st.text(alphabet=CODE_CHARACTERS, min_size=9, max_size=9),
)
valid_codes = first17.map(make_credit_code)


@given(first17)
def test_the_check_character_is_the_one_the_standard_gives(head):
    assert make_credit_code(head) == head + reference_check_character(head)


@given(valid_codes)
def test_generated_codes_validate(code):
    assert validate_credit_code(code) == code
    assert validate_credit_code(code.lower()) == code


@given(valid_codes)
def test_every_single_character_substitution_is_refused(code):
    replacements = CODE_CHARACTERS + NEVER_IN_A_CODE + PUNCTUATION
    accepted = [
        mistyped
        for position in range(len(code))
        for replacement in replacements
        if replacement != code[position]
        for mistyped in [code[:position] + replacement + code[position + 1 :]]
        if not is_refused(mistyped)
    ]
    assert accepted == []


@given(valid_codes)
def test_every_swap_of_two_different_neighbours_is_refused(code):
    accepted = [
        swapped
        for position in range(len(code) - 1)
        if code[position] != code[position + 1]
        for swapped in [
            code[:position] + code[position + 1] + code[position] + code[position + 2 :]
        ]
        if not is_refused(swapped)
    ]
    assert accepted == []


@given(valid_codes, st.integers(min_value=0, max_value=17))
def test_a_dropped_or_doubled_character_is_refused(code, position):
    assert is_refused(code[:position] + code[position + 1 :])
    assert is_refused(code[:position] + code[position] + code[position:])
