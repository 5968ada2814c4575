"""SVG drawings of the notes' pictures, built from the visitor's sentence: the unrolled RNN, the
bidirectional RNN, the GRU and LSTM cells with one step's values, and the four RNN architectures.

Every string that reaches the SVG goes through :func:`esc` (html.escape), so a token such as
"<script>" is drawn as text. Each drawing reaches the page as an ``<img>`` whose source is the SVG
as a base64 data URI, inside a ``<div>`` that ``st.html`` shows (never ``unsafe_allow_html``): an
image cannot run scripts, and st.html's sanitiser would strip inline SVG. The ``<div>`` carries
``data-*`` attributes (the current step, the shape) for tests; :func:`svg_of` reads the SVG back.
Time steps are written a⟨t⟩ with Unicode angle brackets, never "<" and ">".
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ui import palette

CURRENT = palette.HIGHLIGHT  # the step on screen
DONE = palette.MUTED  # steps already computed
LATER = palette.FAINT  # steps not yet computed (drawn faint)
CELL_FILL = palette.CELL_FILL
CURRENT_FILL = palette.LIGHT_BLUE
OUTPUT_FILL = palette.OUTPUT_FILL
INPUT_FILL = palette.INPUT_FILL
BACKWARD = palette.CONTRAST
FONT = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif"
MAX_TOKEN_CHARS = 11


def esc(text: object) -> str:
    """Text for SVG/HTML: every <, >, &, and quote escaped."""
    return html.escape(str(text), quote=True)


def short(token: str, limit: int = MAX_TOKEN_CHARS) -> str:
    """A token cut to ``limit`` characters with an ellipsis, so that long words fit their box."""
    return token if len(token) <= limit else token[: limit - 1] + "…"


def step_sup(name: str, t: int | str) -> str:
    return f"{name}⟨{t}⟩"


def _svg(width: float, height: float, body: str, label: str, css_class: str) -> str:
    return (
        f'<svg class="{css_class}" xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{esc(label)}" style="{FONT}">'
        '<defs>'
        f'<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{DONE}"/></marker>'
        f'<marker id="arrow-back" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{BACKWARD}"/></marker>'
        '</defs>'
        f"{body}</svg>"
    )


def scroll_box(svg: str, css_class: str, data: dict[str, object] | None = None, border: str = "none") -> str:
    """The SVG as an image in a <div> that scrolls sideways (a long sentence keeps its size)."""
    width = re.search(r'width="(\d+)"', svg).group(1)
    label = re.search(r'aria-label="([^"]*)"', svg).group(1)  # already escaped
    source = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    attributes = "".join(f' data-{key}="{esc(value)}"' for key, value in (data or {}).items())
    return (f'<div class="{css_class}"{attributes} style="overflow-x:auto;padding-bottom:4px;border:{border};'
            f'border-radius:8px"><img src="data:image/svg+xml;base64,{source}" width="{width}" alt="{label}" '
            'style="max-width:100%;height:auto"/></div>')


def svg_of(html_text: str) -> str:
    """The SVG inside the first image that :func:`scroll_box` made (for tests and downloads)."""
    match = re.search(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html_text)
    if match is None:
        raise ValueError("svg_of: no SVG image in this HTML")
    return base64.b64decode(match.group(1)).decode("utf-8")


def _box(x: float, y: float, w: float, h: float, text: str, fill: str, stroke: str, bold: bool = False,
         attrs: str = "", sub: str = "") -> str:
    weight = "700" if bold else "400"
    lines = f'<text x="{x + w / 2:.1f}" y="{y + h / 2 + (0 if sub else 5):.1f}" text-anchor="middle" font-size="13" ' \
            f'font-weight="{weight}" fill="{palette.INK}">{esc(text)}</text>'
    if sub:
        lines += (f'<text x="{x + w / 2:.1f}" y="{y + h / 2 + 15:.1f}" text-anchor="middle" font-size="11" '
                  f'fill="{palette.MUTED}">{esc(sub)}</text>')
    return (f'<g {attrs}><rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{2.5 if bold else 1.2}"/>{lines}</g>')


def _arrow(x1: float, y1: float, x2: float, y2: float, colour: str = DONE, back: bool = False,
           dashed: bool = False) -> str:
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    marker = "arrow-back" if back else "arrow"
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" stroke-width="1.5"'
            f'{dash} marker-end="url(#{marker})"/>')


def _label(x: float, y: float, text: str, size: int = 11, colour: str = palette.MUTED, anchor: str = "middle",
           weight: str = "400") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{colour}" '
            f'font-weight="{weight}">{esc(text)}</text>')


# -- the unrolled RNN ---------------------------------------------------------------------------------

COLUMN = 104  # width of one time step
CELL_W, CELL_H, BOX_H = 76, 46, 34
WINDOW = 9  # steps drawn at once; a longer sentence shows the steps around the current one


def visible_steps(T_x: int, current: int, window: int = WINDOW) -> tuple[int, int]:
    """The first and last step drawn (1-based): all of them, or ``window`` steps around ``current``."""
    if T_x <= window:
        return 1, T_x
    lo = min(max(current - window // 2, 1), T_x - window + 1)
    return lo, lo + window - 1


def unrolled_rnn_svg(tokens: Sequence[str], current: int, outputs: Sequence[str] | None = None,
                     many_to_one: bool = False, a0_label: str = "0") -> str:
    """The RNN unrolled over the sentence: x⟨t⟩ below, the cell a⟨t⟩, y-hat⟨t⟩ above, a⟨t-1⟩ -> a⟨t⟩.

    ``current`` (1-based) is highlighted; later steps are faint, because the forward pass has not
    reached them. ``outputs`` names each step's prediction (a many-to-one model shows only the last).
    """
    T_x = len(tokens)
    lo, hi = visible_steps(T_x, current)
    left = 70
    width, height = left + COLUMN * (hi - lo + 1) + 30, 230
    y_out, y_cell, y_in = 14, 92, 182
    if lo == 1:
        parts = [_label(22, y_cell + CELL_H / 2 - 4, step_sup("a", 0), 12, DONE, weight="700"),
                 _label(22, y_cell + CELL_H / 2 + 12, a0_label, 10)]
    else:
        parts = [_label(16, y_cell + CELL_H / 2 + 4, "⋯", 16, DONE, weight="700")]
    if hi < T_x:
        parts.append(_label(width - 14, y_cell + CELL_H / 2 + 4, "⋯", 16, DONE, weight="700"))
    for t in range(lo, hi + 1):
        x0 = left + COLUMN * (t - lo)
        cx = x0 + CELL_W / 2
        is_current, is_later = t == current, t > current
        stroke = CURRENT if is_current else (LATER if is_later else DONE)
        opacity = "0.45" if is_later else "1"
        css = "step current" if is_current else "step"
        group = [f'<g class="{css}" data-t="{t}" opacity="{opacity}">']
        # a<t-1> -> a<t>
        start = 40 if t == lo else x0 - (COLUMN - CELL_W)
        group.append(_arrow(start, y_cell + CELL_H / 2, x0 - 2, y_cell + CELL_H / 2, stroke))
        if t > lo:
            group.append(_label((start + x0) / 2, y_cell + CELL_H / 2 - 6, step_sup("a", t - 1), 10))
        group.append(_box(x0, y_cell, CELL_W, CELL_H, step_sup("a", t), CURRENT_FILL if is_current else CELL_FILL,
                          stroke, is_current, sub="tanh"))
        group.append(_box(x0 - 6, y_in, CELL_W + 12, BOX_H, short(tokens[t - 1]), INPUT_FILL, stroke, is_current))
        group.append(_label(cx + 5, y_in - 8, step_sup("x", t), 10, anchor="start"))
        group.append(_arrow(cx, y_in, cx, y_cell + CELL_H + 2, stroke))
        shows_output = not many_to_one or t == T_x
        if shows_output:
            name = step_sup("ŷ", t)
            value = outputs[t - 1] if outputs is not None else ""
            group.append(_arrow(cx, y_cell, cx, y_out + BOX_H + 10 + 2, stroke))
            group.append(_box(x0 - 6, y_out + 10, CELL_W + 12, BOX_H, value or name, OUTPUT_FILL, stroke,
                              is_current))
            if value:
                group.append(_label(cx + 5, y_out + 6, name, 10, anchor="start"))
        group.append("</g>")
        parts.append("".join(group))
    label = f"The RNN unrolled over {T_x} steps (steps {lo} to {hi} drawn), step {current} highlighted"
    svg = _svg(width, height, "".join(parts), label, "unrolled-rnn")
    return scroll_box(svg, "unrolled-rnn", {"current": current, "steps": T_x, "first": lo, "last": hi})


# -- the bidirectional RNN ------------------------------------------------------------------------------


def bidirectional_svg(tokens: Sequence[str], current: int, outputs: Sequence[str] | None = None) -> str:
    """Forward cells (computed 1 -> T_x) above backward cells (computed T_x -> 1), both feeding ŷ⟨t⟩.

    Each cell carries the notes' number of its place in the computation order; step ``current``
    (1-based) is highlighted in both rows.
    """
    T_x = len(tokens)
    lo, hi = visible_steps(T_x, current)
    left = 70
    width, height = left + COLUMN * (hi - lo + 1) + 70, 330
    y_out, y_fwd, y_bwd, y_in = 10, 96, 180, 278
    parts = [
        _label(30, y_fwd + CELL_H / 2 + 4, "0 →" if lo == 1 else "⋯", 12 if lo == 1 else 16, DONE, weight="700"),
        _label(left + COLUMN * (hi - lo + 1) + 30, y_bwd + CELL_H / 2 + 4, "← 0" if hi == T_x else "⋯",
               12 if hi == T_x else 16, BACKWARD, weight="700"),
    ]
    for t in range(lo, hi + 1):
        x0 = left + COLUMN * (t - lo)
        cx = x0 + CELL_W / 2
        is_current = t == current
        css = "step current" if is_current else "step"
        stroke = CURRENT if is_current else DONE
        back_stroke = CURRENT if is_current else BACKWARD
        group = [f'<g class="{css}" data-t="{t}">']
        start = 48 if t == lo else x0 - (COLUMN - CELL_W)
        group.append(_arrow(start, y_fwd + CELL_H / 2, x0 - 2, y_fwd + CELL_H / 2, DONE))
        if t < hi:
            group.append(_arrow(x0 + COLUMN - 2, y_bwd + CELL_H / 2, x0 + CELL_W + 2, y_bwd + CELL_H / 2, BACKWARD,
                                back=True))
        else:
            group.append(_arrow(x0 + CELL_W + 26, y_bwd + CELL_H / 2, x0 + CELL_W + 2, y_bwd + CELL_H / 2, BACKWARD,
                                back=True))
        group.append(_box(x0, y_fwd, CELL_W, CELL_H, f"→a⟨{t}⟩", CURRENT_FILL if is_current else CELL_FILL, stroke,
                          is_current, sub=f"({t})"))
        group.append(_box(x0, y_bwd, CELL_W, CELL_H, f"←a⟨{t}⟩", CURRENT_FILL if is_current else palette.BACKWARD_FILL,
                          back_stroke, is_current, sub=f"({T_x - t + 1})"))
        group.append(_box(x0 - 6, y_in, CELL_W + 12, BOX_H, short(tokens[t - 1]), INPUT_FILL, stroke, is_current))
        group.append(_label(cx + 18, y_in - 6, step_sup("x", t), 10, anchor="start"))
        # x<t> feeds both rows; both rows feed y_hat<t>
        group.append(_arrow(cx - 14, y_in, cx - 14, y_fwd + CELL_H + 2, LATER, dashed=True))
        group.append(_arrow(cx + 14, y_in, cx + 14, y_bwd + CELL_H + 2, LATER, dashed=True))
        group.append(_arrow(cx - 14, y_fwd, cx - 14, y_out + BOX_H + 16, stroke))
        group.append(_arrow(cx + 20, y_bwd, cx + 20, y_out + BOX_H + 16, back_stroke))
        value = outputs[t - 1] if outputs is not None else step_sup("ŷ", t)
        group.append(_box(x0 - 6, y_out + 14, CELL_W + 12, BOX_H, value, OUTPUT_FILL, stroke, is_current))
        group.append("</g>")
        parts.append("".join(group))
    label = f"A bidirectional RNN over {T_x} steps (steps {lo} to {hi} drawn), step {current} highlighted"
    svg = _svg(width, height, "".join(parts), label, "bidirectional-rnn")
    return scroll_box(svg, "bidirectional-rnn", {"current": current, "steps": T_x, "first": lo, "last": hi})


# -- GRU and LSTM cells with one step's values -----------------------------------------------------------


def value_colour(value: float, low: float, high: float) -> str:
    """A colour for value in [low, high]: palette.DIVERGING (blue-white-vermillion) when low < 0 < high,
    else white to blue."""
    return palette.on_scale(value, low, high)


@dataclass(frozen=True)
class Node:
    name: str  # key in the values dict
    title: str  # as the notes write it
    x: float
    y: float
    low: float = -1.0
    high: float = 1.0


NODE_W, NODE_H = 200, 58
DIAGRAM_W = 930
GRU_NODES = [
    Node("c_prev", "c⟨t-1⟩", 10, 85),
    Node("x", "x⟨t⟩", 10, 250),
    Node("G_u", "Γu = σ(Wu[c⟨t-1⟩, x⟨t⟩] + bu)", 250, 10, 0, 1),
    Node("G_r", "Γr = σ(Wr[c⟨t-1⟩, x⟨t⟩] + br)", 250, 160, 0, 1),
    Node("c_tilde", "c̃⟨t⟩ = tanh(Wc[Γr*c⟨t-1⟩, x⟨t⟩] + bc)", 490, 240),
    Node("c", "c⟨t⟩ = Γu*c̃⟨t⟩ + (1-Γu)*c⟨t-1⟩", 720, 85),
]
GRU_EDGES = [("c_prev", "G_u"), ("c_prev", "G_r"), ("x", "G_u"), ("x", "G_r"), ("x", "c_tilde"),
             ("c_prev", "c_tilde"), ("G_r", "c_tilde"), ("G_u", "c"), ("c_tilde", "c"), ("c_prev", "c")]
LSTM_NODES = [
    Node("c_prev", "c⟨t-1⟩", 10, 10),
    Node("a_prev", "a⟨t-1⟩", 10, 190),
    Node("x", "x⟨t⟩", 10, 300),
    Node("G_f", "Γf = σ(Wf[a⟨t-1⟩, x⟨t⟩] + bf)", 250, 10, 0, 1),
    Node("G_u", "Γu = σ(Wu[a⟨t-1⟩, x⟨t⟩] + bu)", 250, 100, 0, 1),
    Node("c_tilde", "c̃⟨t⟩ = tanh(Wc[a⟨t-1⟩, x⟨t⟩] + bc)", 250, 190),
    Node("G_o", "Γo = σ(Wo[a⟨t-1⟩, x⟨t⟩] + bo)", 250, 280, 0, 1),
    Node("c", "c⟨t⟩ = Γu*c̃⟨t⟩ + Γf*c⟨t-1⟩", 490, 60),
    Node("a", "a⟨t⟩ = Γo*tanh(c⟨t⟩)", 720, 200),
]
LSTM_EDGES = [("c_prev", "c"), ("G_f", "c"), ("G_u", "c"), ("c_tilde", "c"), ("c", "a"), ("G_o", "a")] + [
    (source, gate) for source in ("a_prev", "x") for gate in ("G_f", "G_u", "c_tilde", "G_o")
]


def _strip(values: Sequence[float], x: float, y: float, width: float, low: float, high: float) -> str:
    n = max(1, len(values))
    w = width / n
    cells = [
        f'<rect x="{x + i * w:.2f}" y="{y:.1f}" width="{w + 0.05:.2f}" height="12" fill="{value_colour(v, low, high)}"/>'
        for i, v in enumerate(values)
    ]
    return "".join(cells) + (f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="12" fill="none" '
                             f'stroke="{palette.RULE}" stroke-width="0.6"/>')


def _node(node: Node, values: Sequence[float]) -> str:
    mean = sum(values) / len(values) if values else 0.0
    lo, hi = (min(values), max(values)) if values else (0.0, 0.0)
    return (
        f'<g class="cell-node" data-name="{esc(node.name)}" data-mean="{mean:.6f}">'
        f'<rect x="{node.x}" y="{node.y}" width="{NODE_W}" height="{NODE_H}" rx="6" fill="{palette.WHITE}" '
        f'stroke="{DONE}" stroke-width="1.2"/>'
        + _label(node.x + NODE_W / 2, node.y + 14, node.title, 10, palette.INK, weight="600")
        + _strip(values, node.x + 6, node.y + 20, NODE_W - 12, node.low, node.high)
        + _label(node.x + NODE_W / 2, node.y + 50, f"mean {mean:+.3f}  [{lo:+.2f}, {hi:+.2f}]", 9)
        + "</g>"
    )


def _edge(a: Node, b: Node) -> str:
    x1, y1 = a.x + NODE_W, a.y + NODE_H / 2
    x2, y2 = b.x, b.y + NODE_H / 2
    if a.x + NODE_W > b.x:  # a node below or above: enter from the bottom/top
        x1, y1 = a.x + NODE_W / 2, a.y if a.y > b.y else a.y + NODE_H
        x2, y2 = b.x + NODE_W / 2, b.y + NODE_H if a.y > b.y else b.y
    return _arrow(x1, y1, x2, y2, LATER)


def cell_svg(arch: str, t: int, values: dict[str, Sequence[float]]) -> str:
    """The GRU or LSTM cell at step t, each box with its vector as a colour strip (one mark per unit).

    ``values`` maps node names ("c_prev", "x", "G_u", "G_r", "c_tilde", "c"; for the LSTM also
    "a_prev", "G_f", "G_o", "a") to lists of floats. Gates are drawn on [0, 1], the rest on [-1, 1].
    """
    nodes, edges = (GRU_NODES, GRU_EDGES) if arch == "gru" else (LSTM_NODES, LSTM_EDGES)
    by_name = {node.name: node for node in nodes}
    body = [_edge(by_name[a], by_name[b]) for a, b in edges]
    for node in nodes:
        vals = list(values[node.name])
        if node.name == "x":  # x<t> is not bounded; scale its strip to its own range
            extent = max(1e-9, max(abs(v) for v in vals))
            node = Node(node.name, node.title, node.x, node.y, -extent, extent)
        body.append(_node(node, vals))
    height = max(node.y for node in nodes) + NODE_H + 12
    body.append(_label(DIAGRAM_W - 10, height - 8, f"t = {t}", 14, CURRENT, anchor="end", weight="700"))
    label = f"The {arch.upper()} cell at step {t}"
    svg = _svg(DIAGRAM_W, height, "".join(body), label, f"cell-diagram {arch}")
    return scroll_box(svg, f"cell-diagram {arch}", {"current": t})


# -- the shapes of RNN ---------------------------------------------------------------------------------

SHAPES = ("many-to-many-equal", "many-to-many-different", "many-to-one", "one-to-many")
SHAPE_TITLES = {
    "many-to-many-equal": "Many-to-many, T_x = T_y",
    "many-to-many-different": "Many-to-many, T_x ≠ T_y",
    "many-to-one": "Many-to-one",
    "one-to-many": "One-to-many",
}


SHAPE_READS = {  # what each drawing shows, for its text alternative
    "many-to-many-equal": "one input x⟨t⟩ and one output ŷ⟨t⟩ at every step (entity tagging)",
    "many-to-many-different": "three inputs read first, then three outputs written (translation)",
    "many-to-one": "four inputs read in turn, one output ŷ after the last (sentiment)",
    "one-to-many": "one input, then each sampled ŷ⟨t⟩ fed back as the next input (generation)",
}


def architecture_svg(shape: str, highlighted: bool = False) -> str:
    """One of the notes' four RNN architectures as a small unrolled drawing."""
    if shape not in SHAPES:
        raise ValueError(f"architecture_svg: shape must be one of {SHAPES}, got {shape!r}")
    w, gap = 42, 58
    y_out, y_cell, y_in = 14, 78, 142
    colour = CURRENT if highlighted else DONE
    fill = CURRENT_FILL if highlighted else CELL_FILL
    parts: list[str] = []

    def cell(i: int, x_label: str | None, y_label: str | None, fed_back: bool = False) -> None:
        x0 = 20 + gap * i
        cx = x0 + w / 2
        parts.append(f'<rect x="{x0}" y="{y_cell}" width="{w}" height="34" rx="5" fill="{fill}" stroke="{colour}"/>')
        if i > 0:
            parts.append(_arrow(x0 - gap + w, y_cell + 17, x0 - 2, y_cell + 17, colour))
        if x_label:
            parts.append(_label(cx, y_in + 22, x_label, 11, palette.INK))
            parts.append(_arrow(cx, y_in + 8, cx, y_cell + 36, colour))
        if y_label:
            parts.append(_label(cx, y_out + 10, y_label, 11, palette.INK))
            parts.append(_arrow(cx, y_cell - 2, cx, y_out + 16, colour))
        if fed_back:  # the sampled y<t> is the next step's input
            parts.append(f'<path d="M{cx + 8},{y_out + 14} C{cx + 34},{y_out + 40} {cx + gap - 30},{y_in + 30} '
                         f'{cx + gap - 4},{y_cell + 40}" fill="none" stroke="{LATER}" stroke-dasharray="3 3" '
                         'marker-end="url(#arrow)"/>')

    if shape == "many-to-many-equal":
        for i in range(4):
            cell(i, step_sup("x", i + 1), step_sup("ŷ", i + 1))
        caption = "Entity tagging: one tag per word"
    elif shape == "many-to-many-different":
        for i in range(3):
            cell(i, step_sup("x", i + 1), None)
        for i in range(3, 6):
            cell(i, None, step_sup("ŷ", i - 2))
        caption = "Translation: read all, then write"
    elif shape == "many-to-one":
        for i in range(4):
            cell(i, step_sup("x", i + 1), "ŷ" if i == 3 else None)
        caption = "Sentiment: one rating"
    else:
        for i in range(4):
            cell(i, "x" if i == 0 else None, step_sup("ŷ", i + 1), fed_back=i < 3)
        caption = "Generation: sample, feed back"
    width = 20 + gap * (6 if shape == "many-to-many-different" else 4)
    parts.append(_label(width / 2, y_in + 44, caption, 11, palette.MUTED))
    css = f"architecture {shape}" + (" highlighted" if highlighted else "")
    svg = _svg(width, y_in + 54, "".join(parts), f"{SHAPE_TITLES[shape]} RNN unrolled in time: {SHAPE_READS[shape]}",
               css)
    border = f"2px solid {CURRENT}" if highlighted else f"1px solid {palette.BORDER}"
    return scroll_box(svg, "shape-card", {"shape": shape, "highlighted": str(highlighted).lower()}, border)
