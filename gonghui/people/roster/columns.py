"""Finding the header row of a roster and mapping its columns to fields.

Rosters are made by hand: a title or two above the header, column names in
several spellings (身份证号 / 身份证号码 / 公民身份号码 …), notes in brackets
("身份证号（必填）"), required-field stars, two-row headers whose group cells
are merged. A merged cell's value sits in its first cell only, so an empty
header cell takes the value of the cell above it when that one names a field,
and a second header row right under the first fills in what the first lacks.

The header row is the first row, within the first ``HEADER_SCAN_ROWS``, that
names at least the person's name and ID number columns.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

HEADER_SCAN_ROWS = 20

NAME = "name"
ID_NUMBER = "id_number"
GENDER = "gender"
BIRTH_DATE = "birth_date"
ETHNICITY = "ethnicity"
EDUCATION = "education"
PHONE = "phone"
EMPLOYER = "employer"
CREDIT_CODE = "credit_code"
JOB_TITLE = "job_title"
NEW_FORM_GROUP = "new_form_group"
JOINED_ON = "joined_on"
CARD_NUMBER = "card_number"
SEQUENCE = "sequence"
#: Columns rosters often carry that a person's file does not hold: recognised, left aside.
OTHER = "other"

#: A person's fields, in the order a roster lists them (the import reads them
#: in this order; the template workbook writes its headers in it).
PERSON_FIELDS = (
    NAME,
    ID_NUMBER,
    GENDER,
    BIRTH_DATE,
    ETHNICITY,
    EDUCATION,
    PHONE,
    EMPLOYER,
    CREDIT_CODE,
    JOB_TITLE,
    NEW_FORM_GROUP,
    JOINED_ON,
)

#: What each field is called on the page and in messages.
FIELD_LABELS = {
    NAME: pgettext_lazy("person", "name"),
    ID_NUMBER: _("ID number"),
    GENDER: _("gender"),
    BIRTH_DATE: _("date of birth"),
    ETHNICITY: _("ethnicity"),
    EDUCATION: _("education"),
    PHONE: _("mobile phone"),
    EMPLOYER: _("employer"),
    CREDIT_CODE: _("unified social credit code"),
    JOB_TITLE: _("job"),
    NEW_FORM_GROUP: _("new forms of employment group"),
    JOINED_ON: _("member since"),
    CARD_NUMBER: _("membership card number"),
    SEQUENCE: _("sequence number"),
    OTHER: _("other"),
}

#: Column names seen in real rosters (data, not UI text), compared after ``header_key``.
SYNONYMS: dict[str, tuple[str, ...]] = {
    NAME: ("姓名", "职工姓名", "会员姓名", "员工姓名", "名字", "name"),
    ID_NUMBER: (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "公民身份证号码",
        "居民身份证号码",
        "身份证",
        "身份证件号码",
        "证件号码",
        "证件号",
        "身份号码",
        "idnumber",
    ),
    GENDER: ("性别", "gender", "sex"),
    BIRTH_DATE: ("出生日期", "出生年月", "出生年月日", "dateofbirth", "birthdate"),
    ETHNICITY: ("民族", "ethnicity"),
    EDUCATION: ("学历", "文化程度", "最高学历", "education"),
    PHONE: (
        "手机",
        "手机号",
        "手机号码",
        "联系电话",
        "电话",
        "电话号码",
        "联系方式",
        "移动电话",
        "phone",
        "mobile",
        "mobilephone",
    ),
    EMPLOYER: ("工作单位", "单位名称", "用人单位", "单位", "所在单位", "企业名称", "employer"),
    CREDIT_CODE: (
        "统一社会信用代码",
        "社会信用代码",
        "信用代码",
        "单位统一社会信用代码",
        "creditcode",
    ),
    JOB_TITLE: ("岗位", "职务", "工种", "岗位职务", "职务岗位", "岗位/职务", "job", "jobtitle"),
    NEW_FORM_GROUP: ("新就业形态群体", "新就业形态类别", "新业态群体", "新业态类型", "新业态"),
    JOINED_ON: (
        "入会时间",
        "入会日期",
        "入会年月",
        "加入工会时间",
        "加入工会日期",
        "membersince",
        "joinedon",
    ),
    CARD_NUMBER: ("会员卡号", "会员证号", "会员证号码", "卡号", "cardnumber"),
    SEQUENCE: ("序号", "编号", "no", "no."),
    OTHER: (
        "备注",
        "政治面貌",
        "家庭住址",
        "住址",
        "现住址",
        "户籍地",
        "籍贯",
        "固定电话",
        "座机",
        "邮箱",
        "电子邮箱",
        "婚姻状况",
        "参加工作时间",
        "户口性质",
        "职称",
        "技能等级",
    ),
}

_BRACKETED = re.compile(r"[(\[【<《][^)\]】>》]*[)\]】>》]")
_DROP = re.compile(r"[\s*:：#]+")
_BY_KEY: dict[str, str] = {}


def header_key(text) -> str:
    """A column name reduced to compare: NFKC, lower case, no notes in brackets, no marks."""
    if text is None:
        return ""
    key = unicodedata.normalize("NFKC", str(text)).lower()
    key = _BRACKETED.sub("", key)
    return _DROP.sub("", key)


for _field, _names in SYNONYMS.items():
    for _name in _names:
        _BY_KEY[header_key(_name)] = _field


def field_for(text) -> str | None:
    """The field a column name stands for, or None."""
    return _BY_KEY.get(header_key(text)) if text not in (None, "") else None


@dataclass
class HeaderMap:
    """Where the header is and which column holds which field (0-based column indexes)."""

    row: int
    columns: dict[str, int]
    labels: dict[str, str] = field(default_factory=dict)
    #: Rows under the header that continue it (a second header row), skipped as data.
    extra_rows: tuple[int, ...] = ()

    @property
    def width(self) -> int:
        return max(self.columns.values()) + 1 if self.columns else 0


def _row_fields(cells: list) -> dict[int, str]:
    found = {}
    for i, cell in enumerate(cells):
        if isinstance(cell, str) and (name := field_for(cell)):
            found[i] = name
    return found


def find_header(rows: list[tuple[int, list]]) -> HeaderMap | None:
    """The header among ``rows`` (the first rows of a sheet), or None."""
    for position, (number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = _row_fields(cells)
        if NAME not in found.values() or ID_NUMBER not in found.values():
            continue
        labels = {i: str(cells[i]).strip() for i in found}
        if position > 0:
            # Merged group cells above: their value stands in the upper row only.
            above = rows[position - 1][1]
            for i, name in _row_fields(above).items():
                if i not in found and (i >= len(cells) or cells[i] in (None, "")):
                    found[i] = name
                    labels[i] = str(above[i]).strip()
        extra: list[int] = []
        if position + 1 < len(rows):
            number_below, below = rows[position + 1]
            below_fields = _row_fields(below)
            filled = [c for c in below if c not in (None, "")]
            # A second header row: every filled cell names a field, none is a person's.
            if below_fields and len(below_fields) == len(filled):
                for i, name in below_fields.items():
                    found[i] = name
                    labels[i] = str(below[i]).strip()
                extra.append(number_below)
        columns: dict[str, int] = {}
        for i in sorted(found):
            if found[i] != OTHER:
                columns.setdefault(found[i], i)
        return HeaderMap(
            row=number,
            columns=columns,
            labels={name: labels[i] for name, i in columns.items()},
            extra_rows=tuple(extra),
        )
    return None
