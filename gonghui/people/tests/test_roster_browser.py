"""A roster import end to end in a real Chromium: a dry run, its rejected row and
reason on the job page, "Import it now", the members imported and the same counts
on the page and in the report."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from gonghui.core.tests.test_browser import sign_in
from gonghui.jobs.models import Job
from gonghui.people.models import Membership

from .test_roster_import_run import small_roster

pytestmark = pytest.mark.browser


def test_a_clerk_checks_a_roster_then_imports_it_from_the_result(
    live_server, county, browser_page, tmp_path, settings
):
    settings.LANGUAGE_CODE = "en"
    page = browser_page
    roster = tmp_path / "花名册.xlsx"
    roster.write_bytes(small_roster())

    sign_in(page, county.chair1.username)
    page.goto("/people/roster/import/")
    page.set_input_files("input[name=file]", str(roster))
    page.click("#upload-check")

    expect(page.locator("#rejected-rows")).to_be_visible()
    expect(page.locator("#rejected-rows tbody tr")).to_have_count(1)
    expect(page.locator("#rejected-rows tbody tr td").nth(1)).to_have_text("钱三")
    assert not Membership.objects.filter(union=county.g1, person__name="钱一").exists()

    page.click("#import-now")
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.locator("#roster-counts")).to_be_visible()
    assert (
        Membership.objects.filter(union=county.g1, person__name__in=["钱一", "钱二"]).count() == 2
    )

    real = Job.objects.latest("pk")
    assert page.url.endswith(f"/jobs/{real.pk}/")
    shown = {
        row.get_attribute("data-status"): int(row.locator("td").inner_text())
        for row in page.locator("#roster-counts tr[data-status]").all()
    }
    with page.expect_download() as download_info:
        page.locator("a[href$='/download/']").click()
    report = load_workbook(BytesIO(Path(download_info.value.path()).read_bytes()))
    in_report = [
        count for _label, count in report["summary"].iter_rows(min_row=2, values_only=True)
    ]
    assert list(shown.values()) == in_report[:-1]
    assert shown["imported"] == 2 and shown["rejected"] == 1
    assert in_report[-1] == 3
