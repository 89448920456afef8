"""Aid in the portal end to end in a real Chromium at a phone's 360×740: a member signs
in, links the file, applies for an education grant with a photo taken on the phone,
sees it submitted, and sees the union's approval and payment arrive; the form's
first-load weight is printed."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from gonghui.accounts.models import Role
from gonghui.aid import services
from gonghui.aid.models import AidApplication, Evidence
from gonghui.aid.vocabularies import AidStatus, ProgrammeKind
from gonghui.conftest import make_user
from gonghui.portal.tests.test_card import worker
from gonghui.portal.tests.test_card_browser import (
    BUDGET,
    PHONE_VIEWPORT,
    first_load_weight,
    sign_in_and_link,
)

pytestmark = pytest.mark.browser


def photo_file(tmp_path):
    image = Image.new("RGB", (3000, 4000), (240, 240, 230))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif)
    path = tmp_path / "录取通知书.jpg"
    path.write_bytes(out.getvalue())
    return path


def test_a_member_applies_for_an_education_grant_with_a_photo_and_sees_it_paid(
    live_server, county, browser_page, sms_outbox, tmp_path
):
    su, today = county.superuser, timezone.localdate()
    programme = services.programme_create(
        by=su, name="金秋助学", kind=ProgrammeKind.EDUCATION, max_amount=Decimal("3000.00")
    )
    campaign = services.campaign_create(
        by=su,
        programme=programme,
        year=today.year,
        organisation=county.root,
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=60),
    )
    services.fund_create(by=su, campaign=campaign, organisation=county.root, budget=Decimal("1e4"))
    member = worker(county, 71, union=county.g1, name="孙助")
    page = browser_page
    page.set_viewport_size(PHONE_VIEWPORT)

    sign_in_and_link(page, member, sms_outbox)

    page.get_by_role("link", name="Aid").first.click()
    page.get_by_role("link", name=re.compile("金秋助学")).click()
    expect(page).to_have_url(re.compile(r"/m/aid/campaigns/\d+/apply/$"))
    weight, bodies = first_load_weight(page, page.url.split(live_server.url)[1])
    print(f"\naid form first load: {weight} bytes ({weight / 1024:.1f} KB), {len(bodies)} files")
    assert weight < BUDGET
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    submit = page.get_by_role("button", name="Send my application")
    assert submit.bounding_box()["height"] >= 44

    page.get_by_label("child's name").fill("孙小助")
    page.get_by_label("school").fill("县第一中学")
    page.get_by_label("admission year").fill("2026")
    page.get_by_label("amount asked (yuan)").fill("2000")
    page.get_by_label("reason").fill("孩子考上高中")
    page.get_by_label("bank", exact=True).fill("工商银行")
    page.get_by_label("bank account").fill("12")  # too short: refused, the rest kept
    submit.click()
    expect(page.locator(".field.invalid .error")).to_contain_text("8 to 30 digits")
    expect(page.get_by_label("school")).to_have_value("县第一中学")
    assert AidApplication.objects.count() == 0

    page.get_by_label("bank account").fill("6222020200005678")
    page.set_input_files("input[name=photos]", str(photo_file(tmp_path)))
    page.get_by_role("button", name="Send my application").click()
    expect(page).to_have_url(re.compile(r"/m/aid/applications/\d+/$"))
    expect(page.locator("main")).to_contain_text("waiting for a decision at")
    expect(page.locator("#evidence")).to_contain_text("录取通知书.jpg")
    application = AidApplication.objects.get(person=member)
    stored = Image.open(Evidence.objects.get().file.open("rb"))
    assert max(stored.size) == 2000 and len(stored.getexif()) == 0

    # The union decides in the console: G1, T1, the county; another county account pays.
    services.aid_application_approve(by=county.chair1, application=application)
    services.aid_application_approve(by=county.t1staff, application=application)
    services.aid_application_approve(by=county.admin, application=application)
    payer = make_user("payer", county.root, Role.COUNTY_ADMIN)
    services.aid_application_pay(by=payer, application=application)
    application.refresh_from_db()
    assert application.status == AidStatus.PAID

    page.reload()
    expect(page.locator("#payment")).to_contain_text("¥2000.00")
    expect(page.locator("main")).to_contain_text("was paid into your account on")
    expect(page.locator("#steps")).to_contain_text("Finally approved")
    expect(page.locator("form input[name=photos]")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
