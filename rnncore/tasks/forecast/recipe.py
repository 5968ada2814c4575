"""How the shipped forecasters are trained and scored, beside persistence, seasonal naive and AR(p).

``forecast-<series>-<arch>`` reads the past W scaled values and predicts the change from the last one
(:mod:`rnncore.tasks.forecast.series`). Adam on the mean squared error, early stopping on the dev
period's mean absolute error; figures on the test period: one-step MAE and RMSE, and MAE for each
horizon h = 1..H when every forecast is fed back as the next input (one-to-many, the numeric twin of
sampling a sentence). The baselines are computed by the same command on the same values.

``forecast-temperature-birnn`` is the one model allowed to look ahead: it reads the W days before and
the W days after the day it estimates. It measures what "using the future" would buy; it cannot
forecast, since at forecast time the days after are unknown.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from pathlib import Path

import torch
import torch.nn.functional as F

from rnncore.models import Forecaster, ModelConfig
from rnncore.tasks.forecast.baselines import AutoRegression, persistence, seasonal_naive
from rnncore.tasks.forecast.series import SERIES, Scaling, Series, Splits, read, windows, windows_around
from rnncore.training import Progress, TrainConfig, fit, print_progress, round_metrics, save_trained

SIZES = {"n_a": 32, "dropout": 0.1}
CONFIG = TrainConfig(epochs=30, batch_size=32, lr=3e-3, clip=1.0, patience=6, lr_decay=0.95)
HORIZON = {"day": 14, "month": 12}  # the longest multi-step forecast scored


def mae_rmse(errors: Sequence[float]) -> dict:
    n = max(len(errors), 1)
    return {"mae": sum(abs(e) for e in errors) / n, "rmse": math.sqrt(sum(e * e for e in errors) / n), "n": len(errors)}


@torch.no_grad()
def one_step(model: Forecaster, values: list[float], targets: Sequence[int], window: int, scaling: Scaling,
             look_ahead: bool = False) -> list[float]:
    """The model's forecasts of values[i] for every i in targets, each from the values before it."""
    x, _ = (windows_around if look_ahead else windows)(values, targets, window, scaling)
    delta = model(x)  # (m,) in scaled units
    last = torch.tensor([values[i - 1] for i in targets], dtype=torch.float32)
    return (last + delta * scaling.std).tolist()


@torch.no_grad()
def multi_step(model: Forecaster, history: Sequence[float], horizon: int, window: int, scaling: Scaling) -> list[float]:
    """H forecasts after ``history``, each fed back as the next input."""
    values = list(history)
    for _ in range(horizon):
        x = scaling.scale(values[-window:]).reshape(1, window, 1)  # (1, W, 1)
        values.append(values[-1] + float(model(x)[0]) * scaling.std)
    return values[len(history):]


def multi_step_ar(ar: AutoRegression, history: Sequence[float], horizon: int) -> list[float]:
    values = list(history)
    for _ in range(horizon):
        values.append(ar.predict(values))
    return values[len(history):]


def horizon_errors(forecast_of, values: list[float], starts: Sequence[int], horizon: int) -> list[float]:
    """MAE at each h = 1..H over every start of the test period whose H values are all known."""
    totals = [0.0] * horizon
    count = 0
    for i in starts:
        if i + horizon > len(values):
            break
        predicted = forecast_of(values[:i])
        for h in range(horizon):
            totals[h] += abs(predicted[h] - values[i + h])
        count += 1
    return [round(t / max(count, 1), 4) for t in totals]


def baseline_metrics(series: Series, values: list[float], splits: Splits, ar: AutoRegression) -> dict:
    test = list(splits.targets("test", series.window))
    horizon = HORIZON[series.step]
    return {
        "persistence": {**mae_rmse([persistence(values, i) - values[i] for i in test]),
                        "mae_by_horizon": horizon_errors(lambda h: [h[-1]] * horizon, values, test, horizon)},
        "seasonal_naive": {**mae_rmse([seasonal_naive(values, i, series.period) - values[i] for i in test]),
                           "mae_by_horizon": horizon_errors(
                               lambda h: [h[len(h) - series.period + k] for k in range(horizon)], values, test, horizon)},
        f"ar({ar.p})": {**mae_rmse([ar.predict(values[:i]) - values[i] for i in test]), "p": ar.p,
                        "mae_by_horizon": horizon_errors(lambda h: multi_step_ar(ar, h, horizon), values, test, horizon)},
    }


