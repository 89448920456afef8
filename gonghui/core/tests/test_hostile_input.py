"""Hostile files against every page that takes a file, through the pages a person uses.

The pages: the roster import (people:roster:import, the import run as the job
runs it), an aid application's evidence (aid:evidence-upload) and a wish's
fulfilment photo (outreach:wish-fulfil). Every file of the corpus
(``hostile.py``) goes to every page, in the default language (Simplified
Chinese), and each is refused with a clear message or neutralised; a refusal
writes nothing (no record, no file kept); a name with ``../`` is stored under a
generated name. The large files run in a process of their own, whose peak
memory must stay under 500 MB.

A message whose msgid is older than this file is asserted in Chinese as written;
one added with it is asserted as the catalogue gives it (its English msgid until
the translation is added).
"""

from __future__ import annotations

import contextlib
import gc
import html
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from gonghui.aid.models import Evidence
from gonghui.conftest import signed_in as conftest_signed_in
from gonghui.core.exports import EXCEL_CELL_MAX
from gonghui.jobs.models import Job, JobStatus
from gonghui.outreach.models import Wish
from gonghui.outreach.services import PHOTO_FOLDER
from gonghui.people.models import Membership, Person
from gonghui.people.roster.importer import max_rows

from . import hostile

ROSTER, EVIDENCE, PHOTO = "roster", "evidence", "photo"
ROUTES = (ROSTER, EVIDENCE, PHOTO)
PEAK_LIMIT_MB = 500

# Messages of the catalogue as a person reads them (zh-hans).
NOT_A_SPREADSHEET = "该文件不是电子表格"
DAMAGED = "该 Excel 文件已损坏或不完整"
UNPACKS = "解压后超过 200 MB"
ONLY_PDF = "仅支持 PDF、JPEG 或 PNG 文件。"
ONLY_PHOTO = "照片须为 JPEG 或 PNG 图片。"
EVIDENCE_TOO_LARGE = "文件过大：最大 10 MB。"
PHOTO_TOO_LARGE = "照片超过 5 MB。"
NAME_TOO_LONG = "姓名超过 50 个字符。"


def new_message(msgid: str, **params) -> str:
    """A message added with this file, as the catalogue gives it now."""
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    return text % params if params else text


def web_page() -> str:
    return new_message(
        "This file is a web page or an XML document given a spreadsheet's name, not a "
        "workbook. Open it in Excel, save it as an Excel workbook (.xlsx) and upload "
        "the saved copy."
    )


def too_many_rows() -> str:
    return new_message(
        "The roster has more than %(limit)d rows, more than one import takes. Split it "
        "into files of at most %(limit)d rows and import them one after another.",
        limit=max_rows(),
    )


# --- the pages ---------------------------------------------------------------------------


@dataclass
class World:
    """The county, the chair who uploads, a draft aid application and a claimed wish
    of their union (built by the apps' access-sweep builders, kept up to date with
    their services)."""

    county: object
    application: object
    wish: object
    #: Runs the jobs a request starts once it commits (inside a test's transaction the
    #: commit never comes: the test passes django_capture_on_commit_callbacks).
    capture: Callable = contextlib.nullcontext


def world_build(county) -> World:
    from gonghui.aid.tests import sweep as aid_sweep
    from gonghui.outreach import services as outreach_services
    from gonghui.outreach.tests import sweep as outreach_sweep

    from .sweep import Subtree

    subtree = Subtree(
        "g1",
        county.g1,
        county.t1,
        county.g1,
        county.e1,
        county.t1staff,
        county.chair1,
        county.superuser,
        100,
        member_union=county.g1,
    )
    application = aid_sweep.build(subtree)["aid_application"]
    wish = outreach_sweep.build(subtree)["wish"]
    outreach_services.wish_claim(by=county.chair1, wish=wish, donor_name="热心职工")
    return World(county=county, application=application, wish=wish)


def signed_in(user) -> Client:
    """A new client signed in as ``user``, past the second factor."""
    return conftest_signed_in(Client(), user)


BOUNDARY = "----hostile-input-boundary"


def multipart(fields: dict[str, str], file_field: str, filename: str, content: bytes | Path):
    """A form body carrying ``filename`` exactly as given (the test client would strip
    a "../" itself, so the body is written by hand, as a hostile browser would).

    A file's content is read straight into the body: the large files are held once
    by the test, not once per copy, so that the peak memory is mostly the server's.
    """
    head = "".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    )
    head += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    )
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    if isinstance(content, Path):
        content = content.read_bytes()
    return b"".join((head.encode(), content, tail))


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def state(world: World) -> dict:
    wish = Wish.objects.get(pk=world.wish.pk)
    return {
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "evidence": Evidence.objects.count(),
        "wish": (wish.status, wish.photo),
    }


