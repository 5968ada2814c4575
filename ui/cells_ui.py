"""Widgets and figures of the "Inside the cells" lessons: the shipped models, the sentence, the time
step, vectors in LaTeX, and the Plotly heatmaps, trajectory and bar charts.

The maths lives in :mod:`rnncore.explain` (inputs, forward, gates, bidirectional); this module only lays numbers out. User text reaches
Plotly escaped (Plotly reads a subset of HTML in labels) and LaTeX through ``latex_text``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st
import torch

from rnncore.text import tokenize
from ui import figures, models_ui, palette, text_ui

MAX_STEPS = 60
"""Longest sentence (in tokens) these lessons unroll; longer ones are cut, with a note on screen."""
PLOT_CONFIG = {"displaylogo": False}
HEAD = 3  # entries shown at the top of a shortened vector, before the dots and the last entry


# -- the shipped models ------------------------------------------------------------------------------


def shipped_model(stem: str, train_command: str):
    """The shipped checkpoint ``stem``, or None with a note on how to build it when it is missing.

    The file check stays outside the cache, so that a checkpoint added later is picked up.
    """
    if not models_ui.is_shipped(stem):
        st.warning(
            f"The trained model `{stem}` is not shipped with this copy of the app yet. "
            f"Build it with `{train_command}`, then reload the page.",
            icon=":material/hourglass_empty:",
        )
        return None
    return models_ui.shipped_model(stem)


def link_to_page(page: str, label: str, icon: str, query_params: dict[str, str] | None = None) -> None:
    """st.page_link, or a plain URL link when ``page`` is not in the app's navigation (a page run on its
    own, as AppTest does, knows no other page)."""
    from streamlit.errors import StreamlitPageNotFoundError

    try:
        st.page_link(page, label=label, icon=icon, query_params=query_params)
    except StreamlitPageNotFoundError:
        from urllib.parse import quote, urlencode

        url = quote(page.removeprefix("lessons/").removesuffix(".py"))
        if query_params:
            url += "?" + urlencode(query_params)
        st.markdown(f"[{label.replace('[', '(').replace(']', ')')}](<{url}>)")


# -- the sentence and the time step ---------------------------------------------------------------


@dataclass(frozen=True)
class Tokens:
    tokens: list[str]  # what the lesson unrolls: at most MAX_STEPS
    total: int  # tokens in the (character-clamped) text

    @property
    def was_cut(self) -> bool:
        return self.total > len(self.tokens)


def clamp_tokens(tokens: Sequence[str], limit: int = MAX_STEPS) -> Tokens:
    return Tokens(list(tokens[:limit]), len(tokens))


def sentence_tokens(key: str, examples: Sequence[str]) -> Tokens | None:
    """The text box with the notes' examples, tokenised; None (with a hint) when there is nothing to read.

    Text is cut to text_ui.MAX_TEXT_CHARS characters, and the tokens to MAX_STEPS, in Python too.
    """
    sentence = text_ui.sentence_input(key, examples)
    if not sentence.text:
        st.info("Type a sentence above, or click one of the examples.", icon=":material/edit:")
        return None
    clamped = clamp_tokens(tokenize(sentence.text))
    if not clamped.tokens:
        st.info("The text holds no tokens the model can read: type a few words.", icon=":material/edit:")
        return None
    if clamped.was_cut:
        st.warning(
            f"The sentence has {clamped.total} tokens; this lesson unrolls the first {MAX_STEPS} "
            f"(T_x = {MAX_STEPS}), so that every step stays readable.",
            icon=":material/content_cut:",
        )
    return clamped


def time_step(key: str, tokens: Sequence[str], label: str = "Time step t") -> int:
    """A slider over t = 1..T_x with previous/next buttons; the step is kept in the URL under ``key``.

    A step beyond the sentence (after the text got shorter) is brought back to T_x before the slider
    is drawn; a one-token sentence has only t = 1 and no slider.
    """
    T_x = len(tokens)
    if T_x == 1:
        st.session_state.pop(key, None)
        st.caption("The sentence has one token: t = 1 is the only step.")
        return 1
    current = st.session_state.get(key)
    if isinstance(current, int) and not 1 <= current <= T_x:
        st.session_state[key] = min(max(current, 1), T_x)

    def move(delta: int) -> None:
        st.session_state[key] = min(max(int(st.session_state.get(key, 1)) + delta, 1), T_x)

    back, slider, forward = st.columns([1.4, 7, 1.4], vertical_alignment="bottom")
    back.button("◀ t − 1", key=f"{key}_prev", on_click=move, args=(-1,), width="stretch")
    forward.button("t + 1 ▶", key=f"{key}_next", on_click=move, args=(1,), width="stretch")
    t = slider.slider(
        label,
        min_value=1,
        max_value=T_x,
        key=key,
        bind="query-params",
        format="t = %d",
        help="Drag, or use the buttons, to move the forward pass one step at a time.",
    )
    return int(min(max(int(t), 1), T_x))


def window_caption(T_x: int, t: int) -> None:
    """Say which steps a long sentence's diagram shows."""
    from ui.diagrams import visible_steps

    lo, hi = visible_steps(T_x, t)
    if (lo, hi) != (1, T_x):
        st.caption(f"Steps {lo} to {hi} of {T_x} are drawn; the window follows t.")


