"""Opening a roster file: the format told by its content, its rows streamed.

The extension of an uploaded file says nothing reliable (a .csv saved as
.xlsx, a .xls renamed by hand), so the first bytes decide:

- ZIP (``PK\\x03\\x04``) holding ``[Content_Types].xml`` and an ``xl/`` part: an
  Office Open XML workbook (.xlsx). Before it is parsed, every member is
  inflated once, counting bytes and throwing them away, so a ZIP bomb
  (a few kilobytes that inflate to gigabytes, or headers that lie about their
  sizes) is refused before any parser holds it in memory. So is a workbook
  whose cells name its shared strings so often that they expand beyond the
  same limit: the parser copies a shared string into every cell showing it,
  so a few kilobytes naming one long string a million times are gigabytes.
- OLE2 (``D0 CF 11 E0 A1 B1 1A E1``): an Excel 97-2003 workbook (.xls).
- Anything else must be text: UTF-8 (with or without a byte-order mark),
  UTF-16 with a byte-order mark (Excel's "Unicode text"), else GB18030 (what
  Excel on a Chinese Windows writes as "CSV"). A NUL byte or another control
  character makes it binary, not a roster; a web page or an XML document (what
  many systems export as ".xls") is refused with a message of its own.

Workbooks are read by python-calamine (Rust; a 100,000-row sheet in under a
second), which holds the chosen sheet in compact native memory; the unpacked
size limit above bounds that memory. CSV is streamed record by record and
has no size limit of its own. Either way rows reach Python one at a time and
are never collected in a list.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
import zipfile
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

XLSX = "xlsx"
XLS = "xls"
CSV = "csv"

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")

#: Unpacked size of a workbook above which it is refused (settings.ROSTER_MAX_UNPACKED_BYTES).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: A member inflating to more than this many times its packed size is a bomb. Only
#: members above SMALL_MEMBER are judged: tiny parts compress well and harm nobody.
MAX_RATIO = 100
SMALL_MEMBER = 1024 * 1024
MAX_MEMBERS = 10_000
_CHUNK = 1024 * 1024
#: Bytes of a text file looked at to refuse binary content and to guess the delimiter.
_SAMPLE = 64 * 1024
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0c")
#: The start of a web page or an XML document, whatever name the file was given.
_MARKUP = re.compile(
    r"\s*<(!doctype|html|\?xml|!--|head|body|table|meta|div|style|script|workbook)\b",
    re.IGNORECASE,
)
#: The start of a shared string (``<si>``, any namespace prefix), and a cell value:
#: ``<v>12</v>`` names shared string 12 in a text cell, and the parser takes any other
#: content (``<v> 12</v>``, ``<v>x</v>``) for string 0. Every value is counted, whatever
#: its cell's type, so the sum is an upper bound however the sheet is written. Neither
#: pattern reaches past a second "<".
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,32}:)?si(?=[\s>/])")
_CELL_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,32}:)?v(?:\s[^<>]*)?>(\d{0,10})(<)?")


class RosterFileError(Exception):
    """The file cannot be read as a roster; ``message`` says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def max_unpacked_bytes() -> int:
    return int(getattr(settings, "ROSTER_MAX_UNPACKED_BYTES", MAX_UNPACKED_BYTES))


def _not_a_roster() -> RosterFileError:
    return RosterFileError(
        _(
            "This file is not a spreadsheet. Upload the roster as an Excel workbook "
            "(.xlsx or .xls) or as a CSV file."
        )
    )


def _web_page() -> RosterFileError:
    return RosterFileError(
        _(
            "This file is a web page or an XML document given a spreadsheet's name, not a "
            "workbook. Open it in Excel, save it as an Excel workbook (.xlsx) and upload "
            "the saved copy."
        )
    )


def _damaged_workbook() -> RosterFileError:
    return RosterFileError(
        _(
            "The Excel file is damaged or incomplete and cannot be read. Open it in Excel, "
            "save it again and upload the saved copy."
        )
    )


