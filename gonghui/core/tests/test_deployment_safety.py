"""Deployment safety (core.security): the page policy on real responses of every kind,
no inline script or style in any template, DEBUG refused against a database on
another machine, ID numbers, phones and secrets kept out of logs and error reports,
and ``gonghui check --deploy`` clean with the documented production settings."""

import base64
import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse
from django.views.debug import ExceptionReporter

from gonghui.aid.tests.conftest import aid  # noqa: F401  (fixture)
from gonghui.core.security import CONTENT_SECURITY_POLICY, RedactingFilter, redact
from gonghui.people.tests.conftest import valid_id, valid_phone

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "gonghui"]
#: What a template must not hold: event handler attributes, script without src, style
#: attributes or blocks, javascript: links.
INLINE = re.compile(
    r"""\son[a-z]+\s*=|<script(?![^>]*\bsrc=)[^>]*>|\sstyle\s*=|<style[\s>]|javascript:""",
    re.IGNORECASE,
)


def templates():
    for directory in TEMPLATE_DIRS:
        yield from sorted(directory.rglob("templates/**/*.html"))


def test_no_template_carries_inline_script_or_style():
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0).strip()}"
        for path in templates()
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert len(list(templates())) > 50
    assert found == []


def assert_policy(response, *, stored_not=True):
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    if stored_not:
        cache = response["Cache-Control"]
        assert "no-store" in cache and "private" in cache, cache


def test_every_kind_of_answer_carries_the_policy_and_is_not_stored(county, client_for, client):
    assert_policy(client.get(reverse("accounts:login")))  # signed out
    staff = client_for(county.admin)
    assert_policy(staff.get(reverse("people:person-list")))  # a console page
    fragment = staff.get(reverse("people:person-list"), {"q": "张"}, headers={"HX-Request": "true"})
    assert_policy(fragment)  # an htmx fragment
    export = staff.get(reverse("people:person-list"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert_policy(export)  # a download with personal data
    assert_policy(staff.get("/people/987654321/"))  # an error page (404)


def test_a_file_download_is_not_stored(county, aid, client_for, settings, tmp_path):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gonghui.aid.evidence import evidence_add
    from gonghui.aid.tests.conftest import relief_application

    settings.MEDIA_ROOT = tmp_path
    application = relief_application(county, aid)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    item = evidence_add(
        by=county.chair1,
        application=application,
        kind="income",
        upload=SimpleUploadedFile("证明.pdf", pdf, content_type="application/pdf"),
    )
    response = client_for(county.chair1).get(item.get_absolute_url())
    assert response.status_code == 200
    assert_policy(response)


# --- DEBUG ------------------------------------------------------------------------------


def settings_load(**env) -> subprocess.CompletedProcess:
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'gonghui.settings');"
        " django.setup()"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_refuses_a_database_on_another_machine(tmp_path):
    refused = settings_load(
        GONGHUI_VAR_DIR=str(tmp_path),
        DEBUG="1",
        DATABASE_URL="postgres://gonghui:secret@db.example.org:5432/gonghui",
    )
    assert refused.returncode != 0
    assert "DEBUG is on and DATABASE_URL points to another machine" in refused.stderr
    local = settings_load(
        GONGHUI_VAR_DIR=str(tmp_path),
        DEBUG="1",
        DATABASE_URL="postgres://gonghui:secret@127.0.0.1:5432/gonghui",
    )
    assert local.returncode == 0, local.stderr


# --- redaction ----------------------------------------------------------------------------


def test_redaction_masks_id_numbers_phones_and_secret_values():
    id_number, phone = valid_id(7), valid_phone(7)
    text = redact(f"身份证 {id_number} 电话 +86 {phone} password=hunter2 otp_token: 123456")
    assert id_number not in text and phone not in text
    assert "hunter2" not in text and "123456" not in text
    assert id_number[-4:] in text  # enough to tell records apart in a log


def test_the_log_filter_is_on_every_handler_and_masks_the_record():
    handlers = settings.LOGGING["handlers"]
    assert handlers and all("redact" in handler.get("filters", []) for handler in handlers.values())
    id_number, phone = valid_id(8), valid_phone(8)
    try:
        raise ValueError(f"bad row {id_number}")
    except ValueError:
        record = logging.LogRecord(
            "gonghui",
            logging.ERROR,
            __file__,
            1,
            "person %s phone %s",
            (id_number, phone),
            sys.exc_info(),
        )
    RedactingFilter().filter(record)
    shown = logging.Formatter().format(record)
    assert id_number not in shown and phone not in shown
    assert "bad row" in shown and "ValueError" in shown


def view_that_fails(request):
    id_number = request.POST["id_number"]  # noqa: F841  (a local the report would show)
    phone_digits = request.POST["phone"]  # noqa: F841
    raise RuntimeError("failed while saving")


def test_an_error_report_holds_no_id_number_phone_or_password(settings):
    settings.DEBUG = True
    id_number, phone, password = valid_id(9), valid_phone(9), secrets.token_hex(8)
    request = RequestFactory().post(
        "/people/new/",
        {
            "name": "张三",
            "id_number": id_number,
            "phone": phone,
            "password": password,
            "note": f"号码{id_number}",
        },
    )
    try:
        view_that_fails(request)
    except RuntimeError:
        reporter = ExceptionReporter(request, *sys.exc_info())
    for text in (reporter.get_traceback_text(), reporter.get_traceback_html()):
        assert "failed while saving" in text
        assert id_number not in text
        assert phone not in text
        assert password not in text


# --- check --deploy ----------------------------------------------------------------------------


def production_env(tmp_path) -> dict:
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    # Not the test process's own: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for
    # the live server, which no deployment has (check --deploy rightly refuses it).
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "GONGHUI_VAR_DIR": str(tmp_path),
        "SECRET_KEY": secrets.token_urlsafe(60),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "gonghui.example.org",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
        "SECURE_HSTS_PRELOAD": "1",
        "SECURE_COOKIES": "1",
        "GONGHUI_DATA_KEY": f"1:{key}",
        "GONGHUI_HASH_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    }


def test_check_deploy_passes_with_the_documented_production_settings(tmp_path):
    gonghui = Path(sys.executable).with_name("gonghui")
    done = subprocess.run(
        [str(gonghui), "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
