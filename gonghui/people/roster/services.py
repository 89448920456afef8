"""Starting a roster import from an upload, and exporting a member roster.

The import itself is ``importer.roster_import``; from the web it runs as a
background job (``tasks``), because a large roster takes longer than a
request may. The upload is kept under ``MEDIA_ROOT`` (outside the web root,
never served) until the job has read it and written its report, then deleted:
the report holds the rows the user sent, and it is only theirs to download.
A dry run keeps its file beside its report (owner-only), so that its result
can be imported as it is (``roster_import_run``); the real run deletes it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gonghui.core import exports
from gonghui.core.scope import is_in_scope, subtree_q
from gonghui.core.storage import DISK_FULL_MESSAGE, is_disk_full
from gonghui.jobs.models import Job, JobStatus
from gonghui.jobs.services import job_check_limit, job_start
from gonghui.orgs.models import Organisation
from gonghui.people.models import Membership, Person, RevealLog
from gonghui.people.services import REVEAL_PERMISSION
from gonghui.people.vocabularies import SensitiveField

from .importer import check_target
from .reader import RosterFileError, detect_format

IMPORT_JOB = "roster_import"
EXPORT_JOB = "roster_export"
UPLOAD_FOLDER = "roster-uploads"
#: The largest upload accepted (settings.ROSTER_MAX_UPLOAD_BYTES).
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
EXPORT_CHUNK = 2000


def max_upload_bytes() -> int:
    return int(getattr(settings, "ROSTER_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES))


def upload_folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _store(upload: UploadedFile) -> Path:
    # A random name: the user's file name never becomes a path.
    path = upload_folder() / uuid.uuid4().hex
    try:
        with open(path, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
    except OSError as exc:
        path.unlink(missing_ok=True)  # a half-written roster is no roster
        if not is_disk_full(exc):
            raise
        raise ValidationError({"file": DISK_FULL_MESSAGE}) from None
    path.chmod(0o600)
    return path


def scope_key(user) -> str:
    """Where ``user``'s scope starts: a real run is refused when it moved since the check."""
    organisation = getattr(user, "organisation", None)
    return organisation.path if organisation is not None else ""


def _import_title(name: str, union: Organisation, *, dry_run: bool) -> str:
    title = (
        _("Roster import (dry run): %(file)s into %(union)s")
        if dry_run
        else _("Roster import: %(file)s into %(union)s")
    ) % {"file": name, "union": union.name}
    return title[:200]


@transaction.atomic
def roster_import_start(*, by, union: Organisation, upload: UploadedFile, dry_run: bool) -> Job:
    """Keep the upload and start the import job; a file that is no roster is refused now."""
    check_target(by=by, union=union)
    if upload.size > max_upload_bytes():
        raise ValidationError(
            {"file": _("The file is larger than %(mb)d MB.") % {"mb": max_upload_bytes() >> 20}}
        )
    job_check_limit(by=by, kind=IMPORT_JOB)  # before the upload is kept
    path = _store(upload)
    try:
        detect_format(path)
    except RosterFileError as exc:
        path.unlink(missing_ok=True)
        raise ValidationError({"file": exc.message}) from None
    name = Path(upload.name or "roster").name
    try:
        return job_start(
            by=by,
            kind=IMPORT_JOB,
            title=_import_title(name, union, dry_run=dry_run),
            params={
                "path": str(path),
                "union": union.pk,
                "dry_run": dry_run,
                "file": name,
                "scope": scope_key(by),
            },
        )
    except ValidationError:
        path.unlink(missing_ok=True)
        raise


@transaction.atomic
def roster_import_run(*, by, checked: Job) -> Job:
    """Import for real the roster that the dry run ``checked`` kept.

    The real run checks every row again as it starts. Refused when the dry run
    is not ``by``'s finished one, was imported already, its file is no longer
    kept, ``by``'s organisation changed since, or the union left their scope;
    and, like any import, past the per-user job limit.
    """
    checked = Job.objects.select_for_update().filter(pk=checked.pk).first()
    params = checked.params if checked is not None else {}
    if (
        checked is None
        or checked.started_by_id != by.pk
        or checked.kind != IMPORT_JOB
        or checked.status != JobStatus.DONE
        or not params.get("dry_run")
    ):
        raise ValidationError(_("Only a finished dry run of your own can be imported."))
    if checked.outcome.get("real_run"):
        raise ValidationError(_("This roster has already been imported."))
    kept = Path(params.get("kept") or "")
    if not params.get("kept") or not kept.is_file():
        raise ValidationError(_("The checked file is no longer kept. Upload the roster again."))
    if params.get("scope") != scope_key(by):
        raise ValidationError(
            _("Your organisation has changed since the check. Upload the roster again.")
        )
    union = Organisation.objects.filter(pk=params.get("union")).first()
    if union is None:
        raise ValidationError(_("The union no longer exists."))
    check_target(by=by, union=union)
    job = job_start(
        by=by,
        kind=IMPORT_JOB,
        title=_import_title(params["file"], union, dry_run=False),
        params={
            "path": str(kept),
            "union": union.pk,
            "dry_run": False,
            "file": params["file"],
            "scope": params["scope"],
            "checked": checked.pk,
        },
    )
    Job.objects.filter(pk=checked.pk).update(outcome={**checked.outcome, "real_run": job.pk})
    return job