def detect_format(path: str | Path) -> str:
    """XLSX, XLS or CSV from the content of the file; RosterFileError for anything else."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if not head:
        raise RosterFileError(_("The file is empty."))
    if head.startswith(ZIP_MAGIC):
        check_workbook_zip(path)
        return XLSX
    if head == OLE2_MAGIC:
        return XLS
    text_encoding(path)
    return CSV


def check_workbook_zip(path: str | Path) -> None:
    """Refuse a ZIP that is not a workbook, is damaged, or inflates beyond the limits."""
    limit = max_unpacked_bytes()
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            names = {info.filename for info in members}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
                raise _not_a_roster()
            if len(members) > MAX_MEMBERS:
                raise _too_large()
            total = 0
            for info in members:
                # The declared sizes first (cheap), then the real ones: headers can lie.
                total += info.file_size
                if total > limit or _bomb_ratio(info.file_size, info.compress_size):
                    raise _too_large()
            total = 0
            for info in members:
                inflated = 0
                with archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        inflated += len(chunk)
                        total += len(chunk)
                        if total > limit or _bomb_ratio(inflated, info.compress_size):
                            raise _too_large()
            _check_shared_strings(archive, members, limit)
    except RosterFileError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        # A truncated upload, a CRC error, an unsupported compression method, a
        # member encrypted with a password.
        raise _damaged_workbook() from exc


def _matches(archive: zipfile.ZipFile, info: zipfile.ZipInfo, pattern: re.Pattern):
    """(offset in the member, match) of every match of ``pattern`` in a member, read in
    chunks (never held whole).

    Each chunk is searched up to its last "<": a match starts with "<" and holds no
    other, so none is cut in two, and what follows the cut is searched with the next.
    """
    buffer = b""
    offset = 0  # where ``buffer`` begins in the member
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            buffer += chunk
            cut = buffer.rfind(b"<")
            if cut == -1 or len(buffer) > 4 * _CHUNK:
                cut = len(buffer)  # no tag begins here (or one absurdly long: not a cell)
            for match in pattern.finditer(buffer):
                if match.start() >= cut:
                    break
                yield offset + match.start(), match
            buffer = buffer[cut:]
            offset += cut
    for match in pattern.finditer(buffer):
        yield offset + match.start(), match


def _shared_string_sizes(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> list[int]:
    """An upper bound of each shared string's size: the bytes up to the next one."""
    starts = array("q", (start for start, _match in _matches(archive, info, _SHARED_STRING)))
    return [b - a for a, b in itertools.pairwise([*starts, info.file_size])]


def _check_shared_strings(archive: zipfile.ZipFile, members: list, limit: int) -> None:
    """Refuse a workbook whose cells would copy its shared strings beyond ``limit`` bytes.

    The parser finds the table by name, whatever its case, and the sheets through the
    workbook's relationships, wherever they are: every other member is searched.
    """
    tables = [i for i in members if i.filename.lower().endswith("sharedstrings.xml")]
    if not tables:
        return
    sizes: list[int] = []
    for table in tables:
        found = _shared_string_sizes(archive, table)
        sizes = [max(pair) for pair in itertools.zip_longest(sizes, found, fillvalue=0)]
    if not sizes:
        return
    expanded = 0
    for info in members:
        if info in tables or info.is_dir():
            continue
        counts = Counter(
            match.group(1) if match.group(2) else b""
            for _start, match in _matches(archive, info, _CELL_VALUE)
        )
        for value, count in counts.items():
            index = int(value) if value else 0
            if index < len(sizes):
                expanded += sizes[index] * count
        if expanded > limit:
            raise _too_large()


def _bomb_ratio(inflated: int, packed: int) -> bool:
    return inflated > SMALL_MEMBER and inflated > MAX_RATIO * max(packed, 1)