def step_caption(t: int, tokens: Sequence[str]) -> str:
    """'x⟨t⟩ = "token"' for captions (markdown-safe: the token goes inside code backticks)."""
    token = tokens[t - 1].replace("`", "'")
    return f"x⟨{t}⟩ = `{token}`"


# -- numbers in LaTeX ---------------------------------------------------------------------------------


def fmt(value: float, digits: int = 3) -> str:
    """A number with fixed digits; a negative number that rounds to zero loses its sign."""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def sci(value: float) -> str:
    """A small non-negative number in LaTeX scientific notation: 0, or 2.4 \\times 10^{-7}."""
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.1e}".split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


def signed_sum(values: Sequence[float], names: Sequence[str], digits: int = 3) -> str:
    """LaTeX for a sum of named terms, each under its number: 0.107 + 0.184 − 0.031 (never "+ −")."""
    parts = []
    for k, (value, name) in enumerate(zip(values, names, strict=True)):
        number = rf"\underset{{{name}}}{{{fmt(abs(value), digits)}}}"
        sign = ("-" if value < 0 else "") if k == 0 else ("-" if value < 0 else "+")
        parts.append(f"{sign} {number}".strip())
    return " ".join(parts)


def column_latex(vector: torch.Tensor | Sequence[float], head: int = HEAD, digits: int = 3) -> str:
    """A column vector as a bmatrix, shortened to its first ``head`` entries, dots and the last entry."""
    values = [float(v) for v in vector]
    if len(values) <= head + 2:
        rows = [fmt(v, digits) for v in values]
    else:
        rows = [fmt(v, digits) for v in values[:head]] + [r"\vdots", fmt(values[-1], digits)]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"




# -- figures -------------------------------------------------------------------------------------------


def step_labels(tokens: Sequence[str]) -> list[str]:
    """Axis labels x⟨t⟩ token, escaped for Plotly."""
    return [f"{t}·{html.escape(token[:14])}" for t, token in enumerate(tokens, start=1)]


def heatmap(values: torch.Tensor, tokens: Sequence[str], current: int, name: str, zmin: float, zmax: float,
            colorscale: list | str = palette.DIVERGING, height: int = 330) -> go.Figure:
    """values (T_x, n) as a heatmap: tokens along x (time), units 1..n along y; step ``current`` framed."""
    T_x, n = values.shape
    z = values.T.tolist()  # (n, T_x): one row per unit
    cells = dict(type="heatmap", z=z, x=list(range(1, T_x + 1)), y=list(range(1, n + 1)), zmin=zmin, zmax=zmax,
                 colorscale=colorscale, colorbar=dict(thickness=10, len=0.9),
                 hovertemplate=f"{name}⟨%{{x}}⟩, unit %{{y}}: %{{z:.4f}}<extra></extra>")
    frame = dict(type="rect", x0=current - 0.5, x1=current + 0.5, y0=0.5, y1=n + 0.5,
                 line=dict(color=palette.HIGHLIGHT, width=3))
    layout = dict(shapes=[frame], height=height, margin=dict(l=10, r=10, t=10, b=10),
                  xaxis=dict(tickmode="array", tickvals=list(range(1, T_x + 1)), ticktext=step_labels(tokens),
                             tickangle=-45 if T_x > 8 else 0),
                  yaxis=dict(title=dict(text="unit"), autorange="reversed"))
    return figures.from_spec([cells], layout)