def train_forecaster(series_name: str, arch: str, out: Path | str, seed: int = 0, data_dir: Path | None = None,
                     data: Sequence[Path] = (), cfg: TrainConfig | None = None,
                     progress: Progress | None = print_progress, argv: Sequence[str] | None = None) -> dict:
    """Train ``forecast-<series>-<arch>`` and save it with its test-period figures and the baselines'."""
    from rnncore import corpora

    series = SERIES[series_name]
    cfg = cfg or TrainConfig(**{**CONFIG.__dict__, "seed": seed})
    start = time.perf_counter()
    dates, values = corpora.read_series(data[0]) if data else read(series, data_dir)
    splits = Splits.of(len(values), series.test)
    scaling = Scaling.of(values[: splits.train_end])
    look_ahead = arch == "birnn"
    make = windows_around if look_ahead else windows
    train_targets = list(splits.targets("train", series.window))
    if look_ahead:  # its windows reach W steps forward: keep them inside the training period
        train_targets = [i for i in train_targets if i + series.window < splits.train_end]
    dev_targets = list(splits.targets("dev", series.window))
    if look_ahead:
        dev_targets = [i for i in dev_targets if i + series.window < splits.dev_end]
    x_train, y_train = make(values, train_targets, series.window, scaling)
    config = ModelConfig(arch, 0, 0, SIZES["n_a"], 1, n_features=2 if look_ahead else 1, dropout=SIZES["dropout"])
    torch.manual_seed(seed)
    model = Forecaster(config)
    generator = torch.Generator().manual_seed(seed)

    def epoch_batches(rng):
        order = torch.randperm(len(y_train), generator=generator)
        return [{"x": x_train[rows], "y": y_train[rows]} for rows in order.split(cfg.batch_size)]

    def loss_of(model, batch):
        return F.mse_loss(model(batch["x"]), batch["y"])

    def dev_score(model):
        forecasts = one_step(model, values, dev_targets, series.window, scaling, look_ahead)
        return -sum(abs(f - values[i]) for f, i in zip(forecasts, dev_targets, strict=True)) / len(dev_targets)

    history = fit(model, epoch_batches, loss_of, dev_score, cfg, progress)
    test = list(splits.targets("test", series.window))
    if look_ahead:
        test = [i for i in test if i + series.window < len(values)]
    forecasts = one_step(model, values, test, series.window, scaling, look_ahead)
    horizon = HORIZON[series.step]
    metrics = {"test": mae_rmse([f - values[i] for f, i in zip(forecasts, test, strict=True)])}
    if not look_ahead:
        metrics["test"]["mae_by_horizon"] = horizon_errors(
            lambda h: multi_step(model, h, horizon, series.window, scaling), values, test, horizon)
    dev_forecasts = one_step(model, values, dev_targets, series.window, scaling, look_ahead)
    metrics["dev"] = mae_rmse([f - values[i] for f, i in zip(dev_forecasts, dev_targets, strict=True)])
    ar = AutoRegression.chosen(values, list(splits.targets("train", series.window)), dev_targets,
                               [p for p in (1, 2, 3, 5, 7, 10, 14, 21, 30) if p <= series.window])
    metrics["baselines"] = baseline_metrics(series, values, splits, ar)
    metrics = {k: round_metrics(v) if "mae" in v else {b: round_metrics(m) for b, m in v.items()}
               for k, v in metrics.items()}
    meta = {
        "task": "forecast", "series": series.name, "arch": arch, "window": series.window,
        "look_ahead": look_ahead, "scaling": scaling.to_dict(), "unit": series.unit, "step": series.step,
        "period": series.period, "title": series.title,
        "ar": {"p": ar.p, "coef": [round(float(c), 6) for c in ar.coef]},  # the baseline, refitted nowhere else
        "plausible": [min(values[: splits.train_end]), max(values[: splits.train_end])],
        "sources": [{"name": series.name, "file": series.file if not data else str(data[0]), "what": series.title,
                     "train": splits.train_end, "dev": splits.dev_end - splits.train_end,
                     "test": len(values) - splits.dev_end, "test_from": dates[splits.dev_end], "share": 1.0}],
    }
    sizes = {"train_windows": len(train_targets), "minutes": round((time.perf_counter() - start) / 60, 2)}
    return save_trained(model, out, meta, metrics, history, cfg, argv, sizes)
