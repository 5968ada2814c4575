"""Real browser, keyboard only: from the top of each lesson, Tab alone reaches its main inputs (the
sentence, the model or architecture choice, the time step and its player, the training button), and
the focus keeps moving (no trap). Enter on a focused preset fills the sentence box.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import EXCEPTION, WAIT_LIMIT_MS
from tests.browser.live import open_app, rerun

pytestmark = pytest.mark.browser

MAX_TABS = 160
# What has the focus: the widget it belongs to (Streamlit's data-testid), its tag and its name.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const chain = [];
  for (let p = el; p; p = p.parentElement) { const id = p.getAttribute && p.getAttribute('data-testid'); if (id) chain.push(id); }
  const name = el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText) ||
               (el.innerText || '').trim();
  return {widget: chain[0] || null, chain, tag: el.tagName.toLowerCase(), name: (name || '').slice(0, 60),
          main: !!el.closest('[data-testid="stMain"]')};
}"""

# lesson -> what Tab must reach, each as (widget testid or tag, a piece of its name or ""). A segmented
# control (the architecture pickers) is one tab stop; its options are then chosen with the arrow keys.
MAIN_INPUTS = {
    "forward_pass": [("stRadio", ""), ("stTextArea", ""), ("stButton", "t + 1"), ("stSlider", ""), ("iframe", "")],
    "named_entities": [("stTextArea", ""), ("stButtonGroup", "")],
    "sentiment": [("stTextArea", ""), ("stButtonGroup", ""), ("stTextInput", "")],
    "language_model": [("stButtonGroup", ""), ("stTextArea", ""), ("stTextInput", ""), ("stSlider", "")],
    "gates": [("stRadio", ""), ("stTextArea", ""), ("stSlider", ""), ("iframe", "")],
    "bidirectional": [("stTextArea", ""), ("stSlider", ""), ("iframe", "")],
    "compare": [("stButton", "Train live")],
    "words_to_vectors": [("stTextArea", ""), ("stSelectbox", ""), ("stNumberInput", "")],
    "architecture_shapes": [("stButtonGroup", "")],
    "translation": [("stButtonGroup", ""), ("stTextArea", ""), ("stSlider", "")],
    "forecasting": [("stButtonGroup", ""), ("stSlider", "")],  # its text box shows only for a pasted series
    "gradients": [("stSlider", ""), ("stButtonGroup", ""), ("stCheckbox", ""), ("stButton", "")],
}


def tab_through(page) -> list[dict]:
    seen = []
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    page.locator('[data-testid="stMain"] h1').first.click()  # start from the top of the lesson
    page.keyboard.press("Shift+Tab")  # back onto whatever precedes the lesson: its first control is next
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and focused["main"]:
            seen.append(focused)
    return seen


def reached(seen: list[dict], widget: str, name: str) -> bool:
    return any((widget in f["chain"] or f["tag"] == widget) and name in f["name"] for f in seen)


@pytest.mark.parametrize("lesson", list(MAIN_INPUTS))
def test_tab_reaches_the_main_inputs(browser, app_url, lesson):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_LIMIT_MS)
    try:
        open_app(page, f"{app_url}/{lesson}")
        assert page.locator(EXCEPTION).count() == 0
        for widget, _ in MAIN_INPUTS[lesson]:  # drawn before the first Tab (a lesson draws in pieces)
            if widget.startswith("st"):
                expect(page.locator(f'[data-testid="stMain"] [data-testid="{widget}"]').first).to_be_visible()
        seen = tab_through(page)
        missing = [(w, n) for w, n in MAIN_INPUTS[lesson] if not reached(seen, w, n)]
        assert missing == [], f"not reached by Tab: {missing}; reached: {[(f['chain'][:3], f['name']) for f in seen][:25]}"
        distinct = {(f["widget"], f["tag"], f["name"]) for f in seen}
        assert len(distinct) >= len(MAIN_INPUTS[lesson]) + 2  # the focus moves on; nothing traps it
    finally:
        context.close()


def test_a_preset_works_from_the_keyboard(browser, app_url):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_LIMIT_MS)
    try:
        open_app(page, f"{app_url}/named_entities")
        preset = page.locator('[data-testid="stMain"] [data-testid="stButton"] button').filter(has_text="Tom met Eliza").first
        preset.focus()
        rerun(page, lambda: page.keyboard.press("Enter"))
        expect(page.locator('[data-testid="stMain"] textarea').first).to_have_value("Yesterday, Tom met Eliza in Paris.")
    finally:
        context.close()
