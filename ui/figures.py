"""How every lesson shows a Plotly figure: palette colours by default, projector styling when it is on,
and a short text alternative that says what the figure shows.

Plotly's SVG carries no description of its own, so the alternative is a visually hidden paragraph right
after the chart (``class="figure-alt"``, read by screen readers, found by the tests). It is built from
the lesson's own words and escaped: a visitor's token may be part of it.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go
import streamlit as st

from ui import palette, projector

PLOT_CONFIG = {"displaylogo": False}
ALT_CLASS = "figure-alt"
# Visually hidden but read aloud (the usual "sr-only" rules); it still takes no room in the page's flow.
ALT_STYLE = ("position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;"
             "clip:rect(0,0,0,0);white-space:nowrap;border:0")


def from_spec(data: list[dict], layout: dict) -> go.Figure:
    """A figure built in one step from plain trace and layout dicts.

    Plotly checks every property as it is set; one constructor call checks each once, where a figure
    grown by ``add_*`` and ``update_*`` calls walks its property paths again at every call (measured on
    the entity page: 14 ms against 4 ms for one bar chart, and these figures are drawn on every edit).
    """
    return go.Figure(data=data, layout={"colorway": palette.SERIES} | layout)


def horizontal_rule(y: float, dash: str | None = "dot", colour: str = palette.RULE, width: float | None = None) -> dict:
    """The layout shape ``Figure.add_hline`` would add: a line across the whole plot at ``y``
    (solid when ``dash`` is None, Plotly's default width when ``width`` is)."""
    return dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=y, y1=y, line=_line(dash, colour, width))


def vertical_rule(x: float, dash: str | None = "dash", colour: str = palette.RULE, width: float | None = None) -> dict:
    """The layout shape ``Figure.add_vline`` would add: a line over the plot's whole height at ``x``
    (solid when ``dash`` is None, Plotly's default width when ``width`` is)."""
    return dict(type="line", xref="x", x0=x, x1=x, yref="y domain", y0=0, y1=1, line=_line(dash, colour, width))


def _line(dash: str | None, colour: str, width: float | None) -> dict:
    return {"color": colour} | ({"dash": dash} if dash else {}) | ({"width": width} if width else {})


def horizontal_rule_label(y: float, text: str) -> dict:
    """``add_hline``'s ``annotation_text``: the label at the right end, just above the line."""
    return dict(text=text, showarrow=False, xref="x domain", x=1, xanchor="right", yref="y", y=y,
                yanchor="bottom")


def vertical_rule_label(x: float, text: str) -> dict:
    """``add_vline``'s ``annotation_text`` at ``annotation_position="bottom right"``."""
    return dict(text=text, showarrow=False, xref="x", x=x, xanchor="left", yref="y domain", y=0,
                yanchor="bottom")


def alt_html(alt: str) -> str:
    return f'<p class="{ALT_CLASS}" role="note" style="{ALT_STYLE}">Figure: {html.escape(alt)}</p>'


def chart(figure: go.Figure, alt: str, key: str | None = None, where=None, config: dict | None = None,
          **kwargs) -> None:
    """``st.plotly_chart`` (in ``where``, a column or container, default here) with its text alternative."""
    if not alt.strip():
        raise ValueError("chart: every figure needs a text alternative saying what it shows")
    if not figure.layout.colorway:
        figure.update_layout(colorway=palette.SERIES)  # a trace without a colour still takes the palette's
    if projector.is_on():
        projector.style_figure(figure)
    box = (where if where is not None else st).container()  # one box: an st.empty placeholder holds both
    box.plotly_chart(figure, config=config or PLOT_CONFIG, key=key, **kwargs)
    box.html(alt_html(alt))
