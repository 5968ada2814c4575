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
BACKWARD_FILL = "#FFF0F6"  # the backward direction's cells in the BRNN diagram
PAPER = "#F8F9FA"  # plot background of the one-hot matrix
