"""The public-deployment settings of .streamlit/config.toml, checked on the running server.

`streamlit run app.py` (tests/browser/conftest.py) reads the repository's config: a browser message larger
than server.maxWidgetStateSize is refused without harming the server, and a normal one is answered.
"""

from __future__ import annotations

import asyncio
import tomllib
import urllib.request

import pytest

from benchmarks.streamlit_client import StreamlitClient, text_value
from tests.browser.harness import REPO_ROOT, run_async

pytestmark = pytest.mark.browser

CONFIG = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_the_config_keeps_public_defaults_safe():
    server, client = CONFIG["server"], CONFIG["client"]
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert server["enableStaticServing"] is False
    assert client["showErrorDetails"] in ("type", "none")  # never a traceback with server paths
    assert server["maxWidgetStateSize"] <= 1 and server["maxMessageSize"] <= 50 and server["maxUploadSize"] <= 1
    assert CONFIG["browser"]["gatherUsageStats"] is False


async def oversized_then_normal(url: str) -> tuple[int | None, bool]:
    import websockets

    limit = CONFIG["server"]["maxWidgetStateSize"] * 1024 * 1024
    async with StreamlitClient(url) as client:
        page = await client.open("words_to_vectors")
        box = page.widget_id("text_area", "w2v_text")
        await client.send([text_value(box, "x" * (limit + 1024))])
        try:
            while True:
                await asyncio.wait_for(client._ws.recv(), 60)
        except websockets.ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
    async with StreamlitClient(url) as client:  # the server is fine and serves the next visitor
        await client.open("words_to_vectors")
        run = await client.run([text_value(box, "Yesterday, Tom met Eliza in Paris.")])
        answered = not run.exceptions and "Eliza" in run.text()
    return code, answered


def test_an_oversized_browser_message_is_refused(app_url):
    code, answered = run_async(oversized_then_normal(app_url))
    assert code == 1009  # "message too big": the connection is closed before the message is parsed
    assert answered
    with urllib.request.urlopen(f"{app_url}/_stcore/health", timeout=30) as response:
        assert response.status == 200
