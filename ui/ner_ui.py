"""Named-entity views: the sentence with its entities highlighted, and Plotly figures of the tag outputs.

Every token is html-escaped before it becomes HTML or a Plotly label (Plotly reads a subset of HTML);
time steps are written x⟨t⟩ with Unicode angle brackets, never "<" and ">".
"""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
import torch

from rnncore.explain.entities import ENTITY_TYPES, entities
from rnncore.tasks.ner import inference as ner_inference
from ui import figures, models_ui, palette

ENTITY_COLOURS = palette.ENTITY
_NO_SPACE_BEFORE = {".", ",", "!", "?", ";", ":", ")", "]", "}", "'s", "%"}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}


@dataclass(frozen=True)
class Tagged:
    labels: list[str]  # BIO tags, decoded over the whole sentence
    chosen_probs: list[float]  # the probability of each shown tag
    probs: torch.Tensor  # (T_x, n_y) every tag's probability
    meta: dict  # the checkpoint's JSON


def tagged(arch: str, tokens: tuple[str, ...]) -> Tagged:
    """A shipped tagger's output for one sentence, kept for the next visitor who sends the same one.

    A class opens the page on the same example and tries the same presets: the four taggers then run
    once per sentence for the whole server, not once per visitor. Callers only read the result.
    """
    stem = models_ui.stem_of("ner", arch)
    model, meta = models_ui.shipped_model(stem)  # raises, and the page says why, if the file is damaged
    return _tagged_by(model, stem, tokens)


@functools.lru_cache(maxsize=512)
def _tagged_by(model, stem: str, tokens: tuple[str, ...]) -> Tagged:
    # Keyed on the model object too: a checkpoint loaded again (the shipped cache cleared) is run again.
    meta = models_ui.shipped_model(stem)[1]
    labels, chosen_probs, probs = ner_inference.tag_tokens(model, meta, [list(tokens)])[0]
    return Tagged(labels, chosen_probs, probs, meta)


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
    steps = step_labels(tokens)
    heatmap = dict(type="heatmap", z=z, x=list(labels), y=steps, text=text, texttemplate="%{text}",
                   customdata=hover, hovertemplate="%{customdata}<extra></extra>", colorscale=palette.SEQUENTIAL,
                   zmin=0, zmax=1, colorbar=dict(title=dict(text="P"), thickness=12))
    # One trace of open squares, not a shape per cell: Plotly adds shapes one by one (seconds for 300 tokens).
    outlines = dict(type="scatter", x=list(chosen), y=steps, mode="markers", hoverinfo="skip", showlegend=False,
                    marker=dict(symbol="square-open", size=24, color=palette.CONTRAST, line=dict(width=2)))
    layout = dict(yaxis=dict(autorange="reversed"), xaxis=dict(side="top"),
                  height=min(900, 120 + 28 * len(tokens)), margin=dict(l=10, r=10, t=40, b=10))
    return figures.from_spec([heatmap, outlines], layout)


def name_probability_figure(tokens: Sequence[str], series: Mapping[str, Sequence[float]]) -> go.Figure:
    """P(y<t> = 1), "part of a name", per token, one bar group per model."""
    colours = [palette.FAINT, *palette.SERIES[:3]]
    steps = step_labels(tokens)
    bars = [
        dict(type="bar", x=steps, y=list(values), name=name, marker=dict(color=colour),
             hovertemplate="%{x}<br>P(part of a name) = %{y:.3f}<extra>" + html.escape(name) + "</extra>")
        for (name, values), colour in zip(series.items(), colours, strict=False)
    ]
    layout = dict(shapes=[figures.horizontal_rule(0.5, dash="dot")],
                  yaxis=dict(range=[0, 1], title=dict(text="P(y⟨t⟩ = 1)"), tickformat=".0%"),
                  barmode="group", height=340, margin=dict(l=10, r=10, t=30, b=10),
                  legend=dict(orientation="h", y=1.12))
    return figures.from_spec(bars, layout)
