"""A full disk, simulated: writes into MEDIA_ROOT fail part-way with ENOSPC.

Only files under MEDIA_ROOT fail, and each writes its first bytes before failing,
as a real disk does when it fills up in the middle of a file: what is left
behind is exactly what a full disk would leave.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path


class _FillingFile:
    """A file object whose first write lands half, then the disk is full."""

    def __init__(self, handle):
        self._handle = handle

    def write(self, data):
        self._handle.write(data[: max(1, len(data) // 2)])
        self._handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._handle.close()


def fill_the_disk(monkeypatch, media_root: Path, *modules) -> None:
    """Make writes to files under ``media_root`` fail with ENOSPC after a few bytes:
    through ``os.fdopen`` (Django's storage) and through ``open`` in ``modules``."""
    root = str(Path(media_root).resolve())
    real_fdopen, real_open = os.fdopen, open

    def fdopen(fd, *args, **kwargs):
        handle = real_fdopen(fd, *args, **kwargs)
        path = os.readlink(f"/proc/self/fd/{fd}")
        return _FillingFile(handle) if path.startswith(root) else handle

    def open_(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        writing = any(flag in mode for flag in "wax+")
        inside = str(Path(file).resolve()).startswith(root)
        return _FillingFile(handle) if writing and inside else handle

    monkeypatch.setattr(os, "fdopen", fdopen)
    for module in modules:
        monkeypatch.setattr(module, "open", open_, raising=False)


def files_under(folder: Path) -> list[Path]:
    """Every file under ``folder``, hidden ones too."""
    return [path for path in Path(folder).rglob("*") if path.is_file()]
