"""Real-browser fixtures: one Chromium per session, a fresh context per test.

Debian's Chromium at /usr/bin/chromium is driven through Playwright; nothing
downloads a browser. Without it the browser tests are skipped, except under
CI=true where its absence fails the run.

Every page a journey reaches is checked with axe-core (`assert_accessible`):
a test fails on a serious or critical violation, and also when a page loaded
without being checked before the next one replaced it.
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


# axe-core's impact levels that fail a test (minor and moderate are reported by axe only).
FAILING_IMPACTS = ("serious", "critical")
# Rules of the WCAG 2.1 A/AA levels and axe's best practices.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}


def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def assert_accessible(page):
    """Run axe-core on the page as it is now; fail on serious or critical violations."""
    page.wait_for_load_state()
    results = _axe().run(page, options=AXE_OPTIONS).response
    page.axe_checked.append(page.url)
    failures = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {', '.join(map(str, node['target']))}" for node in v["nodes"])
        for v in failures
    ]
    assert not failures, f"axe-core on {page.url}:\n" + "\n".join(report)


def open_page(context):
    """A page of `context` that remembers which loaded documents axe has checked."""
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.axe_loaded, page.axe_checked = [], []
    page.on("load", lambda p: p.axe_loaded.append((len(p.axe_checked), p.url)))
    return page


def assert_every_page_was_checked(page):
    """Each loaded document was checked by axe before the next load replaced it."""
    loads = page.axe_loaded
    missed = [
        url
        for index, (checks_before, url) in enumerate(loads)
        # The checks made while this document was the current one.
        if len(page.axe_checked) == checks_before
        or (index + 1 < len(loads) and loads[index + 1][0] == checks_before)
    ]
    assert not missed, f"pages loaded without an axe-core check: {missed}"


@pytest.fixture
def page(browser, browser_context_args):
    context = browser.new_context(**browser_context_args)
    page = open_page(context)
    try:
        yield page
        assert_every_page_was_checked(page)
    finally:
        context.close()
