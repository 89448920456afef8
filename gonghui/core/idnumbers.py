"""Resident ID numbers (居民身份证号码), GB 11643-1999.

An 18-character number: a 6-digit administrative division code (GB/T 2260),
the 8-digit date of birth, a 3-digit sequence (odd for men, even for women)
and a MOD 11-2 check character (ISO 7064, digit or X). Numbers issued before
1999 have 15 digits: no check character and a 2-digit year of the 1900s.

python-stdnum's ``cn.ric`` computes the check character correctly, but its
verdict refuses genuine numbers (a region code newer than its holder, the
residence permits of Hong Kong, Macao and Taiwan residents, the 2023
foreigners' permanent residence ID) and accepts birth years like 1850 or 2099.
Here a number is refused only for its structure, its check character or an
impossible date of birth; an unknown region code is a warning. A genuine worker
wrongly refused is an aid failure, so doubt about the region never refuses.

Why single typing errors are always caught (GB 11643-1999 §7.2): the check is
``Σ aᵢ·Wᵢ ≡ 1 (mod 11)`` with ``Wᵢ = 2^(17-i) mod 11`` for the 17 digits. Every
Wᵢ is non-zero modulo the prime 11, so changing one digit by δ (0 < |δ| ≤ 9)
changes the sum by δ·Wᵢ ≢ 0. Swapping two different adjacent digits a, b at
positions i, i+1 changes the sum by (a−b)(Wᵢ−Wᵢ₊₁), and Wᵢ ≡ 2·Wᵢ₊₁ gives
Wᵢ−Wᵢ₊₁ ≡ Wᵢ₊₁ ≢ 0: every such swap is caught as well.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric

#: Characters people paste between the digits: spaces of every width, dashes,
#: zero-width characters and the byte-order mark.
_SEPARATORS = re.compile(r"[\s\-\u200b\u200c\u200d\u2060\ufeff]+")
_EIGHTEEN = re.compile(r"^\d{17}[\dX]$")
_FIFTEEN = re.compile(r"^\d{15}$")

#: Region codes of the residence permits for Hong Kong, Macao and Taiwan
#: residents (港澳台居民居住证, 2018): the number is otherwise built as an ID number.
PERMIT_REGION_CODES = frozenset({"810000", "820000", "830000"})
#: Foreigners' permanent residence ID card (外国人永久居留身份证, 2023): begins with 9.
FOREIGNER_PREFIX = "9"
#: Province-level codes of GB/T 2260 (and 71 Taiwan), the fallback when
#: python-stdnum's division data cannot be read.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83 91".split()
)
EARLIEST_BIRTH_YEAR = 1900


class Gender(models.TextChoices):
    """What the 17th digit encodes: odd for men, even for women (GB 11643-1999 §5.3)."""

    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class IdKind(models.TextChoices):
    RESIDENT = "resident", _("Resident ID card")
    PERMIT = "permit", _("Residence permit for Hong Kong, Macao and Taiwan residents")
    FOREIGNER = "foreigner", _("Foreigner's permanent residence ID card")


@dataclass(frozen=True)
class ResidentId:
    """A valid ID number and what it says about its holder."""

    number: str
    birth_date: date
    gender: str
    region_code: str
    kind: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def suffix(self) -> str:
        return self.number[-4:]


def normalise_id_number(value: str | None) -> str:
    """Full-width to half-width (NFKC), separators out, a lowercase x made X."""
    value = unicodedata.normalize("NFKC", value or "")
    return _SEPARATORS.sub("", value).upper()


def check_character(first17: str) -> str:
    """The MOD 11-2 check character of 17 digits (python-stdnum's computation)."""
    # calc_check_digit expects the whole number and ignores its last character.
    return ric.calc_check_digit(first17 + "0")


def complete_id_number(first17: str) -> str:
    """17 digits with their check character appended (demo data and tests)."""
    return first17 + check_character(first17)


def fifteen_to_eighteen(number: str) -> str:
    """An old 15-digit number as 18: "19" before the 2-digit year, check character after."""
    return complete_id_number(number[:6] + "19" + number[6:])


@lru_cache(maxsize=1)
def known_county_codes() -> tuple[str, ...]:
    """Every county-level division code the region check knows (GB/T 2260, any year).

    Demo data and tests draw their workers' birthplaces from here, so that a
    generated ID number raises no "unknown region" warning. Empty when
    python-stdnum's division table is not packaged.
    """
    try:
        from stdnum import numdb

        provinces = numdb.get("cn/loc").prefixes
    except Exception:  # the data file is optional packaging
        return ()
    codes = []
    for _length, province, _high, _props, children in provinces:
        for length, low, high, props, _grandchildren in children or ():
            if "county" not in props:
                continue
            codes.extend(
                f"{province}{number:0{length}d}" for number in range(int(low), int(high) + 1)
            )
    # "…00" codes name a city or province as a whole, not a county.
    return tuple(sorted(code for code in codes if not code.endswith("00")))


@lru_cache(maxsize=8192)
def _region_known(code: str) -> bool:
    """Whether ``code`` names a county-level division, at any time (GB/T 2260 history).

    A number keeps the code it was issued with for life, so a district that
    has since been merged or renamed is still a genuine code.
    """
    try:
        from stdnum import numdb

        parts = numdb.get("cn/loc").info(code)
    except Exception:  # the data file is optional packaging; fall back to provinces
        return code[:2] in PROVINCE_CODES
    found = {key: value for _part, props in parts for key, value in props.items()}
    return "county" in found


def _kind(number: str) -> str:
    if number.startswith(FOREIGNER_PREFIX):
        return IdKind.FOREIGNER
    if number[:6] in PERMIT_REGION_CODES:
        return IdKind.PERMIT
    return IdKind.RESIDENT


def _invalid(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def parse_id_number(value: str | None, *, today: date | None = None) -> ResidentId:
    """Normalise and check an ID number; raise ValidationError saying what is wrong."""
    number = normalise_id_number(value)
    if not number:
        raise _invalid(gettext("Enter the ID number."), "required")
    if len(number) == 15:
        if not _FIFTEEN.match(number):
            raise _invalid(
                gettext("An old 15-character ID number has digits only."), "id_structure"
            )
        number = fifteen_to_eighteen(number)
    elif len(number) != 18:
        raise _invalid(
            gettext("An ID number has 18 characters (15 for an old card); this one has %(n)d.")
            % {"n": len(number)},
            "id_length",
        )
    if not _EIGHTEEN.match(number):
        raise _invalid(
            gettext(
                "The first 17 characters of an ID number are digits and the last one is "
                "a digit or X."
            ),
            "id_structure",
        )
    if number[17] != check_character(number[:17]):
        raise _invalid(
            gettext(
                "The last character (the check digit) does not match the other 17: "
                "please check the number for typing errors."
            ),
            "id_check_digit",
        )
    birth_date = _birth_date(number, today or timezone.localdate())
    kind = _kind(number)
    region_code = number[:6]
    warnings: list[str] = []
    if kind == IdKind.RESIDENT and not _region_known(region_code):
        warnings.append(
            gettext(
                "The region code %(code)s is not in the list of administrative divisions; "
                "the number was accepted, please check it against the ID card."
            )
            % {"code": region_code}
        )
    return ResidentId(
        number=number,
        birth_date=birth_date,
        gender=Gender.MALE if int(number[16]) % 2 else Gender.FEMALE,
        region_code=region_code,
        kind=kind,
        warnings=tuple(warnings),
    )


def _birth_date(number: str, today: date) -> date:
    digits = number[6:14]
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise _invalid(
            gettext("Characters 7 to 14 (%(digits)s) are not a real date of birth.")
            % {"digits": digits},
            "id_birth_date",
        ) from None
    if born.year < EARLIEST_BIRTH_YEAR:
        raise _invalid(
            gettext("The date of birth %(date)s in the ID number is before 1900.")
            % {"date": born.isoformat()},
            "id_birth_date",
        )
    if born > today:
        raise _invalid(
            gettext("The date of birth %(date)s in the ID number is in the future.")
            % {"date": born.isoformat()},
            "id_birth_date",
        )
    return born


def mask_id_number(number: str) -> str:
    """330***********1234: the first three and the last four characters."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
