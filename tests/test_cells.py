"""Cells against torch.nn and against a NumPy transcription of the course's equations."""

import numpy as np
import pytest
import torch
from torch import nn

from rnncore.cells import GRUCell, LSTMCell, RNNCell, make_cell


def run_steps(cell, xs, state):
    outputs = []
    for x_t in xs:
        state = cell(x_t, state)
        outputs.append(state[0] if isinstance(state, tuple) else state)
    return torch.stack(outputs)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def numpy_gru(xs, c0, W_c, W_u, W_r, b_c, b_u, b_r):
    """The notes' full GRU, one line per equation, column vectors as the notes write them."""
    c = c0
    history = []
    for x in xs:
        G_u = sigmoid(W_u @ np.concatenate([c, x]) + b_u)
        G_r = sigmoid(W_r @ np.concatenate([c, x]) + b_r)
        c_tilde = np.tanh(W_c @ np.concatenate([G_r * c, x]) + b_c)
        c = G_u * c_tilde + (1 - G_u) * c
        history.append(c)
    return np.stack(history)


def numpy_lstm(xs, a0, c0, W_c, W_u, W_f, W_o, b_c, b_u, b_f, b_o):
    a, c = a0, c0
    history = []
    for x in xs:
        ax = np.concatenate([a, x])
        c_tilde = np.tanh(W_c @ ax + b_c)
        G_u, G_f, G_o = sigmoid(W_u @ ax + b_u), sigmoid(W_f @ ax + b_f), sigmoid(W_o @ ax + b_o)
        c = G_u * c_tilde + G_f * c
        a = G_o * np.tanh(c)
        history.append(a)
    return np.stack(history)


def test_rnn_from_torch_matches_over_20_steps():
    torch.manual_seed(1)
    reference = nn.RNNCell(7, 5)
    cell = RNNCell.from_torch(reference)
    xs = torch.randn(20, 3, 7)
    a_ref, a = torch.zeros(3, 5), torch.zeros(3, 5)
    ours = run_steps(cell, xs, a)
    theirs = run_steps(reference, xs, a_ref)
    assert (ours - theirs).abs().max().item() < 1e-5


def test_lstm_from_torch_matches_over_20_steps():
    torch.manual_seed(2)
    reference = nn.LSTMCell(7, 5)
    cell = LSTMCell.from_torch(reference)
    xs = torch.randn(20, 3, 7)
    state = (torch.randn(3, 5), torch.randn(3, 5))
    ours = run_steps(cell, xs, state)
    theirs = run_steps(reference, xs, state)
    assert (ours - theirs).abs().max().item() < 1e-5


def test_lstm_from_torch_maps_gate_order_i_f_g_o():
    torch.manual_seed(3)
    reference = nn.LSTMCell(2, 3)
    cell = LSTMCell.from_torch(reference)
    n_a = 3
    # i, f, g, o = Gamma_u, Gamma_f, c~, Gamma_o; columns: [a<t-1> | x<t>]
    assert torch.equal(cell.W_f[:, :n_a], reference.weight_hh[n_a : 2 * n_a])
    assert torch.equal(cell.W_c[:, n_a:], reference.weight_ih[2 * n_a : 3 * n_a])
    assert torch.allclose(cell.b_o, reference.bias_ih[3 * n_a :] + reference.bias_hh[3 * n_a :])


def test_gru_equals_numpy_transcription_of_the_notes():
    torch.manual_seed(4)
    cell = GRUCell(n_x=4, n_a=6)
    xs = torch.randn(20, 1, 4)
    c0 = torch.randn(1, 6)
    ours = run_steps(cell, xs, c0)[:, 0].detach().numpy()
    params = {name: p.detach().double().numpy() for name, p in cell.named_parameters()}
    expected = numpy_gru(xs[:, 0].double().numpy(), c0[0].double().numpy(), **params)
    assert np.abs(ours - expected).max() < 1e-5


