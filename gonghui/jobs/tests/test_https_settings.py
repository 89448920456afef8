"""HTTPS settings come from the environment: with them set, ``check --deploy`` no
longer warns that HSTS (security.W004) or the HTTPS redirect (security.W008) is off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GONGHUI = str(Path(sys.executable).parent / "gonghui")
HTTPS = {
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto,https",
}


def run(tmp_path, *args: str, **variables: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SECURE_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env.update(GONGHUI_VAR_DIR=str(tmp_path / "var"), DATABASE_URL="", DEBUG="0", **variables)
    return subprocess.run([GONGHUI, *args], env=env, capture_output=True, text=True, timeout=120)


def test_without_the_variables_check_deploy_warns_about_hsts_and_the_redirect(tmp_path):
    result = run(tmp_path, "check", "--deploy")
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W008" in result.stderr + result.stdout


def test_with_the_variables_set_check_deploy_no_longer_warns(tmp_path):
    result = run(tmp_path, "check", "--deploy", **HTTPS)
    output = result.stderr + result.stdout
    assert "security.W004" not in output, output
    assert "security.W008" not in output, output
    assert "security.W005" not in output, output  # subdomains
    assert "security.W021" not in output, output  # preload


def test_the_proxy_header_is_read_as_the_header_django_sees(tmp_path):
    result = run(
        tmp_path,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)",
        **HTTPS,
    )
    printed = result.stdout.strip().splitlines()[-1]
    assert printed == "('HTTP_X_FORWARDED_PROTO', 'https')", result.stderr


@pytest.mark.parametrize(
    "variable, value",
    [("SECURE_PROXY_SSL_HEADER", "https"), ("SECURE_HSTS_SECONDS", "a year")],
)
def test_a_bad_value_fails_loudly(tmp_path, variable, value):
    result = run(tmp_path, "check", **{variable: value})
    assert result.returncode != 0
    assert variable in result.stderr
