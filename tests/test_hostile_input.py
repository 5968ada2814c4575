"""Hostile input on every page: every text box and every numeric control, through the widget, the URL
and session state. A clear message or a clamped value, never an exception, never markup from user text.

The pages come from app.py's PAGES (tests/browser/harness.py parses it), so a page added there, or the
lessons' folder renamed, is covered with no edit here. Each page runs on its own under AppTest; its text
boxes and numeric controls are found on the page itself, after REVEAL has switched on the controls that
only show in another mode. Values go past the widget's own limits on purpose: ``set_value`` sends what
a crafted browser message could send (AppTest's ``input`` would refuse text beyond ``max_chars``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import pytest
from streamlit.testing.v1 import AppTest

from rnncore.text import strip_invisible
from tests.browser.harness import APP, AppPage, app_pages
from tests.conftest import APPTEST_TIMEOUT

PAGES = app_pages()

MARKUP = (
    '<script>alert("x")</script><b id="hostile">bold</b> <img src=x onerror=alert(1)> '
    "**Tom** [link](javascript:alert(1)) $\\frac{1}{0}$ \\end{array} }{ <!--"
)
HOSTILE_TEXT = {
    "empty": "",
    "whitespace": " \t\n   \u00a0\u3000 \r\n",
    "invisible characters only": "\u200b\u200b\u2060\u200e\ufeff\u00ad",
    "10,000 characters": ("Sherlock Holmes met John Watson in London. " * 240)[:10_000],
    "emoji": "😀 I loved it 👍🏽 👨‍👩‍👧 🇫🇷 Paris! 🎉🎉🎉",
    "CJK": "我们去散步好吗？ 東京タワーに行きました。 서울에서 만나요",
    "right-to-left": "مرحبا بالعالم Tom met Eliza שלום עולם",
    "control characters": "Tom\x00met\x07Eliza\x1b[31m in\u200b Paris\u202e.\ufeff\x08\x7f\r\n\x0c",
    "markup and script": MARKUP,
}
# Raw fragments of MARKUP that must never reach a page as markup: as HTML (st.html, markdown with HTML
# allowed), as a Plotly label (Plotly reads a subset of HTML) or as an active markdown link.
RAW_HTML = [re.compile(p, re.IGNORECASE) for p in (r"<script", r"<b id=", r"<img src=x", r"onerror=alert")]
RAW_MARKDOWN = ["](javascript:", "<script"]
# Numbers past every control's limits: what a crafted message or a hand-edited URL can carry.
HOSTILE_NUMBERS = [10**12, -(10**12), 1e308]
HOSTILE_QUERY_NUMBERS = ["99999999999999", "-5", "1e309", "-inf", "nan", "abc", "", "<script>alert(1)</script>"]
HOSTILE_QUERY_TEXTS = ["10,000 characters", "control characters", "markup and script"]
TEXT_TYPES = ("text_area", "text_input")
NUMBER_TYPES = ("number_input", "slider")
CHOICE_TYPES = ("segmented_control", "radio", "selectbox", "toggle", "select_slider", "multiselect", "pills")


@dataclass(frozen=True)
class Spec:
    """What a page needs beyond discovery."""

    reveal: dict = field(default_factory=dict)  # widget key -> value that shows the page's other controls
    query_numbers: tuple[str, ...] = ()  # numeric URL parameters the page reads itself (not widget keys)
    quiet_when_blank: tuple[str, ...] = ()  # text areas that may be left blank while another box has text


SPECS = {
    "forward_pass": Spec(reveal={"fp_a0": "random"}),  # the seed box shows only for a random a<0>
    "language_model": Spec(quiet_when_blank=("lm_text",)),  # the second sentence is still scored
    "gradients": Spec(reveal={"grad_source": "At initialisation"}),  # n_a, radius, b_f, seed
    "compare": Spec(query_numbers=("cmp_distance", "cmp_epochs", "cmp_hidden", "cmp_batch", "cmp_seed")),
}


def page_file(app_page: AppPage) -> str:
    """The default page draws links to the other pages, which only resolve when app.py runs it."""
    return str(APP if app_page.default else app_page.file)


def fresh(app_page: AppPage, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(page_file(app_page), default_timeout=APPTEST_TIMEOUT)
    at.query_params.update(query or {})
    return at


def widgets(at: AppTest, types: tuple[str, ...]) -> list:
    return [w for kind in types for w in at.get(kind) if getattr(w, "key", None)]


def widget(at: AppTest, key: str):
    for kind in (*TEXT_TYPES, *NUMBER_TYPES, *CHOICE_TYPES):
        for w in at.get(kind):
            if getattr(w, "key", None) == key:
                return w
    raise KeyError(key)


def revealed(app_page: AppPage) -> AppTest:
    """The page run once, then with SPECS' reveal settings applied."""
    at = fresh(app_page).run()
    reveal = SPECS.get(app_page.url_path, Spec()).reveal
    for key, value in reveal.items():
        widget(at, key).set_value(value)
    return at.run() if reveal else at


