"""AppTest of the lesson "Vanishing and exploding gradients": the numbers it shows, its controls, bad input.

Two set-ups: no trained model installed (an empty models folder), and small agreement and sentiment
models written here into a temporary folder, so the trained views are tested whatever assets/models
holds today.
"""

from __future__ import annotations

import json
import math

import pytest
import streamlit as st
import torch

from rnncore import checkpoint
from rnncore.encoding import Encoder
from rnncore.explain import bptt, clipping, saliency, spectral
from rnncore.models import Classifier, ModelConfig
from rnncore.text import Vocab, tokenize
from tests.apptest_helpers import assert_clean
from tests.conftest import make_app_test
from ui import gradients_ui as gui

PAGE = "lessons/gradients.py"


def metrics(at) -> dict[str, list[str]]:
    shown: dict[str, list[str]] = {}
    for metric in at.metric:
        shown.setdefault(metric.label, []).append(metric.value)
    return shown


def chart(at, key_part: str) -> dict:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if key_part in c.proto.id]
    assert len(specs) == 1, [c.proto.id for c in at.get("plotly_chart")]
    return specs[0]


def clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def no_models(tmp_path, monkeypatch):
    monkeypatch.setattr(checkpoint, "MODELS_DIR", tmp_path)
    clear_caches()
    yield tmp_path
    clear_caches()


@pytest.fixture
def small_models(tmp_path, monkeypatch):
    """Untrained agreement models and sentiment models (all three cells), saved as checkpoints."""
    from rnncore.tasks.agreement import data as agreement

    monkeypatch.setattr(checkpoint, "MODELS_DIR", tmp_path)
    clear_caches()
    vocab = agreement.vocab()
    for k, arch in enumerate(bptt.ARCHS):
        torch.manual_seed(k)
        model = Classifier(ModelConfig(arch, len(vocab), n_e=8, n_a=12, n_y=2))
        # as the compare lab saves them: a plain vocabulary, no encoder
        checkpoint.save(model, tmp_path / f"agreement-{arch}", vocab=vocab.to_dict(), labels=["was", "were"])
    words = Vocab.from_words(
        ["i", "didn't", "enjoy", "the", "film", "at", "all", ".", "good", "bad"], lowercase=True
    )
    labels = ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"]
    for k, arch in enumerate(bptt.ARCHS):
        torch.manual_seed(7 + k)
        sentiment = Classifier(ModelConfig(arch, len(words), n_e=8, n_a=12, n_y=5))
        checkpoint.save(sentiment, tmp_path / f"sentiment-{arch}", encoder=Encoder(words).to_dict(), labels=labels)
    yield tmp_path
    clear_caches()


# -- no trained model installed --------------------------------------------------------------------------
def test_without_models_the_init_view_shows_the_library_numbers(no_models):
    at = make_app_test(PAGE)
    assert_clean(at)
    assert any("not installed" in info.value for info in at.info)
    assert at.segmented_control(key="grad_source").value == "At initialisation"
    profiles = bptt.profiles_at_init(spectral.InitSettings())
    shown = metrics(at)
    for arch in bptt.ARCHS:
        assert shown[f"{gui.ARCH_NAMES[arch]}: first / last"] == [
            gui.power_of_ten(profiles[arch].log10_first_to_last)
        ]
    # the target holds for the defaults at T = 50
    assert profiles["rnn"].first_to_last < 1e-3
    assert profiles["lstm"].first_to_last >= 100 * profiles["rnn"].first_to_last
    spec = chart(at, "grad_norms_chart")
    names = [trace["name"] for trace in spec["data"]]
    assert names[0] == "RNN measured" and any(name.startswith("RNN rate") for name in names)
    rnn = spec["data"][0]
    assert len(rnn["y"]) == 50
    assert rnn["y"] == pytest.approx(profiles["rnn"].log10_norms, rel=1e-9)
    rate = next(trace for trace in spec["data"] if trace["name"].startswith("RNN rate"))
    assert rate["y"] == pytest.approx(profiles["rnn"].log10_analytic_curve(), rel=1e-9)
    memory = next(trace for trace in spec["data"] if "dL/dc" in trace["name"])
    assert memory["name"].startswith("LSTM") and memory["y"] == pytest.approx(
        profiles["lstm"].log10_c_norms, rel=1e-9
    )
    at.toggle(key="grad_show_memory").set_value(False).run()
    assert not any("dL/dc" in trace["name"] for trace in chart(at, "grad_norms_chart")["data"])
    assert any("No trained model" in info.value for info in at.info)


