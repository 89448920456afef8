"""The card check by the camera, in a real Chromium: the desk's camera sees a member's
card QR, the vendored reader (jsQR) decodes it, and the page answers "valid".

Headless Chromium has no camera of its own; it is given a fake one that shows a video
file. The file here is one frame (Y4M, the raw format Chromium's fake camera reads)
holding the QR of a fresh card code, drawn from the same QR library the card uses.
"""

from __future__ import annotations

import shutil

import pytest
import qrcode
from playwright.sync_api import expect

from gonghui.core.tests.browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS
from gonghui.portal.membership import card_token
from gonghui.security.models import EventKind, SecurityEvent

from .test_card import worker
from .test_card_browser import PHONE_VIEWPORT, staff_sign_in

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 640, 480


def qr_video(path, text: str) -> None:
    """A one-frame Y4M video of ``text``'s QR code, black on white, in the middle."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()  # the quiet zone included
    module = (HEIGHT - 40) // len(matrix)
    side = module * len(matrix)
    left, top = (WIDTH - side) // 2, (HEIGHT - side) // 2
    luma = bytearray([235]) * (WIDTH * HEIGHT)
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if not dark:
                continue
            for y in range(top + row * module, top + (row + 1) * module):
                start = y * WIDTH + left + column * module
                luma[start : start + module] = bytes([16]) * module
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + b"FRAME\n" + bytes(luma) + chroma + chroma)


@pytest.fixture
def camera_page(chromium_browser, live_server, tmp_path, request):
    """A page of a Chromium whose camera shows the video the test writes first."""
    video = tmp_path / "card.y4m"

    def launch(text: str):
        qr_video(video, text)
        browser = chromium_browser.browser_type.launch(
            executable_path=shutil.which(CHROMIUM) or CHROMIUM,
            headless=True,
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        request.addfinalizer(browser.close)
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        context.grant_permissions(["camera"])
        context.set_default_timeout(TIMEOUT_MS)
        return context.new_page()

    return launch


def test_the_desk_reads_a_card_with_the_camera(live_server, county, camera_page):
    member = worker(county, 41, union=county.g1, name="郑扫")
    page = camera_page(card_token(member))
    staff_sign_in(page, county.chair1.username)
    page.set_viewport_size(PHONE_VIEWPORT)
    page.goto("/scan/")

    page.evaluate("window.deskPageLoadedOnce = true")

    page.get_by_role("button", name="Scan with the camera").click()
    # The reader decodes the frame and sends the form itself: no typing.
    result = page.locator(".scan-result")
    expect(result).to_have_attribute("data-result", "valid")
    expect(result).to_contain_text("郑扫")
    expect(result).to_contain_text(member.card_number)
    expect(page.locator("input[name=token]")).to_have_value("")
    # The answer came in place: the page was not reloaded, and the camera still looks
    # for the next card, without checking again the card still in view.
    assert page.evaluate("window.deskPageLoadedOnce") is True
    expect(page.locator("[data-scan-video]")).to_be_visible()
    page.wait_for_timeout(1500)
    assert SecurityEvent.objects.filter(kind=EventKind.REVEAL).count() == 1
