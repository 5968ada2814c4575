"""ui.palette: one colour table, and its colours stay apart for red-green colour-blind readers.

Colour-blind vision is simulated with the matrices of Machado, Oliveira and Fernandes (2009) at full
severity, applied to linear RGB; the distance is CIE76 Delta E in CIELAB (about 2.3 is just noticeable;
figures here need far more, since lines are thin and markers small).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest

from ui import palette

SIMULATIONS = {
    "normal vision": np.eye(3),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
WHITE = np.array([0.95047, 1.0, 1.08883])  # D65


def linear_rgb(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb: np.ndarray) -> np.ndarray:
    t = SRGB_TO_XYZ @ rgb / WHITE
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(hex_colour: str, simulation: str) -> np.ndarray:
    return lab(np.clip(SIMULATIONS[simulation] @ linear_rgb(hex_colour), 0, 1))


def delta_e(a: str, b: str, simulation: str) -> float:
    return float(np.linalg.norm(seen(a, simulation) - seen(b, simulation)))


def test_the_simulation_reproduces_a_red_green_confusion():
    """The check can fail: the orange and lime this app once used for 2 and 4 stars are far apart to
    normal vision and nearly one colour to a deuteranope."""
    orange, lime = "#E8590C", "#74B816"
    assert delta_e(orange, lime, "normal vision") > 90
    assert delta_e(orange, lime, "deuteranopia") < 10


CATEGORICAL = {"architectures": palette.ARCH, "entity types": palette.ENTITY,
               "clipping modes": palette.CLIPPING, "series": dict(enumerate(palette.SERIES))}


@pytest.mark.parametrize("simulation", SIMULATIONS)
@pytest.mark.parametrize("name", CATEGORICAL)
def test_categorical_colours_stay_apart(name, simulation):
    colours = CATEGORICAL[name]
    for (ka, a), (kb, b) in itertools.combinations(colours.items(), 2):
        assert delta_e(a, b, simulation) >= 30, f"{name}: {ka} and {kb} are close under {simulation}"


@pytest.mark.parametrize("simulation", SIMULATIONS)
def test_every_star_rating_has_a_colour_of_its_own(simulation):
    """The five ratings form an ordered scale (negative warm, positive cool); any two must differ."""
    for a, b in itertools.combinations(palette.STARS, 2):
        assert delta_e(a, b, simulation) >= 15


def test_no_page_writes_a_colour_of_its_own():
    root = Path(__file__).resolve().parent.parent
    hex_colour = re.compile(r"#[0-9a-fA-F]{6}\b")
    offenders = [f"{path.relative_to(root)}: {match}" for folder in ("ui", "lessons") for path in (root / folder).glob("*.py")
                 if path.name != "palette.py" for match in hex_colour.findall(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_forecast_lines_stay_apart():
    """The forecasting figures put the three cells beside the baselines (dotted) and the history (INK)."""
    lines = {**{a: palette.ARCH[a] for a in ("rnn", "gru", "lstm")}, **palette.BASELINES}
    for simulation in SIMULATIONS:
        for (ka, a), (kb, b) in itertools.combinations(lines.items(), 2):
            assert delta_e(a, b, simulation) >= 15, f"{ka} and {kb} under {simulation}"
        for name in ("ar", "persistence"):  # forecast_figure: history in INK beside AR and persistence
            assert delta_e(palette.INK, palette.BASELINES[name], simulation) >= 30


@pytest.mark.parametrize("simulation", SIMULATIONS)
def test_diverging_scale_keeps_its_sign(simulation):
    """Negative and positive ends differ from each other and from white (zero) under every simulation,
    and on_scale gives white at zero, the ends at +-extent, and the sequential end at the top."""
    assert delta_e(palette.NEGATIVE, palette.POSITIVE, simulation) >= 40
    for end in (palette.NEGATIVE, palette.POSITIVE):
        assert delta_e(end, palette.WHITE, simulation) >= 40
    assert palette.on_scale(0.0, -2, 2).upper() == palette.WHITE
    assert palette.on_scale(-2.0, -2, 2).upper() == palette.NEGATIVE
    assert palette.on_scale(5.0, -2, 2).upper() == palette.POSITIVE  # clipped to the end
    assert palette.on_scale(1.0, 0, 1).upper() == palette.BLUE
    assert palette.mix("#000000", "#FFFFFF", 0.5) == "#808080"


def test_the_old_red_green_pairs_are_gone():
    """Under deuteranopia every colour pair a figure shows is further apart than the old 2/4-star pair."""
    old = delta_e("#E8590C", "#74B816", "deuteranopia")
    groups = [palette.ARCH, palette.ENTITY, palette.CLIPPING, dict(enumerate(palette.STARS)), palette.BASELINES]
    closest = min(delta_e(a, b, "deuteranopia") for g in groups for a, b in itertools.combinations(g.values(), 2))
    assert closest > 2 * old


def test_no_page_names_a_colour_either():
    """No rgb()/rgba() literals, no named colours and no named Plotly scales outside palette.py (the
    Streamlit header divider, a theme colour name, is palette.DIVIDER's kind and exempt)."""
    root = Path(__file__).resolve().parent.parent
    patterns = [re.compile(r"rgba?\("),
                re.compile(r"""(?<!divider=)["'](red|green|blue|orange|purple|gray|grey|white|black|lime|crimson)["']"""),
                re.compile(r"""colorscale\s*=\s*["']""")]
    offenders = [f"{path.relative_to(root)}: {line.strip()}" for folder in ("ui", "lessons")
                 for path in sorted((root / folder).glob("*.py")) if path.name != "palette.py"
                 for line in path.read_text(encoding="utf-8").splitlines()
                 if any(p.search(line) for p in patterns)]
    assert offenders == []


def test_diagrams_are_well_formed_svg():
    """A colour written as fill=palette.INK (no quotes, no braces) once made every diagram an image that
    browsers refuse to draw; each SVG must parse as XML and use the palette's colours."""
    import xml.dom.minidom

    from ui import diagrams

    bodies = [diagrams.unrolled_rnn_svg(["Tom", "met", "Eliza"], 2, ["B-PER", "O", "B-PER"]),
              diagrams.bidirectional_svg(["Tom", "met", "Eliza"], 3),
              diagrams.cell_svg("lstm", 1, {k: [0.1, -0.2] for k in ("c_prev", "a_prev", "x", "G_f", "G_u",
                                                                      "c_tilde", "G_o", "c", "a")}),
              diagrams.architecture_svg("many-to-one", True)]
    for body in bodies:
        svg = diagrams.svg_of(body)
        xml.dom.minidom.parseString(svg)
        assert "palette." not in svg
        assert palette.INK.lower() in svg.lower() or palette.MUTED.lower() in svg.lower()
