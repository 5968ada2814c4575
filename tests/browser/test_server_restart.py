"""The server restarted mid-lesson (a deploy, a crash and its restart): the open tab reconnects by itself
and shows its lesson again, with the state its URL holds.

A server of its own (the session's shared one must not be restarted under the other tests), stopped and
started again on the same port while a real Chromium tab stays open on a lesson.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest

from tests.browser.conftest import EXCEPTION, screenshot
from tests.browser.harness import APP, free_port, streamlit_server
from tests.browser.live import finished, open_app, settle, wait_runs

pytestmark = pytest.mark.browser

TEXT = "Yesterday, Tom met Eliza in Paris."
LESSON = "words_to_vectors"
RECONNECT_LIMIT_MS = 180_000  # the new server imports torch first; a tab that never comes back fails


def box(page):
    return page.locator('[data-testid="stTextArea"] textarea').first


def test_an_open_tab_comes_back_with_its_url_state_after_a_restart(page, tmp_path):
    """Streamlit's page keeps retrying its websocket; once the new server answers it connects (a new
    session: the old one died with its server) and, being idle, keeps its drawn lesson without a rerun.
    The next interaction runs on the new server with the URL's text."""
    from playwright.sync_api import expect

    port = free_port()
    url = f"http://127.0.0.1:{port}/{LESSON}?{urllib.parse.urlencode({'w2v_text': TEXT})}"
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    with streamlit_server(APP, log=tmp_path / "before.log", port=port):
        open_app(page, url)
        expect(box(page)).to_have_value(TEXT)
        expect(page.get_by_text("Eliza").first).to_be_visible()
        runs_before = finished(page)
    page.wait_for_timeout(3000)  # the server is gone: the tab notices and retries
    assert len(sockets) == 1
    with streamlit_server(APP, log=tmp_path / "after.log", port=port):
        deadline_ms = RECONNECT_LIMIT_MS
        while len(sockets) < 2 and deadline_ms > 0:  # reconnected by itself, nobody touched the tab
            page.wait_for_timeout(250)
            deadline_ms -= 250
        assert len(sockets) >= 2 and sockets[-1].endswith("/_stcore/stream")
        expect(page.get_by_text("Connection error")).to_have_count(0)
        expect(page.locator("h1").first).to_have_text("Words to vectors")
        expect(box(page)).to_have_value(TEXT)
        # The next interaction (here a rerun, as the R key does) runs on the new server, from the URL's text.
        page.locator("h1").first.click()
        page.keyboard.press("r")
        wait_runs(page, runs_before, limit_s=RECONNECT_LIMIT_MS / 1000)
        settle(page)
        screenshot(page, "server_restart_reconnected")
        assert re.search(rf"/{LESSON}\?", page.url) and "Eliza" in urllib.parse.unquote_plus(page.url)
        expect(box(page)).to_have_value(TEXT)
        expect(page.get_by_text("Eliza").first).to_be_visible()
        assert page.locator(EXCEPTION).count() == 0
