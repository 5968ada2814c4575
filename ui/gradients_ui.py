"""Cached computations and Plotly figures for the lesson "Vanishing and exploding gradients".

All maths is in :mod:`rnncore.explain` (bptt, spectral, clipping, saliency); this module caches its results per session and per setting,
and draws them.  Norms are drawn as log10 values on a linear axis labelled in powers of ten, so that a
gradient of 1e-400 (a number in rnncore's log-domain backward, 0.0 as a float) is still a point.
Plotly reads a subset of HTML in labels and hover text: every user word is html-escaped first.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from rnncore.explain import bptt, clipping, saliency, spectral
from rnncore.models import ARCH_NAMES
from ui import figures, palette

ARCH_COLOURS = palette.ARCH
MODE_NAMES = {"none": "no clipping", "value": "clip by value (the course)", "norm": "clip by norm"}
MODE_COLOURS = palette.CLIPPING
PLOT_CONFIG = {"displaylogo": False}


# -- cached computations -----------------------------------------------------------------------------
@st.cache_data(max_entries=64, show_spinner=False)
def init_profiles(settings: spectral.InitSettings) -> dict[str, bptt.GradientProfile]:
    """||dL/da<t>|| for RNN, GRU and LSTM at initialisation (settings already clamped)."""
    return bptt.profiles_at_init(settings)


@st.cache_data(max_entries=32, show_spinner=False)
def trained_profiles(steps: int, seed: int = 0) -> dict[str, bptt.GradientProfile]:
    """||dL/da<t>|| of each installed sentiment model on the notes' review stretched to ``steps`` words."""
    return {arch: bptt.profile_of_review(arch, steps, seed) for arch in bptt.ARCHS if bptt.trained_model_available(arch)}


@st.cache_data(max_entries=32, show_spinner=False)
def clipping_snapshots(settings: spectral.InitSettings, threshold_value: float, threshold_norm: float) -> dict:
    return {
        "value": clipping.clipping_snapshot(settings, "value", threshold_value),
        "norm": clipping.clipping_snapshot(settings, "norm", threshold_norm),
    }





def saliency_stems() -> list[str]:
    """Shipped many-to-one models the saliency view can use, best first: sentiment, then agreement."""
    from rnncore.checkpoint import stem_path

    candidates = [f"sentiment-{a}" for a in ("lstm", "gru", "rnn", "birnn")]
    candidates += [f"agreement-{a}" for a in (*bptt.ARCHS, "birnn")]
    return [
        stem
        for stem in candidates
        if stem_path(stem).with_suffix(".json").is_file()
        and stem_path(stem).with_suffix(".safetensors").is_file()
    ]


def stem_label(stem: str) -> str:
    task, _, arch = stem.partition("-")
    return f"{ARCH_NAMES.get(arch, arch)} trained on {task}"


# -- figures ---------------------------------------------------------------------------------------------
def power_of_ten(exponent: float) -> str:
    """1e-12 style text for 10 ** exponent, without ever computing a float outside the range."""
    if not math.isfinite(exponent):
        return "0" if exponent < 0 else "inf"
    mantissa_log, whole = math.modf(exponent)
    if mantissa_log < 0:
        mantissa_log, whole = mantissa_log + 1, whole - 1
    mantissa = 10**mantissa_log
    if round(mantissa, 2) >= 10:
        mantissa, whole = 1.0, whole + 1
    return f"{mantissa:.2f}e{int(whole):+d}"


def log_ticks(low: float, high: float, max_ticks: int = 9) -> tuple[list[float], list[str]]:
    """Tick positions (integer exponents) and labels "1e-20" for a log10 axis from low to high."""
    low, high = math.floor(low), math.ceil(high)
    step = max(1, math.ceil((high - low) / max_ticks))
    values = list(range(int(low) - int(low) % step, int(high) + 1, step))
    return [float(v) for v in values], [_tick_text(v) for v in values]


def _tick_text(exponent: int) -> str:
    """0.01 .. 1000 written out, anything further as 1e-12 / 1e+15."""
    if -2 <= exponent <= 3:
        return f"{10.0**exponent:g}"
    return f"1e{exponent:+d}" if exponent > 0 else f"1e{exponent}"


def _finite(values: Sequence[float]) -> list[float]:
    return [v for v in values if math.isfinite(v)]


