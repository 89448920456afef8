"""Excel export of any console list.

Cells that begin with = + - @ (or a tab/CR) are neutralised with a leading
apostrophe-free quote character so that spreadsheet programs show them as text
instead of evaluating them (CSV/formula injection, OWASP).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A value safe to put in a spreadsheet cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, Decimal, date)):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        # A leading single quote is what Excel itself shows for "text that
        # looks like a formula"; the value stays readable and inert.
        return "'" + text
    return text


def write_xlsx(
    target: str | Path | IO[bytes],
    headers: list[str],
    rows: Iterable[list],
    *,
    sheet_title: str = "Sheet1",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Stream ``rows`` into an .xlsx at ``target``; returns the number of rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=neutralise(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([neutralise(value) for value in row])
        count += 1
        if progress and count % 1000 == 0:
            progress(count)
    workbook.save(target)
    return count


def xlsx_filename(stem: str) -> str:
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def xlsx_file_response(path: Path, filename: str) -> FileResponse:
    return FileResponse(
        open(path, "rb"), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
