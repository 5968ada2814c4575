"""Forecasting: baselines, windows without leakage, a forecaster that learns, the shipped models and
the command line. No test reads a real series: the generated classroom series and synthetic ones stand in."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from rnncore import checkpoint
from rnncore.models import Forecaster, ModelConfig
from rnncore.tasks.forecast import inference
from rnncore.tasks.forecast.baselines import AutoRegression, persistence, seasonal_naive
from rnncore.tasks.forecast.recipe import multi_step, one_step
from rnncore.tasks.forecast.series import Scaling, Splits, classroom_series, windows, windows_around

ARCHS = ("rnn", "gru", "lstm")


def ar2_series(n: int = 600, seed: int = 0) -> list[float]:
    rng = np.random.default_rng(seed)
    v = [10.0, 10.0]
    for _ in range(n - 2):
        v.append(2.0 + 0.6 * v[-1] + 0.2 * v[-2] + rng.normal(0, 0.5))
    return v


def test_autoregression_recovers_the_coefficients_of_an_ar2_series():
    values = ar2_series(4000)
    model = AutoRegression(2).fit(values, range(2, 4000))
    assert model.coef == pytest.approx([2.0, 0.6, 0.2], abs=0.08)
    chosen = AutoRegression.chosen(values, range(30, 3000), range(3000, 3500), orders=(1, 2, 5))
    assert chosen.p in (2, 5)  # order 1 cannot explain the second lag
    assert AutoRegression.from_dict({"p": 2, "coef": [1.0, 0.5, 0.0]}).predict([4.0, 8.0]) == pytest.approx(5.0)


def test_persistence_and_seasonal_naive_read_only_the_past():
    values = [1.0, 2.0, 3.0, 4.0, 5.0]
    assert persistence(values, 3) == 3.0 and seasonal_naive(values, 4, period=3) == 2.0


def test_splits_are_chronological_and_windows_never_see_the_target():
    splits = Splits.of(100, test=20)
    assert (splits.train_end, splits.dev_end) == (60, 80)
    assert list(splits.targets("test", 5)) == list(range(80, 100))
    values = [float(i) for i in range(100)]
    scaling = Scaling(0.0, 1.0)
    x, y = windows(values, [10, 50], 5, scaling)
    assert x.shape == (2, 5, 1) and x[0, :, 0].tolist() == [5, 6, 7, 8, 9] and y.tolist() == [1.0, 1.0]
    around, _ = windows_around(values, [10], 3, scaling)
    assert around[0].tolist() == [[7, 13], [8, 12], [9, 11]]  # nearest last, the target (10) never read
    with pytest.raises(ValueError, match="too short"):
        Splits.of(30, test=20)


def test_a_forecaster_learns_a_seasonal_series_and_beats_persistence():
    torch.manual_seed(0)
    values = [10 + 5 * math.sin(2 * math.pi * t / 20) for t in range(400)]
    scaling = Scaling.of(values[:300])
    model = Forecaster(ModelConfig("gru", 0, 0, 16, 1, n_features=1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    x, y = windows(values, range(20, 300), 20, scaling)
    for _ in range(150):
        optimizer.zero_grad()
        F.mse_loss(model(x), y).backward()
        optimizer.step()
    model.eval()
    test = list(range(300, 400))
    forecasts = one_step(model, values, test, 20, scaling)
    mae = np.mean([abs(f - values[i]) for f, i in zip(forecasts, test, strict=True)])
    naive = np.mean([abs(values[i - 1] - values[i]) for i in test])
    assert mae < 0.3 * naive


def shipped(series: str, arch: str) -> tuple:
    stem = inference.stem(series, arch)
    if not checkpoint.stem_path(stem).with_suffix(".json").is_file():
        pytest.skip(f"{stem} is not shipped")
    from rnncore.shipped import load_shipped

    return load_shipped(stem)


@pytest.mark.parametrize("arch", ARCHS)
def test_shipped_temperature_forecasters_beat_persistence_on_the_test_year(arch):
    _, meta = shipped("temperature", arch)
    test, baselines = meta["metrics"]["test"], meta["metrics"]["baselines"]
    assert test["n"] == 365 and meta["sources"][0]["test"] == 365
    assert test["mae"] < baselines["persistence"]["mae"]
    assert len(test["mae_by_horizon"]) == 14 and test["mae_by_horizon"][-1] > test["mae_by_horizon"][0]


def test_the_default_temperature_forecaster_meets_its_targets():
    _, meta = shipped("temperature", inference.FORECAST_DEFAULT)
    test, baselines = meta["metrics"]["test"], meta["metrics"]["baselines"]
    ar = next(v for k, v in baselines.items() if k.startswith("ar("))
    assert test["mae"] <= 0.95 * baselines["persistence"]["mae"] and test["mae"] <= ar["mae"]


def test_the_look_ahead_brnn_is_better_than_any_forecast_and_refuses_to_forecast():
    _, meta = shipped("temperature", "birnn")
    lstm = shipped("temperature", "lstm")[1]
    assert meta["look_ahead"] and meta["metrics"]["test"]["mae"] < lstm["metrics"]["test"]["mae"]
    with pytest.raises(ValueError, match="cannot forecast"):
        inference.forecast(classroom_series()[:60], 1, "birnn")


def test_rolling_forecasts_use_only_the_values_before_them():
    shipped("temperature", "lstm")
    values = classroom_series()[:120]
    rows = inference.rolling(values, "lstm")
    assert rows[0]["t"] == 31 and rows[-1]["t"] == 120 and len(rows) == 90
    changed = values[:80] + [v + 10 for v in values[80:]]  # a different future
    again = inference.rolling(changed, "lstm")
    assert [r["forecast"] for r in again if r["t"] <= 81] == [r["forecast"] for r in rows if r["t"] <= 81]
    assert again[-1]["forecast"] != rows[-1]["forecast"]


def test_multi_step_feeds_each_forecast_back():
    model, meta = shipped("temperature", "lstm")
    values = classroom_series()[:60]
    scaling = Scaling(**meta["scaling"])
    three = multi_step(model, values, 3, meta["window"], scaling)
    first = one_step(model, values + [0.0], [60], meta["window"], scaling)[0]
    assert three[0] == pytest.approx(first, abs=1e-4)
    assert three[1] == pytest.approx(multi_step(model, values + [three[0]], 1, meta["window"], scaling)[0], abs=1e-4)


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "rnncore", "forecast", *args], input=stdin, capture_output=True,
                          text=True, timeout=300)


def test_the_command_line_contract():
    shipped("temperature", "lstm")
    series = "\n".join(str(v) for v in classroom_series()[:50]) + "\n"
    result = run("--horizon", "4", "--json", stdin=series)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["horizon"] == 4 and len(record["forecast"]) == 4 and record["history"] == 50
    assert record["forecast"] == inference.forecast(classroom_series()[:50], 4)["forecast"]
    rows = [json.loads(line) for line in run("--rolling", "--json", stdin=series).stdout.splitlines()]
    assert [r["t"] for r in rows] == list(range(31, 51)) and set(rows[0]) == {"t", "forecast"}


@pytest.mark.parametrize("stdin, message", [
    ("", "no numbers"),
    ("12\nseventeen\n", "line 2: 'seventeen' is not a number"),
    ("1\n2\n3\n", "give at least 30"),
    ("nan\n" * 40, "not a finite number"),
    ("\n".join(["400"] * 40), "out of range"),
])
def test_bad_series_end_in_one_clear_line(stdin, message):
    shipped("temperature", "lstm")
    result = run(stdin=stdin)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
