"""The loan desk in a real Chromium: a keeper lends a book to a member by the member's
card, read by the desk's camera (a fake one showing the card's QR), and takes it back;
the loan shows in the console's loan list and in the worker's own portal page.

A live-server test finds the data migrations' seed rows flushed: the room, its books,
the member and the keeper's account are made here.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gonghui.core.tests.browser import TIMEOUT_MS
from gonghui.library import services
from gonghui.library.models import Book, Loan
from gonghui.portal.membership import card_token
from gonghui.portal.tests.test_card import worker
from gonghui.portal.tests.test_card_browser import PHONE_VIEWPORT, sign_in_and_link, staff_sign_in
from gonghui.portal.tests.test_scan_camera_browser import camera_page  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser


def test_a_keeper_lends_by_the_scanned_card_and_takes_the_book_back(
    live_server,
    county,
    camera_page,  # noqa: F811 - the fixture imported above
    sms_outbox,
):
    keeper = county.chair1
    room = services.room_create(
        by=keeper, organisation=county.g1, name="机械厂职工书屋", location="厂区二楼", keeper=keeper
    )
    wanted = services.book_create(
        by=keeper, room=room, title="机械制图", author="钱图", isbn="9787111000006", copies=1
    )
    services.book_create(by=keeper, room=room, title="机械制图习题集", author="钱图", copies=2)
    member = worker(county, 61, union=county.g1, name="孙借书")

    page = camera_page(card_token(member))
    staff_sign_in(page, keeper.username)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(room.get_absolute_url())
    page.locator("#lend").click()
    expect(page).to_have_url(re.compile(rf"/library/{room.pk}/lend/$"))

    # The reader decodes the card on the camera and sends the form itself.
    page.get_by_role("button", name="Scan with the camera").click()
    borrower = page.locator("#borrower")
    expect(borrower).to_contain_text("孙借书")
    expect(borrower).to_contain_text(member.card_number)

    page.fill("input[name=q]", "机械制图")
    page.get_by_role("button", name="Find the book").click()
    matches = page.locator("#book-matches li")
    expect(matches).to_have_count(2)
    matches.filter(has_not_text="习题集").get_by_role("button", name="Lend this book").click()

    expect(page.locator(".messages")).to_contain_text("机械制图")
    loan = Loan.objects.get(person=member)
    assert loan.book_id == wanted.pk and loan.returned_on is None and loan.lent_by == keeper
    assert Book.objects.get(pk=wanted.pk).on_loan == 1

    page.goto("/library/loans/")
    row = page.locator(f"#loans tr[data-loan='{loan.pk}']")
    expect(row).to_contain_text("机械制图")
    expect(row).to_contain_text("孙借书")

    # The worker's phone: the loan is on their own page, with its due day.
    phone = page.context.browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE_VIEWPORT
    )
    phone.set_default_timeout(TIMEOUT_MS)
    mine = phone.new_page()
    sign_in_and_link(mine, member, sms_outbox)
    mine.goto("/m/library/")
    own = mine.locator("#my-loans li")
    expect(own).to_have_count(1)
    expect(own).to_contain_text("机械制图")
    expect(own).to_contain_text(loan.due_on.isoformat())

    # The book comes back at the desk.
    row.get_by_role("button", name="Return").click()
    row = page.locator(f"#loans tr[data-loan='{loan.pk}']")
    expect(row).to_contain_text("returned")
    loan.refresh_from_db()
    assert loan.returned_on == timezone.localdate() and loan.returned_to == keeper
    assert Book.objects.get(pk=wanted.pk).on_loan == 0

    mine.reload()
    expect(mine.locator("#my-loans li")).to_contain_text(
        f"returned on {timezone.localdate().isoformat()}"
    )
    phone.close()
