"""Lesson "Forecasting": a left-to-right RNN reads the past values of a series and forecasts the next ones.

Follows the notes' table of sequence tasks ("Historical temperature readings -> Predicted future
temperature") and their remark that a left-to-right RNN is exactly right here, since the future must
not be used. Every figure comes from rnncore.tasks.forecast (the checkpoints' JSON, and the shipped
models run on the series on screen); this file lays them out.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnncore import corpora
from rnncore.models import ARCH_NAMES
from rnncore.tasks.forecast import inference
from rnncore.tasks.forecast.baselines import AutoRegression
from rnncore.tasks.forecast.recipe import multi_step, multi_step_ar
from rnncore.tasks.forecast.series import SERIES, Scaling, classroom_series
from ui import figures, forecast_ui, models_ui, palette

SERIES_KEY, ARCH_KEY, SOURCE_KEY = "fc_series", "fc_arch", "fc_source"
START_KEY, HORIZON_KEY, PASTE_KEY = "fc_start", "fc_horizon", "fc_paste"
ARCHS = ("rnn", "gru", "lstm")
PASTE_LIMIT = 60_000  # characters: a few thousand numbers
SOURCE_REAL, SOURCE_GENERATED, SOURCE_PASTED = "The real test period", "A generated series", "Paste your own"


def shipped_metas(series: str) -> dict[str, dict]:
    """The JSON of every shipped forecaster of ``series``, the look-ahead BRNN last."""
    metas = {}
    for arch in (*ARCHS, "birnn"):
        stem = inference.stem(series, arch)
        if models_ui.is_shipped(stem):
            metas[arch] = models_ui.shipped_model(stem)[1]
    return metas


def show_results(series: str, metas: dict[str, dict]) -> None:
    meta = next(iter(metas.values()))
    source = meta["sources"][0]
    st.header("How well each forecaster does", divider="gray")
    st.caption(
        f"Measured on the test period of {meta['title']}: the last {source['test']:,} {meta['step']}s, from "
        f"{source['test_from']}, never used for training, for choosing the epoch or for the scaling. Each forecast "
        "reads only the values before it. The baselines are computed by the same training command on the same values."
    )
    table = forecast_ui.results_table(metas)
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"MAE": st.column_config.NumberColumn(format="%.3f"),
                                "RMSE": st.column_config.NumberColumn(format="%.3f")})
    forecasters = table[~table["model"].str.contains("not a forecast") & table["model"].isin(
        [ARCH_NAMES[a] for a in ARCHS])]
    persistence = meta["metrics"]["baselines"]["persistence"]["mae"]
    if not forecasters.empty:
        best = forecasters.sort_values("MAE").iloc[0]
        change = 1 - best["MAE"] / persistence
        st.markdown(
            f"The best forecaster here, the **{best['model']}**, is off by {best['MAE']:.2f} {meta['unit']} on average, "
            f"{abs(change):.0%} {'less' if change > 0 else 'more'} than persistence ({persistence:.2f})."
        )
    if "birnn" in metas:
        look = metas["birnn"]["metrics"]["test"]["mae"]
        st.info(
            f"The bidirectional RNN reads the {metas['birnn']['window']} {meta['step']}s before **and after** the one "
            f"it estimates: {look:.2f} {meta['unit']}. That is what seeing the future would buy, and why it is not "
            "allowed: at forecast time the days after do not exist yet. A left-to-right RNN never reads them.",
            icon=":material/sync_alt:",
        )
    st.subheader("Errors grow with the horizon")
    st.caption("Each forecaster is fed its own forecasts back as inputs, step after step (one-to-many, the numeric "
               "twin of sampling a sentence), from every day of the test period.")
    figures.chart(
        forecast_ui.horizon_figure({a: m for a, m in metas.items() if a in ARCHS}, meta["unit"]),
        "Lines of mean absolute error against the horizon h, one per shipped cell (solid) and per baseline (dotted).",
        key="fc_horizon_chart",
    )


def series_to_forecast(series: str, meta: dict) -> tuple[list[float], int | None, str] | None:
    """The values on screen, the index where the test period starts (real series only), and a caption."""
    real = forecast_ui.data_folder_series(series)
    options = ([SOURCE_REAL] if real else []) + [SOURCE_GENERATED, SOURCE_PASTED]
    choice = st.segmented_control("Series", options, default=options[0], required=True, key=SOURCE_KEY,
                                  bind="query-params")
    if choice == SOURCE_REAL and real:
        _, values = corpora.read_series(real)
        return values, len(values) - meta["sources"][0]["test"], f"{meta['title']}, read from this server's data folder."
    if choice == SOURCE_GENERATED or choice not in options:
        if series != "temperature":
            st.caption("The generated series is temperature-like; it only suits the temperature forecasters.")
        values = classroom_series()
        note = ("A series generated for this lesson (a yearly cycle around 11 °C plus day-to-day weather), not a "
                "measurement. " + ("" if real else "This server has no copy of the real series: the repository holds none."))
        return values, len(values) - 60, note
    raw = st.text_area("One number a line, oldest first", key=PASTE_KEY, max_chars=PASTE_LIMIT, height=160,
                       placeholder="20.7\n17.9\n18.8\n…")
    try:
        values = inference.parse_values((raw or "")[:PASTE_LIMIT].splitlines())
        if not values:
            st.info("Paste a series above, one number a line.", icon=":material/edit:")
            return None
        inference.check_series(values, meta, "your series")
    except ValueError as err:
        st.warning(f"{err}.", icon=":material/error:")
        return None
    return values, None, f"Your series: {len(values):,} values."


def show_forecast(series: str, arch: str, metas: dict[str, dict]) -> None:
    meta = metas[arch]
    st.header("Forecast a series", divider="gray")
    picked = series_to_forecast(series, meta)
    if picked is None:
        return
    values, test_start, note = picked
    st.caption(note)
    window = meta["window"]
    horizon = int(models_ui.clamp_number(st.slider("Horizon H", 1, 30, 7, key=HORIZON_KEY, bind="query-params"), 1, 30, 7))
    if test_start is None:
        start = len(values)
        actual = None
    else:
        low, high = max(test_start, window), len(values) - 1
        start = int(models_ui.clamp_number(st.slider("Forecast from", low, high, low, key=START_KEY, bind="query-params"), low, high, low))
        actual = values[start : start + horizon]
    history = values[:start]
    scaling = Scaling(**meta["scaling"])
    model, _ = models_ui.shipped_model(inference.stem(series, arch))
    ar = AutoRegression.from_dict(meta["ar"])
    lines = {
        f"{ARCH_NAMES[arch]}": (multi_step(model, history, horizon, window, scaling), palette.ARCH[arch], "solid"),
        f"AR({ar.p})": (multi_step_ar(ar, history, horizon), forecast_ui.baseline_colour("ar(1)"), "dot"),
        "persistence": ([history[-1]] * horizon, forecast_ui.baseline_colour("persistence"), "dot"),
    }
    shown = history[-3 * window:]
    figures.chart(
        forecast_ui.forecast_figure(shown, start, lines, actual, meta["unit"], meta["step"]),
        f"The last values of the series and, from step {start}, each forecaster's {horizon} forecasts as lines; the actual values dashed when known.",
        key="fc_forecast_chart",
    )
    rows = {"h": list(range(1, horizon + 1))} | {name: [round(v, 2) for v in vals] for name, (vals, _, _) in lines.items()}
    if actual:
        rows["actual"] = list(actual) + [None] * (horizon - len(actual))
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(f"The {ARCH_NAMES[arch]} reads x⟨1⟩..x⟨{window}⟩ = the last {window} values, scaled with the training "
               "period's mean and deviation, and writes ŷ: the change from the last value. Each forecast is then "
               "appended and read as the next input.")
    if test_start is None:
        rolled = inference.rolling(values, arch, series)
        if rolled:
            errors = [abs(r["forecast"] - values[r["t"] - 1]) for r in rolled]
            naive = [abs(values[r["t"] - 2] - values[r["t"] - 1]) for r in rolled]
            figures.chart(
                forecast_ui.rolling_figure(values, rolled, meta["unit"]),
                "Your series as a line, with the model's one-step forecast of each value drawn over it.",
                key="fc_rolling_chart",
            )
            st.caption(f"One-step forecasts of your values {rolled[0]['t']}..{len(values)}, each from the values before "
                       f"it: mean absolute error {sum(errors) / len(errors):.3f}, persistence {sum(naive) / len(naive):.3f}.")


def main() -> None:
    st.title("Forecasting")
    st.markdown(
        "A time series is a sequence like a sentence: $x^{\\langle 1 \\rangle} \\dots x^{\\langle T_x \\rangle}$ are "
        "the past values, $\\hat{y}$ the next one (many-to-one), and fed back value by value the network forecasts "
        "further ahead (one-to-many). The notes single this task out: a left-to-right RNN's prediction at step $t$ "
        "depends only on the inputs up to $t$, which is exactly what forecasting allows."
    )
    series = st.segmented_control("Series the models learnt", list(SERIES), default="temperature", required=True,
                                  key=SERIES_KEY, format_func=lambda s: SERIES[s].title, bind="query-params")
    series = series if series in SERIES else "temperature"
    metas = shipped_metas(series)
    if not metas or not any(a in metas for a in ARCHS):
        st.warning(f"No forecaster of this series is shipped yet: build them with `python -m rnncore train "
                   f"forecast-{series} --data-dir DIR`.", icon=":material/hourglass_empty:")
        return
    show_results(series, metas)
    available = [a for a in ARCHS if a in metas]
    default = inference.FORECAST_DEFAULT if inference.FORECAST_DEFAULT in available else available[0]
    arch = models_ui.arch_picker("Forecaster", ARCH_KEY, available, default)
    show_forecast(series, arch, metas)


main()
