"""rnncore.explain (inputs, forward, gates, bidirectional, projection) against the models' own forward passes, on freshly initialised models of every kind."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from rnncore.encoding import SHAPE_FEATURES, Encoder, char_vocab, model_vocab
from rnncore.explain import bidirectional, forward
from rnncore.explain import gates as gate_views
from rnncore.explain.inputs import embedding_by_one_hot, sentence_inputs
from rnncore.explain.projection import pca_2d
from rnncore.models import Classifier, ModelConfig, Tagger
from rnncore.tasks.ner.inference import tag_tokens
from rnncore.text import tokenize

SENTENCES = [
    "Sherlock Holmes and John Watson lived at 221B Baker Street in London.",
    "Yesterday, Tom met Eliza in Paris.",
    "He met with Apple representatives today.",
    "I didn't enjoy the film at all.",
]
TOKENS = tokenize(SENTENCES[0])
LABELS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC"]
TOL = 1e-6


def tagger(arch: str, seed: int = 0) -> tuple[Tagger, dict]:
    token_lists = [tokenize(s) for s in SENTENCES]
    encoder = Encoder(model_vocab(token_lists), char_vocab(token_lists, min_count=1), features=True)
    config = ModelConfig(arch, len(encoder.words), n_e=8, n_a=6, n_y=len(LABELS), n_char_vocab=len(encoder.chars),
                         n_char_e=4, n_char_filters=5, n_features=len(SHAPE_FEATURES), dropout=0.3)
    torch.manual_seed(seed)
    model = Tagger(config).eval()
    return model, {"labels": LABELS, "encoder": encoder.to_dict()}


def classifier(arch: str, seed: int = 0) -> tuple[Classifier, dict]:
    encoder = Encoder(model_vocab([tokenize(s) for s in SENTENCES]))
    config = ModelConfig(arch, len(encoder.words), n_e=7, n_a=5, n_y=5, dropout=0.2)
    torch.manual_seed(seed)
    model = Classifier(config).eval()
    labels = ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"]
    return model, {"labels": labels, "encoder": encoder.to_dict()}


def own_encoding(model, meta, tokens):
    batch = Encoder.from_dict(meta["encoder"]).batch([tokens])
    return batch, model.encode(batch["ids"], batch["lengths"], chars=batch.get("chars"),
                               features=batch.get("features"))


def max_gap(a, b) -> float:
    return float((a - b).detach().abs().max())


# -- x<t> ------------------------------------------------------------------------------------------


def test_x_is_embedding_char_cnn_and_features_and_E_row_is_one_hot_product():
    model, meta = tagger("rnn")
    inputs = sentence_inputs(model, meta, TOKENS)
    assert inputs.x.shape == (len(TOKENS), model.config.n_x) == (13, 8 + 5 + len(SHAPE_FEATURES))
    assert [(p.name, p.start, p.stop) for p in inputs.parts] == [
        ("E[id]", 0, 8), ("char CNN", 8, 13), ("shape features", 13, 13 + len(SHAPE_FEATURES))
    ]
    E_rows = model.E.weight[inputs.ids]  # (T_x, n_e)
    assert max_gap(inputs.x[:, :8], E_rows) == 0.0
    assert max_gap(embedding_by_one_hot(model, inputs.ids), E_rows) < TOL
    features = inputs.x[:, 13:]
    assert features[0, SHAPE_FEATURES.index("sentence-initial")] == 1.0
    assert inputs.unknown[TOKENS.index("221B")]


def test_training_mode_and_empty_sentences_are_refused():
    model, meta = tagger("rnn")
    with pytest.raises(ValueError, match="no tokens"):
        forward.rnn_forward(model, meta, [])
    model.train()
    with pytest.raises(ValueError, match="eval"):
        forward.rnn_forward(model, meta, TOKENS)
    with pytest.raises(ValueError, match="arch 'rnn'"):
        forward.rnn_forward(tagger("gru")[0], meta, TOKENS)
    with pytest.raises(ValueError, match="'gru' or 'lstm'"):
        gate_views.gate_trace(tagger("rnn")[0], meta, TOKENS)


# -- the vanilla RNN ---------------------------------------------------------------------------------


@pytest.mark.parametrize("build", [tagger, classifier])
def test_rnn_states_equal_the_models_own_encode(build):
    model, meta = build("rnn")
    run = forward.rnn_forward(model, meta, TOKENS)
    _, own = own_encoding(model, meta, TOKENS)
    assert run.a.shape == (13, model.config.n_a)
    assert max_gap(run.a, own.outputs[0]) < TOL
    assert run.uses_zero_a0 and max_gap(run.steps.a_prev[0], torch.zeros(model.config.n_a)) == 0.0
    assert max_gap(run.steps.a_prev[1:], run.a[:-1]) == 0.0


def test_step_pieces_add_up_and_the_stacked_form_agrees():
    model, meta = tagger("rnn")
    for a0 in ("zeros", "random"):
        steps = forward.rnn_forward(model, meta, TOKENS, a0=a0, seed=3).steps
        cell = model.recurrent.cell
        # g(W_aa a<t-1> + W_ax x<t> + b_a) is a<t>: the pieces are the cell's own step
        assert max_gap(torch.tanh(steps.z), steps.a) < TOL
        assert max_gap(steps.z, steps.W_aa_a_prev + steps.W_ax_x + steps.b_a) < TOL
        # W_a [a<t-1>, x<t>] equals the two-term sum
        assert max_gap(steps.stacked, steps.W_aa_a_prev + steps.W_ax_x) < TOL
        assert steps.stacked_gap().shape == (13,) and float(steps.stacked_gap().max()) < TOL
        assert max_gap(steps.W_aa_a_prev[4], cell.W_aa @ steps.a_prev[4]) < TOL
        assert steps.order == list(range(1, 14))


def test_y_hat_equals_the_taggers_output_and_the_classifiers_prefix_probabilities():
    model, meta = tagger("rnn")
    run = forward.rnn_forward(model, meta, TOKENS)
    batch, _ = own_encoding(model, meta, TOKENS)
    logits = model(**batch)[0]  # (T_x, n_y)
    assert max_gap(run.logits, logits) < TOL
    assert max_gap(run.y_hat, F.softmax(logits, dim=1)) < TOL
    assert run.labels == LABELS and not run.many_to_one and run.output is None
    assert run.shapes == {"n_x": model.config.n_x, "n_a": 6, "n_y": 9, "m": 1, "T_x": 13}

    model, meta = classifier("rnn")
    run = forward.rnn_forward(model, meta, TOKENS)
    ids = torch.tensor(Encoder.from_dict(meta["encoder"]).word_ids(TOKENS))
    assert run.many_to_one
    assert max_gap(run.y_hat, model.prefix_probs(ids)) < TOL  # row t: the model reading x<1>..x<t>
    assert max_gap(run.y_hat[-1], F.softmax(model(ids[None]), dim=1)[0]) < TOL
    assert run.pooling == "last" and max_gap(run.output, run.y_hat[-1]) == 0.0


@pytest.mark.parametrize("arch", ["rnn", "gru", "lstm"])
def test_a_mean_pooling_classifiers_output_is_its_own_forward(arch):
    model, meta = classifier(arch)
    model.config.pooling = "mean"
    ids = torch.tensor(Encoder.from_dict(meta["encoder"]).word_ids(TOKENS))
    expected = F.softmax(model(ids[None]), dim=1)[0]
    run = forward.rnn_forward(model, meta, TOKENS) if arch == "rnn" else gate_views.gate_trace(model, meta, TOKENS)
    assert run.many_to_one and run.pooling == "mean"
    assert max_gap(run.output, expected) < TOL and max_gap(run.output, run.y_hat[-1]) > 1e-4


def test_random_a0_is_seeded_and_reaches_the_states():
    model, meta = tagger("rnn")
    first = forward.rnn_forward(model, meta, TOKENS, a0="random", seed=7)
    again = forward.rnn_forward(model, meta, TOKENS, a0="random", seed=7)
    other = forward.rnn_forward(model, meta, TOKENS, a0="random", seed=8)
    zeros = forward.rnn_forward(model, meta, TOKENS)
    assert torch.equal(first.steps.a0, again.steps.a0) and torch.equal(first.a, again.a)
    assert not torch.equal(first.steps.a0, other.steps.a0)
    assert not first.uses_zero_a0 and first.steps.a0.abs().max() < 1
    assert max_gap(first.a[0], zeros.a[0]) > 1e-3
    # with the same start, the layer's own loop gives the same states
    x = first.inputs.x.unsqueeze(0)
    own = model.recurrent(x, state0=first.steps.a0.unsqueeze(0)).outputs[0]
    assert max_gap(first.a, own) < TOL
    with pytest.raises(ValueError):
        forward.initial_state(4, "ones")


def test_course_layout_and_batch_first_hold_the_same_numbers():
    model, meta = tagger("rnn")
    run = forward.rnn_forward(model, meta, TOKENS)
    a, y_hat = run.course_layout()
    a_bf, y_hat_bf = run.batch_first()
    assert a.shape == (6, 1, 13) and y_hat.shape == (9, 1, 13)
    assert a_bf.shape == (1, 13, 6) and y_hat_bf.shape == (1, 13, 9)
    assert torch.equal(a.permute(1, 2, 0), a_bf) and torch.equal(y_hat.permute(1, 2, 0), y_hat_bf)
    t = 4
    assert torch.equal(a[:, 0, t], run.a[t]) and torch.equal(a_bf[0, t], run.a[t])
    assert all(run.layouts_agree(step) for step in range(1, 14))
    assert run.one_hot_gap().shape == (13,) and float(run.one_hot_gap().max()) < TOL
    assert max_gap(run.E_by_one_hot, model.E.weight[run.inputs.ids]) < TOL


# -- the projection ------------------------------------------------------------------------------------


def test_pca_matches_the_covariance_eigenvectors_and_is_deterministic():
    torch.manual_seed(0)
    states = torch.randn(12, 6) @ torch.diag(torch.tensor([5.0, 3.0, 1.0, 0.5, 0.2, 0.1]))
    projection = pca_2d(states)
    centred = (states - states.mean(0)).double()
    eigenvalues, eigenvectors = torch.linalg.eigh(centred.T @ centred)  # ascending
    for i in range(2):
        expected = eigenvectors[:, -1 - i]
        assert abs(abs(float(projection.components[i].double() @ expected)) - 1) < 1e-5
        assert projection.components[i, projection.components[i].abs().argmax()] > 0
    assert abs(sum(projection.explained) - float(eigenvalues[-2:].sum() / eigenvalues.sum())) < 1e-6
    assert max_gap(projection.coords, (states - states.mean(0)) @ projection.components.T) < 1e-5
    assert torch.equal(projection.coords, pca_2d(states).coords)


def test_pca_of_a_single_step_or_constant_states_is_zero():
    one = pca_2d(torch.randn(1, 4))
    assert one.coords.shape == (1, 2) and one.coords.abs().max() == 0 and one.explained == [0.0, 0.0]
    flat = pca_2d(torch.ones(5, 3))
    assert flat.coords.abs().max() == 0 and flat.explained == [0.0, 0.0]


# -- gates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("arch,gates", [("gru", {"G_u", "G_r"}), ("lstm", {"G_u", "G_f", "G_o"})])
@pytest.mark.parametrize("build", [tagger, classifier])
def test_gates_come_from_the_cell_and_rebuild_its_states(arch, gates, build):
    model, meta = build(arch)
    trace = gate_views.gate_trace(model, meta, TOKENS)
    _, own = own_encoding(model, meta, TOKENS)
    assert set(trace.gates) == gates and set(trace.values) == gates | {"c_tilde", "c", "a"}
    assert all(v.shape == (13, model.config.n_a) for v in trace.values.values())
    assert max_gap(trace.values["a"], own.outputs[0]) < TOL
    for name in gates:
        assert 0 < float(trace.values[name].min()) and float(trace.values[name].max()) < 1
    cell = model.recurrent.cell
    for t in (1, 5, 13):
        step = trace.at(t)
        if arch == "gru":
            state, values = cell.step(step["x"][None], step["c_prev"][None])
            c = step["G_u"] * step["c_tilde"] + step["keep"] * step["c_prev"]
            assert max_gap(step["keep"] + step["G_u"], torch.ones(model.config.n_a)) < TOL
        else:
            (state, _), values = cell.step(step["x"][None], (step["a_prev"][None], step["c_prev"][None]))
            c = step["G_u"] * step["c_tilde"] + step["G_f"] * step["c_prev"]
            assert max_gap(step["a"], step["G_o"] * torch.tanh(step["c"])) < TOL
        assert max_gap(step["c"], c) < TOL
        for name in (*gates, "c_tilde", "c"):
            assert max_gap(values[name][0], step[name]) < TOL
    assert torch.equal(trace.at(1)["c_prev"], torch.zeros(model.config.n_a))
    means = trace.gate_means()
    assert set(means) == gates and max_gap(means["G_u"][4], trace.values["G_u"][4].mean()) < TOL
    assert torch.equal(trace.at(6)["c_prev"], trace.values["c"][4])
    with pytest.raises(ValueError):
        trace.at(14)


def test_torch_gru_counterpart_differs_only_by_where_the_reset_gate_acts():
    model, meta = tagger("gru", seed=4)
    comparison = gate_views.compare_with_torch_gru(model, meta, TOKENS)
    assert comparison.course.shape == comparison.torch.shape == (13, 6)
    assert comparison.max_difference > 1e-3  # different functions of the same weights
    cell = model.recurrent.cell
    with torch.no_grad():
        cell.W_c[:, : cell.n_a] = 0  # no W_cc: resetting before or after the product is the same
    assert gate_views.compare_with_torch_gru(model, meta, TOKENS).max_difference < 1e-5


# -- the bidirectional RNN ------------------------------------------------------------------------------


def test_bidirectional_states_order_and_contributions():
    model, meta = tagger("birnn")
    run = bidirectional.bidirectional_forward(model, meta, TOKENS)
    batch, own = own_encoding(model, meta, TOKENS)
    n_a = model.config.n_a
    assert max_gap(run.fwd.a, own.outputs[0, :, :n_a]) < TOL
    assert max_gap(run.bwd.a, own.outputs[0, :, n_a:]) < TOL
    assert run.fwd.order == list(range(1, 14)) and run.bwd.order == list(range(13, 0, -1))
    # the backward half reads the step after: a_bwd<t> = tanh(W_aa a_bwd<t+1> + W_ax x<t> + b_a)
    assert max_gap(run.bwd.a_prev[:-1], run.bwd.a[1:]) == 0.0 and run.bwd.a_prev[-1].abs().max() == 0
    assert max_gap(torch.tanh(run.bwd.z), run.bwd.a) < TOL
    # the directions' terms add up to the logits minus the bias
    assert max_gap(run.from_fwd + run.from_bwd, run.logits - run.b_y) < TOL
    assert max_gap(run.logits, model(**batch)[0]) < TOL
    f, b, bias = run.chosen_parts()
    chosen_logits = run.logits[torch.arange(13), torch.tensor(run.chosen)]
    assert max_gap(f + b + bias, chosen_logits) < TOL
    assert torch.all((run.forward_share() >= 0) & (run.forward_share() <= 1))
    runner_up = run.runner_up()
    assert all(j != k for j, k in zip(runner_up, run.chosen, strict=True))
    mf, mb, mbias = run.margin_parts()
    steps = torch.arange(13)
    margin = run.logits[steps, torch.tensor(run.chosen)] - run.logits[steps, torch.tensor(runner_up)]
    assert max_gap(mf + mb + mbias, margin) < 1e-5
    # the chosen tags are the ones the app's tagger shows (BIO-valid decoding)
    labels, _, _ = tag_tokens(model, meta, [TOKENS])[0]
    assert [run.labels[k] for k in run.chosen] == labels


def test_the_first_tag_depends_on_the_last_word_only_through_the_backward_half():
    model, meta = tagger("birnn", seed=2)
    base = bidirectional.bidirectional_forward(model, meta, TOKENS)
    changed = bidirectional.bidirectional_forward(model, meta, TOKENS[:-1] + ["!"])
    assert max_gap(base.from_fwd[0], changed.from_fwd[0]) == 0.0
    assert max_gap(base.from_bwd[0], changed.from_bwd[0]) > 0.0
