"""Excel export of any console list.

Text that begins with = + - @ (or a tab/CR) would be read as a formula by a
spreadsheet program (CSV/formula injection, OWASP). Such a cell is written as
a string cell with the "quote prefix" style, which is what Excel records when
a person types a leading apostrophe: the program shows the text as it is,
never evaluates it, and the value itself stays exact (a phone number
"+86 …" is not given a visible apostrophe).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Rows read at a time by ``querysets_in_chunks``.
CHUNK_ROWS = 2000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plain_value(value):
    """A Python value openpyxl can store: None as empty, aware datetimes as local time."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, Decimal, date)):
        return value
    return str(value)


def neutralise(sheet, value):
    """A value or cell safe to put in ``sheet``: text that looks like a formula stays text."""
    value = plain_value(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell = WriteOnlyCell(sheet, value=value)
        # openpyxl would infer a formula from a leading "="; the type is set after the value.
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


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
        cell = WriteOnlyCell(sheet, value=plain_value(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([neutralise(sheet, value) for value in row])
        count += 1
        if progress and count % 1000 == 0:
            progress(count)
    workbook.save(target)
    return count


def querysets_in_chunks(queryset: QuerySet, size: int = CHUNK_ROWS) -> Iterator[QuerySet]:
    """``queryset`` as querysets of at most ``size`` rows each, in its order.

    For work that writes while it reads (a job's progress, reveal-log rows): the
    primary keys are read first, in one statement finished before anything else,
    then each slice by its keys, and its reader reads it whole before writing.
    A read left open (``QuerySet.iterator``) keeps its SQLite snapshot; a write on
    the same connection after anyone else has written then fails at once with
    "database is locked" (SQLITE_BUSY_SNAPSHOT), which no busy timeout waits out.
    """
    keys = list(dict.fromkeys(queryset.values_list("pk", flat=True)))
    for start in range(0, len(keys), size):
        yield queryset.filter(pk__in=keys[start : start + size])


def xlsx_filename(stem: str) -> str:
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def xlsx_file_response(path: Path, filename: str) -> FileResponse:
    return FileResponse(
        open(path, "rb"), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
