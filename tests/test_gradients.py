"""rnncore.explain (bptt, spectral, clipping, saliency): per-step gradient norms against independent computations, rates, clipping, saliency."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from rnncore.cells import RNNCell
from rnncore.encoding import SHAPE_FEATURES, Encoder
from rnncore.explain import bptt, clipping, saliency, spectral
from rnncore.layers import Recurrent
from rnncore.models import Classifier, ModelConfig, Tagger
from rnncore.text import Vocab, tokenize
from tests import references


def small(**changes) -> spectral.InitSettings:
    return spectral.InitSettings(**{"steps": 12, "n_a": 6, "n_x": 4, "m": 3, **changes})


def restart_norms(cell, readout, x, y) -> list[float]:
    """dL/da<t> for each t the slow, independent way: make a<t> (and c<t>) a leaf, finish the
    sequence from there through Recurrent's fused/fast path, and differentiate w.r.t. that leaf."""
    run = bptt.unroll(cell, x)
    T = x.shape[1]
    layer = Recurrent(cell)
    norms = []
    for t in range(T):
        a_t = run.states[t].detach().clone().requires_grad_(True)
        if t == T - 1:
            a_T = a_t
        else:
            state0 = (a_t, run.values["c"][t].detach()) if "G_f" in run.values else a_t
            out = layer(x[:, t + 1 :], state0=state0)
            a_T = out.state[0] if isinstance(out.state, tuple) else out.state
        loss = bptt.last_step_loss(readout, a_T, y)
        (grad,) = torch.autograd.grad(loss, a_t)
        norms.append(float(grad.norm()))
    return norms


def parts_of(arch: str, s: spectral.InitSettings):
    """The cell, readout, inputs and labels that profile_at_init builds from ``s``."""
    cell = spectral.cell_at_init(arch, s.n_x, s.n_a, s.radius, s.activation, s.forget_bias, s.seed)
    readout = spectral.readout_at_init(s.n_a, s.n_y, s.seed)
    x = spectral.random_inputs(s.m, s.steps, s.n_x, s.seed)
    y = torch.randint(0, s.n_y, (s.m,), generator=torch.Generator().manual_seed(s.seed + 2))
    return cell, readout, x, y


@pytest.mark.parametrize("arch", bptt.ARCHS)
@pytest.mark.parametrize("radius", [0.6, 1.3])
def test_norms_equal_an_independent_autograd_computation(arch, radius):
    s = small(radius=radius, seed=3)
    profile = bptt.profile_at_init(arch, s)
    cell, readout, x, y = parts_of(arch, s)
    slow = restart_norms(cell, readout, x, y)
    np.testing.assert_allclose(profile.norms, slow, rtol=1e-9)
    # and the one-call autograd over the connected graph
    run = bptt.unroll(cell, x)
    one_call = references.norms_of(references.state_gradients(bptt.last_step_loss(readout, run.states[-1], y), run.states))
    np.testing.assert_allclose(profile.norms, one_call, rtol=1e-9)
    assert profile.loss == pytest.approx(float(bptt.last_step_loss(readout, run.states[-1], y).detach()))
    assert len(profile.norms) == s.steps and all(n > 0 for n in profile.norms)
    assert profile.to_json() == {"arch": arch, "steps": s.steps, "norms": profile.norms}


@pytest.mark.parametrize("forget_bias", [-1.0, 1.0, 3.0])
def test_lstm_memory_cell_norms_equal_plain_autograd(forget_bias):
    s = small(forget_bias=forget_bias, radius=1.1, seed=4)
    profile = bptt.profile_at_init("lstm", s)
    cell, readout, x, y = parts_of("lstm", s)
    run = bptt.unroll(cell, x)
    loss = bptt.last_step_loss(readout, run.states[-1], y)
    cs = [state[1] for state in run.full[1:]]
    expected = references.norms_of(torch.autograd.grad(loss, cs, allow_unused=True, materialize_grads=True))
    np.testing.assert_allclose([10**v for v in profile.log10_c_norms], expected, rtol=1e-9)
    assert bptt.profile_at_init("rnn", s).log10_c_norms is None


