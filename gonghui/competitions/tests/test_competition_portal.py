"""Competitions in the worker portal: the open competitions a worker may enter,
registering (a double tap makes one entry), their own entries only (another's answers
404), the published results, and the certificate: refused with a reason before the
results are locked, a PDF after; staff download any certificate in their scope."""

import base64
import re
import zlib

import pytest
from django.urls import reverse

from gonghui.competitions import certificates, services
from gonghui.competitions.models import Entry, EntryStatus
from gonghui.competitions.tests.helpers import competition, judges, worker
from gonghui.portal.tests.test_card import bound_client

pytestmark = pytest.mark.django_db

LIST = reverse("portal-competitions:list")


def entry_url(entry, name="entry"):
    return reverse(f"portal-competitions:{name}", args=[entry.pk])


@pytest.fixture
def member(county):
    return worker(county, "孙赛")


@pytest.fixture
def phone(member, portal_sign_in):
    return bound_client(portal_sign_in, member)


def test_a_worker_sees_an_open_competition_and_registers_once_on_a_double_tap(
    county, member, phone
):
    made = competition(county)
    other = competition(county, organiser=county.t2, name="西镇竞赛")
    page = phone.get(LIST).content.decode()
    assert made.name in page and other.name not in page  # E1 lies outside T2
    register = reverse("portal-competitions:register", args=[made.pk])
    first = phone.post(register)
    second = phone.post(register)
    entry = Entry.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == entry_url(entry)
    assert (entry.person, entry.registered_by, entry.status) == (member, None, "pending")
    assert "Awaiting approval" in phone.get(entry_url(entry)).content.decode()


def test_another_workers_entry_and_certificate_answer_404(county, member, phone):
    made = competition(county)
    stranger = worker(county, "周他")
    theirs = services.entry_register(by=None, competition=made, person=stranger)
    assert phone.get(entry_url(theirs)).status_code == 404
    assert phone.get(entry_url(theirs, "certificate")).status_code == 404
    foreign = competition(county, organiser=county.t2, name="西镇竞赛")
    assert (
        phone.get(reverse("portal-competitions:competition", args=[foreign.pk])).status_code == 404
    )
    assert phone.post(reverse("portal-competitions:register", args=[foreign.pk])).status_code == 404
    assert not Entry.objects.filter(competition=foreign).exists()


def locked_with(county, member):
    made = competition(county)
    rival = worker(county, "吴对")
    mine = services.entry_register(by=None, competition=made, person=member)
    theirs = services.entry_register(by=None, competition=made, person=rival)
    for entry in (mine, theirs):
        services.entry_approve(by=county.admin, entry=entry)
    (judge,) = judges(county, made, 1)
    for _step in range(2):
        made = services.competition_advance(by=county.admin, competition=made)
    for event in made.events.all():
        services.score_record(by=judge, entry=mine, event=event, value=95)
        services.score_record(by=judge, entry=theirs, event=event, value=80)
    return made, mine, theirs


def test_a_certificate_before_locking_is_refused_with_the_reason(county, member, phone):
    made, mine, _theirs = locked_with(county, member)
    response = phone.get(entry_url(mine, "certificate"), follow=True)
    assert "once the results are locked" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert not hasattr(mine, "certificate") or not Entry.objects.get(pk=mine.pk).certificate


def pdf_literal(raw: bytes) -> bytes:
    """The bytes of a PDF literal string (ISO 32000-1 §7.3.4.2 escapes undone)."""
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}

    def undo(match):
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return escapes.get(code, code)

    return re.sub(rb"\\([0-7]{1,3}|.)", undo, raw, flags=re.S)


def pdf_text(data: bytes) -> str:
    """The text a reportlab PDF set in STSong-Light shows: each content stream is
    ASCII85 and Flate encoded, and holds every string as UTF-16BE (the font's
    UniGB-UCS2-H encoding) in a literal string before ``Tj``."""
    shown = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        stream = stream.strip()
        if not stream.endswith(b"~>"):
            continue
        content = zlib.decompress(base64.a85decode(stream.removesuffix(b"~>"), adobe=False))
        for literal in re.findall(rb"\(((?:[^\\)]|\\.)*)\)\s*Tj", content, re.S):
            shown.append(pdf_literal(literal).decode("utf-16-be", "replace"))
    return " ".join(shown)


def test_after_locking_the_worker_reads_the_result_and_downloads_their_certificate(
    county, member, phone
):
    made, mine, theirs = locked_with(county, member)
    services.results_lock(by=county.admin, competition=made)
    page = phone.get(entry_url(mine)).content.decode()
    assert "Place 1" in page and "First prize" in page
    results = phone.get(reverse("portal-competitions:competition", args=[made.pk])).content
    assert member.name in results.decode()
    response = phone.get(entry_url(mine, "certificate"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF-") and b"STSong-Light" in data
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 1
    text = pdf_text(data)
    assert member.name in text and made.name in text and "First prize" in text
    assert county.root.name in text
    # Staff in scope download it too; a chair of another union does not see the entry.
    from django.test import Client

    from gonghui.conftest import signed_in

    staff = signed_in(Client(), county.t1staff)
    got = staff.get(reverse("competitions:certificate", args=[mine.pk]))
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    other = signed_in(Client(), county.chair2)
    assert other.get(reverse("competitions:certificate", args=[mine.pk])).status_code == 404


def test_the_certificates_job_makes_every_certificate_with_its_progress(
    county, member, django_capture_on_commit_callbacks
):
    from gonghui.jobs.models import Job, JobStatus

    made, mine, theirs = locked_with(county, member)
    services.results_lock(by=county.admin, competition=made)
    with django_capture_on_commit_callbacks(execute=True):
        job = certificates.certificates_start(by=county.admin, competition=made)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and (job.done, job.total) == (2, 2)
    assert Entry.objects.get(pk=mine.pk).certificate.award == "first"
    assert Entry.objects.get(pk=theirs.pk).certificate.award == "second"
    assert job.result_file.endswith(".zip")
    assert Job.objects.filter(kind=certificates.JOB_KIND).count() == 1


def test_a_refused_registration_is_shown_with_its_reason(county, member, phone):
    made = competition(county)
    entry = services.entry_register(by=None, competition=made, person=member)
    services.entry_refuse(by=county.admin, entry=entry, reason="年龄不符")
    page = phone.get(entry_url(entry)).content.decode()
    assert "年龄不符" in page
    assert Entry.objects.get(pk=entry.pk).status == EntryStatus.REFUSED
