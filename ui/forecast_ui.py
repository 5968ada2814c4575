"""Forecasting views: the series with its forecasts, the error against the horizon, the results table.

Figures only; the numbers come from rnncore.tasks.forecast (inference and the checkpoints' JSON).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from rnncore.models import ARCH_NAMES
from rnncore.tasks.forecast.series import SERIES
from ui import figures, palette

PLOT_CONFIG = {"displaylogo": False}
BASELINE_NAMES = {"persistence": "Persistence (the day before)", "seasonal_naive": "Seasonal naive (one season back)"}
BASELINE_COLOURS = palette.BASELINES


def baseline_name(key: str) -> str:
    if key.startswith("ar("):
        return f"Autoregression AR({key[3:-1]})"
    return BASELINE_NAMES.get(key, key)


def baseline_colour(key: str) -> str:
    return BASELINE_COLOURS["ar" if key.startswith("ar(") else key]


def data_folder_series(series: str) -> Path | None:
    """The real series file, when this server was given the data folder (RNNLAB_DATA); else None.

    The repository holds no copy of any real series: without the folder the lesson forecasts a
    generated series or one the visitor pastes."""
    folder = os.environ.get("RNNLAB_DATA")
    if not folder:
        return None
    path = Path(folder) / SERIES[series].file
    return path if path.is_file() else None


def results_table(metas: dict[str, dict]) -> pd.DataFrame:
    """One row per shipped model and per baseline: test-period MAE and RMSE (from the checkpoints' JSON)."""
    rows = []
    any_meta = next(iter(metas.values()))
    for arch, meta in metas.items():
        test = meta["metrics"]["test"]
        name = ARCH_NAMES[arch] + (" reading the days after too (not a forecast)" if meta.get("look_ahead") else "")
        rows.append({"model": name, "MAE": test["mae"], "RMSE": test["rmse"], "forecasts": test["n"]})
    for key, baseline in any_meta["metrics"]["baselines"].items():
        rows.append({"model": baseline_name(key), "MAE": baseline["mae"], "RMSE": baseline["rmse"],
                     "forecasts": baseline["n"]})
    return pd.DataFrame(rows)


def _axes(x: str, y: str) -> dict:
    return dict(xaxis=dict(title=dict(text=x)), yaxis=dict(title=dict(text=y)))


def horizon_figure(metas: dict[str, dict], unit: str) -> go.Figure:
    """MAE at each horizon h = 1..H over the test period: every forecaster fed its own forecasts back."""
    lines = []
    any_meta = next(iter(metas.values()))
    for arch, meta in metas.items():
        curve = meta["metrics"]["test"].get("mae_by_horizon")
        if curve:
            lines.append(dict(type="scatter", x=list(range(1, len(curve) + 1)), y=curve, mode="lines+markers",
                              name=ARCH_NAMES[arch], line=dict(color=palette.ARCH[arch], width=2.5)))
    for key, baseline in any_meta["metrics"]["baselines"].items():
        curve = baseline["mae_by_horizon"]
        lines.append(dict(type="scatter", x=list(range(1, len(curve) + 1)), y=curve, mode="lines",
                          name=baseline_name(key), line=dict(color=baseline_colour(key), width=2, dash="dot")))
    layout = dict(height=340, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.25),
                  **_axes("horizon h (steps ahead)", f"mean absolute error ({unit})"))
    return figures.from_spec(lines, layout)


def forecast_figure(history: Sequence[float], start: int, lines: dict[str, Sequence[float]],
                    actual: Sequence[float] | None, unit: str, step: str) -> go.Figure:
    """The last values before ``start`` and, from there, each forecast; the actual values when known."""
    xs = list(range(start - len(history), start))
    traces = [dict(type="scatter", x=xs, y=list(history), mode="lines", name="history (what the model reads)",
                   line=dict(color=palette.INK, width=2))]
    horizon = max(len(v) for v in lines.values())
    ahead = list(range(start, start + horizon))
    if actual is not None:
        traces.append(dict(type="scatter", x=ahead[: len(actual)], y=list(actual), mode="lines+markers", name="actual",
                           line=dict(color=palette.INK, width=2, dash="dash"), marker=dict(size=6)))
    for name, (values, colour, dash) in lines.items():
        traces.append(dict(type="scatter", x=ahead[: len(values)], y=list(values), mode="lines+markers", name=name,
                           line=dict(color=colour, width=2.5, dash=dash)))
    layout = dict(shapes=[figures.vertical_rule(start - 0.5, dash="dot")], height=360,
                  margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.25),
                  **_axes(f"{step} (index in the series)", unit))
    return figures.from_spec(traces, layout)


def rolling_figure(values: Sequence[float], rolling: Sequence[dict], unit: str) -> go.Figure:
    """The pasted series and the model's one-step forecast of each value from the values before it."""
    traces = [
        dict(type="scatter", x=list(range(1, len(values) + 1)), y=list(values), mode="lines", name="your series",
             line=dict(color=palette.INK, width=2)),
        dict(type="scatter", x=[r["t"] for r in rolling], y=[r["forecast"] for r in rolling], mode="lines",
             name="one-step forecast", line=dict(color=palette.HIGHLIGHT, width=2)),
    ]
    layout = dict(height=320, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.3), **_axes("t", unit))
    return figures.from_spec(traces, layout)
