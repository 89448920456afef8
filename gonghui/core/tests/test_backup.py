"""The restore drill (core.backup): the demo county backed up, restored into an empty
database and compared table by table and file by file; a restore with the wrong key
or from a changed backup refused before anything is written; no ID number or phone
in plain text in the backup. Runs on SQLite and on PostgreSQL, whichever the pass uses."""

import base64
import os
import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.utils import ConnectionHandler

from gonghui.aid.evidence import evidence_add
from gonghui.aid.models import AidApplication
from gonghui.core import backup as backups
from gonghui.core.crypto import _dev_key_text
from gonghui.demo.tests.helpers import build
from gonghui.people.models import Person

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def county_with_files(media):
    """The small demo county, and one evidence file uploaded."""
    build(7)
    application = AidApplication.objects.filter(status="draft").select_related("person").first()
    evidence_add(
        by=application.entered_by,
        application=application,
        kind="income",
        upload=SimpleUploadedFile("收入证明.pdf", PDF, content_type="application/pdf"),
    )
    return media


@pytest.fixture
def empty_database(tmp_path):
    """A second, empty database of the pass's kind, as a Django connection."""
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
        created = None
    else:
        created = f"{settings_dict['NAME']}_restore_{os.getpid()}"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{created}"')
            cursor.execute(f'CREATE DATABASE "{created}"')
        settings_dict["NAME"] = created
    handler = ConnectionHandler({"default": settings_dict})
    target = handler["default"]
    yield target
    target.close()
    if created:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{created}"')


def test_the_demo_county_is_backed_up_and_restored_table_by_table_and_file_by_file(
    county_with_files, empty_database, tmp_path
):
    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    manifest = backups.read_manifest(folder)
    assert manifest["tables"]["people_person"]["rows"] == Person.objects.count() > 0
    assert len(manifest["files"]) == 1

    restored_media = tmp_path / "restored-media"
    summary = backups.restore(folder, connection=empty_database, media_root=restored_media)

    assert summary.tables == len(manifest["tables"]) > 40
    source = backups.table_summary(*_plain(connection))
    target = backups.table_summary(*_plain(empty_database))
    assert target == source == manifest["tables"]
    [item] = manifest["files"]
    restored = restored_media / item["path"]
    assert restored.read_bytes() == PDF
    assert oct(restored.stat().st_mode & 0o777) == "0o600"


def test_a_restore_with_another_key_is_refused_before_anything_is_written(
    county_with_files, empty_database, tmp_path, monkeypatch
):
    folder = tmp_path / "backup"
    backups.backup(folder)
    other = base64.b64encode(secrets.token_bytes(32)).decode()
    monkeypatch.setenv("GONGHUI_DATA_KEY", f"1:{other}")

    restored_media = tmp_path / "restored-media"
    with pytest.raises(backups.BackupError, match="is not among the keys in force"):
        backups.restore(folder, connection=empty_database, media_root=restored_media)
    assert _table_count(empty_database) == 0
    assert not restored_media.exists()


def test_a_changed_backup_is_refused_before_anything_is_written(
    county_with_files, empty_database, tmp_path
):
    folder = tmp_path / "backup"
    backups.backup(folder)
    [item] = backups.read_manifest(folder)["files"]
    (folder / "media" / item["path"]).write_bytes(PDF + b"x")

    with pytest.raises(backups.BackupError, match="missing or changed"):
        backups.restore(folder, connection=empty_database, media_root=tmp_path / "m")
    assert _table_count(empty_database) == 0
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(folder))


def test_the_backup_holds_no_id_number_or_phone_in_plain_text(county_with_files, tmp_path):
    folder = tmp_path / "backup"
    backups.backup(folder)
    dump = (folder / backups.read_manifest(folder)["database"]["file"]).read_bytes()
    people = list(Person.objects.all())
    secrets_found = [
        value
        for person in people
        for value in (person.plain_id_number(), person.plain_phone())
        if value and value.encode() in dump
    ]
    assert len(people) >= 2000
    assert secrets_found == []
    # The names are there, not encrypted: the search reads the dump's text.
    assert people[0].name.encode() in dump


def _plain(wrapper):
    """A DB-API connection to ``wrapper``'s database as the backup reads it, and its vendor."""
    wrapper.ensure_connection()
    if wrapper.vendor == "sqlite":
        import sqlite3

        name = str(wrapper.settings_dict["NAME"])
        return sqlite3.connect(name, uri=name.startswith("file:")), "sqlite"
    return wrapper.connection, wrapper.vendor


def _table_count(wrapper) -> int:
    raw, vendor = _plain(wrapper)
    return len(backups._tables(raw.cursor(), vendor))


def test_the_backup_holds_probes_of_the_keys_never_a_key(media, tmp_path, settings):
    folder = tmp_path / "backup"
    backups.backup(folder)
    text = (folder / backups.MANIFEST).read_text()
    keys = os.environ.get("GONGHUI_DATA_KEY") or _dev_key_text(str(settings.VAR_DIR))
    for item in keys.split(","):
        assert item.split(":")[-1] not in text
    assert not [p for p in folder.rglob("*") if p.name in ("data_key", "secret_key")]
    backups.check_keys(backups.read_manifest(folder)["keys"])
