"""A corpus of hostile files, built at test time (nothing large is committed).

Each builder writes one file under a folder and returns its path. The files are
what a careless or malicious user could upload to a page that takes a file:

- a ZIP bomb named .xlsx (a few hundred kilobytes that inflate to half a gigabyte);
- a shared-string bomb: a real workbook of a few kilobytes whose cells name one
  long shared string a hundred thousand times (gigabytes once every cell holds it);
- XML entity expansion ("billion laughs") and an external entity inside an .xlsx;
- an HTML page named .xlsx, .pdf or .jpg;
- a 30 MB file;
- a roster of 1,000,000 rows;
- a roster with a 100,000-character cell;
- rosters in GB18030 and in UTF-16, with characters outside GB 2312;
- a roster whose names begin with = + - @, exported again afterwards.

``python -m gonghui.core.tests.hostile OUT.json`` runs the large files through
the pages in a fresh process (its own database under a scratch GONGHUI_VAR_DIR)
and writes what each page said and the process's peak memory, for
``test_hostile_input.test_large_hostile_files_are_refused_within_500_mb``.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from datetime import date, timedelta
from pathlib import Path

from gonghui.core.idnumbers import complete_id_number

MB = 1024 * 1024
#: What a ZIP bomb inflates to: beyond the roster reader's 200 MB limit.
BOMB_BYTES = 512 * MB
BIG_FILE_BYTES = 30 * MB
MILLION = 1_000_000
LONG_CELL = 100_000

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: The smallest valid PNG: signature, IHDR for 1x1 pixel, IDAT and IEND.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
HTML = (
    "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>会员名册</title>"
    "<script>fetch('/accounts/')</script></head><body><table>\n"
    "<tr><td>姓名</td><td>身份证号码</td></tr>\n"
    "<tr><td>张三</td><td>330106198506010012</td></tr>\n"
    "</table></body></html>\n"
)
#: Names a spreadsheet program would evaluate as formulas (OWASP CSV injection),
#: and one in full-width characters that NFKC turns into a formula.
FORMULA_NAMES = (
    "=1+2",
    "+SUM(1,2)",
    "-2+3",
    "@SUM(1)",
    '=HYPERLINK("http://x","点我")',
    "＝1+1",
)
#: Characters outside GB 2312 (GB18030 writes them in four bytes) and a plain name.
RARE_NAMES = ("𠮷一", "龘二", "王三")
#: What an external entity would leak if it were ever resolved.
LEAK = "root:"

HEADER = ["姓名", "身份证号码", "民族", "入会时间"]


def roster_id(seq: int, *, born: date = date(1985, 6, 1)) -> str:
    """A valid 18-character ID number, one per ``seq`` (born 1985, region 330106)."""
    born = born + timedelta(days=seq // 1000)
    return complete_id_number(f"330106{born:%Y%m%d}{seq % 1000:03d}")


# --- workbooks written by hand ---------------------------------------------------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    "schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
    '" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
    'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships"><sheets><sheet name="名册" sheetId="1" r:id="rId1"/>'
    "</sheets></workbook>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="'
    'worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.'
    'org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def workbook_bytes(rows: list[list[str]], *, prolog: str = "", sheet_rows: str = "") -> bytes:
    """An .xlsx as Excel writes it: every text cell a reference to the shared strings.

    ``prolog`` goes before the sheet's root element (a DOCTYPE); ``sheet_rows`` is
    appended to its rows as written (hand-made cells).
    """
    strings: dict[str, int] = {}
    xml_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            index = strings.setdefault(value, len(strings))
            cells.append(f'<c r="{_column(c)}{r}" t="s"><v>{index}</v></c>')
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    shared = "".join(f"<si><t>{_escape(text)}</t></si>" for text in strings)
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="{_MAIN}">'
        f"<sheetData>{''.join(xml_rows)}{sheet_rows}</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">{shared}</sst>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def roster_rows(names: tuple[str, ...] | list[str], *, first: int = 1) -> list[list[str]]:
    return [HEADER] + [
        [name, roster_id(first + n), "汉族", "2021-03-05"] for n, name in enumerate(names)
    ]


# --- the corpus ------------------------------------------------------------------------


def zip_bomb(folder: Path) -> Path:
    """A workbook's parts around a sheet of BOMB_BYTES zeros: about 500 KB packed."""
    path = folder / "花名册-zip-bomb.xlsx"
    zeros = bytes(MB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(BOMB_BYTES // MB):
                member.write(zeros)
    return path


def shared_string_bomb(folder: Path, *, length: int = 32_000, cells: int = 3_000) -> Path:
    """One shared string of ``length`` characters shown in ``cells`` cells: a few
    kilobytes that a reader copying the string into each cell turns into 288 MB (a
    hundred times as many cells would be 29 GB: the test stays survivable should the
    check ever go)."""
    rows = roster_rows(["长" * length])
    per_row = 10
    extra = "".join(
        f'<row r="{r}">' + '<c t="s"><v>4</v></c>' * per_row + "</row>"
        for r in range(3, 3 + cells // per_row)
    )
    path = folder / "花名册-shared-strings.xlsx"
    path.write_bytes(workbook_bytes(rows, sheet_rows=extra))
    return path


def _entities(levels: int = 10) -> str:
    """The "billion laughs": ten entities, each ten of the one before (10^10 "lol"s)."""
    lines = ['<!ENTITY lol0 "lol">']
    lines += [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels)]
    return f"<!DOCTYPE worksheet [{''.join(lines)}]>"


def entity_expansion(folder: Path) -> Path:
    """A roster whose name cell is the ninth entity of a "billion laughs" DOCTYPE."""
    cell = '<row r="3"><c r="A3" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    path = folder / "花名册-entities.xlsx"
    path.write_bytes(workbook_bytes(roster_rows(["张三"]), prolog=_entities(), sheet_rows=cell))
    return path


def external_entity(folder: Path) -> Path:
    """A roster whose name cell is an external entity naming /etc/passwd (XXE)."""
    prolog = '<!DOCTYPE worksheet [<!ENTITY leak SYSTEM "file:///etc/passwd">]>'
    cell = '<row r="3"><c r="A3" t="inlineStr"><is><t>&leak;</t></is></c></row>'
    path = folder / "花名册-xxe.xlsx"
    path.write_bytes(workbook_bytes(roster_rows(["张三"]), prolog=prolog, sheet_rows=cell))
    return path


def html_page(folder: Path, suffix: str) -> Path:
    """A web page (with a script) given a spreadsheet's, a PDF's or a picture's name."""
    path = folder / f"名册.{suffix}"
    path.write_text(HTML, encoding="utf-8")
    return path


def big_file(folder: Path, suffix: str, head: bytes = b"") -> Path:
    """BIG_FILE_BYTES of random bytes after ``head`` (a PDF's or a PNG's first bytes)."""
    path = folder / f"big.{suffix}"
    with open(path, "wb") as handle:
        handle.write(head)
        remaining = BIG_FILE_BYTES - len(head)
        while remaining > 0:
            chunk = os.urandom(min(remaining, 4 * MB))
            handle.write(chunk)
            remaining -= len(chunk)
    return path


def million_rows(folder: Path, rows: int = MILLION) -> Path:
    """A CSV roster of ``rows`` valid rows (about 35 MB), written as it is generated."""
    path = folder / "花名册-million.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            writer.writerow(["职工", roster_id(n), "汉族", "2021-03-05"])
    return path


def long_cell(folder: Path, fmt: str) -> Path:
    """A roster with a 100,000-character name, and one with a 100,000-character ethnicity."""
    rows = roster_rows(["长" * LONG_CELL, "李四"])
    rows[2][2] = "族" * LONG_CELL
    path = folder / f"花名册-long-cell.{fmt}"
    if fmt == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(rows)
    else:
        path.write_bytes(workbook_bytes(rows))
    return path


def encoded_csv(folder: Path, encoding: str) -> Path:
    """A roster of RARE_NAMES in ``encoding`` (UTF-16 with its byte-order mark, as Excel)."""
    path = folder / f"花名册-{encoding}.csv"
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(roster_rows(RARE_NAMES, first=100))
    return path


def formula_roster(folder: Path) -> Path:
    """A roster of FORMULA_NAMES (as text cells: typed in, not formulas)."""
    path = folder / "花名册-formulas.xlsx"
    path.write_bytes(workbook_bytes(roster_rows(FORMULA_NAMES, first=200)))
    return path


def plain_roster(folder: Path, name: str = "花名册.xlsx") -> Path:
    path = folder / name
    path.write_bytes(workbook_bytes(roster_rows(["赵五"], first=300)))
    return path


# --- the large files in a process of their own -----------------------------------------


def _measure(out: Path) -> None:  # pragma: no cover - runs in the child process
    import json
    import resource
    import tempfile

    # The jobs run as the request ends, as the test settings run them (gonghui/conftest.py).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)

    from gonghui.conftest import county_build
    from gonghui.core.tests.test_hostile_input import submit_all_routes, world_build

    world = world_build(county_build())
    folder = Path(tempfile.mkdtemp(dir=os.environ["GONGHUI_VAR_DIR"]))
    results = []
    for key, build in LARGE.items():
        path = build(folder)
        outcomes = submit_all_routes(world, path)
        path.unlink()
        results.append(
            {
                "file": key,
                "bytes": outcomes.pop("bytes"),
                "routes": outcomes,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    out.write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")


#: The files measured in a process of their own, by key.
LARGE = {
    "zip_bomb": zip_bomb,
    "shared_string_bomb": shared_string_bomb,
    "big_30mb_xlsx": lambda folder: big_file(folder, "xlsx"),
    "big_30mb_pdf": lambda folder: big_file(folder, "pdf", PDF),
    "big_30mb_png": lambda folder: big_file(folder, "png", PNG),
    "million_rows": million_rows,
}


if __name__ == "__main__":  # pragma: no cover
    import sys

    _measure(Path(sys.argv[1]))
