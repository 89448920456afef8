"""The Simplified Chinese catalogue covers every interface string, and the pages use it.

The interface speaks Simplified Chinese by default (LANGUAGE_CODE "zh-hans") with English
source strings, so a string missing from ``locale/zh_Hans`` shows up in English on a
Chinese page. These tests keep the committed .po complete, its placeholders intact and
the compiled .mo in step with it.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse

from gonghui import settings as project_settings

REPO = Path(django_settings.BASE_DIR)
LOCALE = REPO / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# Python %-placeholders, named (with an optional format such as "%(s).1f") or positional.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[#0 +-]*\d*(?:\.\d+)?[sdif]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return f"{self.msgctxt}|{self.msgid}" if self.msgctxt else self.msgid

    @property
    def untranslated(self) -> bool:
        return "fuzzy" in self.flags or not self.msgstrs or not all(self.msgstrs)


def read_po(path: Path) -> tuple[Entry, list[Entry]]:
    """The header entry and the live entries of a .po file (obsolete "#~" entries skipped).

    Enough of the PO format for what makemessages and msgmerge write: flags, msgctxt,
    msgid, msgid_plural, msgstr and msgstr[n], each possibly continued on further lines.
    """
    entries: list[Entry] = []
    keyword = None
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = Entry()
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                text = ast.literal_eval(line)
                if keyword == "msgstr":
                    entry.msgstrs[-1] += text
                else:
                    setattr(entry, keyword, getattr(entry, keyword) + text)
            else:
                keyword, _space, rest = line.partition(" ")
                text = ast.literal_eval(rest)
                if keyword.startswith("msgstr"):
                    keyword = "msgstr"
                    entry.msgstrs.append(text)
                else:
                    setattr(entry, keyword, text)
        if keyword is not None and (entry.msgid or entry.msgstrs):
            entries.append(entry)
        keyword = None
    header = entries[0]
    assert header.msgid == "", f"{path} does not start with its header entry"
    return header, entries[1:]


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(autouse=True)
def configured_language(settings):
    # The shared test setup switches the default to English for the other tests; these
    # tests are about the default the project is configured with.
    settings.LANGUAGE_CODE = project_settings.LANGUAGE_CODE


@pytest.fixture
def gettext_tools():
    # The Makefile installs gettext for CI, where a skip counts as a failure.
    missing = [tool for tool in ("xgettext", "msgmerge", "msgfmt") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"gettext tools not installed: {', '.join(missing)} (apt install gettext)")


def test_every_entry_of_the_committed_catalogue_is_translated_and_none_is_fuzzy():
    header, entries = read_po(PO)

    assert "fuzzy" not in header.flags, "the header is fuzzy: msgfmt would ignore it"
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstrs[0]
    assert entries, f"{PO} holds no entries"
    untranslated = [entry.label for entry in entries if entry.untranslated]
    assert not untranslated, "untranslated or fuzzy in the zh_Hans catalogue:\n" + "\n".join(
        untranslated
    )


def test_translations_keep_the_placeholders_of_the_english_string():
    _header, entries = read_po(PO)

    wrong = []
    for entry in entries:
        # Chinese has one plural form, so msgstr[0] serves every count and carries the
        # placeholders of the plural source (the singular may leave the number out).
        expected = placeholders(entry.msgid_plural or entry.msgid)
        for msgstr in entry.msgstrs:
            if msgstr and placeholders(msgstr) != expected:
                wrong.append(f"{entry.label!r} -> {msgstr!r}")
    assert not wrong, "placeholders differ from the English string:\n" + "\n".join(wrong)


def test_the_catalogue_translates_every_string_in_the_source(
    gettext_tools, tmp_path, monkeypatch, settings
):
    # makemessages writes into the locale directory of the tree it runs in: run it on a
    # copy so the committed catalogue is left as it is.
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    shutil.copytree(REPO / "gonghui", tmp_path / "gonghui", ignore=skip)
    shutil.copytree(LOCALE, tmp_path / "locale", ignore=skip)
    monkeypatch.chdir(tmp_path)
    settings.LOCALE_PATHS = [tmp_path / "locale"]

    call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0)

    regenerated = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    _header, entries = read_po(regenerated)
    assert "Sign in" in {entry.msgid for entry in entries}, "makemessages did not read the source"
    untranslated = sorted(entry.label for entry in entries if entry.untranslated)
    assert not untranslated, (
        f"{len(untranslated)} strings of the source lack a zh_Hans translation "
        "(run `make messages` and translate them in locale/zh_Hans/LC_MESSAGES/django.po):\n"
        + "\n".join(untranslated)
    )


def test_the_compiled_catalogue_matches_the_po_file(gettext_tools, tmp_path):
    assert MO.exists(), f"{MO} is missing: run `gonghui compilemessages -l zh_Hans`"
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", fresh, PO], check=True)

    with MO.open("rb") as committed, fresh.open("rb") as compiled:
        # _catalog maps every msgid (and (msgid, n) for plurals) to its translation.
        committed_catalog = gettext.GNUTranslations(committed)._catalog
        compiled_catalog = gettext.GNUTranslations(compiled)._catalog

    stale = {
        key
        for key in committed_catalog.keys() | compiled_catalog.keys()
        if committed_catalog.get(key) != compiled_catalog.get(key)
    }
    assert not stale, (
        f"{MO.name} is out of date with {PO.name} (run `gonghui compilemessages -l zh_Hans`):\n"
        + "\n".join(sorted(map(str, stale))[:50])
    )


def test_the_sign_in_page_is_in_chinese_by_default(client, db):
    page = client.get(reverse("accounts:login")).content.decode()

    assert "登录" in page
    assert "Sign in" not in page


def test_a_browser_set_to_english_still_opens_in_chinese(client, db):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "登录" in page
    assert "Sign in" not in page


def test_the_language_cookie_chooses_english(client, db):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.get(reverse("accounts:login")).content.decode()

    assert "Sign in" in page


def test_a_staff_list_page_is_in_chinese_by_default(county, client_for):
    page = client_for(county.admin).get(reverse("orgs:employer-list")).content.decode()

    assert "用人单位" in page
    assert "统一社会信用代码" in page
    assert "导出 Excel" in page
    assert "Employers" not in page
    assert "Export to Excel" not in page
