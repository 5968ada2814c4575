"""Real browser: the "Inside the cells" lessons in headless Chromium; the time step moves the forward pass."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from rnncore import shipped
from rnncore.explain import forward
from rnncore.text import tokenize
from tests.browser.conftest import EXCEPTION, screenshot, wait_idle
from ui import models_ui
from ui.text_ui import NOTES_EXAMPLES

pytestmark = pytest.mark.browser

SHERLOCK = NOTES_EXAMPLES[0]


def needs(stem: str):
    if not models_ui.is_shipped(stem):
        pytest.skip(f"assets/models/{stem} is not shipped yet")
    return shipped.load_shipped(stem)


def test_the_time_step_moves_the_forward_pass(app_url, page):
    from playwright.sync_api import expect

    model, meta = needs("ner-rnn")
    run = forward.rnn_forward(model, meta, tokenize(SHERLOCK))
    page.goto(f"{app_url}/")
    wait_idle(page)
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Forward pass").click()
    expect(page.locator("h1").first).to_have_text("Forward pass, step by step")
    wait_idle(page)
    diagram = page.locator("div.unrolled-rnn")
    expect(diagram).to_have_attribute("data-current", "1")
    expect(diagram.locator("img")).to_be_visible()
    assert page.locator("img[alt*='step 1 highlighted']").count() == 1

    page.get_by_role("button", name="t + 1 ▶").click()
    expect(diagram).to_have_attribute("data-current", "2")
    expect(page.get_by_role("heading", name="Step t = 2")).to_be_visible()
    wait_idle(page)
    assert parse_qs(urlparse(page.url).query).get("fp_t") == ["2"]

    thumb = page.locator('[data-testid="stSlider"] input[type="range"]').first
    thumb.focus()
    for _ in range(3):
        thumb.press("ArrowRight")
    expect(diagram).to_have_attribute("data-current", "5")
    expect(page.get_by_role("heading", name="Step t = 5")).to_be_visible()
    wait_idle(page)
    assert thumb.input_value() == "5"
    # the equation on screen carries a<5> as rnncore computes it (first entry, 3 decimals)
    first = f"{abs(float(run.a[4, 0])):.3f}"
    expect(page.locator(".katex").filter(has_text="tanh").nth(1)).to_contain_text(first)

    page.get_by_role("button", name="◀ t − 1").click()
    expect(diagram).to_have_attribute("data-current", "4")
    assert page.locator(EXCEPTION).count() == 0
    page.get_by_role("heading", name="The unrolled network").scroll_into_view_if_needed()
    screenshot(page, "cells_forward_pass")


def test_a_shared_link_opens_the_gates_and_the_bidirectional_rnn_at_its_step(app_url, page):
    from playwright.sync_api import expect

    needs("sentiment-lstm")
    needs("ner-birnn")
    page.goto(f"{app_url}/")
    wait_idle(page)
    page.goto(f"{app_url}/gates?gt_t=3")
    wait_idle(page)
    expect(page.locator("h1").first).to_have_text("GRU and LSTM gates")
    expect(page.locator("div.cell-diagram")).to_have_attribute("data-current", "3")
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    page.get_by_role("button", name="t + 1 ▶").click()
    expect(page.locator("div.cell-diagram")).to_have_attribute("data-current", "4")
    assert page.locator(EXCEPTION).count() == 0

    page.goto(f"{app_url}/bidirectional?bi_t=4")
    wait_idle(page)
    expect(page.locator("div.bidirectional-rnn")).to_have_attribute("data-current", "4")
    expect(page.get_by_role("heading", name="Step t = 4: the tag of “Apple”")).to_be_visible()
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "cells_bidirectional")
