"""Real-browser fixtures: one Chromium per session, a fresh context per test.

Debian's Chromium at /usr/bin/chromium is driven through Playwright; nothing
downloads a browser. Without it the browser tests are skipped, except under
CI=true where its absence fails the run.
"""

import os
from pathlib import Path

import pytest

# The live server and Playwright's sync API share the test thread's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Generous enough for a loaded CI machine, short enough to fail fast.
TIMEOUT_MS = 10_000


def _require_chromium():
    if CHROMIUM.exists():
        return
    reason = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)."
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true: the browser tests need {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_context_args():
    """Override (or extend) in a test module to change the context, e.g. viewport."""
    return {"locale": "ja-JP", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def page(browser, browser_context_args):
    context = browser.new_context(**browser_context_args)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