def test_controls_reach_the_cells(no_models):
    at = make_app_test(PAGE)
    at.slider(key="grad_radius").set_value(2.0)
    at.segmented_control(key="grad_activation").set_value("relu")
    at.slider(key="grad_steps").set_value(120)
    at.run()
    assert_clean(at)
    expected = bptt.profiles_at_init(spectral.InitSettings(steps=120, radius=2.0, activation="relu"))
    shown = metrics(at)
    assert shown["RNN: first / last"] == [gui.power_of_ten(expected["rnn"].log10_first_to_last)]
    assert expected["rnn"].first_to_last > 1e6  # radius 2 with ReLU: exploding
    assert len(chart(at, "grad_norms_chart")["data"][0]["y"]) == 120


def test_forget_bias_control_moves_only_the_lstm(no_models):
    at = make_app_test(PAGE)
    before = metrics(at)
    at.slider(key="grad_forget_bias").set_value(4.0)
    at.run()
    after = metrics(at)
    assert after["RNN: first / last"] == before["RNN: first / last"]
    assert after["LSTM: first / last"] != before["LSTM: first / last"]
    lstm = bptt.profile_at_init("lstm", spectral.InitSettings(forget_bias=4.0))
    assert after["LSTM: first / last"] == [gui.power_of_ten(lstm.log10_first_to_last)]


def test_out_of_range_state_never_reaches_the_cells(no_models):
    """Streamlit resets an out-of-range widget value; rnncore's clamp_settings would catch it next."""
    at = make_app_test(PAGE)
    at.session_state["grad_n_a"] = 100_000
    at.session_state["grad_radius"] = 50.0
    at.session_state["grad_x_max_value"] = -3.0
    at.run()
    assert_clean(at)
    assert spectral.LIMITS["n_a"][0] <= at.slider(key="grad_n_a").value <= spectral.LIMITS["n_a"][1]
    assert spectral.LIMITS["radius"][0] <= at.slider(key="grad_radius").value <= spectral.LIMITS["radius"][1]
    assert at.number_input(key="grad_x_max_value").value > 0
    assert float(metrics(at)["largest |entry| after"][0]) <= at.number_input(key="grad_x_max_value").value


def test_exploding_section_clips_every_entry(no_models):
    at = make_app_test(PAGE)
    settings = spectral.InitSettings(steps=20, radius=2.0, activation="relu", m=32)
    snap = clipping.clipping_snapshot(settings, "value", 5.0)
    shown = metrics(at)
    assert shown["largest |entry| before"][0] == f"{max(snap.max_before.values()):.3g}"
    assert float(shown["largest |entry| after"][0]) <= 5.0
    assert max(snap.max_before.values()) > 5.0
    growth = bptt.profile_at_init("rnn", settings)
    assert shown["RNN: ||dL/da⟨1⟩|| / ||dL/da⟨T⟩||"] == [gui.power_of_ten(growth.log10_first_to_last)]
    assert growth.first_to_last > 1.0  # the norms grow going back


def test_training_runs_with_and_without_clipping(no_models):
    at = make_app_test(PAGE)
    at.slider(key="grad_x_updates").set_value(20)
    at.button(key="grad_x_train").click().run()
    assert_clean(at)
    table = next(df.value for df in at.dataframe if "clipping" in df.value.columns)
    by_mode = table.set_index("clipping")
    settings = spectral.InitSettings(steps=20, radius=2.0, activation="relu", m=32)
    expected = clipping.train_short(settings, "none", 1.0, 20, 0.05)
    assert by_mode.loc["no clipping", "left the numbers (inf/nan)"] == ("yes" if expected.diverged else "no")
    assert by_mode.loc["clip by value (the course)", "left the numbers (inf/nan)"] == "no"
    assert by_mode.loc["clip by norm", "left the numbers (inf/nan)"] == "no"
    assert chart(at, "grad_x_training_chart")["data"]