# --- Export ------------------------------------------------------------------------------


def export_headers() -> list[str]:
    return [
        pgettext("person", "name"),
        _("ID number"),
        _("gender"),
        _("date of birth"),
        _("mobile phone"),
        _("ethnicity"),
        _("education"),
        _("employer"),
        _("unified social credit code"),
        _("job"),
        _("new forms of employment group"),
        _("union"),
        _("membership card number"),
        _("member since"),
    ]


def roster_queryset(*, by, organisation: Organisation):
    """The active memberships of the unions in ``organisation``'s subtree, in the user's scope."""
    if not is_in_scope(by, organisation):
        raise PermissionDenied(_("The organisation is outside your scope."))
    return (
        Membership.objects.for_user(by)
        .active()
        .filter(subtree_q(organisation.path, "union"))
        .select_related("person", "person__employer", "union")
        .order_by("union__path", "person__name", "pk")
    )


@transaction.atomic
def roster_export_start(
    *, by, organisation: Organisation, full_numbers: bool, ip_address: str | None = None
) -> Job:
    """Export a roster too long to write within a request as a background job."""
    if full_numbers and not by.has_perm(REVEAL_PERMISSION):
        raise PermissionDenied(_("You may not reveal ID numbers or phone numbers."))
    roster_queryset(by=by, organisation=organisation)  # the scope check
    return job_start(
        by=by,
        kind=EXPORT_JOB,
        title=(_("Member roster: %(organisation)s") % {"organisation": organisation.name})[:200],
        params={
            "organisation": organisation.pk,
            "full_numbers": full_numbers,
            "ip_address": ip_address,
        },
    )


def roster_export(
    *,
    by,
    organisation: Organisation,
    full_numbers: bool,
    target: str | Path | IO[bytes],
    ip_address: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the member roster of ``organisation`` as .xlsx to ``target``; returns the rows.

    ID numbers and phones are masked unless ``full_numbers``, which needs the
    reveal right and records one reveal-log row per person and field before
    the rows are written (PIPL 第五十一条: every disclosure is on record).
    Each chunk's log rows are committed as the export goes, so no long write
    transaction holds the database while the file is written.
    """
    if not by.has_perm("people.view_person"):
        raise PermissionDenied(_("You may not see people's files."))
    if full_numbers and not by.has_perm(REVEAL_PERMISSION):
        raise PermissionDenied(_("You may not reveal ID numbers or phone numbers."))
    memberships = roster_queryset(by=by, organisation=organisation)
    return exports.write_xlsx(
        target,
        export_headers(),
        _export_rows(memberships, by=by, full_numbers=full_numbers, ip_address=ip_address),
        sheet_title=_("member roster"),
        progress=progress,
    )


def _export_rows(memberships, *, by, full_numbers: bool, ip_address) -> Iterator[list]:
    # Each chunk is read whole before its reveal-log rows are written (exports.querysets_in_chunks).
    for part in exports.querysets_in_chunks(memberships, EXPORT_CHUNK):
        chunk = list(part)
        yield from _chunk_rows(chunk, by=by, full_numbers=full_numbers, ip_address=ip_address)


def _chunk_rows(chunk: list[Membership], *, by, full_numbers: bool, ip_address) -> Iterator[list]:
    if full_numbers and chunk:
        logs = []
        for membership in chunk:
            person = membership.person
            fields = [SensitiveField.ID_NUMBER]
            if person.phone_encrypted:
                fields.append(SensitiveField.PHONE)
            logs.extend(
                RevealLog(by=by, person=person, field=field, ip_address=ip_address)
                for field in fields
            )
        RevealLog.objects.bulk_create(logs)
    for membership in chunk:
        yield _row(membership.person, membership, full_numbers)


def _row(person: Person, membership: Membership, full_numbers: bool) -> list:
    employer = person.employer
    return [
        person.name,
        person.plain_id_number() if full_numbers else person.masked_id_number(),
        person.get_gender_display(),
        person.birth_date,
        person.plain_phone() if full_numbers else person.masked_phone(),
        person.get_ethnicity_display(),
        person.get_education_display(),
        employer.name if employer else "",
        employer.credit_code if employer else "",
        person.job_title,
        person.get_new_form_group_display(),
        membership.union.name,
        person.card_number,
        membership.joined_on,
    ]
