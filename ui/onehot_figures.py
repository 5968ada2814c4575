"""Plotly figures of a sentence's one-hot matrix (T_x, V): zoomed to the columns in use, and all V columns.

Plotly reads a subset of HTML in labels and hover text, so every token is html-escaped before it
becomes one; time steps are written x⟨t⟩ (Unicode angle brackets), never with "<" and ">".
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import plotly.graph_objects as go

from ui import figures, palette

_ONE_COLOUR = palette.HIGHLIGHT
_UNK_COLOUR = palette.CONTRAST


def _step_labels(tokens: Sequence[str]) -> list[str]:
    return [f"x⟨{t}⟩ {html.escape(token)}" for t, token in enumerate(tokens, start=1)]


def _height(T_x: int) -> int:
    return min(900, 140 + 26 * T_x)


def zoomed_heatmap(tokens: Sequence[str], ids: Sequence[int], words: Sequence[str]) -> go.Figure:
    """The (T_x, V) matrix restricted to the columns that hold a 1, in vocabulary order.

    ``words[index]`` names column ``index`` (Vocab.tokens). Hover names the step, the token, the
    column's word and its index; every other column of the matrix is zero and left out.
    """
    columns = sorted(set(ids))
    position = {index: k for k, index in enumerate(columns)}
    z = [[0] * len(columns) for _ in ids]  # (T_x, K) with K distinct indices
    for t, index in enumerate(ids):
        z[t][position[index]] = 1
    column_labels = [f"{html.escape(words[c])}<br>{c:,}" for c in columns]
    hover = [
        [
            f"x⟨{t + 1}⟩ = {html.escape(tokens[t])}<br>column {c:,}: {html.escape(words[c])}<br>value {z[t][k]}"
            for k, c in enumerate(columns)
        ]
        for t in range(len(ids))
    ]
    cells = dict(type="heatmap", z=z, x=list(range(len(columns))), y=list(range(len(ids))), text=hover,
                 hovertemplate="%{text}<extra></extra>", colorscale=[[0.0, palette.INPUT_FILL], [1.0, _ONE_COLOUR]],
                 showscale=False, xgap=2, ygap=2, zmin=0, zmax=1)
    layout = dict(
        xaxis=dict(tickmode="array", tickvals=list(range(len(columns))), ticktext=column_labels, side="top", tickangle=0),
        yaxis=dict(tickmode="array", tickvals=list(range(len(ids))), ticktext=_step_labels(tokens), autorange="reversed"),
        height=_height(len(ids)) + 30, margin=dict(l=10, r=10, t=60, b=10),
    )
    return figures.from_spec([cells], layout)


def full_width_scatter(tokens: Sequence[str], ids: Sequence[int], V: int, unk_id: int) -> go.Figure:
    """All V columns: one mark per 1, drawn at (column index, t). Everything else in the box is a zero.

    A scatter of T_x points draws in milliseconds, where a heatmap of T_x * V cells would not.
    """
    marker_colours = [_UNK_COLOUR if index == unk_id else _ONE_COLOUR for index in ids]
    marks = dict(type="scatter", x=list(ids), y=list(range(len(ids))), mode="markers",
                 marker=dict(symbol="line-ns-open", size=16, line=dict(width=3, color=marker_colours)),
                 text=[html.escape(token) for token in tokens], customdata=[t + 1 for t in range(len(ids))],
                 hovertemplate="x⟨%{customdata}⟩ = %{text}<br>column %{x:,}<extra></extra>")
    layout = dict(
        xaxis=dict(range=[0.5, V + 0.5], title=dict(text=f"column (vocabulary index 1 … {V:,})"), showgrid=False),
        yaxis=dict(tickmode="array", tickvals=list(range(len(ids))), ticktext=_step_labels(tokens), autorange="reversed",
                   showgrid=False),
        height=_height(len(ids)) + 20, margin=dict(l=10, r=10, t=10, b=40), plot_bgcolor=palette.PAPER, showlegend=False,
    )
    return figures.from_spec([marks], layout)
