"""Evidence uploads: what is accepted, checked by the file's own bytes.

The extension and the browser's declared type are not trusted; the first
bytes decide (PDF, JPEG, PNG). Files are stored under MEDIA_ROOT, which the
web server does not serve, and read back only through a scoped view.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gonghui.core.images import photo_for_keeping
from gonghui.core.storage import save_with_file, store_upload

from .models import AidApplication, Evidence
from .vocabularies import AidStatus, EvidenceKind, ProgrammeKind

#: The largest evidence file accepted (settings.AID_EVIDENCE_MAX_BYTES).
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
#: The stored file's extension follows its content, never the name it came with
#: (which may be anything: "x.html", or an extension longer than the path allows).
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def max_evidence_bytes() -> int:
    return int(getattr(settings, "AID_EVIDENCE_MAX_BYTES", MAX_EVIDENCE_BYTES))


def sniff_content_type(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def evidence_add(*, by, application: AidApplication, kind: str, upload) -> Evidence:
    """Attach a PDF, JPEG or PNG of at most the configured size to an undecided application."""
    if not by.has_perm("aid.add_evidence"):
        raise PermissionDenied(_("You do not have the right to do this."))
    limit = max_evidence_bytes()
    if upload.size > limit:
        raise ValidationError(
            {
                "upload": _("The file is too large: at most %(mb)s MB.")
                % {"mb": limit // (1024 * 1024)}
            }
        )
    upload.seek(0)
    content_type = sniff_content_type(upload.read(8))
    upload.seek(0)
    if content_type is None:
        raise ValidationError({"upload": _("Only PDF, JPEG or PNG files are accepted.")})
    with transaction.atomic():
        application = (
            AidApplication.objects.for_user(by)
            .select_for_update()
            .filter(pk=application.pk)
            .first()
        )
        if application is None:
            raise PermissionDenied(_("This application is outside your scope."))
        return _store(application, kind=kind, upload=upload, content_type=content_type, by=by)


def _store(application: AidApplication, *, kind: str, upload, content_type: str, by) -> Evidence:
    """Keep ``upload`` as evidence of ``application``, locked by the caller."""
    if application.status not in (AidStatus.DRAFT, AidStatus.RETURNED, AidStatus.SUBMITTED):
        raise ValidationError(_("Evidence can no longer be added to a decided application."))
    evidence = Evidence(
        application=application,
        kind=kind,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )
    store_upload(evidence.file, f"evidence.{EXTENSIONS[content_type]}", upload)
    save_with_file(evidence, evidence.file)
    return evidence


#: The kind of a photo the worker adds, by what the programme asks for.
PHOTO_KIND = {
    ProgrammeKind.EDUCATION: EvidenceKind.ENROLMENT,
    ProgrammeKind.ILLNESS: EvidenceKind.MEDICAL,
}


def evidence_add_by_worker(*, person, application: AidApplication, upload) -> Evidence:
    """A photo the worker took of a document, added to their own undecided application:
    made fit to keep first (``core.images``: upright, smaller, no location or other
    metadata), then stored as a JPEG like any evidence."""
    photo = photo_for_keeping(upload, max_bytes=max_evidence_bytes())
    with transaction.atomic():
        application = (
            AidApplication.objects.select_for_update()
            .filter(pk=application.pk, person=person)
            .select_related("programme")
            .first()
        )
        if application is None:
            raise PermissionDenied(_("This application is not yours."))
        return photo_store(application, photo)


def photo_store(application: AidApplication, photo) -> Evidence:
    """Keep a photo made fit to keep (``photo_for_keeping``) as the worker's evidence of
    ``application``, locked by the caller."""
    kind = PHOTO_KIND.get(application.programme.kind, EvidenceKind.OTHER)
    return _store(application, kind=kind, upload=photo, content_type="image/jpeg", by=None)
