"""Named-entity views: the sentence with its entities highlighted, and Plotly figures of the tag outputs.

Every token is html-escaped before it becomes HTML or a Plotly label (Plotly reads a subset of HTML);
time steps are written x⟨t⟩ with Unicode angle brackets, never "<" and ">".
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from rnncore.explain.entities import ENTITY_TYPES, entities
from ui import palette

ENTITY_COLOURS = palette.ENTITY
_NO_SPACE_BEFORE = {".", ",", "!", "?", ";", ":", ")", "]", "}", "'s", "%"}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}


def _joins_previous(previous: str | None, token: str) -> bool:
    return previous is None or token in _NO_SPACE_BEFORE or previous in _NO_SPACE_AFTER


def highlighted_html(tokens: Sequence[str], labels: Sequence[str]) -> str:
    """The sentence rebuilt from its tokens, each entity in a coloured <mark> with its type after it.

    ``data-type``, ``data-start`` and ``data-end`` (0-based, end exclusive) on each mark name the
    entity for tests and for screen readers' users who inspect it; every token is escaped.
    """
    starts = {e.start: e for e in entities(tokens, labels)}
    parts: list[str] = []
    previous: str | None = None
    t = 0
    while t < len(tokens):
        space = "" if _joins_previous(previous, tokens[t]) else " "
        entity = starts.get(t)
        if entity is None:
            parts.append(space + html.escape(tokens[t]))
            previous, t = tokens[t], t + 1
            continue
        words = ""
        for k in range(entity.start, entity.end):
            words += ("" if k == entity.start or _joins_previous(tokens[k - 1], tokens[k]) else " ") + html.escape(
                tokens[k]
            )
        colour = ENTITY_COLOURS.get(entity.type, palette.MUTED)
        parts.append(
            f'{space}<mark class="entity" data-type="{entity.type}" data-start="{entity.start}" '
            f'data-end="{entity.end}" style="background:{colour}22;border:1px solid {colour};border-radius:5px;'
            f'padding:1px 4px;color:inherit">{words}<span style="font-size:0.7em;font-weight:700;'
            f'color:{colour};margin-left:4px">{entity.type}</span></mark>'
        )
        previous, t = tokens[entity.end - 1], entity.end
    return f'<div class="ner-sentence" style="font-size:1.15em;line-height:2.1">{"".join(parts)}</div>'


def legend_html(labels: Sequence[str]) -> str:
    """The entity types the model tags (read from its labels), each in its colour."""
    types = {label[2:] for label in labels if label != "O"}
    chips = [
        f'<span style="border:1px solid {colour};background:{colour}22;border-radius:5px;padding:0 6px;'
        f'margin-right:8px"><b style="color:{colour}">{kind}</b> {ENTITY_TYPES[kind]}</span>'
        for kind, colour in ENTITY_COLOURS.items() if kind in types
    ]
    return f'<div class="ner-legend" style="font-size:0.85em">{"".join(chips)}</div>'


def step_labels(tokens: Sequence[str]) -> list[str]:
    return [f"x⟨{t}⟩ {html.escape(token)}" for t, token in enumerate(tokens, start=1)]


def tag_probability_heatmap(tokens: Sequence[str], probs: Sequence[Sequence[float]], labels: Sequence[str],
                            chosen: Sequence[str]) -> go.Figure:
    """y_hat<t> for every token: one row per x<t>, one column per tag; the chosen tag is outlined."""
    z = [list(row) for row in probs]  # (T_x, n_y)
    text = [[f"{p:.0%}" if p >= 0.005 else "" for p in row] for row in z]
    hover = [
        [f"x⟨{t + 1}⟩ {html.escape(tokens[t])}<br>P({label}) = {z[t][k]:.3f}" for k, label in enumerate(labels)]
        for t in range(len(tokens))
    ]
    figure = go.Figure(
        go.Heatmap(
            z=z, x=list(labels), y=step_labels(tokens), text=text, texttemplate="%{text}", customdata=hover,
            hovertemplate="%{customdata}<extra></extra>", colorscale=palette.SEQUENTIAL, zmin=0, zmax=1,
            colorbar=dict(title="P", thickness=12),
        )
    )
    # One trace of open squares, not a shape per cell: Plotly adds shapes one by one (seconds for 300 tokens).
    figure.add_scatter(x=list(chosen), y=step_labels(tokens), mode="markers", hoverinfo="skip", showlegend=False,
                       marker=dict(symbol="square-open", size=24, color=palette.CONTRAST, line=dict(width=2)))
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(side="top")
    figure.update_layout(height=min(900, 120 + 28 * len(tokens)), margin=dict(l=10, r=10, t=40, b=10))
    return figure


def name_probability_figure(tokens: Sequence[str], series: Mapping[str, Sequence[float]]) -> go.Figure:
    """P(y<t> = 1), "part of a name", per token, one bar group per model."""
    colours = [palette.FAINT, *palette.SERIES[:3]]
    figure = go.Figure()
    for (name, values), colour in zip(series.items(), colours, strict=False):
        figure.add_bar(x=step_labels(tokens), y=list(values), name=name, marker_color=colour,
                       hovertemplate="%{x}<br>P(part of a name) = %{y:.3f}<extra>" + html.escape(name) + "</extra>")
    figure.add_hline(y=0.5, line_dash="dot", line_color=palette.RULE)
    figure.update_yaxes(range=[0, 1], title_text="P(y⟨t⟩ = 1)", tickformat=".0%")
    figure.update_layout(barmode="group", height=340, margin=dict(l=10, r=10, t=30, b=10),
                         legend=dict(orientation="h", y=1.12))
    return figure
