"""Backing up and restoring the database and the uploaded files (``gonghui backup DIR``,
``gonghui restore DIR``).

A backup folder holds the database (SQLite's online backup API: a consistent copy
while the site runs; ``pg_dump`` on PostgreSQL), the files under ``MEDIA_ROOT``, and
``manifest.json``: per table the row count and a checksum of its rows, per file its
size and SHA-256, the last migration of each app, and probes of the keys.

The keys are not in the backup: personal data stays encrypted in it, and whoever
holds the backup without the keys holds ciphertext (docs/operations.md, "Backup and
restore"). A restore first checks everything it can without writing — the manifest,
the hashes of the database copy and of every file, the keys in force against the
probes, an empty target — and refuses with the reason; only then it loads, and at
the end it compares every table and file with the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection as default_connection
from django.utils import timezone
from django.utils.translation import gettext as _

from .crypto import DecryptionError, keyed_hash, keyring

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA = "media"
#: What the key probes encrypt and hash: nothing secret, only a known text.
PROBE = "gonghui backup key probe"
PROBE_CONTEXT = "backup.probe"


class BackupError(Exception):
    """A backup or restore refused, with the reason in words."""


# --- reading a database the same way on both sides -------------------------------------------


def _tables(cursor, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(row[0] for row in cursor.fetchall())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_summary(raw_connection, vendor: str) -> dict[str, dict]:
    """Each table's row count and the SHA-256 of its rows in the order of its first
    column (the primary key), as the database driver returns them."""
    cursor = raw_connection.cursor()
    summary = {}
    for table in _tables(cursor, vendor):
        digest = hashlib.sha256()
        count = 0
        cursor.execute(f"SELECT * FROM {_quote(table)} ORDER BY 1")
        while rows := cursor.fetchmany(2000):
            for row in rows:
                digest.update(repr(tuple(_plain(value) for value in row)).encode())
                count += 1
        summary[table] = {"rows": count, "sha256": digest.hexdigest()}
    cursor.close()
    return summary


def _plain(value):
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _migrations(raw_connection) -> dict[str, str]:
    cursor = raw_connection.cursor()
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    last = {app: name for app, name in cursor.fetchall()}
    cursor.close()
    return last


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files(root: Path) -> list[dict]:
    if not root.is_dir():
        return []
    return [
        {"path": str(path.relative_to(root)), "size": path.stat().st_size, "sha256": _sha256(path)}
        for path in sorted(root.rglob("*"))
        if path.is_file()
    ]


def key_probes() -> dict:
    """A known text encrypted under each data key in force, and its keyed hash: a restore
    with other keys cannot decrypt the first or match the second."""
    ring = keyring()
    probes = {}
    for key_id, cipher in ring.ciphers.items():
        nonce = os.urandom(12)
        sealed = cipher.encrypt(nonce, PROBE.encode(), PROBE_CONTEXT.encode())
        probes[key_id] = (nonce + sealed).hex()
    return {"data": probes, "hash": keyed_hash(PROBE, purpose=PROBE_CONTEXT)}


def check_keys(probes: dict) -> None:
    """Refuse unless the keys in force are the backup's (every data key, and the hash key)."""
    ring = keyring()
    for key_id, sealed_hex in probes["data"].items():
        cipher = ring.ciphers.get(key_id)
        raw = bytes.fromhex(sealed_hex)
        try:
            if cipher is None:
                raise DecryptionError(key_id)
            cipher.decrypt(raw[:12], raw[12:], PROBE_CONTEXT.encode())
        except Exception as exc:  # InvalidTag, DecryptionError
            raise BackupError(
                _(
                    "The data key %(key)s of this backup is not among the keys in force "
                    "(GONGHUI_DATA_KEY): the encrypted data could not be read. Set the keys "
                    "the backup was made with; nothing was restored."
                )
                % {"key": key_id}
            ) from exc
    if keyed_hash(PROBE, purpose=PROBE_CONTEXT) != probes["hash"]:
        raise BackupError(
            _(
                "The hash key in force (GONGHUI_HASH_KEY) is not the one of this backup: "
                "people could not be found by ID number or phone. Set the backup's key; "
                "nothing was restored."
            )
        )


# --- backup -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    tables: int
    rows: int
    files: int


