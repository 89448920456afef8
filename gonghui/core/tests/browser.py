"""Browser fixtures: Playwright driving Debian's Chromium against ``live_server``.

Loaded for every test through ``-p gonghui.core.tests.browser`` (pyproject.toml),
so any app's tests can ask for ``browser_page``. Mark such tests
``@pytest.mark.browser``.

Playwright cannot download its own browser here, so it drives the system
Chromium (``GONGHUI_CHROMIUM``, default ``/usr/bin/chromium``). Without it the
tests are skipped with the reason, and under ``CI=true`` that skip is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("GONGHUI_CHROMIUM", "/usr/bin/chromium")

# Headless and quiet: the machine has no network beyond loopback, so every
# background connection Chromium tries on its own is turned off.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Long enough for a loaded CI machine, short enough that a broken page fails fast.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Chromium for the whole session (a new profile each launch)."""
    executable = shutil.which(CHROMIUM) or CHROMIUM
    if not os.access(executable, os.X_OK):
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package "
            "(apt-get install chromium) or point GONGHUI_CHROMIUM at a Chromium binary"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; Django would
    # otherwise refuse ORM calls made by the test between browser steps.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()


@pytest.fixture
def browser_page(request, chromium_browser, live_server, settings):
    """A fresh browser context and page; a screenshot of the last state is kept.

    The screenshot goes to ``var/test-results/<test name>.png`` for looking at
    after a failure; nothing asserts on it.
    """
    context = chromium_browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    # Every browser test also holds the page policy (core.security): Chromium reports
    # each script or style the Content-Security-Policy refused on the console.
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        yield page
        assert refused == [], f"the page policy refused: {refused}"
    finally:
        folder = Path(settings.VAR_DIR) / "test-results"
        folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        from playwright.sync_api import Error as PlaywrightError

        try:
            page.screenshot(path=folder / f"{name}.png", full_page=True)
        except PlaywrightError:
            pass  # a crashed page has nothing to show; the test's own error says why
        finally:
            context.close()