# -- with (small, untrained) models installed -------------------------------------------------------------
def test_trained_view_is_the_default_when_models_exist(small_models):
    at = make_app_test(PAGE)
    assert_clean(at)
    assert at.segmented_control(key="grad_source").value == "Trained on reviews"
    expected = {arch: bptt.profile_of_review(arch, 50) for arch in bptt.ARCHS}
    shown = metrics(at)
    for arch, profile in expected.items():
        assert shown[f"{gui.ARCH_NAMES[arch]}: first / last"] == [
            gui.power_of_ten(profile.log10_first_to_last)
        ]
    captions = " ".join(c.value for c in at.caption)
    assert "I didn't enjoy the film at all" in captions and "stars, P =" in captions
    # the radius-times-slope line is drawn only at initialisation; here its numbers are explained instead
    names = [trace["name"] for trace in chart(at, "grad_norms_chart")["data"]]
    assert not any("rate" in name for name in names)
    rnn = expected["rnn"]
    assert f"spectral radius {rnn.radius:.2f}" in captions and f"{rnn.measured_rate:.2f} per step" in captions
    assert len(expected["rnn"].details["tokens"]) == 50


def test_trained_view_clamps_T_to_the_notes_review_and_says_so(small_models):
    at = make_app_test(PAGE)
    at.slider(key="grad_steps").set_value(3).run()
    assert_clean(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "T = 3" in warnings and f"used {bptt.REVIEW_STEPS}" in warnings
    assert len(chart(at, "grad_norms_chart")["data"][0]["y"]) == bptt.REVIEW_STEPS


def test_saliency_on_the_visitors_sentence(small_models):
    at = make_app_test(PAGE)
    assert at.selectbox(key="grad_sal_model").value == "sentiment-lstm"
    model, meta = checkpoint.load(small_models / "sentiment-lstm")
    expected = saliency.saliency_of_tokens(model, meta, tokenize("I didn't enjoy the film at all."))
    spec = chart(at, "grad_sal_chart")
    assert spec["data"][0]["y"] == pytest.approx(expected.share, rel=1e-5)
    assert metrics(at)["Answer"] == [expected.label]


@pytest.mark.parametrize(
    "text, expect",
    [
        ("", "warning"),
        ("   ", "warning"),
        ("x" * 10_000, "cut"),
        ("I 😀 didn't enjoy 🎬 it", "ok"),
        ("<script>alert('x')</script> <b>bold</b>", "ok"),
    ],
)
def test_saliency_bad_input(small_models, text, expect):
    at = make_app_test(PAGE)
    at.text_area(key="grad_text").set_value(text).run()
    assert_clean(at)
    warnings = " ".join(w.value for w in at.warning)
    if expect == "warning":
        assert "Type a sentence" in warnings
        return
    if expect == "cut":
        assert "Limit reached" in warnings
    labels = chart(at, "grad_sal_chart")["layout"]["xaxis"]["ticktext"]
    assert labels and all("<script" not in label and "<b>" not in label for label in labels)
    if "script" in text:
        assert any("&lt;" in label for label in labels)
    assert all(math.isfinite(v) for v in chart(at, "grad_sal_chart")["data"][0]["y"])


def test_saliency_on_an_agreement_model(small_models):
    at = make_app_test(PAGE)
    at.selectbox(key="grad_sal_model").set_value("agreement-lstm").run()
    at.text_area(key="grad_text").set_value("The cat, which already ate the fish,").run()
    assert_clean(at)
    model, meta = checkpoint.load(small_models / "agreement-lstm")
    expected = saliency.saliency_of_tokens(model, meta, tokenize("The cat, which already ate the fish,"))
    assert chart(at, "grad_sal_chart")["data"][0]["y"] == pytest.approx(expected.share, rel=1e-5)
    assert metrics(at)["Answer"] == [expected.label] and expected.label in ("was", "were")
