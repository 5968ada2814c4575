"""The real series the forecasters learn, their chronological splits, and the windows a model reads.

A forecaster reads the past W values x<1>..x<W> (scaled with statistics of the training period only)
and predicts the next value as a change from the last one it read: y_hat = x<W> + delta_hat, so the
recurrent network learns what persistence ("tomorrow as today") misses. The splits are chronological
and never shuffled across: the last ``test`` values are the test period (never used for training,
selection or scaling), the ``test`` values before them choose the epoch and the AR order, the rest
trains.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import Tensor

from rnncore import corpora


@dataclass(frozen=True)
class Series:
    name: str
    file: str  # under the data folder
    title: str
    unit: str
    step: str  # "day" or "month"
    period: int  # steps in one season: the seasonal-naive baseline looks this far back
    test: int  # the last `test` steps are the test period
    window: int  # W, the past values a model reads


SERIES = {
    "temperature": Series("temperature", "forecasting/daily-min-temperatures.csv",
                          "Daily minimum temperature, Melbourne, 1981-1990", "°C", "day", 365, 365, 30),
    "sunspots": Series("sunspots", "forecasting/monthly-sunspots.csv",
                       "Monthly mean sunspot number, Zürich, 1749-1983", "sunspots", "month", 132, 264, 48),
    "passengers": Series("passengers", "forecasting/airline-passengers.csv",
                         "International airline passengers, 1949-1960", "thousands", "month", 12, 24, 12),
}


def read(series: Series, data_dir: Path) -> tuple[list[str], list[float]]:
    path = data_dir / series.file
    if not path.is_file():
        raise ValueError(f"{path}: not found (the {series.name} series; see the README's Data)")
    return corpora.read_series(path)


@dataclass(frozen=True)
class Splits:
    """Index ranges of the chronological parts: values[:train_end] train, [train_end:dev_end] dev, rest test."""

    n: int
    train_end: int
    dev_end: int

    @classmethod
    def of(cls, n: int, test: int) -> Splits:
        if n < 3 * test:
            raise ValueError(f"a series of {n} values is too short for a test period of {test}")
        return cls(n, n - 2 * test, n - test)

    def targets(self, part: str, window: int) -> range:
        """Indices i of the values forecast in ``part`` (each from the ``window`` values before it)."""
        start = {"train": window, "dev": self.train_end, "test": self.dev_end}[part]
        end = {"train": self.train_end, "dev": self.dev_end, "test": self.n}[part]
        return range(max(start, window), end)


@dataclass(frozen=True)
class Scaling:
    """z = (value - mean) / std with the training period's statistics."""

    mean: float
    std: float

    @classmethod
    def of(cls, values: list[float]) -> Scaling:
        t = torch.tensor(values, dtype=torch.float64)
        return cls(float(t.mean()), float(t.std()) or 1.0)

    def scale(self, values) -> Tensor:
        return (torch.as_tensor(values, dtype=torch.float32) - self.mean) / self.std

    def to_dict(self) -> dict:
        return {"mean": self.mean, "std": self.std}


def windows(values: list[float], targets: range | list[int], window: int, scaling: Scaling) -> tuple[Tensor, Tensor]:
    """x (m, W, 1): the scaled W values before each target; y (m,): the scaled change from the last one."""
    z = scaling.scale(values)  # (n,)
    index = torch.tensor(list(targets))  # (m,)
    offsets = torch.arange(-window, 0)  # (W,)
    x = z[index[:, None] + offsets[None, :]].unsqueeze(-1)  # (m, W, 1)
    y = z[index] - z[index - 1]  # (m,)
    return x, y


def windows_around(values: list[float], targets: range | list[int], window: int, scaling: Scaling) -> tuple[Tensor, Tensor]:
    """What a model that may look ahead would read: for each target i, W steps x<k> = [z<i-(W+1-k)>,
    z<i+(W+1-k)>], k = 1..W, the same distance before and after i, nearest last (the target itself
    left out), (m, W, 2); y as in :func:`windows`. Only the bidirectional demonstration uses it."""
    z = scaling.scale(values)
    index = torch.tensor(list(targets))  # (m,)
    distance = torch.arange(window, 0, -1)  # (W,): W .. 1
    before = z[index[:, None] - distance[None, :]]  # (m, W)
    after = z[index[:, None] + distance[None, :]]  # (m, W)
    return torch.stack([before, after], dim=-1), z[index] - z[index - 1]  # (m, W, 2), (m,)


def classroom_series(n: int = 730, seed: int = 0) -> list[float]:
    """A generated, seeded series shaped like daily minimum temperatures in a temperate city (a yearly
    cycle around 11 °C with a 4 °C swing, day-to-day weather as an AR(1) with noise): what the lesson
    forecasts when no real series is on the server. Not a measurement of anything."""
    generator = torch.Generator().manual_seed(seed)
    noise = torch.randn(n, generator=generator, dtype=torch.float64) * 2.2
    values, weather = [], 0.0
    for day in range(n):
        weather = 0.65 * weather + float(noise[day])
        season = 11.0 + 4.0 * math.cos(2 * math.pi * (day - 20) / 365)
        values.append(round(max(season + weather, -2.0), 1))
    return values
