"""The import report: the roster's own rows, each followed by its result and reasons.

The file is read again rather than kept in memory during the import (see
``importer``). Every row keeps its number, so "the same ID number as row 12"
points at row 12 of the report as of the roster; the columns left of the
sheet's first filled column stay empty. Text that a spreadsheet would take
for a formula stays text (``core.exports.neutralise``). A second sheet holds the
counts, in the words of the job page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from gonghui.core.exports import neutralise

from . import columns as col
from .reader import iter_sheets
from .result import ImportResult, RowStatus, status_label

PROGRESS_EVERY = 2000
#: Rejected rows the job page lists; the report holds them all.
REJECTED_SHOWN = 50
#: Characters of a rejected row's name or reason kept for the job page (a cell may
#: hold 100,000 characters: the page and the job's record need not).
TEXT_SHOWN = 200
_COLOURS = {RowStatus.REJECTED: "C00000", RowStatus.WARNING: "B35C00", RowStatus.SKIPPED: "595959"}


def write_report(
    result: ImportResult,
    target: str | Path | IO[bytes],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """Write the report of ``result`` (an import of ``result.path``) as .xlsx to ``target``;
    returns the first ``REJECTED_SHOWN`` rejected rows (row number, name, reasons)."""
    sheet = next(iter_sheets(result.path, result.file_format, only=result.sheet_index))
    workbook = Workbook(write_only=True)
    out = workbook.create_sheet(title=(sheet.name or _("roster"))[:31])
    bold = Font(bold=True)
    fonts = {status: Font(color=colour) for status, colour in _COLOURS.items()}
    offset = [None] * result.column_offset
    width = result.width
    outcomes = result.rows()
    pending = next(outcomes, None)
    name_column = result.header.columns.get(col.NAME)
    rejected: list[dict] = []
    for number, cells in sheet.rows:
        line = offset + [neutralise(out, value) for value in cells]
        line.extend([None] * (width - len(line)))
        if number == result.header.row:
            for label in (_("result"), _("reasons")):
                cell = WriteOnlyCell(out, value=label)
                cell.font = bold
                line.append(cell)
        while pending is not None and pending[0] < number:
            pending = next(outcomes, None)
        if pending is not None and pending[0] == number:
            _row, status, reasons = pending
            cell = WriteOnlyCell(out, value=status_label(status, dry_run=result.dry_run))
            if status in fonts:
                cell.font = fonts[status]
            if status == RowStatus.REJECTED and len(rejected) < REJECTED_SHOWN:
                known = name_column is not None and name_column < len(cells)
                name = cells[name_column] if known else ""
                rejected.append(
                    {
                        "row": number,
                        "name": _shown(str(name or "")),
                        "reasons": [_shown(reason) for reason in reasons],
                    }
                )
            line.append(cell)
            line.append(neutralise(out, "；".join(reasons)))
        out.append(line)
        if progress and number % PROGRESS_EVERY == 0:
            progress(number, sheet.total)
    counts = workbook.create_sheet(title=_("summary")[:31])
    counts.append([WriteOnlyCell(counts, value=label) for label in (_("result"), _("rows"))])
    for _status, label, count in result.count_lines():
        counts.append([label, count])
    counts.append([_("rows"), result.counted])
    workbook.save(target)
    return rejected


def _shown(text: str) -> str:
    return text if len(text) <= TEXT_SHOWN else text[: TEXT_SHOWN - 1] + "…"
