"""AppTest of the lesson "Forecasting": the figures shown are the checkpoints' JSON, the forecasts those
of rnncore.tasks.forecast on the same series, and bad pasted series end in a message."""

from __future__ import annotations

import pytest

from rnncore.shipped import load_shipped
from rnncore.tasks.forecast import inference
from rnncore.tasks.forecast.series import classroom_series
from tests.apptest_helpers import assert_clean, table
from ui.models_ui import is_shipped

PAGE = "lessons/forecasting.py"


@pytest.fixture(autouse=True)
def shipped_forecasters():
    if not all(is_shipped(inference.stem("temperature", a)) for a in ("rnn", "gru", "lstm")):
        pytest.skip("the temperature forecasters are not shipped (python -m rnncore train forecast --data-dir DIR)")


def test_results_table_and_headline_come_from_the_checkpoints(app_test, monkeypatch):
    monkeypatch.delenv("RNNLAB_DATA", raising=False)
    at = app_test(PAGE)
    assert_clean(at)
    results = table(at, "MAE").set_index("model")
    for arch, name in (("rnn", "RNN"), ("gru", "GRU"), ("lstm", "LSTM")):
        meta = load_shipped(inference.stem("temperature", arch))[1]
        assert results.loc[name, "MAE"] == pytest.approx(meta["metrics"]["test"]["mae"])
    persistence = meta["metrics"]["baselines"]["persistence"]["mae"]
    assert results.loc["Persistence (the day before)", "MAE"] == pytest.approx(persistence)
    best = results.loc[["RNN", "GRU", "LSTM"], "MAE"].idxmin()
    assert any(f"the **{best}**" in m.value and f"({persistence:.2f})" in m.value for m in at.markdown)
    assert any("reading the days after too" in name for name in results.index)
    assert any("This server has no copy of the real series" in c.value for c in at.caption)  # no data folder


def test_the_generated_series_is_forecast_as_the_library_does(app_test):
    at = app_test(PAGE, {"fc_arch": "GRU", "fc_horizon": "5"})
    assert_clean(at)
    shown = table(at, "persistence")
    values = classroom_series()
    history = values[: len(values) - 60]
    model, meta = load_shipped(inference.stem("temperature", "gru"))
    from rnncore.tasks.forecast.recipe import multi_step
    from rnncore.tasks.forecast.series import Scaling

    expected = multi_step(model, history, 5, meta["window"], Scaling(**meta["scaling"]))
    assert shown["GRU"].tolist() == [round(v, 2) for v in expected]
    assert shown["actual"].tolist() == values[len(history) : len(history) + 5]


def test_a_pasted_series_gets_rolling_forecasts_and_bad_ones_a_message(app_test):
    at = app_test(PAGE, {"fc_source": "Paste your own"})
    values = classroom_series()[:90]
    at.text_area(key="fc_paste").set_value("\n".join(str(v) for v in values)).run()
    assert_clean(at)
    rolled = inference.rolling(values, "lstm")
    mae = sum(abs(r["forecast"] - values[r["t"] - 1]) for r in rolled) / len(rolled)
    assert any(f"mean absolute error {mae:.3f}" in c.value for c in at.caption)
    for text, message in (("12\nabc", "line 2: 'abc' is not a number"), ("1\n2", "give at least 30"),
                          ("\n".join(["900"] * 40), "out of range")):
        at.text_area(key="fc_paste").set_value(text).run()
        assert_clean(at)
        assert any(message in w.value for w in at.warning), [w.value for w in at.warning]


def test_with_the_data_folder_the_real_test_period_is_offered(app_test, monkeypatch, tmp_path):
    """A stand-in for the data folder (a generated series in the real file's format): the page reads the
    file only where RNNLAB_DATA points, and forecasts from a date in its test period."""
    folder = tmp_path / "forecasting"
    folder.mkdir()
    values = classroom_series(1200, seed=3)
    rows = [f'"day-{i}",{v}' for i, v in enumerate(values)]
    (folder / "daily-min-temperatures.csv").write_text('"Date","Temp"\n' + "\n".join(rows), encoding="utf-8")
    monkeypatch.setenv("RNNLAB_DATA", str(tmp_path))
    at = app_test(PAGE, {"fc_horizon": "3"})
    assert_clean(at)
    assert at.segmented_control(key="fc_source").value == "The real test period"
    assert at.slider(key="fc_start").min == len(values) - 365
    shown = table(at, "persistence")
    assert shown["actual"].tolist() == values[len(values) - 365 : len(values) - 362]