def linear_rnn(rho: float, n_a: int = 5, n_x: int = 3) -> RNNCell:
    """W_aa = rho I and non-negative W_ax, b_a: with non-negative inputs every pre-activation is
    positive, so ReLU is the identity and the RNN is linear."""
    cell = RNNCell(n_x, n_a, activation="relu").to(spectral.DTYPE)
    with torch.no_grad():
        cell.W_aa.copy_(rho * torch.eye(n_a, dtype=spectral.DTYPE))
        cell.W_ax.uniform_(0.1, 1.0, generator=torch.Generator().manual_seed(0))
        cell.b_a.fill_(0.2)
    return cell


@pytest.mark.parametrize("rho", [0.5, 0.9, 1.0, 1.2])
def test_linear_rnn_norms_go_as_rho_to_the_T_minus_t(rho):
    T = 30
    cell = linear_rnn(rho)
    x = torch.rand(2, T, 3, dtype=spectral.DTYPE, generator=torch.Generator().manual_seed(1))  # >= 0
    readout = spectral.readout_at_init(5, 2)
    run = bptt.unroll(cell, x)
    assert all(bool((a > 0).all()) for a in run.states)  # the linear regime really holds
    norms = references.norms_of(
        references.state_gradients(bptt.last_step_loss(readout, run.states[-1], torch.tensor([0, 1])), run.states)
    )
    expected = [norms[-1] * rho ** (T - t) for t in range(1, T + 1)]
    np.testing.assert_allclose(norms, expected, rtol=1e-10)


@pytest.mark.parametrize("arch", bptt.ARCHS)
@pytest.mark.parametrize("radius", [0.3, 1.0, 2.5])
def test_every_state_block_gets_the_spectral_radius(arch, radius):
    cell = spectral.cell_at_init(arch, 4, 7, radius=radius, seed=5)
    blocks = spectral.state_blocks(cell)
    assert len(blocks) == {"rnn": 1, "gru": 3, "lstm": 4}[arch]
    for W in blocks.values():
        assert W.shape == (7, 7)
        assert float(torch.linalg.eigvals(W.detach()).abs().max()) == pytest.approx(radius, rel=1e-9)


def test_same_seed_same_cell_and_different_seed_different_cell():
    a = spectral.cell_at_init("lstm", 4, 6, seed=11)
    b = spectral.cell_at_init("lstm", 4, 6, seed=11)
    c = spectral.cell_at_init("lstm", 4, 6, seed=12)
    torch.manual_seed(999)  # the global generator must not matter
    d = spectral.cell_at_init("lstm", 4, 6, seed=11)
    for name, p in a.named_parameters():
        assert torch.equal(p, dict(b.named_parameters())[name])
        assert torch.equal(p, dict(d.named_parameters())[name])
    assert not torch.equal(a.W_c, c.W_c)
    assert torch.all(a.b_f == 1.0)


def test_default_init_vanishes_for_the_rnn_and_the_lstm_carries():
    """The issue's target at T = 50, at initialisation with the page's defaults."""
    profiles = bptt.profiles_at_init(spectral.InitSettings(steps=50))
    rnn, lstm = profiles["rnn"], profiles["lstm"]
    assert rnn.first_to_last < 1e-3
    assert lstm.first_to_last >= 100 * rnn.first_to_last
    # the default radius is torch's own initialisation, within a tenth
    assert spectral.torch_default_radius(32) == pytest.approx(spectral.InitSettings().radius, abs=0.1)


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("radius", [0.5, 1.0, 1.5])
def test_analytic_rate_is_close_to_the_measured_rate(activation, radius):
    profile = bptt.profile_at_init(
        "rnn", spectral.InitSettings(steps=60, n_a=128, radius=radius, activation=activation)
    )
    assert profile.rate == pytest.approx(profile.measured_rate, rel=0.15)
    assert profile.analytic_curve()[-1] == pytest.approx(profile.norms[-1])
    # the slope never exceeds the activation's maximum, so the rate never exceeds radius * max slope
    assert profile.rate <= radius * references.MAX_SLOPE[activation] + 1e-12


