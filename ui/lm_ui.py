"""Language-model views: P(y<t> | y<1>..y<t-1>) per unit, the softmax at a sampled step, temperatures.

Every unit is html-escaped before it becomes a Plotly label or hover text; a space is drawn as "␣"
and steps are written y⟨t⟩ with Unicode angle brackets.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnncore.explain.sampling import Scientific
from rnncore.tasks.lm.recipe import CLASSROOM_PAIR
from rnncore.text import EOS
from ui import figures, palette

SERIES_COLOURS = palette.SERIES
CHOSEN_COLOUR = palette.CONTRAST
OTHER_COLOUR = palette.FAINT


def unit_label(unit: str) -> str:
    """A unit as a chart shows it: escaped, a space as ␣, the end of sequence as ⟨EOS⟩."""
    if unit == EOS:
        return "⟨EOS⟩"
    return html.escape(unit.replace(" ", "␣"))


def unit_probability_figure(series: Mapping[str, tuple[Sequence[str], Sequence[float]]]) -> go.Figure:
    """P(y<t> | y<1>..y<t-1>) at each step t, one bar group per sentence, on a log axis.

    ``series`` maps a sentence's name to (its units, <EOS> included; their probabilities).
    """
    bars = [
        dict(type="bar", x=[f"y⟨{t}⟩" for t in range(1, len(units) + 1)], y=list(probs), name=html.escape(name),
             marker=dict(color=colour), text=[unit_label(u) for u in units], textposition="outside",
             customdata=[unit_label(u) for u in units],
             hovertemplate="%{x} = %{customdata}<br>P = %{y:.3g}<extra>" + html.escape(name) + "</extra>")
        for (name, (units, probs)), colour in zip(series.items(), SERIES_COLOURS, strict=False)
    ]
    layout = dict(yaxis=dict(type="log", title=dict(text="P(y⟨t⟩ | y⟨1⟩ … y⟨t−1⟩)"), exponentformat="power"),
                  barmode="group", height=380, margin=dict(l=10, r=10, t=40, b=10),
                  legend=dict(orientation="h", y=1.15), uniformtext=dict(minsize=9, mode="hide"))
    return figures.from_spec(bars, layout)


def softmax_figure(rows: Sequence[tuple[int, str, float]], chosen_id: int, title: str = "") -> go.Figure:
    """Horizontal bars of the most probable units at one step, the sampled unit in orange."""
    bars = dict(
        type="bar", x=[p for _, _, p in rows], y=[unit_label(unit) for _, unit, _ in rows], orientation="h",
        marker=dict(color=[CHOSEN_COLOUR if i == chosen_id else OTHER_COLOUR for i, _, _ in rows]),
        text=[f"{p:.1%}" + ("  ← sampled" if i == chosen_id else "") for i, _, p in rows], textposition="outside",
        hovertemplate="%{y}: P = %{x:.4f}<extra></extra>",
    )
    layout = dict(yaxis=dict(autorange="reversed", type="category"),
                  xaxis=dict(range=[0, 1.25], tickformat=".0%", title=dict(text="probability")),
                  height=max(220, 60 + 24 * len(rows)), margin=dict(l=10, r=10, t=40 if title else 10, b=10))
    if title:
        layout["title"] = dict(text=title)
    return figures.from_spec([bars], layout)


def step_heatmap(step_units: Sequence[str], alphabet: Sequence[str], probs: Sequence[Sequence[float]],
                 chosen: Sequence[int]) -> go.Figure:
    """Every step's whole softmax (small vocabularies: characters); the sampled unit outlined.

    step_units: the unit drawn at each step; alphabet: the vocabulary columns shown; probs:
    (steps, len(alphabet)); chosen: the column index drawn at each step.
    """
    rows = [f"step {s} → {unit_label(u)}" for s, u in enumerate(step_units, start=1)]
    columns = [unit_label(u) for u in alphabet]
    cells = dict(type="heatmap", z=[list(r) for r in probs], x=columns, y=rows, colorscale=palette.SEQUENTIAL,
                 zmin=0, zmax=1, colorbar=dict(title=dict(text="P"), thickness=12),
                 hovertemplate="%{y}<br>P(%{x}) = %{z:.3f}<extra></extra>")
    outlines = dict(type="scatter", x=[columns[k] for k in chosen], y=rows, mode="markers", hoverinfo="skip",
                    showlegend=False,
                    marker=dict(symbol="square-open", size=22, color=CHOSEN_COLOUR, line=dict(width=2)))
    layout = dict(yaxis=dict(autorange="reversed", type="category"), xaxis=dict(side="top", type="category"),
                  height=min(900, 120 + 26 * len(rows)), margin=dict(l=10, r=10, t=40, b=10))
    return figures.from_spec([cells, outlines], layout)


def temperature_figure(panels: Mapping[str, Sequence[tuple[int, str, float]]], chosen_id: int | None = None) -> go.Figure:
    """The same step's softmax at several temperatures, side by side, the same units on every panel."""
    names = list(panels)
    figure = make_subplots(rows=1, cols=len(names), subplot_titles=names, shared_yaxes=True)
    for c, name in enumerate(names, start=1):
        rows = panels[name]
        figure.add_bar(
            x=[p for _, _, p in rows],
            y=[unit_label(unit) for _, unit, _ in rows],
            orientation="h",
            marker_color=[CHOSEN_COLOUR if i == chosen_id else SERIES_COLOURS[0] for i, _, _ in rows],
            hovertemplate="%{y}: P = %{x:.4f}<extra></extra>",
            showlegend=False,
            row=1,
            col=c,
        )
        figure.update_xaxes(range=[0, 1], tickformat=".0%", row=1, col=c)
    figure.update_yaxes(autorange="reversed", type="category")
    height = max(240, 80 + 22 * max(len(rows) for rows in panels.values()))
    figure.update_layout(height=height, margin=dict(l=10, r=10, t=50, b=10))
    return figure


NOTES_PAIR = dict(zip(("probable", "improbable"), CLASSROOM_PAIR, strict=True))  # the notes' speech-recognition example


def notes_pair_verdict(text_a: str, text_b: str, log_p_a: float, log_p_b: float) -> str | None:
    """Whether the shipped model agrees with the notes on their pair, from its own scores (None for other texts)."""
    typed = {" ".join(text.lower().split()): log_p for text, log_p in ((text_a, log_p_a), (text_b, log_p_b))}
    pair = {role: " ".join(text.lower().split()) for role, text in NOTES_PAIR.items()}
    if set(typed) != set(pair.values()):
        return None
    log_ratio = typed[pair["probable"]] - typed[pair["improbable"]]
    times = times_text(abs(log_ratio))
    if log_ratio > 0:
        return (f"The notes expect “pear salad” to win, and this model agrees: it finds it {times} as probable "
                "as “pair salad”. Neither sentence is in its training text.")
    return (f"The notes expect “pear salad” to win; this model does not: it finds “pair salad” {times} as "
            "probable. Neither sentence is in its training text, and real text rarely writes either salad: a "
            "model learns only what its training text shows it.")


def times_text(log_ratio: float) -> str:
    """exp(log_ratio) as "3.4 times" below a thousand, "2.1 × 10^5 times" above."""
    if log_ratio < math.log(1000):
        return f"{math.exp(log_ratio):.1f} times"
    shown = Scientific.from_log(log_ratio)
    return f"{shown.mantissa:.1f} × 10^{shown.exponent} times"