def trajectory(coords: torch.Tensor, tokens: Sequence[str], current: int, explained: Sequence[float]) -> go.Figure:
    """The states a⟨1⟩..a⟨T_x⟩ as a path in their first two principal axes, a⟨current⟩ marked."""
    xs, ys = coords[:, 0].tolist(), coords[:, 1].tolist()
    labels = [f"{t} {html.escape(token[:12])}" for t, token in enumerate(tokens, start=1)]
    path = dict(
        type="scatter", x=xs, y=ys, mode="lines+markers+text", text=labels, textposition="top center",
        line=dict(color=palette.FAINT), marker=dict(size=8, color=list(range(1, len(xs) + 1)), colorscale=palette.SEQUENTIAL,
                                                 line=dict(width=1, color=palette.MUTED)),
        hovertemplate="a⟨%{customdata}⟩<br>PC1 %{x:.3f}, PC2 %{y:.3f}<extra></extra>",
        customdata=list(range(1, len(xs) + 1)), name="a⟨t⟩",
    )
    marked = dict(
        type="scatter", x=[xs[current - 1]], y=[ys[current - 1]], mode="markers", name=f"a⟨{current}⟩",
        marker=dict(size=18, color=palette.TRANSPARENT, line=dict(width=3, color=palette.HIGHLIGHT)), hoverinfo="skip",
    )
    layout = dict(xaxis=dict(title=dict(text=f"first principal axis ({explained[0]:.0%} of the variance)"), zeroline=False),
                  yaxis=dict(title=dict(text=f"second axis ({explained[1]:.0%})"), zeroline=False),
                  height=420, margin=dict(l=10, r=10, t=10, b=10), showlegend=False)
    return figures.from_spec([path, marked], layout)


def probability_bars(probs: torch.Tensor, labels: Sequence[str], title: str) -> go.Figure:
    values = probs.tolist()
    bars = dict(type="bar", x=values, y=[html.escape(label) for label in labels], orientation="h",
                marker=dict(color=[palette.HIGHLIGHT if v == max(values) else palette.LIGHT_BLUE for v in values]),
                hovertemplate="%{y}: %{x:.4f}<extra></extra>")
    layout = dict(xaxis=dict(range=[0, 1], title=dict(text=title)), yaxis=dict(autorange="reversed"),
                  height=60 + 24 * len(labels), margin=dict(l=10, r=10, t=10, b=10))
    return figures.from_spec([bars], layout)


def contribution_bars(from_fwd: Sequence[float], from_bwd: Sequence[float], tokens: Sequence[str],
                      tags: Sequence[str], current: int) -> go.Figure:
    """Each direction's term in the logit of the chosen tag, step by step."""
    steps = list(range(1, len(tokens) + 1))
    hover = [html.escape(tag) for tag in tags]
    bars = [
        dict(type="bar", x=steps, y=list(from_fwd), name="forward  W_y[:, fwd] a_fwd⟨t⟩",
             marker=dict(color=palette.HIGHLIGHT), customdata=hover,
             hovertemplate="t=%{x} tag %{customdata}: forward %{y:.3f}<extra></extra>"),
        dict(type="bar", x=steps, y=list(from_bwd), name="backward  W_y[:, bwd] a_bwd⟨t⟩",
             marker=dict(color=palette.CONTRAST), customdata=hover,
             hovertemplate="t=%{x} tag %{customdata}: backward %{y:.3f}<extra></extra>"),
    ]
    # add_vrect's shape: the step's column over the plot's whole height
    frame = dict(type="rect", xref="x", x0=current - 0.5, x1=current + 0.5, yref="y domain", y0=0, y1=1,
                 line=dict(color=palette.HIGHLIGHT, width=2), fillcolor=palette.TRANSPARENT)
    ticks = [f"{label}<br>{html.escape(tag)}" for label, tag in zip(step_labels(tokens), tags, strict=True)]
    layout = dict(shapes=[frame], barmode="group", height=380, margin=dict(l=10, r=10, t=30, b=10),
                  legend=dict(orientation="h", y=1.08),
                  xaxis=dict(tickmode="array", tickvals=steps, ticktext=ticks, tickangle=-45 if len(steps) > 8 else 0),
                  yaxis=dict(title=dict(text="term in the chosen tag's logit")))
    return figures.from_spec(bars, layout)