def test_radius_above_one_explodes_and_below_one_vanishes():
    grow = bptt.profile_at_init("rnn", spectral.InitSettings(radius=2.0, activation="relu"))
    shrink = bptt.profile_at_init("rnn", spectral.InitSettings(radius=0.5, activation="relu"))
    assert grow.first_to_last > 1e3
    assert shrink.first_to_last < 1e-3
    # sigmoid's slope of at most 1/4 makes even radius 2 vanish: 2 * 0.25 < 1
    assert bptt.profile_at_init("rnn", spectral.InitSettings(radius=2.0, activation="sigmoid")).first_to_last < 1e-6


def test_forget_gate_bias_lets_the_lstm_carry():
    ratios = [
        bptt.profile_at_init("lstm", spectral.InitSettings(forget_bias=b)).first_to_last for b in (-2.0, 0.0, 1.0, 3.0)
    ]
    assert ratios == sorted(ratios)
    assert ratios[-1] > 1e4 * ratios[0]


def test_gradients_far_below_the_float_range_stay_numbers():
    """sigmoid at radius 0.05 loses a factor of about 80 per step: 200 steps go far below 1e-308."""
    s = spectral.InitSettings(steps=200, radius=0.05, activation="sigmoid")
    profile = bptt.profile_at_init("rnn", s)
    logs = profile.log10_norms
    assert all(math.isfinite(v) for v in logs)
    assert logs[0] < -320 and profile.norms[0] == 0.0  # as a float it is gone; as a log it is not
    assert logs == sorted(logs)  # it only shrinks going back
    # the last 30 steps are in float range: the same numbers as plain autograd
    cell, readout, x, y = parts_of("rnn", s)
    run = bptt.unroll(cell, x)
    one_call = references.norms_of(references.state_gradients(bptt.last_step_loss(readout, run.states[-1], y), run.states))
    np.testing.assert_allclose(profile.norms[-30:], one_call[-30:], rtol=1e-9)
    per_step = (logs[0] - logs[-1]) / 199  # log10 of the factor per step, going back
    assert 10**per_step == pytest.approx(profile.rate, rel=0.1)


# -- settings ------------------------------------------------------------------------------------
def test_clamp_settings_reports_every_change():
    used, notes = spectral.clamp_settings(spectral.InitSettings(steps=1000, n_a=0, radius=10.0, forget_bias=-9.0))
    assert (used.steps, used.n_a, used.radius, used.forget_bias) == (200, 2, 3.0, -5.0)
    assert len(notes) == 4 and any("steps = 1000" in n and "200" in n for n in notes)
    same, none = spectral.clamp_settings(spectral.InitSettings())
    assert same == spectral.InitSettings() and none == []


@pytest.mark.parametrize(
    "bad",
    [
        spectral.InitSettings(activation="softmax"),
        spectral.InitSettings(radius=float("nan")),
        spectral.InitSettings(forget_bias=float("inf")),
    ],
)
def test_clamp_settings_rejects_what_cannot_be_clamped(bad):
    with pytest.raises(ValueError):
        spectral.clamp_settings(bad)


# -- clipping --------------------------------------------------------------------------------------
def exploding_grads() -> dict[str, torch.Tensor]:
    s = spectral.InitSettings(steps=20, radius=2.0, activation="relu", m=8)
    cell, readout = clipping._cell_for_task(s)
    x, y = clipping.memory_task(s.m, s.steps, s.n_x, s.seed)
    return clipping.parameter_gradients(cell, readout, x, y)[1]


@pytest.mark.parametrize("max_value", [0.01, 1.0, 5.0])
def test_clip_by_value_is_the_course_np_clip(max_value):
    grads = exploding_grads()
    assert max(float(g.abs().max()) for g in grads.values()) > 100  # really exploding
    clipped = clipping.clip_by_value(grads, max_value)
    for name, g in grads.items():
        assert float(clipped[name].abs().max()) <= max_value
        np.testing.assert_array_equal(clipped[name].numpy(), np.clip(g.numpy(), -max_value, max_value))
    assert float(grads["W_aa"].abs().max()) > max_value  # the input was not modified