# -- what a run must satisfy ---------------------------------------------------------------------------


def exception_text(at: AppTest) -> str | None:
    if not at.exception:
        return None
    return "\n".join(f"{e.message}\n{''.join(e.stack_trace)[-1500:]}" for e in at.exception)


def markup_leaks(at: AppTest) -> list[str]:
    """Raw user markup that the browser would render: in HTML, in Plotly labels, as a markdown link."""
    leaks = []
    for element in at.get("html"):
        body = element.proto.body
        leaks += [f"st.html: {p.pattern}" for p in RAW_HTML if p.search(body)]
    for kind in ("markdown", "caption", "warning", "info", "error", "success"):
        for element in at.get(kind):
            body = element.proto.body
            if getattr(element.proto, "allow_html", False):
                leaks += [f"{kind} with HTML allowed: {p.pattern}" for p in RAW_HTML if p.search(body)]
            leaks += [f"{kind}: {fragment}" for fragment in RAW_MARKDOWN if fragment in body]
    for element in at.get("plotly_chart"):
        spec = element.proto.spec
        leaks += [f"Plotly figure: {p.pattern}" for p in RAW_HTML if p.search(spec)]
    return leaks


def messages(at: AppTest) -> list[str]:
    return [m.value for kind in ("warning", "info", "error") for m in at.get(kind)]


def in_range(w) -> bool:
    value = w.value
    values = value if isinstance(value, (list, tuple)) else [value]
    low, high = getattr(w, "min", None), getattr(w, "max", None)
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return False
        if (low is not None and v < low) or (high is not None and v > high):
            return False
    return True


class Findings:
    def __init__(self, app_page: AppPage):
        self.name = app_page.url_path or "home"
        self.problems: list[str] = []

    def check(self, at: AppTest, how: str, needs_message: bool = False) -> None:
        error = exception_text(at)
        if error:
            self.problems.append(f"[{self.name}] {how}: EXCEPTION\n{error}")
            return
        leaks = markup_leaks(at)
        if leaks:
            self.problems.append(f"[{self.name}] {how}: user markup reaches the page: {sorted(set(leaks))}")
        if needs_message and not messages(at):
            self.problems.append(f"[{self.name}] {how}: no message on screen")

    def __bool__(self) -> bool:
        return bool(self.problems)

    def report(self) -> str:
        return "\n\n".join(self.problems)


def ids(pages: list[AppPage]) -> list[str]:
    return [p.url_path or "home" for p in pages]


# -- the tests -----------------------------------------------------------------------------------------


def test_pages_come_from_app_py():
    assert PAGES and all(p.file.is_file() for p in PAGES), [p.path for p in PAGES if not p.file.is_file()]
    assert set(SPECS) <= {p.url_path for p in PAGES}, "SPECS names a page that app.py no longer has"


@pytest.mark.parametrize("app_page", PAGES, ids=ids(PAGES))
def test_hostile_text_in_every_box(app_page: AppPage):
    """Each box gets each value in turn (the others keep theirs), through the widget as a browser sends it."""
    at = revealed(app_page)
    findings = Findings(app_page)
    findings.check(at, "first run")
    boxes = [(w.type, w.key, w.max_chars) for w in widgets(at, TEXT_TYPES)]
    quiet = SPECS.get(app_page.url_path, Spec()).quiet_when_blank
    for kind, key, max_chars in boxes:
        for name, text in HOSTILE_TEXT.items():
            widget(at, key).set_value(text)
            at.run()
            # An empty main text box says what to do; a text beyond the box's limit says it was cut.
            blank = not strip_invisible(text).strip() and kind == "text_area" and key not in quiet
            too_long = bool(max_chars) and len(text) > max_chars
            findings.check(at, f"{key} = {name}", needs_message=blank or too_long)
            if not at.exception and too_long:
                assert len(widget(at, key).value) <= max_chars, f"{key}: the server kept {name}"
    assert not findings, findings.report()


