"""Waiting on a live Streamlit page in Playwright: when has the script run that an action caused finished?

The app marks ``[data-testid="stApp"]`` with ``data-test-script-state``; RUN_COUNTER (installed with
``context.add_init_script`` before the app's own scripts) counts every time that state leaves "running",
so even a run shorter than a polling interval is seen. The state flips before React has drawn the last
elements, so SETTLED also waits until the script is idle and the main area's element count has held
still for a moment. After a page switch, wait for the new page's heading as well: a run of the old page
that was still under way can end after the click.
Shared by tests/browser and benchmarks (sync and async Playwright take the same strings).
"""

from __future__ import annotations

RUN_COUNTER = """
window.__stRunsEnded = 0;
new MutationObserver((records) => {
  for (const r of records) {
    if (r.oldValue === 'running' && r.target.getAttribute('data-test-script-state') !== 'running') {
      window.__stRunsEnded += 1;
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state'],
                      attributeOldValue: true});
"""
RUNS_ENDED = "window.__stRunsEnded"
RUN_DONE = """(before) => {
  const app = document.querySelector('[data-testid="stApp"]');
  return window.__stRunsEnded > before && app && app.getAttribute('data-test-script-state') === 'notRunning';
}"""
SETTLED = """(ms) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
  const n = idle ? document.querySelectorAll('[data-testid="stMain"] *').length : -1;
  const now = performance.now();
  if (window.__settleCount !== n) { window.__settleCount = n; window.__settleSince = now; return false; }
  return idle && now - window.__settleSince >= ms;
}"""
SETTLE_MS = 400
EXCEPTION = '[data-testid="stException"]'
SIDEBAR_NAV = '[data-testid="stSidebarNav"]'


def rerun(page, action) -> None:
    """Sync Playwright: do ``action`` and wait until the script run it caused has finished and settled."""
    before = page.evaluate(RUNS_ENDED)
    action()
    page.wait_for_function(RUN_DONE, arg=before)
    settle(page)


def settle(page) -> None:
    page.wait_for_function(SETTLED, arg=SETTLE_MS, polling=100)


async def arerun(page, action, settle_ms: int = SETTLE_MS) -> None:
    """Async Playwright: the same as :func:`rerun`; ``action`` is a coroutine function."""
    before = await page.evaluate(RUNS_ENDED)
    await action()
    await page.wait_for_function(RUN_DONE, arg=before)
    if settle_ms:
        await page.wait_for_function(SETTLED, arg=settle_ms, polling=100)
