"""Reading the values of roster cells: text, dates, ID number cells and vocabularies.

A cell arrives as calamine gives it (str, int, float, bool, date, datetime,
time) or, from a CSV file, always as text. Every parser raises ``CellError``
with a message for the user, or returns the value.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from gonghui.core.idnumbers import Gender, normalise_id_number
from gonghui.people.vocabularies import (
    ETHNICITY_BY_CHINESE_NAME,
    Education,
    Ethnicity,
    NewFormGroup,
)

#: Rosters repeat a few values down a column (汉族, 本科, one join date for a whole
#: workshop): each distinct cell value is parsed once. Errors are not remembered,
#: so their messages follow the language in force.
_remembered = functools.lru_cache(maxsize=4096)


class CellError(ValueError):
    """A cell's value cannot be used; ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value) -> str:
    """The text of a cell: whole floats without ".0", dates as YYYY-MM-DD, ends trimmed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# --- ID numbers -------------------------------------------------------------------------

#: "3.30106E+17", "3.30106199001011E17": how a spreadsheet shows a number it holds as a number.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?e[+-]?\d+$", re.IGNORECASE)
#: ="330106…": the formula some programs write to keep a number as text in CSV.
_FORMULA_TEXT = re.compile(r'^="(.*)"$')


def id_number_text(value) -> str:
    """The text of an ID number cell; CellError when the spreadsheet held it as a number.

    Excel keeps 15 significant digits of a number, so an 18-digit ID number
    typed into a number cell has lost its last digits, and about one in ten
    such mangled numbers still passes the check digit. No numeric cell is
    trusted, even one that happens to look right.
    """
    if isinstance(value, bool):
        raise CellError(_("The ID number cell holds TRUE/FALSE, not a number."))
    if isinstance(value, (int, float)):
        raise _numeric_id()
    text = cell_text(value)
    if not text.isascii():  # full-width digits and letters (NFKC leaves ASCII as it is)
        text = unicodedata.normalize("NFKC", text)
    match = _FORMULA_TEXT.match(text)
    if match:
        text = match.group(1)
    text = text.lstrip("'")
    if _SCIENTIFIC.match(text.replace(" ", "")):
        raise _numeric_id()
    return text


def _numeric_id() -> CellError:
    return CellError(
        _(
            "The spreadsheet stored this ID number as a number, which loses its last "
            "digits. Format the ID number column as text, type the numbers again and "
            "import once more."
        )
    )


def looks_truncated(number: str) -> bool:
    """An 18-digit number ending in 000: what a number cell leaves of an ID number.

    Genuine numbers end so too (about one in a thousand), so this is a warning.
    """
    return number.endswith("000")


def normalised_id_key(value) -> str:
    """The ID number of a cell as compared across rows (before validation)."""
    return normalise_id_number(cell_text(value))


# --- Dates ------------------------------------------------------------------------------

#: Excel's day 0 (the 1900 date system, counting its fictitious 29 February 1900).
EXCEL_EPOCH = date(1899, 12, 30)
#: Serial numbers taken for dates: 1927-05-18 to 2099-12-31. Smaller numbers are more
#: likely a year typed alone (2021 would be day 2021 of 1900) than a date.
_SERIALS = range(10000, 73051)
_TIME_PART = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YM = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_SERIAL_TEXT = re.compile(r"^\d{5}(\.0+)?$")


def _bad_date(text: str) -> CellError:
    return CellError(
        _("“%(value)s” is not a date this import understands; write it as 2021-03-05.")
        % {"value": text}
    )


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(_("“%(value)s” is not a real calendar date.") % {"value": text}) from None


@_remembered
def parse_date(value) -> tuple[date | None, bool]:
    """(the date or None for an empty cell, whether only year and month were given).

    Accepted: date cells, Excel serial numbers, 2021-03-05, 2021/3/5, 2021.3.5,
    2021年3月5日, 20210305 (text or number), with an optional time of day, and
    2021年3月 / 2021-03 (the first of the month, flagged).
    """
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    if isinstance(value, bool):
        raise _bad_date(str(value))
    if isinstance(value, (int, float)):
        return _from_number(value), False
    text = unicodedata.normalize("NFKC", cell_text(value))
    if not text:
        return None, False
    bare = _TIME_PART.sub("", text).strip()
    if match := _YMD.match(bare):
        year, month, day = (int(g) for g in match.groups())
        return _make(year, month, day, text), False
    if match := _COMPACT.match(bare):
        year, month, day = (int(g) for g in match.groups())
        return _make(year, month, day, text), False
    if match := _YM.match(bare):
        year, month = (int(g) for g in match.groups())
        return _make(year, month, 1, text), True
    if _SERIAL_TEXT.match(bare):
        return _from_number(float(bare)), False
    raise _bad_date(text)


def _from_number(number: int | float) -> date:
    text = cell_text(number)
    if float(number).is_integer():
        whole = int(number)
        if 19000101 <= whole <= 20991231:
            match = _COMPACT.match(str(whole))
            if match:
                return _make(*(int(g) for g in match.groups()), text)
        if whole in _SERIALS:
            return EXCEL_EPOCH + timedelta(days=whole)
    raise _bad_date(text)


# --- Vocabularies -----------------------------------------------------------------------


def _key(value) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell_text(value))).lower()


_GENDERS = {
    "男": Gender.MALE,
    "男性": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "女": Gender.FEMALE,
    "女性": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
}


@_remembered
def parse_gender(value) -> str:
    """ "M" or "F", "" for an empty cell; CellError for anything else."""
    key = _key(value)
    if not key:
        return ""
    try:
        return _GENDERS[key]
    except KeyError:
        raise CellError(
            _("The gender “%(value)s” is not 男 or 女.") % {"value": cell_text(value)}
        ) from None


#: Education as rosters write it (data), grouped as in people.vocabularies.Education.
_EDUCATION = {
    Education.PRIMARY: "文盲 半文盲 小学 小学及以下 小学以下",
    Education.JUNIOR_SECONDARY: "初中 初级中学 初中及以下",
    Education.SENIOR_SECONDARY: "高中 中专 职高 技校 中职 中技 普高 高级中学 中等专科 "
    "中等职业学校 高中/中专 高中(中专) 高中中专",
    Education.JUNIOR_COLLEGE: "大专 专科 高职 大学专科 高等专科 大专(高职)",
    Education.BACHELOR: "本科 大学本科 大学 学士 本科学历",
    Education.MASTER: "硕士 研究生 硕士研究生 硕士学位",
    Education.DOCTORATE: "博士 博士研究生 博士学位",
}
EDUCATION_BY_NAME = {
    _key(name): code for code, names in _EDUCATION.items() for name in names.split()
}
EDUCATION_BY_NAME.update({_key(c.value): c.value for c in Education})
EDUCATION_BY_NAME.update({_key(c.label): c.value for c in Education})

ETHNICITY_BY_NAME = {_key(name): code for name, code in ETHNICITY_BY_CHINESE_NAME.items()}
ETHNICITY_BY_NAME.update({_key(c.value): c.value for c in Ethnicity})
ETHNICITY_BY_NAME.update({_key(c.label): c.value for c in Ethnicity})

_NEW_FORM = {
    NewFormGroup.TRUCK_DRIVER: "货车司机 卡车司机",
    NewFormGroup.COURIER: "快递员 快递小哥 快递",
    NewFormGroup.FOOD_DELIVERY: "外卖配送员 外卖骑手 外卖员 外卖送餐员 骑手",
    NewFormGroup.RIDE_HAILING: "网约车司机 网约车驾驶员",
    NewFormGroup.DOMESTIC: "家政服务员 家政",
    NewFormGroup.SECURITY: "保安员 保安",
    NewFormGroup.CARE: "护工护理员 护工 护理员",
    NewFormGroup.MALL_INFORMATION: "商场信息员",
}
NEW_FORM_BY_NAME = {_key(n): code for code, names in _NEW_FORM.items() for n in names.split()}
NEW_FORM_BY_NAME.update({_key(c.value): c.value for c in NewFormGroup})


def _lookup(table: dict[str, str], value) -> str | None:
    """The code for ``value`` ("" for an empty cell), None when it is not in ``table``."""
    key = _key(value)
    if not key:
        return ""
    return table.get(key)


@_remembered
def parse_education(value) -> str:
    code = _lookup(EDUCATION_BY_NAME, value)
    if code is None:
        raise CellError(
            _(
                "The education “%(value)s” is not in the list (小学, 初中, 高中/中专, 大专, "
                "本科, 硕士, 博士); it was left empty."
            )
            % {"value": cell_text(value)}
        )
    return code


@_remembered
def parse_ethnicity(value) -> str:
    code = _lookup(ETHNICITY_BY_NAME, value)
    if code is None:
        raise CellError(
            _("The ethnicity “%(value)s” is not one of the 56 ethnic groups; it was left empty.")
            % {"value": cell_text(value)}
        )
    return code


@_remembered
def parse_new_form_group(value) -> str:
    code = _lookup(NEW_FORM_BY_NAME, value)
    if code is None:
        raise CellError(
            _(
                "“%(value)s” is not one of the eight groups of new-employment-form workers; "
                "it was left empty."
            )
            % {"value": cell_text(value)}
        )
    return code
