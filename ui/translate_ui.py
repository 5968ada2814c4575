"""Translation views: the encoder's states, the summary the decoder starts from, the attention weights,
each decoder step's candidates, and BLEU by source length from the checkpoints' JSON.

Figures only; the numbers come from rnncore.explain.translation and the checkpoints' JSON. Every word
(the visitor's, or one the model wrote) is html-escaped before it becomes a Plotly label.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from rnncore.explain.translation import TranslationView
from ui import figures, palette

PLOT_CONFIG = {"displaylogo": False}
SYSTEM_COLOURS = {"attention": palette.BLUE, "plain": palette.ORANGE, "word_by_word": palette.GREY}
SYSTEM_NAMES = {"attention": "GRU encoder-decoder with attention", "plain": "GRU encoder-decoder, no attention",
                "word_by_word": "word by word (IBM model 1)"}


def labels(tokens: Sequence[str], symbol: str) -> list[str]:
    """Axis labels "x⟨t⟩ word", escaped for Plotly; one per position even when two words are equal."""
    return [f"{symbol}⟨{t}⟩ {html.escape(token[:14])}" for t, token in enumerate(tokens, start=1)]


def states_figure(view: TranslationView) -> go.Figure:
    """a⟨1⟩..a⟨T_x⟩ as columns, units as rows (the forward half above the backward half)."""
    z = view.states.T  # (n_enc, T_x)
    n_enc = z.shape[0]
    rows = ([f"→ {k}" for k in range(1, view.n_a + 1)] + [f"← {k}" for k in range(1, view.n_a + 1)]
            if view.bidirectional else [str(k) for k in range(1, n_enc + 1)])
    cells = dict(type="heatmap", z=z.tolist(), x=labels(view.source_tokens, "a"), y=rows, zmin=-1, zmax=1,
                 colorscale=palette.DIVERGING, colorbar=dict(thickness=10),
                 hovertemplate="%{x}, unit %{y}: %{z:.3f}<extra></extra>")
    layout = dict(yaxis=dict(autorange="reversed", showticklabels=False, title=dict(text="units (→ forward, ← backward)")),
                  height=360, margin=dict(l=10, r=10, t=10, b=10))
    if view.bidirectional:  # a rule between the forward half and the backward half
        layout["shapes"] = [figures.horizontal_rule(view.n_a - 0.5, dash=None, colour=palette.INK, width=2)]
    return figures.from_spec([cells], layout)


def vector_figure(vectors: Mapping[str, np.ndarray]) -> go.Figure:
    """A few vectors (the summary c̄, the first decoder state s⟨0⟩) as one-row heatmaps."""
    names = list(vectors)
    width = max(len(v) for v in vectors.values())
    z = [list(v) + [None] * (width - len(v)) for v in vectors.values()]
    cells = dict(type="heatmap", z=z, y=names, zmin=-1, zmax=1, colorscale=palette.DIVERGING, colorbar=dict(thickness=10),
                 hovertemplate="%{y}, unit %{x}: %{z:.3f}<extra></extra>")
    layout = dict(xaxis=dict(title=dict(text="unit")), yaxis=dict(autorange="reversed"),
                  height=60 + 45 * len(names), margin=dict(l=10, r=10, t=10, b=10))
    return figures.from_spec([cells], layout)


def attention_figure(view: TranslationView) -> go.Figure:
    """α⟨t,t'⟩: one row per output word y⟨t⟩ (and <EOS>), one column per source word x⟨t'⟩; rows sum to 1."""
    x = labels(view.source_tokens, "x")
    y = labels(view.output_tokens, "y")
    z = view.alphas.tolist()  # (T_y + 1, T_x)
    text = [[f"{a:.2f}" if a >= 0.1 else "" for a in row] for row in z]
    cells = dict(type="heatmap", z=z, x=x, y=y, zmin=0, zmax=1, colorscale=palette.SEQUENTIAL, text=text,
                 texttemplate="%{text}", colorbar=dict(title=dict(text="α"), thickness=10),
                 hovertemplate="%{y} looks at %{x}: α = %{z:.3f}<extra></extra>")
    layout = dict(yaxis=dict(autorange="reversed"), xaxis=dict(side="top", tickangle=-30 if len(x) > 6 else 0),
                  height=min(900, 140 + 32 * len(y)), margin=dict(l=10, r=10, t=60, b=10))
    return figures.from_spec([cells], layout)


def steps_table(view: TranslationView) -> pd.DataFrame:
    """One row per decoder step: the word fed back, the word written, its probability, the candidates."""
    rows = []
    for step in view.steps:
        rows.append({
            "t": step.t,
            "input y⟨t−1⟩": step.fed,
            "written y⟨t⟩": step.written,
            "shown as": step.shown,
            "P(y⟨t⟩ | y⟨1⟩…y⟨t−1⟩, x)": step.p,
            "most probable next words": " · ".join(f"{c.token} {c.p:.2f}" for c in step.candidates),
        })
    return pd.DataFrame(rows)


def step_figure(view: TranslationView, t: int) -> go.Figure:
    """The top candidates of decoder step t as bars, the word written highlighted."""
    step = view.steps[t - 1]
    tokens = [c.token for c in step.candidates]
    colours = [palette.HIGHLIGHT if token == step.written else palette.FAINT for token in tokens]
    bars = dict(type="bar", x=[html.escape(token) for token in tokens], y=[c.p for c in step.candidates],
                marker=dict(color=colours), text=[f"{c.p:.0%}" for c in step.candidates], textposition="outside",
                hovertemplate="P(%{x}) = %{y:.3f}<extra></extra>")
    layout = dict(yaxis=dict(range=[0, 1.1], tickformat=".0%", title=dict(text=f"P(y⟨{t}⟩ | y⟨1⟩…y⟨{t - 1}⟩, x)")),
                  height=280, margin=dict(l=10, r=10, t=10, b=10))
    return figures.from_spec([bars], layout)


def length_figure(curves: Mapping[str, Mapping[str, float]], split: str) -> go.Figure:
    """BLEU for each bucket of source length, one line per system (curves: system -> bucket -> BLEU)."""
    lines = [
        dict(type="scatter", x=list(curve), y=[curve[b] for b in curve], mode="lines+markers",
             name=SYSTEM_NAMES.get(system, system),
             line=dict(color=SYSTEM_COLOURS.get(system, palette.BLACK), width=2.5,
                       dash="dot" if system == "word_by_word" else "solid"),
             marker=dict(size=8))
        for system, curve in curves.items()
    ]
    layout = dict(xaxis=dict(title=dict(text="source sentence length (English words)"), type="category"),
                  yaxis=dict(title=dict(text=f"corpus BLEU ({split} split)"), rangemode="tozero"),
                  height=340, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.3))
    return figures.from_spec(lines, layout)
