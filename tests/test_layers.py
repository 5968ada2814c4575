"""The time loop: padding, both paths, and the bidirectional layer against torch.nn."""

import pytest
import torch
from torch import nn

from rnncore.cells import LSTMCell, RNNCell, make_cell
from rnncore.layers import Bidirectional, Recurrent, _reverse_padded


def final_a(state):
    return state[0] if isinstance(state, tuple) else state


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("reverse", [False, True])
def test_fast_path_equals_traced_path_values_and_gradients(kind, reverse):
    torch.manual_seed(0)
    layer = Recurrent(make_cell(kind, 4, 6), reverse=reverse)
    x = torch.randn(3, 7, 4)
    lengths = torch.tensor([7, 3, 5])
    traced = layer(x, lengths, trace=True)
    fast = layer(x, lengths)
    assert (traced.outputs - fast.outputs).abs().max().item() < 1e-5
    assert (final_a(traced.state) - final_a(fast.state)).abs().max().item() < 1e-5
    grads = []
    for out in (traced, fast):
        layer.zero_grad()
        (out.outputs.sum() + final_a(out.state).pow(2).sum()).backward()
        grads.append([p.grad.clone() for p in layer.parameters()])
    for g_traced, g_fast in zip(*grads, strict=True):
        assert (g_traced - g_fast).abs().max().item() < 1e-4


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("trace", [False, True])
def test_padded_batch_equals_each_sequence_alone(kind, reverse, trace):
    torch.manual_seed(1)
    layer = Recurrent(make_cell(kind, 3, 5), reverse=reverse)
    lengths = torch.tensor([6, 2, 4])
    x = torch.randn(3, 6, 3)
    x[1, 2:] = 99.0  # padding must never reach a state
    x[2, 4:] = -99.0
    batch = layer(x, lengths, trace=trace)
    for i, T in enumerate(lengths.tolist()):
        alone = layer(x[i : i + 1, :T], trace=trace)
        assert (batch.outputs[i, :T] - alone.outputs[0]).abs().max().item() < 1e-5
        assert batch.outputs[i, T:].abs().max().item() == 0.0 if T < 6 else True
        assert (final_a(batch.state)[i] - final_a(alone.state)[0]).abs().max().item() < 1e-5


def test_trace_has_every_gate_in_time_order():
    torch.manual_seed(2)
    layer = Recurrent(make_cell("lstm", 3, 4))
    out = layer(torch.randn(2, 5, 3), trace=True)
    assert set(out.trace) == {"a", "c", "c_tilde", "G_u", "G_f", "G_o"}
    assert out.trace["G_f"].shape == (5, 2, 4)  # (T_x, m, n_a)
    assert torch.allclose(out.trace["a"].transpose(0, 1), out.outputs)


def test_bidirectional_equals_torch_bidirectional_lstm():
    torch.manual_seed(3)
    reference = nn.LSTM(4, 5, batch_first=True, bidirectional=True)
    cells = []
    for suffix in ("", "_reverse"):
        torch_cell = nn.LSTMCell(4, 5)
        with torch.no_grad():
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(torch_cell, name).copy_(getattr(reference, f"{name}_l0{suffix}"))
        cells.append(LSTMCell.from_torch(torch_cell))
    layer = Bidirectional(*cells)
    x = torch.randn(2, 20, 4)
    expected, _ = reference(x)
    for trace in (False, True):
        ours = layer(x, trace=trace).outputs
        assert ours.shape == (2, 20, 10)
        assert (ours - expected).abs().max().item() < 1e-5


def test_bidirectional_trace_numbers_the_backward_pass_in_time_order():
    torch.manual_seed(4)
    layer = Bidirectional(RNNCell(3, 2), RNNCell(3, 2))
    x = torch.randn(1, 4, 3)
    out = layer(x, trace=True)
    # a_bwd<T_x> sees only x<T_x>: it equals the backward cell applied once to x<4>
    alone = layer.bwd.cell(x[:, 3], torch.zeros(1, 2))
    assert torch.allclose(out.trace["bwd.a"][3], alone)
    assert torch.allclose(out.outputs[:, :, 2:], out.trace["bwd.a"].transpose(0, 1))


def test_reverse_padded_keeps_padding_at_the_end():
    x = torch.arange(8.0).reshape(2, 4, 1)
    flipped = _reverse_padded(x, torch.tensor([4, 2]))
    assert flipped[:, :, 0].tolist() == [[3, 2, 1, 0], [5, 4, 6, 7]]


def test_bad_shapes_and_lengths_are_clear_errors():
    layer = Recurrent(make_cell("gru", 3, 4))
    with pytest.raises(ValueError, match=r"Recurrent: expected x of shape \(m, T_x, n_x=3\)"):
        layer(torch.randn(2, 3))
    with pytest.raises(ValueError, match="lengths must be"):
        layer(torch.randn(2, 5, 3), torch.tensor([0, 5]))