def backup(target: Path, *, connection=default_connection) -> Summary:
    """Write a backup of the database and the uploaded files into ``target`` (new or empty)."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(_("%(dir)s is not empty: back up into a new folder.") % {"dir": target})
    old_umask = os.umask(0o077)
    try:
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        connection.ensure_connection()
        vendor = connection.vendor
        if vendor == "sqlite":
            database_file = target / SQLITE_FILE
            copy = sqlite3.connect(database_file)
            try:
                connection.connection.backup(copy)
                tables = table_summary(copy, vendor)
                migrations = _migrations(copy)
            finally:
                copy.close()
        elif vendor == "postgresql":
            database_file = target / PG_FILE
            tables, migrations = _pg_dump(connection, database_file)
        else:
            raise BackupError(f"unsupported database: {vendor}")
        media = Path(settings.MEDIA_ROOT)
        files = _media_files(media)
        if files:
            _copy_private(media, target / MEDIA)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "vendor": vendor,
            "database": {"file": database_file.name, "sha256": _sha256(database_file)},
            "migrations": migrations,
            "tables": tables,
            "files": files,
            "keys": key_probes(),
        }
        (target / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    finally:
        os.umask(old_umask)
    return Summary(len(tables), sum(t["rows"] for t in tables.values()), len(files))


def _pg_dump(connection, database_file: Path):
    """Dump the database, and summarise it, from one snapshot: the summary is read in a
    repeatable-read transaction whose snapshot pg_dump is given, so rows written
    meanwhile by the running site are in neither."""
    raw = connection.connection
    previous = raw.autocommit
    raw.autocommit = False
    try:
        cursor = raw.cursor()
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        # Uncompressed: whoever checks the backup (docs/security.md) reads what it holds.
        _pg_run(
            "pg_dump",
            connection.settings_dict,
            "--format=custom",
            "--compress=0",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
            "--file",
            str(database_file),
        )
        summary = table_summary(raw, "postgresql"), _migrations(raw)
        raw.rollback()
        return summary
    finally:
        raw.autocommit = previous


def _copy_private(source: Path, target: Path) -> None:
    """Copy a tree of personal files owner-only (folders 0700, files 0600), whatever
    rights the copied files had (docs/operations.md, "Files and their rights")."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    os.chmod(target, 0o700)
    for path in target.rglob("*"):
        os.chmod(path, 0o700 if path.is_dir() else 0o600)


def _pg_env(settings_dict) -> dict:
    return {
        **os.environ,
        "PGHOST": settings_dict.get("HOST") or "",
        "PGPORT": str(settings_dict.get("PORT") or ""),
        "PGUSER": settings_dict.get("USER") or "",
        "PGPASSWORD": settings_dict.get("PASSWORD") or "",
        "PGDATABASE": settings_dict["NAME"],
    }


def _pg_run(program: str, settings_dict, *args: str) -> None:
    done = subprocess.run(
        [program, *args], env=_pg_env(settings_dict), capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BackupError(f"{program}: {done.stderr.strip()}")


# --- restore --------------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(
            _("%(dir)s holds no readable backup manifest.") % {"dir": source}
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("This backup's format is not one this version reads."))
    return manifest


def verify_backup(source: Path, manifest: dict) -> None:
    """The database copy and every file are as the manifest says (read only)."""
    source = Path(source)
    database = source / manifest["database"]["file"]
    if not database.is_file() or _sha256(database) != manifest["database"]["sha256"]:
        raise BackupError(
            _("The database copy in the backup is missing or changed; nothing was restored.")
        )
    for item in manifest["files"]:
        path = source / MEDIA / item["path"]
        if not path.is_file() or _sha256(path) != item["sha256"]:
            raise BackupError(
                _("The file %(path)s in the backup is missing or changed; nothing was restored.")
                % {"path": item["path"]}
            )


def restore(source: Path, *, connection=default_connection, media_root: Path | None = None):
    """Restore the backup in ``source`` into ``connection``'s database, which must be
    empty (no tables), and its files into ``media_root`` (``MEDIA_ROOT``), which must
    hold no files. Everything is checked before anything is written."""
    source = Path(source)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = read_manifest(source)
    check_keys(manifest["keys"])
    verify_backup(source, manifest)
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            _("This backup is of a %(vendor)s database; restore it into one of the same kind.")
            % {"vendor": manifest["vendor"]}
        )
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    if _tables(cursor, connection.vendor):
        raise BackupError(
            _("The database to restore into is not empty: restore into a new, empty database.")
        )
    if _media_files(media_root):
        raise BackupError(
            _("%(dir)s already holds files: restore into an empty folder.") % {"dir": media_root}
        )
    database = source / manifest["database"]["file"]
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(database)
        try:
            copy.backup(connection.connection)
        finally:
            copy.close()
    else:
        _pg_run(
            "pg_restore",
            connection.settings_dict,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            connection.settings_dict["NAME"],
            str(database),
        )
    if manifest["files"]:
        _copy_private(source / MEDIA, media_root)
    compare(manifest, _summary_after(connection), media_root)
    return Summary(
        len(manifest["tables"]),
        sum(t["rows"] for t in manifest["tables"].values()),
        len(manifest["files"]),
    )


def _summary_after(connection) -> dict:
    """The restored tables read as the backup read them: on SQLite through a plain
    connection, without the type converters Django's connection adds."""
    if connection.vendor != "sqlite":
        return table_summary(connection.connection, connection.vendor)
    name = str(connection.settings_dict["NAME"])
    plain = sqlite3.connect(name, uri=name.startswith("file:"))
    try:
        return table_summary(plain, "sqlite")
    finally:
        plain.close()


def compare(manifest: dict, tables: dict, media_root: Path) -> None:
    """Every table and file restored is as the manifest says; the first difference refused."""
    for name, expected in manifest["tables"].items():
        if tables.get(name) != expected:
            raise BackupError(
                _("After the restore the table %(table)s differs from the backup.")
                % {"table": name}
            )
    extra = set(tables) - set(manifest["tables"])
    if extra:
        raise BackupError(
            _("After the restore the table %(table)s differs from the backup.")
            % {"table": sorted(extra)[0]}
        )
    if _media_files(media_root) != manifest["files"]:
        raise BackupError(_("After the restore the files differ from the backup."))
