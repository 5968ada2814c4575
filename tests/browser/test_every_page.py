"""Real browser, every page of app.py's PAGES: open it from the sidebar, type into every text box, change
the architecture (or the page's main choice), start and stop the live comparison.

One tab walks through the app as a student would (one server, one session), so a page that breaks
another page's state shows up too. After each step: no exception box, and what the page should show for
the typed sentence, computed here with rnncore on the same text. A page added to PAGES without an entry
in CHECKS still gets the generic walk (visit, type into every box, no exception).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest

from rnncore.explain import entities
from rnncore.models import ARCH_NAMES
from rnncore.tasks import SHIPPED
from rnncore.tasks.lm import inference as lm_inference
from rnncore.tasks.ner import inference as ner_inference
from rnncore.tasks.sentiment import inference as sentiment_inference
from rnncore.text import tokenize
from tests.browser.conftest import EXCEPTION, WAIT_LIMIT_MS, screenshot
from tests.browser.harness import AppPage, app_pages
from tests.browser.live import open_app, rerun, settle
from ui.models_ui import is_shipped

pytestmark = pytest.mark.browser

PAGES = app_pages()
TYPED = "Grace Hopper visited Boston with Alan Turing."
OTHER_TEXTS = ["The film was dull, but the music was lovely.", "The music was lovely, but the film was dull."]
PREFIX = "the"  # short enough for any "start with" box
MARKUP = '<script>alert("x")</script><b id="hostile">bold</b><img id="hostile-img" src=x onerror=alert(1)> **Tom**'


def main_block(page):
    return page.get_by_test_id("stMainBlockContainer")


def assert_no_exception(page, where: str) -> None:
    boxes = page.locator(EXCEPTION)
    assert boxes.count() == 0, f"{where}: exception on the page:\n" + "\n".join(boxes.all_inner_texts())


def metric_value(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def text_boxes(page):
    """Every text area and one-line text box in the main area (number boxes are not text)."""
    return main_block(page).locator('[data-testid="stTextArea"] textarea, [data-testid="stTextInput"] input')


def type_into(page, box, text: str) -> None:
    is_area = box.evaluate("el => el.tagName") == "TEXTAREA"
    box.fill(text)
    rerun(page, lambda: box.press("Control+Enter" if is_area else "Enter"))


def require(*stems: str) -> None:
    missing = [stem for stem in stems if not is_shipped(stem)]
    if missing:
        pytest.skip(f"checkpoints not shipped yet: {missing}")


# -- what each page must show ------------------------------------------------------------------------


@dataclass
class Check:
    heading: str | None = None  # the page's h1; None: the page's title in PAGES
    stems: tuple[str, ...] = ()  # checkpoints the page needs
    after_typing: Callable | None = None  # (page) -> None, after TYPED went into the first text box
    switch: Callable | None = None  # (page) -> None: change the architecture or the main choice, check it
    texts: list[str] = field(default_factory=list)  # what goes into the 2nd, 3rd ... text boxes
    boxes: int = 0  # text boxes the page draws (so that a box that never appeared cannot pass unseen)


def check_home(page) -> None:
    from playwright.sync_api import expect

    expect(main_block(page).get_by_role("heading", name="Lessons")).to_be_visible()
    nav = page.locator('[data-testid="stSidebarNav"]')
    for app_page in PAGES:  # the sidebar lists every page of PAGES
        expect(nav.get_by_role("link", name=app_page.title, exact=True)).to_have_count(1)


def check_words(page) -> None:
    from playwright.sync_api import expect

    tokens = tokenize(TYPED)
    chips = page.locator(".token-strip .token-chip")
    expect(chips).to_have_count(len(tokens))
    expect(chips.nth(1)).to_contain_text("Hopper")
    assert metric_value(page, "punctuation counted") == str(len(tokens))


def switch_words(page) -> None:
    from playwright.sync_api import expect

    rerun(page, lambda: main_block(page).get_by_text("Count punctuation as tokens").click())
    without = [t for t in tokenize(TYPED) if t != "."]
    expect(page.locator(".token-strip .token-chip")).to_have_count(len(without))


def check_forward(page) -> None:
    from playwright.sync_api import expect

    diagram = page.locator("div.unrolled-rnn")
    expect(diagram).to_have_attribute("data-current", re.compile(r"^\d+$"))
    t = int(diagram.get_attribute("data-current"))
    expect(main_block(page).locator("code").filter(has_text=re.compile(rf"^{re.escape(tokenize(TYPED)[t - 1])}$"))
           .first).to_be_visible()


def switch_forward(page) -> None:
    from playwright.sync_api import expect

    rerun(page, lambda: page.get_by_role("radiogroup", name="Model").get_by_text("Star rating").click())
    expect(main_block(page).get_by_text(re.compile(r"many-to-one: (only|one output)")).first).to_be_visible()
    assert "fp_model=Star+rating" in page.url


def check_shapes_switch(page) -> None:
    from playwright.sync_api import expect

    option = page.get_by_role("radiogroup", name="Highlight").get_by_role("radio", name="Many-to-one", exact=True)
    rerun(page, option.click)
    expect(option).to_have_attribute("aria-checked", "true")
    assert "shape=Many-to-one" in page.url


def ner_marks(text: str, arch: str) -> int:
    record = ner_inference.ner(text, arch)
    return len(entities.entities(record["tokens"], record["labels"]))


def check_entities(page) -> None:
    from playwright.sync_api import expect

    sentence = page.locator(".ner-sentence").first
    expect(sentence).to_contain_text("Hopper")
    expect(sentence.locator("mark.entity")).to_have_count(ner_marks(TYPED, ner_inference.NER_DEFAULT))


def arch_button(page, name: str):
    return main_block(page).locator('[data-testid="stButtonGroup"] button').filter(
        has_text=re.compile(rf"^{name}$")).first


def switch_entities(page) -> None:
    from playwright.sync_api import expect

    rerun(page, lambda: arch_button(page, "LSTM").click())
    expect(page.locator(".ner-sentence").first.locator("mark.entity")).to_have_count(ner_marks(TYPED, "lstm"))


def check_sentiment(page) -> None:
    from playwright.sync_api import expect

    stars = sentiment_inference.sentiment(TYPED, sentiment_inference.SENTIMENT_DEFAULT)["stars"]
    expect(page.locator(".stars").first).to_have_attribute("data-stars", str(stars))


def switch_sentiment(page) -> None:
    from playwright.sync_api import expect

    other = "lstm" if sentiment_inference.SENTIMENT_DEFAULT != "lstm" else "gru"  # not the one shown first
    rerun(page, lambda: arch_button(page, ARCH_NAMES[other]).click())
    stars = sentiment_inference.sentiment(TYPED, other)["stars"]
    expect(page.locator(".stars").first).to_have_attribute("data-stars", str(stars))


def check_language_model(page) -> None:
    from playwright.sync_api import expect

    log_p = lm_inference.lm_score(TYPED, lm_inference.LM_DEFAULT)["log_prob"]
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="log P, first").first
    expect(metric).to_contain_text(f"{log_p:.2f}")


def switch_language_model(page) -> None:
    from playwright.sync_api import expect

    # Only the LSTM scores words (rnncore.tasks.SHIPPED): on the GRU the page says so and samples names
    rerun(page, lambda: arch_button(page, "GRU").click())
    expect(main_block(page).get_by_text("Words are scored by the LSTM model only")).to_be_visible()
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="log P, first")).to_have_count(0)
    rerun(page, lambda: arch_button(page, "LSTM").click())  # and back: the sentence is scored again
    log_p = lm_inference.lm_score(TYPED, "lstm")["log_prob"]
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="log P, first").first
    expect(metric).to_contain_text(f"{log_p:.2f}")


def check_gradients(page) -> None:
    from playwright.sync_api import expect

    # the saliency section reads the typed sentence: one answer, one probability, one bar per word
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="P(answer)")).to_be_visible()
    assert 0.0 <= float(metric_value(page, "P(answer)")) <= 1.0


def switch_gradients(page) -> None:
    from playwright.sync_api import expect

    cells = page.get_by_role("radiogroup", name="Cells")
    rerun(page, lambda: cells.get_by_role("radio", name="At initialisation").click())
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="RNN: first / last").first).to_be_visible()
    expect(page.get_by_text("Fresh cells read")).to_be_visible()


def check_gates(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("div.cell-diagram")).to_have_attribute("data-current", re.compile(r"^\d+$"))
    expect(page.get_by_role("heading", name=re.compile(r"The LSTM cell at step t = \d+"))).to_be_visible()


def switch_gates(page) -> None:
    from playwright.sync_api import expect

    rerun(page, lambda: page.get_by_role("radiogroup", name="Cell").get_by_text("GRU", exact=True).click())
    expect(page.get_by_role("heading", name=re.compile(r"The GRU cell at step t = \d+"))).to_be_visible()


def check_bidirectional(page) -> None:
    from playwright.sync_api import expect

    diagram = page.locator("div.bidirectional-rnn")
    expect(diagram).to_have_attribute("data-current", re.compile(r"^\d+$"))
    t = int(diagram.get_attribute("data-current"))
    token = tokenize(TYPED)[t - 1]
    expect(page.get_by_role("heading", name=f"Step t = {t}: the tag of “{token}”")).to_be_visible()


def switch_bidirectional(page) -> None:
    from playwright.sync_api import expect

    diagram = page.locator("div.bidirectional-rnn")
    t = int(diagram.get_attribute("data-current"))
    step = "◀ t − 1" if t == len(tokenize(TYPED)) else "t + 1 ▶"
    rerun(page, lambda: page.get_by_role("button", name=step).click())
    expect(diagram).to_have_attribute("data-current", str(t - 1 if step.startswith("◀") else t + 1))


def switch_compare(page) -> None:
    """Train live, see an epoch go by, Stop: the partial run is measured and training really ends."""
    from playwright.sync_api import expect

    main = main_block(page)
    main.get_by_role("button", name="Train live").click()
    expect(page.get_by_text(re.compile(r"^RNN: epoch [1-9]\d*/\d+"))).to_be_visible()
    rerun(page, lambda: main.get_by_role("button", name="Stop").click())
    stopped = page.get_by_text(re.compile(r"Your run \(stopped early, \d+ epochs in all"))
    expect(stopped).to_be_visible()
    expect(main.get_by_role("button", name="Continue")).to_be_enabled()
    done = stopped.inner_text()
    page.wait_for_timeout(1500)
    assert stopped.inner_text() == done  # nothing trains once stopped


CHECKS: dict[str, Check] = {
    "": Check(heading="RNN Lab"),  # check_home runs on the default page
    "words_to_vectors": Check(after_typing=check_words, switch=switch_words, boxes=1),
    "forward_pass": Check(stems=("ner-rnn", "sentiment-rnn"), after_typing=check_forward, switch=switch_forward,
                          boxes=1),
    "architecture_shapes": Check(switch=check_shapes_switch),
    "named_entities": Check(stems=tuple(f"ner-{a}" for a in ("rnn", "gru", "lstm", "birnn")),
                            after_typing=check_entities, switch=switch_entities, boxes=1),
    "sentiment": Check(stems=tuple(f"sentiment-{a}" for a in ("rnn", "gru", "lstm", "birnn")),
                       after_typing=check_sentiment, switch=switch_sentiment, texts=OTHER_TEXTS, boxes=3),
    "language_model": Check(stems=tuple(f"{task}-{a}" for task, a in SHIPPED if task.startswith("lm-")),
                            after_typing=check_language_model, switch=switch_language_model,
                            texts=[OTHER_TEXTS[0], PREFIX], boxes=3),
    "gradients": Check(after_typing=check_gradients, switch=switch_gradients, boxes=1),
    "gates": Check(stems=("sentiment-lstm", "sentiment-gru"), after_typing=check_gates, switch=switch_gates, boxes=1),
    "bidirectional": Check(stems=("ner-birnn", "ner-rnn"), after_typing=check_bidirectional,
                           switch=switch_bidirectional, boxes=1),
    "compare": Check(switch=switch_compare),
}


DIALOGS: list[str] = []  # alert() and friends seen in the tab: a visitor's script that ran


# -- the walk ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tab(browser, app_url):
    """One tab (one Streamlit session) for the whole walk, opened at the app's entry point."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_LIMIT_MS)
    page.on("dialog", lambda dialog: (DIALOGS.append(dialog.message), dialog.dismiss()))
    open_app(page, f"{app_url}/")
    try:
        yield page
    finally:
        context.close()