def test_clip_by_norm_caps_the_length_and_keeps_the_direction():
    grads = exploding_grads()
    clipped = clipping.clip_by_norm(grads, 5.0)
    assert clipping.global_norm(clipped) == pytest.approx(5.0)
    flat = torch.cat([g.flatten() for g in grads.values()])
    flat_clipped = torch.cat([g.flatten() for g in clipped.values()])
    assert float(F.cosine_similarity(flat, flat_clipped, dim=0)) == pytest.approx(1.0)
    small_grads = {"W": torch.tensor([0.3, -0.4])}
    assert torch.equal(clipping.clip_by_norm(small_grads, 5.0)["W"], small_grads["W"])
    infinite = {"W": torch.tensor([float("inf"), 1.0, float("nan")])}
    capped = clipping.clip_by_norm(infinite, 2.0)["W"]
    assert bool(torch.isfinite(capped).all()) and float(capped.norm()) <= 2.0 + 1e-12


def test_clip_rejects_bad_thresholds_and_modes():
    with pytest.raises(ValueError):
        clipping.clip({"W": torch.ones(2)}, "value", 0.0)
    with pytest.raises(ValueError):
        clipping.clip({"W": torch.ones(2)}, "norm", -1.0)
    with pytest.raises(ValueError):
        clipping.clip({"W": torch.ones(2)}, "sideways", 1.0)


def test_clipping_snapshot_bounds_every_entry():
    snap = clipping.clipping_snapshot(spectral.InitSettings(steps=20, radius=2.0, activation="relu"), "value", 5.0)
    assert max(snap.max_before.values()) > 5.0
    assert max(snap.max_after.values()) <= 5.0
    assert set(snap.max_before) == {"W_aa", "W_ax", "b_a", "W_ya", "b_y"}
    by_norm = clipping.clipping_snapshot(spectral.InitSettings(steps=20, radius=2.0, activation="relu"), "norm", 5.0)
    assert by_norm.global_after == pytest.approx(5.0)
    assert by_norm.global_before > 5.0


def test_short_training_run_diverges_without_clipping_and_not_with_it():
    s = spectral.InitSettings(steps=20, radius=2.0, activation="relu", m=32)
    runs = {mode: clipping.train_short(s, mode, 5.0, updates=30) for mode in ("none", "value", "norm")}
    assert runs["none"].diverged and math.isnan(runs["none"].accuracy)
    assert not runs["value"].diverged and not runs["norm"].diverged
    # same start, same first batch: the first loss is the same whatever the clipping
    assert runs["none"].losses[0] == runs["value"].losses[0] == runs["norm"].losses[0]
    assert runs["norm"].losses[-1] < runs["norm"].losses[0]


def test_memory_task_labels_are_the_first_symbol():
    x, y = clipping.memory_task(16, 9, 5, seed=2)
    assert x.shape == (16, 9, 5)
    assert torch.equal(x[:, 0].argmax(1), y)
    assert bool((x[:, 1:].argmax(2) >= 2).all())


# -- trained-model paths on small models built here ---------------------------------------------------
def tiny_classifier(arch: str) -> tuple[Classifier, dict]:
    words = ["the", "cat", "cats", "ate", "fish", ",", "was", "were"]
    vocab = Vocab.from_words(words, lowercase=True)
    torch.manual_seed(0)
    model = Classifier(ModelConfig(arch, len(vocab), n_e=5, n_a=6, n_y=2)).eval()
    meta = {"encoder": Encoder(vocab).to_dict(), "labels": ["was", "were"]}
    return model, meta


