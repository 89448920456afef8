"""Loading a room's books from a spreadsheet, with a report on every row.

The file is opened by the roster's reader (``people.roster.reader``: the format told
by its content, ZIP bombs refused, xlsx/xls through python-calamine, CSV in UTF-8 or
GB18030) and its cells read as text by the roster's ``cell_text``. The roster's
importer itself (its header matching, its background job and its report workbook)
is written for people files and is not reused: a book list is short and checked
within the request.

All or nothing: when any row is refused, no book is written and the report says
which rows to correct; when every row is good, all are written in one transaction.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.people.roster.parse import cell_text, is_blank
from gonghui.people.roster.reader import RosterFileError, detect_format, iter_sheets

from .isbns import isbn_normalise
from .models import Book, ReadingRoom
from .services import _require, _require_in_scope, books_index

#: The column headings understood, Chinese and English, for each field.
HEADINGS = {
    "title": ("书名", "题名", "title"),
    "author": ("作者", "著者", "author"),
    "publisher": ("出版社", "publisher"),
    "isbn": ("isbn", "书号", "isbn号"),
    "copies": ("册数", "数量", "copies"),
}
#: Rows looked at for the heading row.
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 20_000


@dataclass
class RowReport:
    row: int
    title: str
    ok: bool
    reasons: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowReport] = field(default_factory=list)
    written: int = 0
    problem: str = ""

    @property
    def rejected(self) -> int:
        return sum(1 for row in self.rows if not row.ok)


def _header(cells: list) -> dict[str, int] | None:
    found = {}
    for index, value in enumerate(cells):
        text = cell_text(value).lower().replace(" ", "")
        for name, words in HEADINGS.items():
            if text in words and name not in found:
                found[name] = index
    return found if "title" in found else None


def books_import(*, by, room: ReadingRoom, upload) -> ImportReport:
    """Check every row of ``upload`` and, if all are good, add the books to ``room``."""
    _require(by, "library.add_book")
    _require_in_scope(by, room.organisation)
    report = ImportReport()
    with tempfile.NamedTemporaryFile(suffix=".upload") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            rows = _read(Path(handle.name))
        except RosterFileError as exc:
            report.problem = exc.message
            return report
    if rows is None:
        report.problem = _("No heading row with a 书名 (title) column was found.")
        return report
    books = []
    seen: dict[str, int] = {}
    held = set(Book.objects.filter(room=room).exclude(isbn="").values_list("isbn", flat=True))
    for number, data in rows:
        reasons = []
        title = data.get("title", "")
        if not title:
            reasons.append(_("The title is empty."))
        try:
            isbn = isbn_normalise(data.get("isbn", ""))
        except ValidationError as exc:
            reasons.extend(exc.messages)
            isbn = ""
        copies_text = data.get("copies", "") or "1"
        copies = int(copies_text) if copies_text.isdigit() else 0
        if not 1 <= copies <= 999:
            reasons.append(_("Copies must be a whole number from 1 to 999."))
        if isbn and isbn in held:
            reasons.append(_("The room already holds a book with this ISBN."))
        elif isbn and isbn in seen:
            reasons.append(_("The same ISBN as row %(row)d.") % {"row": seen[isbn]})
        if isbn:
            seen.setdefault(isbn, number)
        report.rows.append(RowReport(number, title, not reasons, reasons))
        if not reasons:
            books.append(
                Book(
                    room=room,
                    title=title[:200],
                    author=data.get("author", "")[:100],
                    publisher=data.get("publisher", "")[:100],
                    isbn=isbn,
                    copies=copies,
                )
            )
    if not report.rows:
        report.problem = _("The spreadsheet holds no books below its heading row.")
        return report
    if report.rejected:
        return report
    with transaction.atomic():
        books_index(Book.objects.bulk_create(books))
    report.written = len(books)
    return report


def _read(path: Path) -> list[tuple[int, dict[str, str]]] | None:
    """(row number, {field: text}) of every filled row below the heading; None without one."""
    file_format = detect_format(path)
    sheet = next(iter_sheets(path, file_format), None)
    if sheet is None:
        return None
    columns = None
    out = []
    for number, cells in sheet.rows:
        cells = [None] * sheet.column_offset + list(cells)
        if columns is None:
            if number > HEADER_SEARCH_ROWS:
                return None
            columns = _header(cells)
            continue
        if all(is_blank(value) for value in cells):
            continue
        if len(out) >= MAX_ROWS:
            raise RosterFileError(
                _("At most %(n)d books can be loaded at once: split the file.") % {"n": MAX_ROWS}
            )
        out.append(
            (
                number,
                {
                    name: cell_text(cells[index]) if index < len(cells) else ""
                    for name, index in columns.items()
                },
            )
        )
    return out if columns is not None else None