@pytest.mark.parametrize("app_page", PAGES, ids=ids(PAGES))
def test_hostile_text_in_the_url(app_page: AppPage):
    """A shared link can carry anything: every text parameter at once, for the worst values."""
    keys = [w.key for w in widgets(revealed(app_page), TEXT_TYPES)]
    if not keys:
        pytest.skip("no text box on this page")
    findings = Findings(app_page)
    for name in HOSTILE_QUERY_TEXTS:
        at = fresh(app_page, {key: HOSTILE_TEXT[name] for key in keys}).run()
        findings.check(at, f"URL {keys} = {name}", needs_message=name == "10,000 characters")
    assert not findings, findings.report()


@pytest.mark.parametrize("app_page", PAGES, ids=ids(PAGES))
def test_numbers_past_every_control(app_page: AppPage):
    """Out-of-range numbers sent as the widget's value, then put in session state: clamped or refused."""
    at = revealed(app_page)
    controls = [(w.key, w.type) for w in widgets(at, NUMBER_TYPES)]
    if not controls:
        pytest.skip("no numeric control on this page")
    findings = Findings(app_page)
    for key, kind in controls:
        for number in HOSTILE_NUMBERS:
            control = widget(at, key)
            integral = isinstance(control.min, int) and isinstance(control.max, int)
            value = int(number) if integral and abs(number) < 2**62 else number
            if integral and not isinstance(value, int):
                continue  # an integer control's message cannot carry 1e308
            control.set_value([value] if isinstance(control.value, list) else value)
            at.run()
            findings.check(at, f"{kind} {key} = {value:g}")
            if not at.exception and not in_range(widget(at, key)) and not messages(at):
                findings.problems.append(f"[{findings.name}] {key} = {value:g}: kept out of range, no message")
    for key, _kind in controls:
        at.session_state[key] = 10**12
        at.run()
        findings.check(at, f"session_state[{key}] = 10**12")
        if not at.exception and not in_range(widget(at, key)) and not messages(at):
            findings.problems.append(f"[{findings.name}] session_state[{key}] = 10**12: kept, no message")
    assert not findings, findings.report()


@pytest.mark.parametrize("app_page", PAGES, ids=ids(PAGES))
def test_hostile_numbers_and_choices_in_the_url(app_page: AppPage):
    """Every numeric and choice parameter at once: numbers out of range or not numbers at all."""
    at = revealed(app_page)
    numeric = [w.key for w in widgets(at, NUMBER_TYPES)] + list(SPECS.get(app_page.url_path, Spec()).query_numbers)
    choices = [w.key for w in widgets(at, CHOICE_TYPES)]
    if not numeric and not choices:
        pytest.skip("no numeric or choice control on this page")
    findings = Findings(app_page)
    reveal = SPECS.get(app_page.url_path, Spec()).reveal
    for raw in HOSTILE_QUERY_NUMBERS:
        query = {key: raw for key in numeric + choices}
        query.update({key: value for key, value in reveal.items() if key in query and key not in numeric})
        run = fresh(app_page, query).run()
        findings.check(run, f"URL {sorted(query)} = {raw!r}")
        for w in widgets(run, NUMBER_TYPES):
            if not run.exception and not in_range(w) and not messages(run):
                findings.problems.append(f"[{findings.name}] URL {w.key} = {raw!r}: out of range, no message")
    assert not findings, findings.report()


def _leaky_page() -> None:
    import streamlit as st

    text = st.text_input("text", key="text")
    st.html(f"<div>{text}</div>")  # what the pages must never do


def test_the_markup_check_catches_a_leak():
    """The checks above are not vacuous: a page that puts user text into st.html is caught."""
    at = AppTest.from_function(_leaky_page, default_timeout=APPTEST_TIMEOUT).run()
    at.text_input(key="text").set_value(MARKUP).run()
    assert not at.exception
    assert "st.html: <script" in markup_leaks(at)
