"""Real browser: open the app, go to "Words to vectors", type a sentence, read the tokens and T_x back."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from rnncore.text import course_vocab, tokenize
from tests.browser.conftest import EXCEPTION, screenshot, wait_idle

pytestmark = pytest.mark.browser

SENTENCE = "Ada Lovelace wrote notes on the Analytical Engine in 1843."


def metric_value(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_typing_a_sentence_shows_its_tokens(app_url, page):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/")
    wait_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_contain_text("teaches recurrent neural networks")
    expect(page.locator("h1")).to_have_text("RNN Lab")

    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Words to vectors").click()
    expect(page.locator("h1")).to_have_text("Words to vectors")
    wait_idle(page)
    expect(page.locator(".token-strip")).to_contain_text("Sherlock")
    assert metric_value(page, "punctuation counted") == "13"

    box = page.locator('[data-testid="stTextArea"] textarea')
    box.fill(SENTENCE)
    box.press("Control+Enter")
    tokens = tokenize(SENTENCE)
    strip = page.locator(".token-strip")
    expect(strip).to_contain_text("Lovelace")
    wait_idle(page)
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="punctuation counted").first).to_contain_text(
        str(len(tokens))
    )
    assert metric_value(page, "punctuation counted") == str(len(tokens)) == "11"
    assert metric_value(page, "without punctuation") == "10"
    chips = strip.locator(".token-chip")
    expect(chips).to_have_count(len(tokens))
    vocab = course_vocab()
    for t in (1, 9):  # "Lovelace" and "in": the chip shows the token and its vocabulary index
        expect(chips.nth(t)).to_contain_text(tokens[t])
        expect(chips.nth(t)).to_contain_text(f"{vocab.id_of(tokens[t]):,}")
    # the sentence is in the URL, so the lecturer can share this exact view
    assert parse_qs(urlparse(page.url).query).get("w2v_text") == [SENTENCE]
    assert page.locator(EXCEPTION).count() == 0
    page.get_by_text("Tokens and their indices").scroll_into_view_if_needed()
    screenshot(page, "words_to_vectors_typed")


def test_a_shared_link_opens_on_its_sentence(app_url, page):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/")  # start the app from its entry point, as a visitor following the home page
    wait_idle(page)
    page.goto(f"{app_url}/words_to_vectors?w2v_text=Yesterday%2C+Tom+met+Eliza+in+Paris.&w2v_punct=false")
    wait_idle(page)
    expect(page.locator('[data-testid="stTextArea"] textarea')).to_have_value("Yesterday, Tom met Eliza in Paris.")
    expect(page.locator(".token-strip .token-chip")).to_have_count(6)
    page.get_by_role("tab", name="All 10,000 columns").click()
    expect(page.locator(".js-plotly-plot").nth(1)).to_be_visible()
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "words_to_vectors_shared_link", full_page=False)