@pytest.mark.parametrize("arch", bptt.ARCHS)
def test_profile_of_classifier_matches_the_model_and_leaves_it_alone(arch):
    model, meta = tiny_classifier(arch)
    before = copy.deepcopy(model.state_dict())
    ids = Encoder.from_dict(meta["encoder"]).word_ids("the cat , ate the fish ,".split())
    profile = bptt.profile_of_classifier(model, ids, label=0)
    with torch.no_grad():
        p_model = F.softmax(model(torch.tensor([ids])), dim=-1)[0].tolist()
    assert profile.details["probs"] == pytest.approx(p_model, rel=1e-5)
    assert profile.loss == pytest.approx(-math.log(p_model[0]), rel=1e-5)
    assert len(profile.norms) == len(ids)
    for name, value in model.state_dict().items():
        assert torch.equal(value, before[name]) and value.dtype == before[name].dtype


@pytest.mark.parametrize("arch", ["rnn", "lstm", "birnn"])
def test_saliency_equals_gradients_through_the_traced_cells(arch):
    model, meta = tiny_classifier(arch)
    tokens = "the cats , ate the fish ,".split()
    result = saliency.saliency_of_tokens(model, meta, tokens)
    # independent: the same gradient through the step-by-step course cells (trace=True)
    batch = Encoder.from_dict(meta["encoder"]).batch([tokens])
    x = model.inputs(batch["ids"]).detach().requires_grad_(True)
    lengths = torch.tensor([len(tokens)])
    logits = model.out(model.summary(model.recurrent(x, lengths, trace=True), lengths))
    log_p = F.log_softmax(logits, dim=-1)[0]
    (grad,) = torch.autograd.grad(log_p[result.predicted], x)
    np.testing.assert_allclose(result.norms, grad[0].norm(dim=1).tolist(), rtol=1e-5)
    assert result.label == ["was", "were"][result.predicted]
    assert result.probability == pytest.approx(float(log_p.detach().exp().max()), rel=1e-6)
    assert sum(result.share) == pytest.approx(1.0)
    assert result.tokens == tokens


def test_saliency_works_for_a_tagger_with_characters_and_features():
    vocab = Vocab.from_words(["tom", "met", "eliza", "in", "paris"], lowercase=True)
    chars = ["", "\ufffd", *sorted(set("TomeElizaParisnt"))]
    encoder = Encoder(vocab, chars, features=True)
    torch.manual_seed(0)
    config = ModelConfig(
        "birnn",
        len(vocab),
        4,
        5,
        3,
        n_char_vocab=len(chars),
        n_char_filters=3,
        n_features=len(SHAPE_FEATURES),
    )
    model = Tagger(config).eval()
    result = saliency.saliency_of_tokens(
        model,
        {"encoder": encoder.to_dict(), "labels": ["O", "B-PER", "B-LOC"]},
        "Tom met Eliza in Paris".split(),
    )
    assert len(result.norms) == 5 and all(n >= 0 for n in result.norms) and result.norms[-1] > 0
    with pytest.raises(ValueError):
        saliency.saliency_of_tokens(model, {"encoder": encoder.to_dict()}, [])


@pytest.mark.skipif(
    not all(bptt.trained_model_available(arch) for arch in bptt.ARCHS),
    reason="shipped sentiment models not installed",
)
def test_on_the_shipped_sentiment_models_less_gradient_reaches_the_rnns_first_words():
    """The page's 50-word review (seed 0) opens with the notes' 1-star sentence: of the gradient of
    -log P(rating) at the last step, the vanilla RNN passes back to its first word over a hundred times
    less than the LSTM does. The page shows that review only and claims nothing of others: with other
    reviews after the notes' sentence (other seeds) the order can flip."""
    seed = 0  # ui.gradients_ui.trained_profiles' default, the review the page shows
    profiles = {arch: bptt.profile_of_review(arch, 50, seed) for arch in bptt.ARCHS}
    rnn, lstm = profiles["rnn"], profiles["lstm"]
    assert rnn.log10_first_to_last < lstm.log10_first_to_last - 2
    tokens = rnn.details["tokens"]
    assert len(tokens) == 50 and tokens[:8] == tokenize("I didn't enjoy the film at all.")
    assert rnn.details["probs"][rnn.details["label"]] == max(rnn.details["probs"])  # L is its own rating
