"""Projector mode: the sidebar switch, ?projector=on, one session's state, and the figures it restyles.

The browser half (computed font sizes on every lesson, no horizontal scroll, screenshots) is
tests/browser/test_projector_browser.py.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import pytest

from tests.conftest import make_app_test
from ui import figures, palette, projector

APP = "app.py"


def css_blocks(at) -> list[str]:
    return [h.proto.body for h in at.get("html") if "font-size" in h.proto.body and "<style>" in h.proto.body]


def switch(at):
    return next(t for t in at.sidebar.toggle if t.label == "Projector mode")


def chart_layouts(at) -> list[dict]:
    return [json.loads(chart.proto.spec)["layout"] for chart in at.get("plotly_chart")]


def test_style_figure_scales_fonts_lines_and_height():
    figure = go.Figure([go.Scatter(x=[1, 2], y=[3, 4], mode="lines+markers", line=dict(width=2.5),
                                   marker=dict(size=8)),
                        go.Scatter(x=[1, 2], y=[1, 1], mode="lines")])
    figure.add_hline(y=0.5, line_width=1)
    figure.update_layout(height=300, font_size=14)
    projector.style_figure(figure)
    assert figure.layout.font.size == pytest.approx(21)  # 14 x 1.5
    assert figure.layout.legend.font.size == pytest.approx(18)  # Plotly's 12 x 1.5
    assert figure.layout.xaxis.tickfont.size == pytest.approx(18) and figure.layout.xaxis.automargin
    assert [t.line.width for t in figure.data] == [5.0, 4.0]  # 2.5 and Plotly's 2, doubled
    assert figure.data[0].marker.size == pytest.approx(10.4)
    assert figure.layout.shapes[0].line.width == 2
    assert figure.layout.height == 375


def test_the_url_turns_it_on_and_the_page_says_so():
    at = make_app_test(APP, {"projector": "on"})
    assert not at.exception
    assert switch(at).value is True
    assert at.query_params["projector"] == ["on"] or at.query_params["projector"] == "on"
    (css,) = css_blocks(at)
    assert "font-size: 24px" in css  # 16 px x 1.5


def test_off_by_default_and_another_session_stays_off():
    on = make_app_test(APP, {"projector": "on"})
    assert switch(on).value is True
    other = make_app_test(APP)  # a second visitor: its own session
    assert switch(other).value is False
    assert css_blocks(other) == []
    assert "projector" not in other.query_params


def test_the_switch_writes_the_url_and_survives_a_page_switch():
    at = make_app_test(APP)
    switch(at).set_value(True).run()
    assert css_blocks(at) and at.query_params.get("projector") in ("on", ["on"])
    at.switch_page("lessons/sentiment.py").run()
    assert not at.exception
    assert switch(at).value is True and css_blocks(at)
    assert at.query_params.get("projector") in ("on", ["on"])  # written back after the switch
    switch(at).set_value(False).run()
    assert css_blocks(at) == [] and "projector" not in at.query_params


def test_a_lesson_run_on_its_own_scales_its_figures():
    """Figures read the flag themselves, so a lesson run alone (as AppTest does) is styled too."""
    plain = chart_layouts(make_app_test("lessons/sentiment.py"))
    big = chart_layouts(make_app_test("lessons/sentiment.py", {"projector": "on"}))
    assert plain and len(plain) == len(big)
    for normal, projected in zip(plain, big, strict=True):
        assert projected["font"]["size"] >= 1.5 * normal.get("font", {}).get("size", projector.FIGURE_FONT_PX)
        assert projected["colorway"] == palette.SERIES


def test_chart_refuses_a_figure_without_an_alternative():
    with pytest.raises(ValueError, match="text alternative"):
        figures.chart(go.Figure(), "  ")
