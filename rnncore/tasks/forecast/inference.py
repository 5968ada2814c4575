"""The shipped forecasters at work on a series given as numbers: the next H values, or a rolling
one-step forecast in which value t is forecast from values 1..t-1 only."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rnncore.shipped import load_shipped
from rnncore.tasks.forecast.recipe import multi_step, one_step
from rnncore.tasks.forecast.series import Scaling

FORECAST_DEFAULT = "lstm"
SERIES_DEFAULT = "temperature"
MAX_VALUES = 20_000  # ten years of days twice over: more is not a series a class pastes
MAX_HORIZON = 60


def stem(series: str, arch: str) -> str:
    return f"forecast-{series}-{arch}"


def parse_values(lines: Sequence[str]) -> list[float]:
    """Numbers one a line (blank lines skipped); a ValueError names the first line that is not a number."""
    values = []
    for number, line in enumerate(lines, 1):
        text = line.strip().replace(",", ".") if line.count(",") == 1 and "." not in line else line.strip()
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"line {number}: {line.strip()[:40]!r} is not a number") from None
        if not math.isfinite(value):
            raise ValueError(f"line {number}: {line.strip()[:40]!r} is not a finite number")
        values.append(value)
    return values


def check_series(values: Sequence[float], meta: dict, what: str = "the series") -> None:
    """Refuse what the model cannot serve: too few values, too many, or values far outside the range it
    learnt (beyond the training period's range by more than half its width)."""
    window = meta["window"]
    if len(values) < window:
        raise ValueError(f"{what} has {len(values)} values; this model reads the last {window}, so give at least {window}")
    if len(values) > MAX_VALUES:
        raise ValueError(f"{what} has {len(values):,} values; at most {MAX_VALUES:,}")
    low, high = meta["plausible"]
    margin = (high - low) / 2
    outside = [v for v in values if not low - margin <= v <= high + margin]
    if outside:
        raise ValueError(f"{what} has values out of range for this model ({outside[0]:g}; it learnt "
                         f"{meta['title']}, {low:g} to {high:g} {meta['unit']})")


def forecast(values: Sequence[float], horizon: int = 1, arch: str = FORECAST_DEFAULT,
             series: str = SERIES_DEFAULT) -> dict:
    """The next ``horizon`` values after ``values`` (oldest first), each forecast fed back as the next input."""
    model, meta = load_shipped(stem(series, arch))
    if meta.get("look_ahead"):
        raise ValueError(f"{stem(series, arch)} reads the days after the one it estimates: it cannot forecast")
    if not 1 <= horizon <= MAX_HORIZON:
        raise ValueError(f"the horizon must be between 1 and {MAX_HORIZON}, got {horizon}")
    check_series(values, meta)
    scaling = Scaling(**meta["scaling"])
    predicted = multi_step(model, values, horizon, meta["window"], scaling)
    return {"series": series, "arch": arch, "history": len(values), "horizon": horizon,
            "forecast": [round(v, 4) for v in predicted]}


def rolling(values: Sequence[float], arch: str = FORECAST_DEFAULT, series: str = SERIES_DEFAULT) -> list[dict]:
    """{"t", "forecast"} for t = W+1..n (1-based), forecast of value t made from values 1..t-1 only."""
    model, meta = load_shipped(stem(series, arch))
    if meta.get("look_ahead"):
        raise ValueError(f"{stem(series, arch)} reads the days after the one it estimates: it cannot forecast")
    check_series(values, meta)
    window = meta["window"]
    targets = range(window, len(values))
    forecasts = one_step(model, list(values), targets, window, Scaling(**meta["scaling"])) if targets else []
    return [{"t": i + 1, "forecast": round(f, 4)} for i, f in zip(targets, forecasts, strict=True)]
