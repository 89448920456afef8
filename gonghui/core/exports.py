"""Excel export of any console list.

Text that begins with = + - @ (or a tab/CR) would be read as a formula by a
spreadsheet program (CSV/formula injection, OWASP). Such a cell is written as
a string cell with the "quote prefix" style, which is what Excel records when
a person types a leading apostrophe: the program shows the text as it is,
never evaluates it, and the value itself stays exact (a phone number
"+86 …" is not given a visible apostrophe).

Text longer than a cell holds (32,767 characters, Excel's specification limit)
is cut, ending in "…": Excel would otherwise call the whole file damaged.

Every sheet opens ready to read: an optional title row saying what was exported
(the list, its search and filters, when and by whom), the header row frozen
below it with an autofilter, and columns as wide as their contents.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import IO

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: The most characters an Excel cell holds.
EXCEL_CELL_MAX = 32_767
#: Rows read at a time by ``querysets_in_chunks``.
CHUNK_ROWS = 2000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Rows read ahead to size the columns: a streamed sheet takes its widths before its rows.
WIDTH_SAMPLE_ROWS = 200
MIN_COLUMN_WIDTH = 6
MAX_COLUMN_WIDTH = 50


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
    if isinstance(value, str) and len(value) > EXCEL_CELL_MAX:
        value = value[: EXCEL_CELL_MAX - 1] + "…"
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        cell = WriteOnlyCell(sheet, value=value)
        # openpyxl would infer a formula from a leading "="; the type is set after the value.
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def display_width(value) -> int:
    """The width of ``value`` in spreadsheet columns: a CJK (wide or full-width)
    character takes two, any other one."""
    value = plain_value(value)
    if isinstance(value, datetime):
        return 16  # 2026-01-02 08:30
    if isinstance(value, date):
        return 10
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(value))


def column_widths(headers: list, rows: Iterable[list]) -> list[int]:
    """A width per column that fits its header and the sampled values, within bounds."""
    widest = [display_width(header) for header in headers]
    for row in rows:
        for index, value in enumerate(row[: len(widest)]):
            widest[index] = max(widest[index], display_width(value))
    return [min(MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, width + 2)) for width in widest]


def write_xlsx(
    target: str | Path | IO[bytes],
    headers: list[str],
    rows: Iterable[list],
    *,
    sheet_title: str = "Sheet1",
    title: str = "",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Stream ``rows`` into an .xlsx at ``target``; returns the number of rows written.

    ``title``, when given, is the first row (what was exported); the header row
    follows, frozen and with an autofilter over the columns.
    """
    workbook = Workbook(write_only=True)
    count = _write_sheet(workbook, headers, rows, sheet_title, title, progress)
    workbook.save(target)
    return count


def write_xlsx_sheets(target: str | Path | IO[bytes], sheets: Iterable[tuple]) -> None:
    """An .xlsx of several sheets, each ``(sheet_title, headers, rows)``, written as
    ``write_xlsx`` writes one (a worker's copy of their data: a sheet per kind)."""
    workbook = Workbook(write_only=True)
    for sheet_title, headers, rows in sheets:
        _write_sheet(workbook, headers, rows, sheet_title, "", None)
    workbook.save(target)


def _write_sheet(workbook, headers, rows, sheet_title, title, progress) -> int:
    sheet = workbook.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)
    rows = iter(rows)
    sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
    # A streamed sheet writes its column widths and panes before its first row.
    for index, width in enumerate(column_widths(headers, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_row = 2 if title else 1
    sheet.freeze_panes = f"A{header_row + 1}"
    if title:
        cell = WriteOnlyCell(sheet, value=plain_value(title))
        cell.font = bold
        sheet.append([cell])
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=plain_value(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in chain(sample, rows):
        sheet.append([neutralise(sheet, value) for value in row])
        count += 1
        if progress and count % 1000 == 0:
            progress(count)
    if headers:
        # The autofilter is written after the rows, so it can span them all.
        last = get_column_letter(len(headers))
        sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + count}"
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
