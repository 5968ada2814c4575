"""The one colour table of every figure, highlight and diagram.

Categorical colours come from the Okabe-Ito palette (Okabe and Ito, 2008), made to stay apart for
readers with red-green colour blindness. tests/test_palette.py simulates deuteranopia and protanopia
(Machado, Oliveira and Fernandes, 2009) and checks that every pair a figure puts side by side stays
distinguishable. Each colour has a role; pages never write a colour of their own.
"""

from __future__ import annotations

# Okabe-Ito
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
BLACK = "#000000"
GREY = "#999999"

# Neutrals for text, axes and faint marks
INK = "#212529"  # text and emphasised lines
MUTED = "#495057"  # secondary text, finished steps
FAINT = "#ADB5BD"  # steps not reached yet, bars not chosen
RULE = "#868E96"  # reference lines (chance level, y = 0.5)
LIGHT_BLUE = "#A5D8FF"  # the chosen bar's neighbours, the current cell's fill
CELL_FILL = "#E7F5FF"
OUTPUT_FILL = "#FFF4E6"
INPUT_FILL = "#F1F3F5"

# Roles
HIGHLIGHT = BLUE  # the time step or unit on screen
CONTRAST = VERMILLION  # its counterpart: backward direction, negative contribution, <UNK>
ARCH = {"rnn": ORANGE, "gru": BLUE, "lstm": GREEN, "birnn": BLACK}
ENTITY = {"PER": BLUE, "LOC": GREEN, "ORG": ORANGE, "MISC": BLACK}
STARS = [VERMILLION, ORANGE, GREY, SKY, BLUE]  # 1 .. 5 stars: negative warm, positive cool
CLIPPING = {"none": VERMILLION, "value": BLUE, "norm": GREEN}
SERIES = [BLUE, ORANGE, GREEN, BLACK]  # up to four curves on one plot, in order
# The forecasting lesson's baselines, drawn dotted beside the solid ARCH curves (and the INK history)
BASELINES = {"persistence": VERMILLION, "seasonal_naive": PURPLE, "ar": SKY}
BACKWARD_FILL = "#FFF0F6"  # the backward direction's cells in the BRNN diagram
PAPER = "#F8F9FA"  # plot background of the one-hot matrix
WHITE = "#FFFFFF"
TRANSPARENT = "rgba(0,0,0,0)"  # a marker or frame drawn as an outline only
BORDER = "rgba(128,128,128,0.45)"  # a chip's or box's hairline, readable on light and dark themes
DIVIDER = "gray"  # Streamlit's own name for the headers' divider colour (a theme colour, not a hex)

# Continuous scales. A diverging scale runs BLUE (negative) through white to VERMILLION (positive):
# the two ends differ in lightness and along the blue-yellow axis, which red-green colour blindness keeps
# (unlike the red-white-green some tools use). A sequential scale runs from white to BLUE.
NEGATIVE, POSITIVE = BLUE, VERMILLION
DIVERGING = [[0.0, NEGATIVE], [0.5, WHITE], [1.0, POSITIVE]]
SEQUENTIAL = [[0.0, WHITE], [1.0, BLUE]]


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def mix(a: str, b: str, share: float) -> str:
    """The colour ``share`` of the way from ``a`` to ``b`` (0: a, 1: b), as #rrggbb."""
    share = max(0.0, min(1.0, share))
    return "#" + "".join(f"{round(x + share * (y - x)):02x}" for x, y in zip(_rgb(a), _rgb(b), strict=True))


def on_scale(value: float, low: float, high: float) -> str:
    """``value`` in [low, high] as a colour: DIVERGING when low < 0 < high (0 is white), else SEQUENTIAL."""
    if low < 0 < high:
        v = max(-1.0, min(1.0, value / max(abs(low), abs(high))))
        return mix(WHITE, POSITIVE if v >= 0 else NEGATIVE, abs(v))
    return mix(WHITE, BLUE, (value - low) / (high - low) if high > low else 0.0)
