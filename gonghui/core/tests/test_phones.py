"""Mainland mobile numbers: normalised however they are written, checked only by shape."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from gonghui.core.phones import mask_phone, normalise_phone, parse_phone

mobiles = st.builds(
    lambda second, rest: f"1{second}{rest:09d}",
    st.sampled_from("3456789"),
    st.integers(min_value=0, max_value=999_999_999),
)


def refusal_code(value) -> str:
    with pytest.raises(ValidationError) as caught:
        parse_phone(value)
    return caught.value.code


@given(mobiles)
def test_every_number_of_the_mobile_shape_is_accepted(number):
    assert parse_phone(number) == number


@pytest.mark.parametrize(
    "number",
    # Prefixes that carrier tables in libraries refused for years after allocation.
    ["14612345678", "14812345678", "14912345678", "19012345678", "19212345678", "16212345678"],
)
def test_newly_allocated_prefixes_are_accepted(number):
    assert parse_phone(number) == number


@given(
    mobiles,
    st.sampled_from(["", "+86", "+86 ", "0086", "0086-", "+86-"]),
    st.sampled_from(["plain", "spaced", "dashed", "full_width", "zero_width"]),
)
def test_written_variants_of_a_number_give_the_number(number, prefix, style):
    written = number
    if style == "spaced":
        written = f"{number[:3]} {number[3:7]} {number[7:]}"
    elif style == "dashed":
        written = f"{number[:3]}-{number[3:7]}-{number[7:]}"
    elif style == "full_width":
        written = "".join(chr(ord(ch) + 0xFEE0) for ch in number)
    elif style == "zero_width":
        written = f"\u200b{number}\ufeff"

    assert parse_phone(prefix + written) == number
    assert normalise_phone(f" {prefix}{written} ") == number


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "required"),
        ("12812345678", "phone_prefix"),  # 12x is not a mobile range
        ("10012345678", "phone_prefix"),
        ("1381234567", "phone_length"),  # 10 digits
        ("138123456789", "phone_length"),  # 12 digits
        ("0571-88888888", "phone_length"),  # a landline
        ("138O0138000", "phone_structure"),  # letter O for zero
        ("+1 650 253 0000", "phone_structure"),  # another country
    ],
)
def test_a_number_that_is_not_a_mainland_mobile_is_refused_with_the_reason(value, code):
    assert refusal_code(value) == code


def test_the_masked_form_shows_the_first_three_and_last_four_digits():
    assert mask_phone("13812345678") == "138****5678"