def test_lstm_equals_numpy_transcription_of_the_notes():
    torch.manual_seed(5)
    cell = LSTMCell(n_x=4, n_a=6)
    xs = torch.randn(20, 1, 4)
    ours = run_steps(cell, xs, cell.initial_state(1))[:, 0].detach().numpy()
    params = {name: p.detach().double().numpy() for name, p in cell.named_parameters()}
    expected = numpy_lstm(xs[:, 0].double().numpy(), np.zeros(6), np.zeros(6), **params)
    assert np.abs(ours - expected).max() < 1e-5


def test_course_gru_is_not_torch_gru_on_the_same_weights():
    """The GRU page says the two differ; this is the measured difference."""
    torch.manual_seed(6)
    cell = GRUCell(3, 4)
    reference = nn.GRUCell(3, 4)
    with torch.no_grad():  # torch rows r, z, n; give z = 1 - Gamma_u by negating u's weights
        reference.weight_ih.copy_(torch.cat([cell.W_r[:, 4:], -cell.W_u[:, 4:], cell.W_c[:, 4:]]))
        reference.weight_hh.copy_(torch.cat([cell.W_r[:, :4], -cell.W_u[:, :4], cell.W_c[:, :4]]))
        reference.bias_ih.copy_(torch.cat([cell.b_r, -cell.b_u, cell.b_c]))
        reference.bias_hh.zero_()
    x, c = torch.randn(2, 3), torch.randn(2, 4)
    gap = (cell(x, c) - reference(x, c)).abs().max().item()
    assert gap > 1e-3  # only the place of the reset gate differs; with c = 0 they agree:
    zero = torch.zeros(2, 4)
    assert (cell(x, zero) - reference(x, zero)).abs().max().item() < 1e-6


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
def test_gradcheck_float64(kind):
    torch.manual_seed(7)
    cell = make_cell(kind, 3, 4).double()
    x = torch.randn(2, 3, dtype=torch.float64, requires_grad=True)
    a = torch.randn(2, 4, dtype=torch.float64, requires_grad=True)
    if kind == "lstm":
        c = torch.randn(2, 4, dtype=torch.float64, requires_grad=True)
        assert torch.autograd.gradcheck(lambda x, a, c: cell(x, (a, c)), (x, a, c))
    else:
        assert torch.autograd.gradcheck(lambda x, a: cell(x, a), (x, a))


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_rnn_activation_is_g(activation):
    torch.manual_seed(8)
    cell = RNNCell(2, 3, activation=activation)
    x, a = torch.randn(4, 2), torch.randn(4, 3)
    z = a @ cell.W_aa.T + x @ cell.W_ax.T + cell.b_a
    expected = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}[activation](z)
    assert torch.allclose(cell(x, a), expected)


def test_simplified_notation_W_a_gives_the_same_a():
    torch.manual_seed(9)
    cell = RNNCell(3, 5)
    x, a = torch.randn(2, 3), torch.randn(2, 5)
    stacked = torch.tanh(torch.cat([a, x], 1) @ cell.W_a.T + cell.b_a)
    assert cell.W_a.shape == (5, 8)
    assert (stacked - cell(x, a)).abs().max().item() < 1e-6


def test_step_trace_names_and_gate_ranges():
    torch.manual_seed(10)
    cell = LSTMCell(3, 4, forget_bias=1.0)
    (a, c), trace = cell.step(torch.randn(5, 3), cell.initial_state(5))
    assert set(trace) == {"a", "c", "c_tilde", "G_u", "G_f", "G_o"}
    for gate in ("G_u", "G_f", "G_o"):
        assert 0 < trace[gate].min() and trace[gate].max() < 1
    assert torch.all(cell.b_f == 1.0)
    assert torch.equal(trace["a"], a)


def test_shape_errors_name_the_class_and_expected_shape():
    cell = GRUCell(3, 4)
    with pytest.raises(ValueError, match=r"GRUCell: expected x_t of shape \(m, n_x=3\)"):
        cell(torch.randn(2, 5), torch.zeros(2, 4))
    with pytest.raises(ValueError, match=r"GRUCell: expected c_prev of shape \(m=2, n_a=4\)"):
        cell(torch.randn(2, 3), torch.zeros(3, 4))
    with pytest.raises(ValueError, match="unknown cell"):
        make_cell("transformer", 1, 1)
