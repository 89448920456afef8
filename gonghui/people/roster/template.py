"""The roster template (花名册模板) the import page offers: a workbook whose header
row is the first name of each column ``columns.SYNONYMS`` knows, one example row,
and a notes sheet with every name a column may have and the date formats read.

Built from the synonyms, so the template never names a column the import would
not recognise.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from . import columns as col

#: The columns of the template, in order; a card number is the system's to issue.
TEMPLATE_FIELDS = col.PERSON_FIELDS

#: The example row: GB 11643-1999's own example ID number, fictional otherwise.
EXAMPLE = {
    col.NAME: "陈晓红",
    col.ID_NUMBER: "11010519491231002X",
    col.GENDER: "女",
    col.BIRTH_DATE: date(1949, 12, 31),
    col.ETHNICITY: "汉族",
    col.EDUCATION: "高中",
    col.PHONE: "13900001234",
    col.EMPLOYER: "",
    col.CREDIT_CODE: "",
    col.JOB_TITLE: "车工",
    col.NEW_FORM_GROUP: "",
    col.JOINED_ON: date(2024, 5, 1),
}

DATE_FORMATS = "2021-03-05、2021/3/5、2021.3.5、2021年3月5日、20210305"


def header_name(field: str) -> str:
    """The first name ``columns.SYNONYMS`` gives ``field``."""
    return col.SYNONYMS[field][0]


def roster_template(target: str | Path | IO[bytes]) -> None:
    """Write the template workbook to ``target``."""
    bold = Font(bold=True)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("roster")[:31]
    sheet.append([header_name(field) for field in TEMPLATE_FIELDS])
    sheet.append([EXAMPLE[field] for field in TEMPLATE_FIELDS])
    for index, field in enumerate(TEMPLATE_FIELDS, start=1):
        sheet.cell(1, index).font = bold
        letter = sheet.cell(1, index).column_letter
        sheet.column_dimensions[letter].width = 18 if field != col.ID_NUMBER else 22
        if field == col.ID_NUMBER:
            # Text, so that an 18-digit number keeps its last digits.
            for row in range(2, 1001):
                sheet.cell(row, index).number_format = "@"
        elif field in (col.BIRTH_DATE, col.JOINED_ON):
            sheet.cell(2, index).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(_("notes")[:31])
    notes.append([_("field"), _("column names understood")])
    for field in (*TEMPLATE_FIELDS, col.CARD_NUMBER, col.SEQUENCE):
        notes.append([str(col.FIELD_LABELS[field]), "、".join(col.SYNONYMS[field])])
    notes.append([])
    notes.append([_("dates"), DATE_FORMATS])
    notes.append(
        [
            _("ID number"),
            _("Only the name and the ID number are required. Keep the ID number column as text."),
        ]
    )
    for cell in notes[1]:
        cell.font = bold
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 90
    workbook.save(target)
