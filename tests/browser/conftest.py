"""Real-browser fixtures: `streamlit run app.py` on a free port, driven by Debian's Chromium via Playwright.

Playwright's own browser download is never used (it needs the network); the tests drive
/usr/bin/chromium, which scripts/test.sh installs with apt. Without it they are skipped, saying why.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.harness import APP, streamlit_server

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "tests" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_LIMIT_MS = 120_000  # the same for every wait in the page
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: run `bash scripts/test.sh`, which installs Debian's chromium"
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of `streamlit run app.py` on a free local port, stopped after the session.

    The server is harness.streamlit_server, the one the benchmarks start too; its log goes to this
    session's temporary folder.
    """
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with streamlit_server(APP, log=log) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, through Playwright's sync API."""
    from playwright.sync_api import expect, sync_playwright

    # expect() waits 5 s by default; the first visit imports torch on a shared 2-core machine. A hang
    # still fails, a slow start does not.
    expect.set_options(timeout=WAIT_LIMIT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab (own cookies and session) at a laptop-sized viewport."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(WAIT_LIMIT_MS)  # a hang fails; a slow shared machine only waits
    try:
        yield tab
    finally:
        context.close()


def wait_idle(page) -> None:
    """Wait until the app is rendered and its script has finished running."""
    page.wait_for_selector(APP_IDLE, state="attached")


def screenshot(page, name: str, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
