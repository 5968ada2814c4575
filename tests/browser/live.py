"""Waiting on a live Streamlit page in Playwright: when has the script run that an action caused finished?

The page's own websocket says so: the server ends every script run with a ``script_finished``
ForwardMsg. :func:`watch` listens to the frames the page receives (before it opens the app) and counts
those messages, so a run is seen however fast it was and however the browser batched its drawing.
(The ``data-test-script-state`` attribute is not enough: when a busy server's messages arrive in one
burst, React can commit "notRunning" without ever drawing "running".) After the run, SETTLED waits
until the script is idle and the main area's element count has held still for a moment: the state
flips before React has drawn the last elements. Shared by tests/browser and benchmarks; sync and async.
"""

from __future__ import annotations

import asyncio
import time
import weakref

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

SETTLED = """(ms) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
  const n = idle ? document.querySelectorAll('[data-testid="stMain"] *').length : -1;
  const now = performance.now();
  if (window.__settleCount !== n) { window.__settleCount = n; window.__settleSince = now; return false; }
  return idle && now - window.__settleSince >= ms;
}"""
SETTLE_MS = 400
RUN_LIMIT_S = 240  # a run that never ends fails the wait; a slow one only waits
EXCEPTION = '[data-testid="stException"]'
SIDEBAR_NAV = '[data-testid="stSidebarNav"]'
STREAM = "/_stcore/stream"
_EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")


class Runs:
    """Script runs finished in one page, counted from its websocket frames."""

    def __init__(self) -> None:
        self.finished = 0

    def frame(self, payload) -> None:
        if not isinstance(payload, bytes):
            return
        msg = ForwardMsg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # not a ForwardMsg: nothing to count
            return
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished != _EARLY:
            self.finished += 1

    def attach(self, websocket) -> None:
        if websocket.url.endswith(STREAM):
            websocket.on("framereceived", self.frame)


_RUNS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def watch(page) -> Runs:
    """Start counting the page's finished runs; call before the page opens the app."""
    runs = _RUNS.get(page)
    if runs is None:
        runs = _RUNS[page] = Runs()
        page.on("websocket", runs.attach)
    return runs


def finished(page) -> int:
    return _RUNS[page].finished


# -- sync Playwright ---------------------------------------------------------------------------------------


def wait_runs(page, more_than: int, limit_s: float = RUN_LIMIT_S) -> None:
    """Until more than ``more_than`` runs have finished (Playwright delivers frames while it waits)."""
    deadline = time.monotonic() + limit_s
    while finished(page) <= more_than:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no script run finished within {limit_s} s ({finished(page)} so far)")
        page.wait_for_timeout(25)


def settle(page) -> None:
    page.wait_for_function(SETTLED, arg=SETTLE_MS, polling=100)


def rerun(page, action) -> None:
    """Do ``action`` (a click, a key) and wait until the script run it caused has finished and is drawn."""
    before = finished(page)
    action()
    wait_runs(page, before)
    settle(page)


def open_app(page, url: str) -> None:
    """Open ``url`` in a watched page and wait for its first run, drawn."""
    watch(page)
    page.goto(url)
    wait_runs(page, 0)
    settle(page)


# -- async Playwright --------------------------------------------------------------------------------------


async def await_runs(page, more_than: int, limit_s: float = RUN_LIMIT_S) -> None:
    deadline = time.monotonic() + limit_s
    while finished(page) <= more_than:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no script run finished within {limit_s} s ({finished(page)} so far)")
        await asyncio.sleep(0.025)


async def asettle(page, settle_ms: int = SETTLE_MS) -> None:
    await page.wait_for_function(SETTLED, arg=settle_ms, polling=100)


async def arerun(page, action, settle_ms: int = SETTLE_MS) -> None:
    """Async Playwright: the same as :func:`rerun`; ``action`` is a coroutine function."""
    before = finished(page)
    await action()
    await await_runs(page, before)
    if settle_ms:
        await asettle(page, settle_ms)
