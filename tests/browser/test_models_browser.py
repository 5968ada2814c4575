"""Real browser: type a sentence on each model lesson and see what rnncore.tasks.*.inference says about it.

Runs `streamlit run app.py` (tests/browser/conftest.py) with the shipped checkpoints; skipped, saying
which, while a checkpoint is missing.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from rnncore.explain.entities import entities as entity_spans
from rnncore.tasks.lm import inference as lm_inference
from rnncore.tasks.ner import inference as ner_inference
from rnncore.tasks.sentiment import inference as sentiment_inference
from tests.browser.conftest import EXCEPTION, screenshot, wait_idle
from ui.models_ui import is_shipped

pytestmark = pytest.mark.browser

NER_SENTENCE = "Yesterday, Ada Lovelace met Charles Babbage in London."
REVIEW = "The acting was superb, but the plot was dull."
LM_SENTENCE = "The cat sat on the mat."


def require(*stems: str) -> None:
    missing = [stem for stem in stems if not is_shipped(stem)]
    if missing:
        pytest.skip(f"checkpoints not shipped yet: {missing}")


def type_into_text_area(page, text: str) -> None:
    box = page.locator('[data-testid="stTextArea"] textarea').first
    box.fill(text)
    box.press("Control+Enter")


def metric_value(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def open_lesson(page, app_url: str, title: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/")
    wait_idle(page)
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).click()
    expect(page.locator("h1").first).to_have_text(title)
    wait_idle(page)


def test_typing_a_sentence_highlights_its_entities(app_url, page):
    from playwright.sync_api import expect

    require(*(f"ner-{arch}" for arch in ("rnn", "gru", "lstm", "birnn")))
    open_lesson(page, app_url, "Named entities")
    expect(page.locator(".ner-sentence").first).to_contain_text("Eliza")
    type_into_text_area(page, NER_SENTENCE)
    sentence = page.locator(".ner-sentence").first
    expect(sentence).to_contain_text("Babbage")
    wait_idle(page)
    expected = ner_inference.ner(NER_SENTENCE, "birnn")
    entities = entity_spans(expected["tokens"], expected["labels"])
    marks = sentence.locator("mark.entity")
    expect(marks).to_have_count(len(entities))
    for k, entity in enumerate(entities):
        expect(marks.nth(k)).to_have_attribute("data-type", entity.type)
    assert metric_value(page, "tokens read") == str(len(expected["tokens"]))
    assert query(page).get("ner_text") == [NER_SENTENCE]

    page.locator('[data-testid="stButtonGroup"] button').filter(has_text=re.compile(r"^LSTM$")).first.click()
    wait_idle(page)
    lstm = ner_inference.ner(NER_SENTENCE, "lstm")
    expect(page.locator(".ner-sentence").first.locator("mark.entity")).to_have_count(
        len(entity_spans(lstm["tokens"], lstm["labels"]))
    )
    assert query(page).get("ner_arch") == ["LSTM"]
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "named_entities_typed")


def test_typing_a_review_shows_its_stars(app_url, page):
    from playwright.sync_api import expect

    require(*(f"sentiment-{arch}" for arch in ("rnn", "gru", "lstm", "birnn")))
    open_lesson(page, app_url, "Sentiment")
    type_into_text_area(page, REVIEW)
    expected = sentiment_inference.sentiment(REVIEW, sentiment_inference.SENTIMENT_DEFAULT)
    stars = page.locator(".stars").first
    expect(stars).to_have_attribute("data-stars", str(expected["stars"]))
    expect(stars).to_contain_text("★" * expected["stars"] + "☆" * (5 - expected["stars"]))
    wait_idle(page)
    assert query(page).get("sent_text") == [REVIEW]
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "sentiment_typed")


def test_a_shared_link_scores_and_samples(app_url, page):
    from playwright.sync_api import expect

    require("lm-word-lstm", "lm-char-lstm")
    page.goto(f"{app_url}/")
    wait_idle(page)
    page.goto(f"{app_url}/language_model?lm_level=Characters&lm_seed=11&lm_arch=LSTM")
    wait_idle(page)
    expect(page.locator("h1").first).to_have_text("Language model")
    type_into_text_area(page, LM_SENTENCE)
    expected = lm_inference.lm_score(LM_SENTENCE, "lstm")
    log_p = page.locator('[data-testid="stMetric"]').filter(has_text="log P, first").first
    expect(log_p).to_contain_text(f"{expected['log_prob']:.2f}")
    wait_idle(page)
    assert query(page).get("lm_seed") == ["11"] and query(page).get("lm_level") == ["Characters"]
    expect(page.get_by_text("Sampling novel sequences")).to_be_visible()
    assert page.locator(EXCEPTION).count() == 0
    screenshot(page, "language_model_typed")