def _too_large() -> RosterFileError:
    return RosterFileError(
        _(
            "The Excel file unpacks to more than %(limit)d MB or is packed suspiciously "
            "tightly, so it was not opened. Split the roster into smaller files, or save "
            "it as CSV."
        )
        % {"limit": max_unpacked_bytes() // (1024 * 1024)}
    )


def text_encoding(path: str | Path) -> str:
    """The encoding of a text file (see the module docstring); RosterFileError if binary."""
    with open(path, "rb") as handle:
        sample = handle.read(_SAMPLE)
    if sample.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        if b"\x00" in sample:
            raise _not_a_roster()
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        if _decodes(path, encoding):
            text = sample.decode(encoding, errors="ignore")
            if any(ch < " " and ch not in _ALLOWED_CONTROLS for ch in text):
                raise _not_a_roster()
            if _MARKUP.match(text.lstrip("\ufeff")):
                raise _web_page()
            return encoding
    raise _not_a_roster()


def _decodes(path: str | Path, encoding: str) -> bool:
    """Whether the whole file decodes (read in chunks: the file is never held whole)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _count_lines(path: str | Path) -> int:
    lines = 0
    last = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (1 if last and last != b"\n" else 0)


@dataclass
class SheetRows:
    """The rows of one sheet, streamed: ``rows`` yields (1-based row number, cells).

    ``total`` is the number of rows (an estimate for CSV: its line count), for
    progress; ``column_offset`` the number of empty columns left of the first
    cell (calamine leaves them out of each row).
    """

    index: int
    name: str
    rows: Iterator[tuple[int, list]]
    total: int
    column_offset: int = 0


def iter_sheets(
    path: str | Path, file_format: str, *, only: int | None = None
) -> Iterator[SheetRows]:
    """Every visible worksheet of the file in order (a CSV file has one), or sheet ``only``."""
    if file_format == CSV:
        yield _csv_sheet(path)
        return
    try:
        # From the content: calamine's from_path would pick the reader by the file name.
        # from_filelike reads the whole (packed) file, so the handle closes at once.
        with open(path, "rb") as handle:
            workbook = CalamineWorkbook.from_filelike(handle)
        sheets = list(workbook.sheets_metadata)
    except Exception as exc:  # CalamineError, and plain errors for some broken files
        raise _unreadable(file_format) from exc
    for index, meta in enumerate(sheets):
        if only is not None and index != only:
            continue
        if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
            continue
        try:
            # The sheet's cells are loaded whole and outlive the workbook object.
            sheet = workbook.get_sheet_by_index(index)
        except Exception as exc:
            raise _unreadable(file_format) from exc
        start, end = sheet.start, sheet.end
        if start is None or end is None:
            continue
        # iter_rows yields every row from the first (empty ones too) but only the
        # columns from the first non-empty one: numbering rows by position is exact.
        yield SheetRows(
            index=index,
            name=meta.name,
            rows=enumerate(sheet.iter_rows(), start=1),
            total=end[0] + 1,
            column_offset=start[1],
        )


def _unreadable(file_format: str) -> RosterFileError:
    if file_format == XLS:
        return RosterFileError(
            _(
                "The file cannot be read as an Excel 97-2003 workbook (.xls): it is damaged, "
                "protected by a password, or not a spreadsheet. Remove any password, save it "
                "again in Excel and upload the saved copy."
            )
        )
    return _damaged_workbook()


def _csv_sheet(path: str | Path) -> SheetRows:
    encoding = text_encoding(path)
    total = _count_lines(path)

    def rows() -> Iterator[tuple[int, list]]:
        with open(path, encoding=encoding, newline="") as handle:
            delimiter = _delimiter(handle.read(_SAMPLE))
            handle.seek(0)
            reader = csv.reader(handle, delimiter=delimiter)
            try:
                yield from enumerate(reader, start=1)
            except csv.Error as exc:  # a field longer than csv.field_size_limit(), a NUL
                raise RosterFileError(
                    _("The CSV file is damaged at row %(row)d and cannot be read.")
                    % {"row": reader.line_num}
                ) from exc

    return SheetRows(index=0, name="", rows=rows(), total=total)


def _delimiter(sample: str) -> str:
    """Comma, tab or semicolon: whichever the first lines hold most of (comma by default)."""
    head = "\n".join(sample.splitlines()[:20])
    counts = {delimiter: head.count(delimiter) for delimiter in (",", "\t", ";")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def peek(rows: Iterator[tuple[int, list]], count: int) -> tuple[list, Iterator]:
    """The first ``count`` rows as a list, and an iterator over all rows (those included)."""
    head = list(itertools.islice(rows, count))
    return head, itertools.chain(head, rows)
