"""Real browser, projector mode on every lesson: computed font sizes on and off, no horizontal scrolling
at 1280x720 and 1920x1080, the flag kept across a sidebar page switch. Screenshots in tests/screenshots/
(projector_<lesson>_<width>x<height>.png).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import EXCEPTION, WAIT_LIMIT_MS, screenshot
from tests.browser.harness import app_pages
from tests.browser.live import open_app, rerun

pytestmark = pytest.mark.browser

PAGES = app_pages()
VIEWPORTS = [(1280, 720), (1920, 1080)]

# Font sizes the visitor actually gets: a paragraph of the lesson's text, and a Plotly axis label
# (the first drawn chart; charts in closed expanders and tabs are not drawn).
FONTS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const px = (el) => el ? parseFloat(getComputedStyle(el).fontSize) : null;
  const body = main.querySelector('[data-testid="stMarkdownContainer"] p');
  const tick = main.querySelector('.js-plotly-plot g.xtick text, .js-plotly-plot g.ytick text');
  return {body: px(body), figure: px(tick)};
}"""
ROOT_FONT_AT_LEAST = "(px) => parseFloat(getComputedStyle(document.documentElement).fontSize) >= px"
# Horizontal overflow of the page and of the main column (the element that scrolls the lesson).
OVERFLOW = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const doc = document.scrollingElement;
  return {page: doc.scrollWidth - window.innerWidth, main: main.scrollWidth - main.clientWidth};
}"""


def url(app_url: str, app_page, query: str = "") -> str:
    return f"{app_url}/{app_page.url_path}" + (f"?{query}" if query else "")


def visit(browser, address: str, width: int, height: int):
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.set_default_timeout(WAIT_LIMIT_MS)
    open_app(tab, address)
    if "projector=on" in address:  # the style block is applied a moment after the run has been drawn
        tab.wait_for_function(ROOT_FONT_AT_LEAST, arg=24)
    boxes = tab.locator(EXCEPTION)
    assert boxes.count() == 0, "\n".join(boxes.all_inner_texts())
    return context, tab


@pytest.mark.parametrize("app_page", PAGES, ids=[p.stem for p in PAGES])
def test_projector_fonts_and_no_horizontal_scroll(browser, app_url, app_page):
    context, tab = visit(browser, url(app_url, app_page), *VIEWPORTS[0])
    try:
        normal = tab.evaluate(FONTS)
    finally:
        context.close()
    for width, height in VIEWPORTS:
        context, tab = visit(browser, url(app_url, app_page, "projector=on"), width, height)
        try:
            if normal["figure"] is not None:  # Plotly draws its axes a moment after the run
                tab.locator(".js-plotly-plot g.xtick text, .js-plotly-plot g.ytick text").first.wait_for(state="attached")
            projected = tab.evaluate(FONTS)
            assert projected["body"] >= 1.5 * normal["body"] - 0.01, (normal, projected)
            if normal["figure"] is not None:
                assert projected["figure"] >= 1.5 * normal["figure"] - 0.01, (normal, projected)
            overflow = tab.evaluate(OVERFLOW)
            assert overflow["page"] <= 0 and overflow["main"] <= 0, f"{width}x{height}: {overflow}"
            # the sidebar starts collapsed: only its "expand" button shows, its links are off screen
            assert tab.get_by_test_id("stExpandSidebarButton").is_visible()
            box = tab.locator('[data-testid="stSidebar"]').bounding_box()
            assert box is None or box["x"] + box["width"] <= 1, box
            screenshot(tab, f"projector_{app_page.stem}_{width}x{height}")
        finally:
            context.close()


def test_projector_survives_a_page_switch_and_turns_off(browser, app_url):
    from playwright.sync_api import expect

    first, second = PAGES[1], PAGES[5]
    context, tab = visit(browser, url(app_url, first, "projector=on"), *VIEWPORTS[0])
    try:
        assert tab.evaluate(FONTS)["body"] == pytest.approx(24)
        tab.get_by_test_id("stExpandSidebarButton").click()
        link = tab.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=second.title, exact=True)
        rerun(tab, link.click)
        expect(tab.locator("h1").first).to_have_text(second.title)
        assert parse_qs(urlparse(tab.url).query).get("projector") == ["on"]
        assert tab.evaluate(FONTS)["body"] == pytest.approx(24)
        if tab.get_by_test_id("stExpandSidebarButton").is_visible():
            tab.get_by_test_id("stExpandSidebarButton").click()
        toggle = tab.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]').filter(has_text="Projector mode")
        rerun(tab, lambda: toggle.get_by_text("Projector mode").click())
        assert "projector" not in parse_qs(urlparse(tab.url).query)
        assert tab.evaluate(FONTS)["body"] == pytest.approx(16)
    finally:
        context.close()
