"""Sentiment views: the star rating, P(1..5 stars), and the rating after each prefix as Plotly figures.

Tokens are html-escaped before they become Plotly labels; steps are written x⟨t⟩.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import plotly.graph_objects as go

from ui import figures, palette

STAR_COLOURS = palette.STARS  # 1 .. 5 stars
STAR_LABELS = ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"]


def star_label(stars: int) -> str:
    return STAR_LABELS[stars - 1]


def stars_html(stars: int, caption: str) -> str:
    """★★☆☆☆ with the count in words; ``data-stars`` carries the number for tests."""
    filled = "★" * stars + "☆" * (5 - stars)
    colour = STAR_COLOURS[stars - 1]
    return (
        f'<div class="stars" data-stars="{stars}" aria-label="{stars} of 5 stars" style="line-height:1.2">'
        f'<span style="font-size:2.4em;color:{colour};letter-spacing:2px">{filled}</span>'
        f'<div style="font-size:0.9em;opacity:0.75">{html.escape(caption)}</div></div>'
    )


def star_probability_figure(probs: Sequence[float], title: str = "") -> go.Figure:
    """P(1..5 stars) as five bars, the most probable one outlined."""
    best = max(range(5), key=lambda k: probs[k])
    bars = dict(
        type="bar", x=STAR_LABELS, y=list(probs),
        marker=dict(color=STAR_COLOURS, line=dict(color=[palette.INK if k == best else palette.TRANSPARENT
                                                          for k in range(5)], width=2)),
        text=[f"{p:.0%}" for p in probs], textposition="outside", hovertemplate="P(%{x}) = %{y:.3f}<extra></extra>",
    )
    layout = dict(yaxis=dict(range=[0, 1.1], tickformat=".0%", title=dict(text="probability")),
                  height=280, margin=dict(l=10, r=10, t=30 if title else 10, b=10))
    if title:
        layout["title"] = dict(text=title)
    return figures.from_spec([bars], layout)


# make_subplots(specs=[[{"secondary_y": True}]])'s axes, written out: E[stars] on a right-hand axis
# over the stacked probabilities.
_TWIN_AXES = dict(xaxis=dict(anchor="y", domain=[0.0, 0.94]), yaxis=dict(anchor="x", domain=[0.0, 1.0]),
                  yaxis2=dict(anchor="x", overlaying="y", side="right"))


def prefix_figure(tokens: Sequence[str], prefix_probs: Sequence[Sequence[float]], expected: Sequence[float],
                  turns: Sequence[int] = ()) -> go.Figure:
    """After each word t: P(k stars | x<1>..x<t>) stacked to 100 %, and E[stars] on the right axis.

    ``turns`` are the 1-based steps where the most probable rating changed; they are marked.
    """
    steps = [f"x⟨{t}⟩ {html.escape(token)}" for t, token in enumerate(tokens, start=1)]
    traces = [
        dict(type="bar", x=steps, y=[row[k] for row in prefix_probs], name=STAR_LABELS[k],
             marker=dict(color=STAR_COLOURS[k]), xaxis="x", yaxis="y",
             hovertemplate="after %{x}<br>P(" + STAR_LABELS[k] + ") = %{y:.3f}<extra></extra>")
        for k in range(5)
    ]
    traces.append(dict(
        type="scatter", x=steps, y=list(expected), name="E[stars]", mode="lines+markers",
        line=dict(color=palette.INK, width=3), xaxis="x", yaxis="y2",
        hovertemplate="after %{x}<br>E[stars] = %{y:.2f}<extra></extra>",
    ))
    if turns:  # one trace for every turn (a shape per turn would be slow on long reviews)
        traces.append(dict(
            type="scatter", x=[steps[t - 1] for t in turns], y=[expected[t - 1] for t in turns], name="rating turns",
            mode="markers", marker=dict(symbol="diamond-open", size=16, color=palette.INK, line=dict(width=2)),
            xaxis="x", yaxis="y2", hovertemplate="the rating turns at %{x}<extra></extra>",
        ))
    layout = dict(
        barmode="stack", height=380, margin=dict(l=10, r=10, t=40, b=10), legend=dict(orientation="h", y=1.15),
        bargap=0.15, xaxis=_TWIN_AXES["xaxis"],
        yaxis=_TWIN_AXES["yaxis"] | dict(range=[0, 1], tickformat=".0%", title=dict(text="P(stars)")),
        yaxis2=_TWIN_AXES["yaxis2"] | dict(range=[1, 5], dtick=1, title=dict(text="E[stars]"), showgrid=False),
    )
    return figures.from_spec(traces, layout)