def page_text(response) -> str:
    """What the page says, tags and runs of white space collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def submit(world: World, route: str, filename: str, content: bytes | Path) -> dict:
    """Upload ``content`` as ``filename`` on the page ``route``; what became of it."""
    county = world.county
    client = signed_in(county.chair1)
    if route == ROSTER:
        url, fields, field = reverse("people:roster:import"), {"union": county.g1.pk}, "file"
    elif route == EVIDENCE:
        url = reverse("aid:evidence-upload", args=[world.application.pk])
        fields, field = {"kind": "income"}, "upload"
    else:
        url = reverse("outreach:wish-fulfil", args=[world.wish.pk])
        fields = {"fulfilled_on": "2025-05-01", "delivered": "电风扇一台", "comment": ""}
        field = "photo"
    before, files_before = state(world), media_files()
    jobs_before = set(Job.objects.values_list("pk", flat=True))
    body = multipart({k: str(v) for k, v in fields.items()}, field, filename, content)
    with world.capture():
        response = client.post(url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")
    outcome = {"status": response.status_code, "said": page_text(response)}
    job = Job.objects.exclude(pk__in=jobs_before).first()
    if job is not None:
        outcome["job"] = job.status
        outcome["said"] = page_text(client.get(reverse("jobs:detail", args=[job.pk])))
    after = state(world)
    outcome["unchanged"] = after == before
    # Files the upload left: a job's own report is the job's, not the upload's.
    job_files = {f for f in media_files() - files_before if f.startswith("jobs/")}
    outcome["new_files"] = sorted(media_files() - files_before - job_files)
    return outcome


def submit_all_routes(world: World, path: Path) -> dict:
    """``path`` uploaded on every page (its name kept), each outcome by route."""
    outcomes = {"bytes": path.stat().st_size}
    for route in ROUTES:
        outcomes[route] = submit(world, route, path.name, path)
        # The test client's response and request refer to each other and hold the
        # body: collected now, not whenever the collector next runs.
        gc.collect()
    return outcomes


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def world(county, django_capture_on_commit_callbacks) -> World:
    world = world_build(county)
    world.capture = partial(django_capture_on_commit_callbacks, execute=True)
    return world


def refused_everywhere(world, path: Path) -> dict:
    outcomes = submit_all_routes(world, path)
    for route in ROUTES:
        assert outcomes[route]["unchanged"], route
        assert outcomes[route]["new_files"] == [], route
    return outcomes


# --- small hostile files, in this process ------------------------------------------------


def test_an_html_page_named_xlsx_pdf_or_jpg_is_refused_on_every_page(world, tmp_path):
    for suffix in ("xlsx", "pdf", "jpg"):
        outcomes = refused_everywhere(world, hostile.html_page(tmp_path, suffix))

        assert web_page() in outcomes[ROSTER]["said"]
        assert "job" not in outcomes[ROSTER]  # refused on the form, no job started
        assert ONLY_PDF in outcomes[EVIDENCE]["said"]
        assert ONLY_PHOTO in outcomes[PHOTO]["said"]


@pytest.mark.parametrize("build", [hostile.entity_expansion, hostile.external_entity])
def test_xml_entities_inside_an_xlsx_are_never_expanded(build, world, tmp_path):
    outcomes = refused_everywhere(world, build(tmp_path))

    roster = outcomes[ROSTER]
    assert roster["job"] == JobStatus.FAILED
    assert DAMAGED in roster["said"]
    assert hostile.LEAK not in roster["said"] and "lollol" not in roster["said"]
    assert ONLY_PDF in outcomes[EVIDENCE]["said"]
    assert ONLY_PHOTO in outcomes[PHOTO]["said"]


def test_a_zip_bomb_named_xlsx_is_refused_on_the_form(world, tmp_path):
    outcomes = refused_everywhere(world, hostile.zip_bomb(tmp_path))

    assert UNPACKS in outcomes[ROSTER]["said"]
    assert "job" not in outcomes[ROSTER]
    assert ONLY_PDF in outcomes[EVIDENCE]["said"]
    assert ONLY_PHOTO in outcomes[PHOTO]["said"]


def test_a_workbook_naming_one_long_shared_string_in_every_cell_is_refused(world, tmp_path):
    path = hostile.shared_string_bomb(tmp_path)
    assert path.stat().st_size < 200_000

    outcomes = refused_everywhere(world, path)

    assert UNPACKS in outcomes[ROSTER]["said"]
    assert "job" not in outcomes[ROSTER]


def test_an_ordinary_workbook_of_many_shared_strings_is_still_read(world, tmp_path):
    names = [f"职工{n}" for n in range(2000)]
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(hostile.workbook_bytes(hostile.roster_rows(names, first=1000)))

    outcome = submit(world, ROSTER, path.name, path.read_bytes())

    assert outcome["job"] == JobStatus.DONE
    assert Person.objects.filter(name__startswith="职工").count() == 2000


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_100000_character_cell_is_refused_in_its_row_and_kept_short_in_the_report(
    fmt, world, tmp_path
):
    path = hostile.long_cell(tmp_path, fmt)
    people = Person.objects.count()

    outcomes = submit_all_routes(world, path)

    roster = outcomes[ROSTER]
    assert roster["job"] == JobStatus.DONE
    assert NAME_TOO_LONG in roster["said"]
    # The row with the long ethnicity is imported, the ethnicity left empty.
    assert Person.objects.count() == people + 1
    assert Person.objects.get(name="李四").ethnicity == ""
    job = Job.objects.get(kind="roster_import")
    assert len(json.dumps(job.outcome, ensure_ascii=False)) < 10_000
    with open(job.result_file, "rb") as handle:
        report = load_workbook(handle, read_only=True)
        longest = max(
            len(str(cell.value))
            for row in report.worksheets[0].iter_rows()
            for cell in row
            if cell.value is not None
        )
    assert longest <= EXCEL_CELL_MAX
    assert ONLY_PDF in outcomes[EVIDENCE]["said"]
    assert ONLY_PHOTO in outcomes[PHOTO]["said"]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_csv_in_gb18030_and_utf16_is_read_with_every_character(encoding, world, tmp_path):
    outcomes = submit_all_routes(world, hostile.encoded_csv(tmp_path, encoding))

    assert outcomes[ROSTER]["job"] == JobStatus.DONE
    for name in hostile.RARE_NAMES:
        assert Person.objects.filter(name=name, current_union=world.county.g1).exists()
    assert ONLY_PDF in outcomes[EVIDENCE]["said"] and outcomes[EVIDENCE]["unchanged"]
    assert ONLY_PHOTO in outcomes[PHOTO]["said"] and outcomes[PHOTO]["unchanged"]


TRAVERSALS = ["../../../../tmp/hostile-{route}.{suffix}", "..\\..\\hostile-{route}.{suffix}"]


@pytest.mark.parametrize("pattern", TRAVERSALS)
def test_a_file_name_with_dot_dot_is_stored_under_a_generated_name(pattern, world, tmp_path):
    contents = {
        ROSTER: ("xlsx", hostile.plain_roster(tmp_path).read_bytes()),
        EVIDENCE: ("pdf", hostile.PDF),
        PHOTO: ("png", hostile.PNG),
    }
    outside = set(Path("/tmp").glob("hostile-*"))
    stored = {}
    for route, (suffix, content) in contents.items():
        name = pattern.format(route=route, suffix=suffix)
        stored[route] = submit(world, route, name, content)

    assert set(Path("/tmp").glob("hostile-*")) == outside  # nothing written beside MEDIA_ROOT
    # The roster was imported and its upload deleted; the job names the file without a path.
    roster = stored[ROSTER]
    assert roster["job"] == JobStatus.DONE and roster["new_files"] == []
    assert Person.objects.filter(name="赵五").exists()
    assert Job.objects.get(kind="roster_import").title.count("hostile-roster.xlsx") == 1
    assert "../" not in Job.objects.get(kind="roster_import").title
    # The evidence is kept under a random name, with the name it came with as data only.
    item = Evidence.objects.get(application=world.application, original_name__contains="hostile")
    assert re.fullmatch(r"aid-evidence/\d{4}/[0-9a-f]{32}\.pdf", item.file.name)
    assert item.original_name == "hostile-evidence.pdf"
    assert stored[EVIDENCE]["new_files"] == [item.file.name]
    # The photo too.
    wish = Wish.objects.get(pk=world.wish.pk)
    assert re.fullmatch(rf"{PHOTO_FOLDER}/[0-9a-f]{{32}}", wish.photo)
    assert stored[PHOTO]["new_files"] == [wish.photo]


def test_a_file_name_with_a_long_extension_is_stored_under_the_kind_it_is(world):
    outcome = submit(world, EVIDENCE, "证明." + "p" * 250, hostile.PDF)

    assert outcome["status"] == 302
    item = Evidence.objects.filter(application=world.application).latest("pk")
    assert item.file.name.endswith(".pdf") and len(item.file.name) <= 200


def test_names_that_start_like_formulas_are_exported_as_text(world, tmp_path):
    county = world.county
    outcome = submit(world, ROSTER, "花名册.xlsx", hostile.formula_roster(tmp_path).read_bytes())
    assert outcome["job"] == JobStatus.DONE
    names = {"=1+2", "+SUM(1,2)", "-2+3", "@SUM(1)", '=HYPERLINK("http://x","点我")', "=1+1"}
    assert names <= set(Person.objects.values_list("name", flat=True))

    # Exported again through the person list, as a person exports it.
    response = signed_in(county.admin).get(
        reverse("people:person-list"), {"export": "xlsx", "q": ""}
    )

    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(BytesIO(content)).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value in names}
    assert set(cells) == names
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells.values())
    with zipfile.ZipFile(BytesIO(content)) as xlsx:
        xml = xlsx.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    # And the import's own report, which repeats the rows, keeps them text too.
    job = Job.objects.get(kind="roster_import")
    report = load_workbook(job.result_file).worksheets[0]
    quoted = [c for row in report.iter_rows() for c in row if c.value in names]
    assert len(quoted) == len(names) - 1  # the full-width one is as typed: "＝1+1"
    assert all(cell.quotePrefix for cell in quoted)


def test_a_roster_longer_than_the_row_limit_is_refused_and_nothing_is_written(
    world, tmp_path, settings
):
    settings.ROSTER_MAX_ROWS = 50
    path = tmp_path / "花名册.csv"
    path.write_text(
        "\n".join(",".join(row) for row in hostile.roster_rows([f"职工{n}" for n in range(60)]))
        + "\n",
        encoding="utf-8",
    )
    before = state(world)

    outcome = submit(world, ROSTER, path.name, path.read_bytes())

    assert outcome["job"] == JobStatus.FAILED
    assert too_many_rows() in outcome["said"]
    assert state(world) == before and outcome["new_files"] == []


def test_a_real_run_refused_at_the_row_limit_rolls_back_what_it_wrote(county, tmp_path, settings):
    from gonghui.people.roster.importer import roster_import
    from gonghui.people.roster.reader import RosterFileError

    settings.ROSTER_MAX_ROWS = 2500  # past the first chunk of 2,000 rows, which is written
    path = tmp_path / "花名册.csv"
    path.write_text(
        "\n".join(",".join(row) for row in hostile.roster_rows([f"职工{n}" for n in range(3000)]))
        + "\n",
        encoding="utf-8",
    )
    before = (Person.objects.count(), Membership.objects.count())

    with pytest.raises(RosterFileError) as refused, transaction.atomic():
        roster_import(by=county.chair1, union=county.g1, path=path)

    assert refused.value.message == too_many_rows()
    assert (Person.objects.count(), Membership.objects.count()) == before


# --- large hostile files, in a process of their own ---------------------------------------


@pytest.fixture(scope="module")
def large_results(tmp_path_factory) -> list[dict]:
    """The large files through the pages in a fresh process; what each page said and the
    process's peak resident memory after each file."""
    scratch = tmp_path_factory.mktemp("hostile-large")
    out = scratch / "results.json"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        GONGHUI_VAR_DIR=str(scratch / "var"),
        DJANGO_SETTINGS_MODULE="gonghui.settings",
    )
    subprocess.run(
        [sys.executable, "-m", "gonghui.core.tests.hostile", str(out)],
        env=env,
        check=True,
        cwd=settings.BASE_DIR,
        timeout=600,
    )
    return json.loads(out.read_text(encoding="utf-8"))


