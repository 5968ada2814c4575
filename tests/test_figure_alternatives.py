"""Every figure of every lesson has a short text alternative saying what it shows (AppTest, each lesson on
its own): each Plotly chart is followed by its hidden "figure-alt" paragraph, each SVG diagram is an
image with an alt text, each time-step player an iframe with one; and no lesson draws a chart around
ui.figures.chart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.harness import app_pages
from tests.conftest import REPO_ROOT, make_app_test
from ui import figures

# the home page links other pages, which only app.py's navigation knows: it runs through app.py
LESSONS = ["app.py" if p.default else p.path for p in app_pages()]
ALT = re.compile(r'<p class="figure-alt"[^>]*>Figure: ([^<]{20,400})</p>')
SVG_IMAGE = re.compile(r'<img [^>]*src="data:image/svg\+xml;base64,[^"]+"[^>]*>')


def alternatives(at) -> list[str]:
    return [m.group(1) for h in at.get("html") for m in ALT.finditer(h.proto.body)]


@pytest.mark.parametrize("lesson", LESSONS, ids=[Path(p).stem for p in LESSONS])
def test_every_figure_has_a_text_alternative(lesson):
    at = make_app_test(lesson)
    assert not at.exception, [e.message for e in at.exception]
    charts = at.get("plotly_chart")
    alts = alternatives(at)
    assert len(alts) == len(charts), f"{len(charts)} charts, {len(alts)} alternatives"
    for h in at.get("html"):
        for image in SVG_IMAGE.findall(h.proto.body):
            alt = re.search(r'alt="([^"]*)"', image)
            assert alt and len(alt.group(1)) >= 15, image[:120]
    for frame in at.get("iframe"):
        assert len(frame.proto.alt) >= 20, "a player without its text alternative"


def test_the_lessons_with_figures_have_alternatives_at_all():
    """The check above cannot pass by drawing nothing: these lessons show charts on their first render."""
    counts = {Path(p).stem: len(alternatives(make_app_test(p))) for p in
              ("lessons/forward_pass.py", "lessons/sentiment.py", "lessons/gates.py")}
    assert all(n >= 2 for n in counts.values()), counts


def test_no_chart_is_drawn_without_ui_figures():
    offenders = [f"{path.relative_to(REPO_ROOT)}:{n}" for folder in ("lessons", "ui")
                 for path in sorted((REPO_ROOT / folder).glob("*.py")) if path.name != "figures.py"
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if "plotly_chart(" in line or "pyplot(" in line or "altair_chart(" in line]
    assert offenders == []


def test_the_alternative_is_escaped_text():
    html_text = figures.alt_html('bars for <img src=x onerror=alert(1)> & "Tom"')
    assert "<img" not in html_text and "&lt;img" in html_text and "&amp;" in html_text
