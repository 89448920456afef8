"""Where uploaded files are stored, and what a full disk does to an upload.

Django's ``FileSystemStorage`` writes an upload straight into its final name, so a
write that fails halfway (the disk filled up) leaves a truncated file behind that
nothing refers to. Here every file is first written whole to a temporary file in
the storage's own folder and then renamed into place: a failed write leaves no
file, and a renamed file is complete.
"""

from __future__ import annotations

import errno
import os
import tempfile

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _

#: What a user is told when the server's disk cannot hold their file.
DISK_FULL_MESSAGE = _(
    "The server's disk is full, so the file was not saved. Please tell the system "
    "administrator and try again later."
)


def is_disk_full(exc: OSError) -> bool:
    """Whether ``exc`` says the disk (or the account's quota) has no room left."""
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


def store_upload(fieldfile, name: str, content, *, field: str = "upload") -> None:
    """Write ``content`` into a model's file field under ``name``, the row not yet saved.

    The storage leaves no partial file when the write fails; a full disk becomes the
    user's message on ``field``."""
    try:
        fieldfile.save(name, content, save=False)
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        raise ValidationError({field: DISK_FULL_MESSAGE}) from None


def save_with_file(instance, fieldfile) -> None:
    """Save the row whose file ``store_upload`` just wrote: no row, no file."""
    try:
        instance.save()
    except Exception:
        fieldfile.delete(save=False)
        raise


class _WrittenFile(File):
    """A file already on the storage's disk: ``FileSystemStorage`` renames it into place."""

    def __init__(self, path: str):
        super().__init__(None, name=path)
        self.path = path

    def temporary_file_path(self) -> str:
        return self.path


class WholeFileSystemStorage(FileSystemStorage):
    """``FileSystemStorage`` that never leaves a partial file: a file is written to a
    temporary name beside the media files (the same file system, so the rename is
    atomic) and moved into place only once every byte is written."""

    def _save(self, name, content):
        os.makedirs(self.location, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=self.location, prefix=".partial-")
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in content.chunks():
                    handle.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            return super()._save(name, _WrittenFile(partial))
        finally:
            # Moved into place on success; anything left is a failed write.
            if os.path.exists(partial):
                os.unlink(partial)
