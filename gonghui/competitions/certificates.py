"""Award certificates as PDF: one page per award (the entrant's name, the award, the
competition, the date, the organiser), made with reportlab.

Chinese is set in reportlab's built-in CID font ``STSong-Light`` (Adobe-GB1): a PDF
reader brings the glyphs, so no font file is shipped or embedded.

All certificates of a competition are made by a background job
(``certificates_start``), watched on its page with a progress bar; a single one is
made when asked for before the job has run (``certificate_for``).
"""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from gonghui.core.storage import save_with_file, store_upload
from gonghui.jobs.models import Job
from gonghui.jobs.services import job_finish, job_progress, job_start
from gonghui.jobs.tasks import handler, job_file_path

from .models import Award, Certificate, Competition, CompetitionStatus, Entry, EntryStatus

FONT = "STSong-Light"
JOB_KIND = "competition_certificates"
#: The job writes its progress after every this many certificates.
PROGRESS_EVERY = 50


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def certificate_pdf(entry: Entry) -> bytes:
    """The certificate of ``entry``'s award, as PDF bytes."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    font = _font()
    competition = entry.competition
    buffer = io.BytesIO()
    width, height = landscape(A4)
    page = canvas.Canvas(buffer, pagesize=(width, height))
    page.setTitle(_("Certificate"))
    page.setLineWidth(3)
    page.rect(30, 30, width - 60, height - 60)
    page.setFont(font, 40)
    page.drawCentredString(width / 2, height - 120, _("Certificate of award"))
    page.setFont(font, 28)
    page.drawCentredString(width / 2, height - 210, entry.person.name)
    page.setFont(font, 18)
    page.drawCentredString(
        width / 2,
        height - 260,
        _("in %(competition)s (%(trade)s)")
        % {"competition": competition.name, "trade": competition.trade},
    )
    page.setFont(font, 32)
    page.drawCentredString(width / 2, height - 320, str(Award(entry.award).label))
    page.setFont(font, 16)
    page.drawRightString(width - 80, 110, competition.organiser.name)
    page.drawRightString(width - 80, 85, formats.date_format(competition.ends_on, "DATE_FORMAT"))
    page.showPage()
    page.save()
    return buffer.getvalue()


def certificate_store(entry: Entry) -> Certificate:
    """Make (or make again) the certificate of ``entry`` and keep its file."""
    content = ContentFile(certificate_pdf(entry))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(entry=entry).first()
        old_name = certificate.file.name if certificate is not None else ""
        if certificate is None:
            certificate = Certificate(entry=entry)
        certificate.award = entry.award
        store_upload(certificate.file, "certificate.pdf", content)
        save_with_file(certificate, certificate.file)
        if old_name:
            storage = certificate.file.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return certificate


def certificate_problem(entry: Entry) -> str | None:
    """Why ``entry`` has no certificate to give (a sentence), or None."""
    if entry.competition.status != CompetitionStatus.LOCKED:
        return _("Certificates are given once the results are locked and published.")
    if entry.status != EntryStatus.APPROVED or not entry.award:
        return _("This entrant holds no award, so there is no certificate.")
    return None


def certificate_for(entry: Entry) -> bytes:
    """The PDF of ``entry``'s certificate: the stored one, or made now without being
    stored (a download is a read; the job stores them all). Refused (with the reason)
    before the results are locked or without an award."""
    problem = certificate_problem(entry)
    if problem is not None:
        raise ValidationError(problem)
    certificate = Certificate.objects.filter(entry=entry, award=entry.award).first()
    if certificate is not None and certificate.file.storage.exists(certificate.file.name):
        with certificate.file.open("rb") as stored:
            return stored.read()
    return certificate_pdf(entry)


def awarded_entries(competition: Competition):
    return (
        Entry.objects.filter(competition=competition, status=EntryStatus.APPROVED)
        .exclude(award="")
        .select_related("person", "competition__organiser")
        .order_by("place", "pk")
    )


def certificates_start(*, by, competition: Competition) -> Job:
    """Start the background job making every certificate of a locked competition."""
    from .services import may_organise

    competition = Competition.objects.select_related("organiser").get(pk=competition.pk)
    if not may_organise(by, competition):
        raise PermissionDenied(_("Only the organiser's staff may do this."))
    if competition.status != CompetitionStatus.LOCKED:
        raise ValidationError(
            _("Certificates are given once the results are locked and published.")
        )
    if not awarded_entries(competition).exists():
        raise ValidationError(_("Nobody holds an award in this competition."))
    return job_start(
        by=by,
        kind=JOB_KIND,
        title=_("Certificates: %(name)s") % {"name": competition.name},
        params={"competition": competition.pk},
    )


@handler(JOB_KIND)
def certificates_job(job: Job) -> None:
    """Make every certificate of the competition, then a ZIP of them all for the starter.

    The entries are read whole before the first write: the job writes its progress as
    it goes, which it must not do with a read still open (docs/architecture.md)."""
    competition = Competition.objects.select_related("organiser").get(pk=job.params["competition"])
    entries = list(awarded_entries(competition))
    total = len(entries)
    job_progress(job, 0, total)
    path = job_file_path(job, ".zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, entry in enumerate(entries, start=1):
            entry.competition = competition
            certificate = certificate_store(entry)
            with certificate.file.open("rb") as handle:
                archive.writestr(f"{entry.place:04d}-{entry.person.name}.pdf", handle.read())
            if done % PROGRESS_EVERY == 0:
                job_progress(job, done)
    path.chmod(0o600)
    job_finish(
        job,
        message=_("%(n)d certificates made.") % {"n": total},
        result_file=str(path),
        result_name=f"certificates-{competition.pk}-{timezone.localdate():%Y%m%d}.zip",
        total=total,
    )