def test_large_hostile_files_are_refused_within_500_mb(large_results):
    by_file = {result["file"]: result for result in large_results}
    assert set(by_file) == set(hostile.LARGE)
    for result in large_results:
        assert result["peak_mb"] < PEAK_LIMIT_MB, result["file"]
        for route in ROUTES:
            outcome = result["routes"][route]
            assert outcome["unchanged"], (result["file"], route)
            assert outcome["new_files"] == [], (result["file"], route)

    routes = {key: result["routes"] for key, result in by_file.items()}
    assert UNPACKS in routes["zip_bomb"][ROSTER]["said"]
    assert UNPACKS in routes["shared_string_bomb"][ROSTER]["said"]
    assert NOT_A_SPREADSHEET in routes["big_30mb_xlsx"][ROSTER]["said"]
    for key in ("big_30mb_xlsx", "big_30mb_pdf", "big_30mb_png"):
        assert by_file[key]["bytes"] == hostile.BIG_FILE_BYTES
        assert EVIDENCE_TOO_LARGE in routes[key][EVIDENCE]["said"]
        assert PHOTO_TOO_LARGE in routes[key][PHOTO]["said"]
    million = routes["million_rows"]
    assert million[ROSTER]["job"] == JobStatus.FAILED
    assert too_many_rows() in million[ROSTER]["said"]
    assert EVIDENCE_TOO_LARGE in million[EVIDENCE]["said"]  # 45 MB: the size refuses it first
    assert PHOTO_TOO_LARGE in million[PHOTO]["said"]