def norms_figure(
    profiles: dict[str, bptt.GradientProfile],
    show_rate: bool = True,
    show_memory: bool = False,
    height: int = 430,
) -> go.Figure:
    """log10 ||dL/da<t>|| against t for each architecture; dashed: the analytic rate per step;
    with ``show_memory``, the LSTM's ||dL/dc<t>|| too (dash-dot)."""
    lines: list[dict] = []
    all_values: list[float] = []
    for arch, profile in profiles.items():
        t = list(range(1, profile.steps + 1))
        all_values += _finite(profile.log10_norms)
        lines.append(dict(
            type="scatter", x=t, y=[v if math.isfinite(v) else None for v in profile.log10_norms],
            mode="lines+markers" if profile.steps <= 60 else "lines", name=f"{ARCH_NAMES[arch]} measured",
            line=dict(color=ARCH_COLOURS[arch], width=2.5), marker=dict(size=5),
            customdata=[power_of_ten(v) for v in profile.log10_norms],
            hovertemplate=f"{ARCH_NAMES[arch]}, t = %{{x}}<br>||dL/da⟨t⟩|| = %{{customdata}}<extra></extra>",
            legendgroup=arch,
        ))
        if show_memory and profile.log10_c_norms is not None:
            all_values += _finite(profile.log10_c_norms)
            lines.append(dict(
                type="scatter", x=t, y=[v if math.isfinite(v) else None for v in profile.log10_c_norms], mode="lines",
                name=f"{ARCH_NAMES[arch]} memory cell ||dL/dc⟨t⟩||",
                line=dict(color=ARCH_COLOURS[arch], width=2, dash="dashdot"),
                customdata=[power_of_ten(v) for v in profile.log10_c_norms],
                hovertemplate=f"{ARCH_NAMES[arch]}, t = %{{x}}<br>||dL/dc⟨t⟩|| = %{{customdata}}<extra></extra>",
                legendgroup=arch,
            ))
        curve = profile.log10_analytic_curve() if show_rate else None
        if curve is not None:
            all_values += _finite(curve)
            lines.append(dict(
                type="scatter", x=t, y=curve, mode="lines", name=f"{ARCH_NAMES[arch]} rate {profile.rate:.3g} per step",
                line=dict(color=ARCH_COLOURS[arch], width=1.5, dash="dash" if arch == "rnn" else "dot"),
                customdata=[power_of_ten(v) for v in curve],
                hovertemplate=f"{ARCH_NAMES[arch]} analytic, t = %{{x}}<br>%{{customdata}}<extra></extra>",
                legendgroup=arch,
            ))
    yaxis = dict(title=dict(text="||dL/da⟨t⟩||, log scale"))
    if all_values:
        tickvals, ticktext = log_ticks(min(all_values), max(all_values))
        yaxis |= dict(tickmode="array", tickvals=tickvals, ticktext=ticktext)
    layout = dict(xaxis=dict(title=dict(text="time step t (the loss L is read at t = T)")), yaxis=yaxis,
                  height=height, margin=dict(l=10, r=10, t=30, b=40),
                  legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0), hovermode="closest")
    return figures.from_spec(lines, layout)


def clipping_figure(snapshot: clipping.ClippingSnapshot) -> go.Figure:
    """Largest |entry| of each parameter's gradient, before and after clipping (log scale)."""
    names = list(snapshot.max_before)
    bars = []
    for label, values, colour in (
        ("before clipping", snapshot.max_before, palette.FAINT),
        (f"after {MODE_NAMES[snapshot.mode]}", snapshot.max_after, MODE_COLOURS[snapshot.mode]),
    ):
        bars.append(dict(
            type="bar", x=names, y=[values[n] if math.isfinite(values[n]) and values[n] > 0 else None for n in names],
            name=label, marker=dict(color=colour), customdata=[f"{values[n]:.3g}" for n in names],
            hovertemplate="%{x}: max |entry| = %{customdata}<extra>" + label + "</extra>",
        ))
    layout = dict(yaxis=dict(type="log", title=dict(text="max |entry| of dL/dW"), exponentformat="e"),
                  barmode="group", height=340, margin=dict(l=10, r=10, t=30, b=30),
                  legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    if snapshot.mode == "value":
        layout["shapes"] = [figures.horizontal_rule(snapshot.threshold, dash="dash", colour=palette.MUTED)]
        layout["annotations"] = [figures.horizontal_rule_label(snapshot.threshold, f"maxValue = {snapshot.threshold:g}")]
    return figures.from_spec(bars, layout)


def training_figure(runs: dict[str, clipping.TrainingRun]) -> go.Figure:
    """Loss per SGD update for each clipping mode; a cross where a run left the numbers (inf/nan)."""
    lines = []
    for mode, run in runs.items():
        finite = [v if math.isfinite(v) and v > 0 else None for v in run.losses]
        lines.append(dict(
            type="scatter", x=list(range(1, len(run.losses) + 1)), y=finite, mode="lines+markers",
            marker=dict(size=4), name=MODE_NAMES[mode], line=dict(color=MODE_COLOURS[mode]),
            hovertemplate="update %{x}: L = %{y:.3g}<extra>" + MODE_NAMES[mode] + "</extra>",
        ))
        if run.diverged:
            last_finite = max((v for v in finite if v is not None), default=1.0)
            lines.append(dict(
                type="scatter", x=[len(run.losses)], y=[last_finite], mode="markers+text",
                marker=dict(symbol="x", size=14, color=MODE_COLOURS[mode]), text=["inf / nan"],
                textposition="top center", showlegend=False,
                hovertemplate=f"{MODE_NAMES[mode]}: the loss became inf/nan at update %{{x}}<extra></extra>",
            ))
    layout = dict(xaxis=dict(title=dict(text="SGD update")),
                  yaxis=dict(type="log", title=dict(text="loss L at the last step"), exponentformat="e"),
                  height=360, margin=dict(l=10, r=10, t=30, b=40),
                  legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return figures.from_spec(lines, layout)


def saliency_figure(result: saliency.Saliency) -> go.Figure:
    """One bar per input word: ||d log P(prediction) / d x<t>||, as a share of the total."""
    labels = [f"{t}. {html.escape(token)}" for t, token in enumerate(result.tokens, start=1)]
    bars = dict(
        type="bar", x=list(range(len(labels))), y=result.share,
        marker=dict(color=[palette.BLUE if g >= 0 else palette.CONTRAST for g in result.grad_x_input]),
        customdata=[[f"{n:.3g}", f"{g:+.3g}"] for n, g in zip(result.norms, result.grad_x_input, strict=True)],
        hovertext=labels,
        hovertemplate=(
            "%{hovertext}<br>share %{y:.1%}<br>||gradient|| %{customdata[0]}"
            "<br>gradient · input %{customdata[1]}<extra></extra>"
        ),
    )
    layout = dict(xaxis=dict(tickmode="array", tickvals=list(range(len(labels))), ticktext=labels, tickangle=-45),
                  yaxis=dict(title=dict(text="share of the gradient"), tickformat=".0%"),
                  height=360, margin=dict(l=10, r=10, t=20, b=90), showlegend=False)
    return figures.from_spec([bars], layout)