def open_from_sidebar(page, app_page: AppPage, heading: str) -> None:
    from playwright.sync_api import expect

    link = page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=app_page.title, exact=True)
    if urlparse(page.url).path.strip("/") != app_page.url_path:
        rerun(page, link.click)
    assert urlparse(page.url).path.strip("/") == app_page.url_path
    expect(page.locator("h1").first).to_have_text(heading)
    settle(page)  # the heading came with the new page's run; now that run is over and drawn


def test_app_declares_pages():
    assert PAGES and sum(p.default for p in PAGES) == 1
    assert len({p.url_path for p in PAGES}) == len(PAGES)


@pytest.mark.parametrize("app_page", PAGES, ids=[p.url_path or "home" for p in PAGES])
def test_every_page(tab, app_page: AppPage):
    from playwright.sync_api import expect

    check = CHECKS.get(app_page.url_path, Check())
    require(*check.stems)
    page = tab
    open_from_sidebar(page, app_page, check.heading or app_page.title)
    assert_no_exception(page, f"{app_page.url_path or 'home'}: first render")
    if app_page.default:
        check_home(page)

    if app_page.url_path in CHECKS:
        # Waited for, not counted from a snapshot: once in a clean CI run (1 of 5 this session) the page
        # had drawn its heading but not yet its text box when counted right after SETTLED.
        expect(text_boxes(page)).to_have_count(check.boxes, timeout=60_000)
    count = text_boxes(page).count()
    texts = [TYPED, *check.texts] + [f"{TYPED} ({k})" for k in range(count)]
    for k in range(count):
        type_into(page, text_boxes(page).nth(k), texts[k])
        assert_no_exception(page, f"{app_page.url_path}: typed into text box {k + 1} of {count}")
        if k == 0 and check.after_typing:
            check.after_typing(page)
    if check.switch:
        check.switch(page)
        assert_no_exception(page, f"{app_page.url_path or 'home'}: after the switch")
    screenshot(page, f"every_page_{app_page.stem}", full_page=False)

    if count:  # markup typed by a visitor stays text: no element made from it, no script run
        type_into(page, text_boxes(page).first, MARKUP)
        assert_no_exception(page, f"{app_page.url_path}: markup typed")
        assert page.locator("#hostile, #hostile-img").count() == 0
        assert not DIALOGS, f"a script from the visitor's text ran: {DIALOGS}"
