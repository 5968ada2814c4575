"""Projector mode: a page readable from the back row of a lecture hall, for one session only.

One switch in the sidebar, and ``?projector=on`` in any lesson's URL (a lecturer can bookmark it). The
choice lives in the visitor's ``st.session_state`` and is written back into the URL on every run, so it
survives a page switch (Streamlit's navigation drops query parameters that no widget of the new page
binds) and another visitor's session is never touched. When it is on:

- body text is 1.5x its size (the root font size, which every Streamlit rem follows), figure fonts 1.5x
  and Plotly lines thicker (:func:`style_figure`, applied by ``ui.figures.chart``);
- the sidebar starts collapsed;
- the controls a lesson does not need while it is being explained sit in an expander
  (:func:`secondary`).

The same URL-and-session flag backs the lessons' "guess first" switch (``ui.guess``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import plotly.graph_objects as go
import streamlit as st

PARAM = "projector"
SCALE = 1.5  # body and figure fonts, relative to the normal page
LINE_SCALE = 2.0  # Plotly line widths
BASE_FONT_PX = 16  # Streamlit's root font size; 1 rem
FIGURE_FONT_PX = 12  # Plotly's default font size
ON_WORDS = frozenset({"on", "true", "1", "yes"})
OFF_WORDS = frozenset({"off", "false", "0", "no"})

CSS = f"""
<style>
  /* Streamlit sizes its text, widgets and spacing in rem: one root size scales them together. */
  html {{ font-size: {BASE_FONT_PX * SCALE:.0f}px !important; }}
  [data-testid="stMain"] {{ line-height: 1.45; }}
  /* Long formulas and wide SVG diagrams scroll in their own box rather than widen the page. */
  [data-testid="stMain"] .katex-display {{ overflow-x: auto; overflow-y: hidden; }}
</style>
"""


# -- a flag kept in the session and in the URL --------------------------------------------------------


def _state_key(param: str) -> str:
    return f"_flag_{param}"


def flag(param: str) -> bool:
    """The session's value of the on/off flag ``param``; ``?param=on`` (or off) in the URL sets it."""
    raw = st.query_params.get(param)
    if raw is not None:
        word = str(raw).strip().lower()
        if word in ON_WORDS:
            st.session_state[_state_key(param)] = True
        elif word in OFF_WORDS:
            st.session_state[_state_key(param)] = False
    return bool(st.session_state.get(_state_key(param), False))


def _write_url(param: str, on: bool) -> None:
    if on:
        if st.query_params.get(param) != "on":
            st.query_params[param] = "on"
    elif param in st.query_params:
        del st.query_params[param]


def _toggled(param: str, widget_key: str) -> None:
    on = bool(st.session_state[widget_key])
    st.session_state[_state_key(param)] = on
    _write_url(param, on)


def flag_toggle(param: str, label: str, help: str, container=None) -> bool:
    """A toggle for the flag ``param``, drawn in ``container`` (default: where the caller is); returns it.

    The URL is read first (a link wins), the toggle shows the session's value, and the URL is written back
    so that the address bar always says what the page shows.
    """
    on = flag(param)
    widget_key = f"{param}_toggle"
    st.session_state[widget_key] = on  # before the widget exists: the toggle follows the URL and the session
    (container or st).toggle(label, key=widget_key, help=help, on_change=_toggled, args=(param, widget_key))
    _write_url(param, on)
    return on


# -- projector mode -----------------------------------------------------------------------------------


def is_on() -> bool:
    return flag(PARAM)


def sidebar_switch() -> bool:
    """The sidebar's switch; when on, the page's styles and a collapsed sidebar. Called by the shell on
    every page, before the page runs."""
    on = flag_toggle(PARAM, "Projector mode", container=st.sidebar,
                     help="Larger text and figures, thicker lines, fewer controls, for a lecture hall. Only "
                          "your own session changes; the address gets ?projector=on so you can bookmark it.")
    if on:
        st.set_page_config(initial_sidebar_state="collapsed")
        st.html(CSS)
    return on


@contextlib.contextmanager
def secondary(label: str = "More controls") -> Iterator[None]:
    """Controls a lesson can do without while it is explained: in an expander in projector mode, else in
    place. Widgets keep their keys (and so their values) either way."""
    if is_on():
        with st.expander(label, icon=":material/tune:"):
            yield
    else:
        yield


def _scaled(size: float | None, default: float = FIGURE_FONT_PX) -> float:
    return round((size or default) * SCALE, 1)


def style_figure(figure: go.Figure) -> go.Figure:
    """The figure for a projector: every font 1.5x, lines and outlines thicker, margins that grow with
    the labels (Plotly's automargin) so that nothing is clipped, and a little more height."""
    layout = figure.layout
    figure.update_layout(font_size=_scaled(layout.font.size), legend_font_size=_scaled(layout.legend.font.size),
                         hoverlabel_font_size=_scaled(layout.hoverlabel.font.size))
    if layout.title.text:
        figure.update_layout(title_font_size=_scaled(layout.title.font.size, 17))
    if layout.height:
        figure.update_layout(height=int(layout.height * 1.25))
    figure.update_xaxes(automargin=True, tickfont_size=_scaled(None), title_font_size=_scaled(None))
    figure.update_yaxes(automargin=True, tickfont_size=_scaled(None), title_font_size=_scaled(None))
    for trace in figure.data:
        if trace.type == "scatter":
            mode = trace.mode or "lines"
            if "lines" in mode:
                trace.line.width = (trace.line.width or 2) * LINE_SCALE
            if "markers" in mode and trace.marker.size is not None and not isinstance(trace.marker.size, tuple):
                trace.marker.size = trace.marker.size * 1.3
            if "text" in mode:
                trace.textfont.size = _scaled(trace.textfont.size)
        if getattr(trace, "colorbar", None) is not None and trace.type in ("heatmap",):
            trace.colorbar.tickfont.size = _scaled(None)
    for shape in layout.shapes or ():
        if shape.line is not None:
            shape.line.width = (shape.line.width or 1) * LINE_SCALE
    for annotation in layout.annotations or ():
        annotation.font.size = _scaled(annotation.font.size)
    return figure
