"""A nomination followed to a title in a real Chromium at desktop size (issue 16): G1's
chair nominates a member for a county title, T1's staff and the county's staff approve
it, the county's staff start the public notice, an anonymous visitor lodges an
objection on ``/notice/``, the county's staff dismiss it, confirmation is refused while
the notice runs, and after the notice the title is confirmed and shown on the
person's file.

The clock: the notice starts on the real day and the objection is lodged while it
runs; then the whole process (the live server runs in this test's process, in a
thread) travels forward with ``time_machine`` to the day after the notice ends, and
confirms. Travelling forward only keeps the browser's cookies valid; the console's
session has been idle for days by then, so the county's staff sign in again.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from gonghui.accounts.models import Role
from gonghui.conftest import make_user
from gonghui.core.idnumbers import complete_id_number
from gonghui.core.tests.test_browser import sign_in
from gonghui.honours.models import (
    Nomination,
    NominationObjection,
    NominationStatus,
    Title,
    TitleHolding,
)
from gonghui.people import services as people_services

pytestmark = pytest.mark.browser

TZ = ZoneInfo("Asia/Shanghai")


def submit(page: Page) -> None:
    page.locator("form.object-form button[type=submit]").click()


def switch_to(page: Page, user) -> None:
    """Sign out (the cookies go) and sign in as ``user``."""
    page.context.clear_cookies()
    sign_in(page, user.username)


def test_a_nomination_is_reviewed_noticed_objected_to_and_confirmed(
    live_server, county, chromium_browser, browser_page
):
    su = county.superuser
    id_number = complete_id_number("33010619800101021")
    person = people_services.person_create(
        by=su,
        name="劳模候选",
        id_number=id_number,
        employer=county.e1,
    )
    people_services.membership_start(
        by=su, person=person, union=county.g1, joined_on=dt.date(2020, 1, 1)
    )
    county_staff = make_user("countystaff", county.root, Role.STAFF)
    # The titles are seeded by a data migration, which a live-server test running
    # after another one in the same process finds flushed.
    Title.objects.get_or_create(
        name="县劳动模范", defaults={"level": "county", "holder_kind": "person"}
    )
    page = browser_page

    # G1's chair nominates the member for the county title.
    sign_in(page, county.chair1.username)
    page.goto("/honours/nominations/new/")
    page.select_option("select[name=title]", label="县劳动模范")
    page.fill("input[name=person]", str(person.pk))
    page.fill("textarea[name=reasons]", "二十年扎根一线")
    page.fill("textarea[name=deeds]", "带领班组完成技术改造")
    submit(page)
    expect(page).to_have_url(re.compile(r"/honours/nominations/\d+/$"))
    nomination = Nomination.objects.get(person=person)
    detail = f"/honours/nominations/{nomination.pk}/"
    expect(page.locator("#awaiting")).to_have_text(county.t1.name)

    # Each level up the tree approves it: T1, then the county.
    for reviewer in (county.t1staff, county_staff):
        switch_to(page, reviewer)
        page.goto(detail)
        page.locator("#review-link").click()
        page.locator("input[name=decision][value=approve]").check()
        submit(page)
        expect(page).to_have_url(re.compile(rf"{detail}$"))
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPROVED

    # The county's staff start the notice today, for the configured working days.
    page.locator("#notice-link").click()
    submit(page)
    expect(page.locator("#notice-dates")).to_be_visible()
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.NOTICE
    assert nomination.notice_starts_on == dt.datetime.now(TZ).date()

    # An anonymous visitor reads the notice and objects: no sign-in, no ID number shown.
    visitor = chromium_browser.new_context(base_url=live_server.url, locale="zh-CN")
    try:
        public = visitor.new_page()
        public.goto("/notice/")
        card = public.locator(f"#notice-{nomination.pk}")
        expect(card).to_contain_text("劳模候选")
        expect(card).to_contain_text("带领班组完成技术改造")
        assert id_number not in public.content()
        card.get_by_role("link").click()
        public.fill("textarea[name=content]", "该候选人曾有安全事故未如实上报")
        public.fill("input[name=contact]", "13800000000")
        public.locator("#objection-form button[type=submit]").click()
        expect(public).to_have_url(re.compile(r"/notice/$"))
    finally:
        visitor.close()
    objection = NominationObjection.objects.get(nomination=nomination)
    assert objection.is_pending and objection.recorded_by is None
    assert "13800000000" not in objection.contact_encrypted

    # Confirmation is refused while the notice runs.
    page.goto(f"{detail}confirm/")
    submit(page)
    expect(page.locator(".form-errors")).to_be_visible()
    assert not TitleHolding.objects.filter(person=person).exists()

    # The county's staff dismiss the objection with their reasons.
    page.goto(detail)
    expect(page.locator("#objections")).to_contain_text("安全事故")
    page.locator("#objections .answer-link").click()
    page.locator("input[name=upheld][value='0']").check()
    page.fill("textarea[name=answer]", "经核查，事故已按规定上报，异议不成立")
    submit(page)
    expect(page).to_have_url(re.compile(rf"{detail}$"))
    objection.refresh_from_db()
    assert objection.status == "dismissed"

    # The day after the notice ends: the title is confirmed.
    nomination.refresh_from_db()
    after = dt.datetime.combine(
        nomination.notice_ends_on + dt.timedelta(days=1), dt.time(9, 0), tzinfo=TZ
    )
    with time_machine.travel(after, tick=True):
        switch_to(page, county_staff)
        page.goto(detail)
        page.locator("#confirm-link").click()
        page.fill("input[name=document_number]", "县工〔2026〕8号")
        submit(page)
        expect(page).to_have_url(re.compile(rf"{detail}$"))
        holding = TitleHolding.objects.get(person=person)
        assert holding.title.name == "县劳动模范" and holding.nomination == nomination
        assert holding.conferred_on == after.date()

        # The title on the person's file.
        page.goto(person.get_absolute_url())
        expect(page.locator("#honours-titles")).to_contain_text("县劳动模范")
