"""What waits for a chair, in a real Chromium: the home page counts the join
applications and aid applications waiting at their union and links to lists
showing exactly those rows; a chair books counselling for a member chosen by
name and the counsellor finds it in their calendar; a wide table on a phone
scrolls inside a frame that shows where more lies."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from gonghui.aid.tests.conftest import aid, relief_application  # noqa: F401  (fixture)
from gonghui.core.tests.test_browser import sign_in
from gonghui.counselling.models import Booking
from gonghui.counselling.tests.conftest import care  # noqa: F401  (fixture)
from gonghui.people import services as people_services
from gonghui.people.tests.conftest import valid_id

pytestmark = pytest.mark.browser


def sign_out(page: Page) -> None:
    page.locator("header form[action$='/logout/'] button").click()
    expect(page.locator("input[name=username]")).to_be_visible()


def member_of_g1(county, seq: int, name: str):
    person = people_services.person_create(
        by=county.superuser, name=name, id_number=valid_id(seq), employer=county.e1
    )
    people_services.membership_start(
        by=county.superuser, person=person, union=county.g1, joined_on=date(2021, 3, 1)
    )
    return person


def test_a_chair_finds_what_waits_and_follows_it_to_exactly_those_rows(
    live_server,
    county,
    aid,  # noqa: F811
    browser_page,
):
    page = browser_page
    joining = []
    for seq, name in ((801, "申请甲"), (802, "申请乙")):
        person = people_services.person_create(
            by=county.superuser, name=name, id_number=valid_id(seq), employer=county.e1
        )
        joining.append(
            people_services.join_application_submit(
                employer=county.e1, channel="staff", person=person, by=county.superuser
            )
        )
    # The sibling union's application is not chair1's work.
    other = people_services.person_create(
        by=county.superuser, name="邻居丙", id_number=valid_id(803), employer=county.e2
    )
    people_services.join_application_submit(
        employer=county.e2, channel="staff", person=other, by=county.superuser
    )
    waiting_aid = relief_application(county, aid, by=aid.g1clerk)

    sign_in(page, county.chair1.username)
    page.goto("/")
    todo = page.locator("#todo")
    join_link = todo.locator("a[href='/people/applications/?status=pending']")
    aid_link = todo.locator("a[href='/aid/?show=awaiting']")
    expect(join_link.locator(".todo-count")).to_have_text("2")
    expect(aid_link.locator(".todo-count")).to_have_text("1")

    join_link.click()
    expect(page).to_have_url(re.compile(r"/people/applications/\?status=pending$"))
    rows = page.locator("#object-table tbody tr")
    expect(rows).to_have_count(2)
    for application in joining:
        link = f"#object-table a[href='/people/applications/{application.pk}/']"
        expect(page.locator(link)).to_have_count(1)
    expect(page.locator("#object-table")).not_to_contain_text("邻居丙")

    page.goto("/")
    page.locator("#todo a[href='/aid/?show=awaiting']").click()
    expect(page).to_have_url(re.compile(r"/aid/\?show=awaiting$"))
    expect(page.locator("#object-table tbody tr")).to_have_count(1)
    expect(page.locator(f"#object-table a[href='/aid/{waiting_aid.pk}/']")).to_have_count(1)

    # On a phone the list scrolls inside its frame, and the frame shows the edge.
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/people/applications/?status=pending")
    frame = page.locator(".table-wrap").first
    assert frame.evaluate("el => el.scrollWidth > el.clientWidth")
    style = frame.evaluate(
        "el => { const s = getComputedStyle(el);"
        " return [s.overflowX, s.backgroundImage, s.backgroundAttachment]; }"
    )
    assert style[0] == "auto"
    assert "radial-gradient" in style[1]
    assert "local" in style[2] and "scroll" in style[2]


def test_a_chair_books_counselling_for_a_member_by_name_and_the_counsellor_sees_it(
    live_server,
    county,
    care,  # noqa: F811
    browser_page,
):
    page = browser_page
    member = member_of_g1(county, 811, "赵会员")

    sign_in(page, county.chair1.username)
    page.goto("/")
    page.locator("nav.sidebar a[href='/counselling/slots/']").click()
    page.locator(f"a[href='/counselling/book/?slot={care.s3.pk}']").click()
    expect(page.locator("select[name=slot]")).to_have_value(str(care.s3.pk))
    expect(page.locator("input[name=id_number]")).to_have_count(0)

    page.locator("input[name=worker]").press_sequentially("赵", delay=50)
    choice = page.locator(f"#worker-choices input[name=person][value='{member.pk}']")
    expect(choice).to_be_visible()
    expect(page.locator("#worker-choices")).to_contain_text(member.masked_id_number())
    choice.check()
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/counselling/\d+/$"))
    booking = Booking.objects.get(slot=care.s3)
    assert (booking.person, booking.booked_by) == (member, county.chair1)
    sign_out(page)

    sign_in(page, care.counsellor.username)
    page.goto("/")
    page.locator("nav.sidebar a[href='/counselling/mine/']").click()
    row = page.locator(f"#calendar tr[data-slot='{care.s3.pk}']")
    expect(row).to_contain_text("赵会员")
    # Before the slot begins the counsellor gets no outcome buttons to press in vain.
    row.locator(f"a[href='/counselling/mine/{booking.pk}/']").click()
    expect(page.locator("button[name=attended]")).to_have_count(0)
