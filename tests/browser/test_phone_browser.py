"""Real browser, a phone in portrait (390x844): every lesson opens with no horizontal page scroll, and
anything wider than the screen (tables, matrices, formulas, diagrams) scrolls inside a box of its own.
Full-page screenshots: tests/screenshots/phone_<lesson>.png.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import EXCEPTION, WAIT_LIMIT_MS, screenshot
from tests.browser.harness import app_pages
from tests.browser.live import open_app

pytestmark = pytest.mark.browser

PAGES = app_pages()
PHONE = {"width": 390, "height": 844}

# Elements of the lesson that reach past the right edge of the screen without a scrolling box around
# them: what a visitor would have to scroll the whole page sideways to read, or could not read at all
# (a box that hides its overflow cuts them off).
UNBOXED = """() => {
  const width = window.innerWidth, out = [];
  const main = document.querySelector('[data-testid="stMain"]');
  const boxed = (el) => {
    for (let p = el.parentElement; p && p !== main; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if ((o === 'auto' || o === 'scroll') && p.getBoundingClientRect().right <= width + 1) return true;
      if (o === 'hidden' || o === 'clip') return false;  // cut off: nobody can scroll to it
    }
    return false;
  };
  for (const el of main.querySelectorAll('*')) {
    // KaTeX's MathML copy is visually hidden (read by screen readers only); inside an SVG, the svg counts
    if (el.closest('.katex-mathml') || el.closest('svg') !== null && el.tagName.toLowerCase() !== 'svg') continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1 && !boxed(el)) {
      const name = el.getAttribute('data-testid') || el.tagName.toLowerCase();
      const css = typeof el.className === 'string' ? el.className.slice(0, 40) : '';
      out.push(name + '.' + css + ' right=' + Math.round(r.right) + ' "' + (el.textContent || '').slice(0, 40) + '"');
    }
  }
  return out.slice(0, 12);
}"""
PAGE_WIDTH = "() => [document.scrollingElement.scrollWidth, window.innerWidth]"
# Text cut off, with an ellipsis or without: a label the visitor cannot read in full. (Streamlit cuts a
# long page link or button label on one line.)
CLIPPED = """() => {
  const out = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    if (el.children.length || !el.textContent.trim() || el.closest('svg, .katex-mathml, .figure-alt, [data-testid="stDataFrame"]')) continue;
    let p = el;
    for (let up = 0; p && up < 4; up++, p = p.parentElement) {
      const style = getComputedStyle(p);
      const cuts = style.textOverflow === 'ellipsis' || style.overflowX === 'hidden' || style.overflowX === 'clip';
      if (cuts && p.scrollWidth > p.clientWidth + 1) { out.push(el.textContent.slice(0, 60)); break; }
    }
  }
  return out.slice(0, 12);
}"""
# The unrolled and cell diagrams at their own width (not shrunk to 5 px labels), their box scrolling instead.
DIAGRAMS = """() => [...document.querySelectorAll('.unrolled-rnn, .bidirectional-rnn, .cell-diagram')].map((box) => {
  const img = box.querySelector('img');
  return {drawn: img.getBoundingClientRect().width, own: Number(img.getAttribute('width')),
          scrolls: box.scrollWidth > box.clientWidth, inside: box.getBoundingClientRect().right <= window.innerWidth + 1};
})"""
MAIN_HEIGHT = "() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"


@pytest.mark.parametrize("app_page", PAGES, ids=[p.stem for p in PAGES])
def test_every_lesson_fits_a_phone(browser, app_url, app_page):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    tab = context.new_page()
    tab.set_default_timeout(WAIT_LIMIT_MS)
    try:
        open_app(tab, f"{app_url}/{app_page.url_path}")
        assert tab.locator(EXCEPTION).count() == 0, tab.locator(EXCEPTION).all_inner_texts()
        scroll_width, inner_width = tab.evaluate(PAGE_WIDTH)
        assert inner_width == PHONE["width"]
        assert scroll_width <= inner_width, f"the page scrolls sideways: {scroll_width} px > {inner_width} px"
        assert tab.evaluate(UNBOXED) == []
        assert tab.evaluate(CLIPPED) == []
        if app_page.stem in ("forward_pass", "gates", "bidirectional"):
            # drawn a moment after the run on a loaded machine: waited for, then measured
            tab.locator(".unrolled-rnn, .bidirectional-rnn, .cell-diagram").first.wait_for(state="attached")
        diagrams = tab.evaluate(DIAGRAMS)
        if app_page.stem in ("forward_pass", "gates", "bidirectional"):
            assert diagrams, "the lesson's diagram is missing"
        for diagram in diagrams:
            assert diagram["drawn"] >= diagram["own"] - 1 and diagram["inside"], diagram
            assert diagram["scrolls"] or diagram["own"] <= PHONE["width"], diagram
        # The lesson scrolls inside stMain, not the document: a full-page screenshot would hold one screen.
        # Same width, a viewport as tall as the lesson, then one picture of all of it.
        tab.set_viewport_size({"width": PHONE["width"], "height": min(tab.evaluate(MAIN_HEIGHT), 16_000)})
        tab.wait_for_timeout(500)
        screenshot(tab, f"phone_{app_page.stem}")
    finally:
        context.close()
