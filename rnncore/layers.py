"""The time loop: a cell unrolled over T_x steps, and the bidirectional pair.

``Recurrent(cell)(x, lengths)`` runs one cell over a padded batch ``x`` of
shape ``(m, T_x, n_x)`` (batch first, as PyTorch does; the notes store the same
numbers as ``(n_x, m, T_x)``).  Padding sits at the end of each row; a row
stops changing its state after its own length, so its final state and every
output are what the sequence would give alone.

Two paths compute the same function:

* the traced path (``trace=True``) steps the course-named cell once per
  time step and keeps every a<t>, c<t>, c~<t> and gate, for the lessons;
* the fast path (default) trains.  RNN and LSTM hand the very same weights,
  rearranged, to torch's fused kernels; the course's GRU has no fused twin
  (see :class:`rnncore.cells.GRUCell`), so its loop precomputes every input
  projection in one matrix product and keeps the per-step work to five kernels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rnncore.cells import GRUCell, LSTMCell, RNNCell

State = Tensor | tuple[Tensor, Tensor]


@dataclass
class RecurrentOutput:
    """What a recurrent layer returns.

    outputs: a<t> for every step, (m, T_x, n_a), zeros at padded steps.
    state: the final state of each row (a, or (a, c) for the LSTM), taken at the row's own last step.
    trace: with ``trace=True``, every intermediate value by name ("a", "c", "c_tilde", "G_u", ...),
        each (T_x, m, n_a), in time order 1..T_x even for a reversed layer.
    """

    outputs: Tensor
    state: State
    trace: dict[str, Tensor] = field(default_factory=dict)


def lengths_mask(lengths: Tensor, T_x: int) -> Tensor:
    """(m, T_x) boolean, True where step t is inside row i's sequence."""
    return torch.arange(T_x, device=lengths.device)[None, :] < lengths[:, None]  # (m, T_x)


def _check_batch(layer: nn.Module, x: Tensor, lengths: Tensor | None) -> Tensor:
    if x.dim() != 3 or x.shape[2] != layer.cell.n_x:
        raise ValueError(
            f"{type(layer).__name__}: expected x of shape (m, T_x, n_x={layer.cell.n_x}), got {tuple(x.shape)}"
        )
    m, T_x, _ = x.shape
    if lengths is None:
        return torch.full((m,), T_x, dtype=torch.long)
    lengths = torch.as_tensor(lengths, dtype=torch.long).cpu()
    if lengths.shape != (m,) or int(lengths.min()) < 1 or int(lengths.max()) > T_x:
        raise ValueError(
            f"{type(layer).__name__}: lengths must be (m={m},) with values in 1..T_x={T_x}, got {lengths.tolist()}"
        )
    return lengths


def _where(keep: Tensor, new: State, old: State) -> State:
    """Row-wise choice between two states; keep is (m, 1)."""
    if isinstance(new, tuple):
        return tuple(torch.where(keep, n, o) for n, o in zip(new, old, strict=True))
    return torch.where(keep, new, old)


def _gru_loop(X_proj: Tensor, c0: Tensor, W_urc_T: Tensor, W_cc_T: Tensor) -> Tensor:
    """The course's GRU over all steps, left to right, with no padding logic (the caller handles it).

    X_proj = x W_x^T + b for (u, r, c~), (m, T_x, 3 n_a); returns every c<t>, (m, T_x, n_a).
    unbind/split/chunk rather than indexing: their backward writes each step's gradient once,
    where ``X_proj[:, t]`` would allocate a full-size gradient per step (measured: 2x slower).
    """
    n_a = c0.shape[1]
    c = c0
    outputs = []
    for xp in X_proj.unbind(1):  # xp: (m, 3 n_a)
        x_ur, x_c = xp.split([2 * n_a, n_a], dim=1)
        G_u, G_r = torch.sigmoid(torch.addmm(x_ur, c, W_urc_T)).chunk(2, dim=1)  # (m, n_a) each
        c_tilde = torch.tanh(torch.addmm(x_c, G_r * c, W_cc_T))  # (m, n_a)
        c = torch.lerp(c, c_tilde, G_u)  # = G_u * c_tilde + (1 - G_u) * c
        outputs.append(c)
    return torch.stack(outputs, dim=1)  # (m, T_x, n_a)


class Recurrent(nn.Module):
    """Runs ``cell`` over every time step of a padded batch.

    Args:
        cell: an :class:`RNNCell`, :class:`GRUCell` or :class:`LSTMCell`.
        reverse: read the sequence from x<T_x> back to x<1> (the backward half of a BRNN).

    Shape:
        x: (m, T_x, n_x); lengths: (m,) ints in 1..T_x or None (all T_x);
        returns :class:`RecurrentOutput` with outputs (m, T_x, n_a).
    """

    def __init__(self, cell: nn.Module, reverse: bool = False):
        super().__init__()
        self.cell, self.reverse = cell, reverse

    @property
    def n_a(self) -> int:
        return self.cell.n_a

    def forward(
        self, x: Tensor, lengths: Tensor | None = None, state0: State | None = None, trace: bool = False
    ) -> RecurrentOutput:
        lengths = _check_batch(self, x, lengths)
        if state0 is None:
            state0 = self.cell.initial_state(x.shape[0])
        if trace or not self._has_fast_path():
            return self._traced(x, lengths, state0, keep_trace=trace)
        return self._fast(x, lengths, state0)

    def _has_fast_path(self) -> bool:
        cell = self.cell
        return isinstance(cell, (LSTMCell, GRUCell)) or (
            isinstance(cell, RNNCell) and cell.activation in ("tanh", "relu")
        )

    # -- the step-by-step path: one course-named cell call per time step ------------------------------
    def _traced(self, x: Tensor, lengths: Tensor, state: State, keep_trace: bool) -> RecurrentOutput:
        m, T_x, _ = x.shape
        mask = lengths_mask(lengths, T_x).to(x.device)  # (m, T_x)
        steps = range(T_x - 1, -1, -1) if self.reverse else range(T_x)
        outputs: list[Tensor | None] = [None] * T_x
        traces: dict[str, list[Tensor | None]] = {}
        for t in steps:
            new_state, values = self.cell.step(x[:, t], state)  # each value (m, n_a)
            keep = mask[:, t : t + 1]  # (m, 1)
            state = _where(keep, new_state, state)
            a = state[0] if isinstance(state, tuple) else state  # (m, n_a)
            outputs[t] = a * keep
            if keep_trace:
                for name, value in values.items():
                    traces.setdefault(name, [None] * T_x)[t] = value * keep
        out = torch.stack(outputs, dim=1)  # (m, T_x, n_a)
        trace = {name: torch.stack(vals, dim=0) for name, vals in traces.items()}  # each (T_x, m, n_a)
        return RecurrentOutput(out, state, trace)

    # -- the fast path: same weights, fused kernels ------------------------------------------------
    def _fast(self, x: Tensor, lengths: Tensor, state0: State) -> RecurrentOutput:
        if isinstance(self.cell, GRUCell):
            return self._fast_gru(x, lengths, state0)
        return self._fused(x, lengths, state0)

    def _fast_gru(self, x: Tensor, lengths: Tensor, c0: Tensor) -> RecurrentOutput:
        cell = self.cell
        W_x = torch.cat([cell.split(W)[1] for W in (cell.W_u, cell.W_r, cell.W_c)], dim=0)  # (3 n_a, n_x)
        b = torch.cat([cell.b_u, cell.b_r, cell.b_c])  # (3 n_a,)
        W_urc = torch.cat([cell.split(cell.W_u)[0], cell.split(cell.W_r)[0]], dim=0)  # (2 n_a, n_a)
        W_cc = cell.split(cell.W_c)[0]  # (n_a, n_a)
        if self.reverse:
            x = _reverse_padded(x, lengths)
        X_proj = x @ W_x.T + b  # (m, T_x, 3 n_a): every input projection in one product
        # Padding only follows a row's last step, so it cannot reach the states before it:
        # run every row to T_x, then read the final state at the row's own length and zero the rest.
        states = _gru_loop(X_proj, c0, W_urc.T, W_cc.T)  # (m, T_x, n_a)
        last = states[torch.arange(x.shape[0]), lengths - 1]  # (m, n_a)
        outputs = states * lengths_mask(lengths, x.shape[1]).unsqueeze(2).to(states.dtype)
        if self.reverse:
            outputs = _reverse_padded(outputs, lengths)
        return RecurrentOutput(outputs, last)

    def _fused(self, x: Tensor, lengths: Tensor, state0: State) -> RecurrentOutput:
        """RNN and LSTM through torch's fused kernels on the course-named weights."""
        cell = self.cell
        if isinstance(cell, LSTMCell):
            w_ih, w_hh, b = cell.torch_weights()
            kernel, hx = torch.lstm, tuple(s.unsqueeze(0) for s in state0)  # each (1, m, n_a)
        else:
            w_ih, w_hh, b = cell.W_ax, cell.W_aa, cell.b_a
            kernel = torch.rnn_tanh if cell.activation == "tanh" else torch.rnn_relu
            hx = state0.unsqueeze(0)  # (1, m, n_a)
        params = [w_ih, w_hh, b, torch.zeros_like(b)]  # torch keeps a second bias; ours is folded into b
        if self.reverse:
            x = _reverse_padded(x, lengths)
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        hx = tuple(h[:, packed.sorted_indices] for h in hx) if isinstance(hx, tuple) else hx[:, packed.sorted_indices]
        result = kernel(packed.data, packed.batch_sizes, hx, params, True, 1, 0.0, self.training, False)
        data, final = result[0], result[1:]
        outputs, _ = pad_packed_sequence(
            packed._replace(data=data), batch_first=True, total_length=x.shape[1]
        )  # (m, T_x, n_a)
        final = tuple(f[0, packed.unsorted_indices] for f in final)  # each (m, n_a)
        if self.reverse:
            outputs = _reverse_padded(outputs, lengths)
        state = final if isinstance(cell, LSTMCell) else final[0]
        return RecurrentOutput(outputs, state)


def _reverse_padded(x: Tensor, lengths: Tensor) -> Tensor:
    """Reverse each row's first lengths[i] steps in place of order; padding stays at the end."""
    m, T_x = x.shape[:2]
    t = torch.arange(T_x)[None, :]  # (1, T_x)
    index = torch.where(t < lengths[:, None], lengths[:, None] - 1 - t, t)  # (m, T_x)
    return x.gather(1, index.to(x.device)[:, :, None].expand_as(x))


class Bidirectional(nn.Module):
    r"""A forward and a backward recurrent layer, their states side by side.

    .. math::
        \hat{y}^{\langle t \rangle} = g(W_y [\overrightarrow{a}^{\langle t \rangle}, \overleftarrow{a}^{\langle t \rangle}] + b_y)

    The forward layer computes a_fwd<1> .. a_fwd<T_x>; the backward one starts at
    x<T_x> and computes a_bwd<T_x> .. a_bwd<1>.  Outputs are ``[a_fwd<t>, a_bwd<t>]``.

    Shape:
        x: (m, T_x, n_x); returns outputs (m, T_x, 2 n_a); state = (forward final, backward final);
        trace keys prefixed "fwd." and "bwd.".
    """

    def __init__(self, forward_cell: nn.Module, backward_cell: nn.Module):
        super().__init__()
        self.fwd = Recurrent(forward_cell)
        self.bwd = Recurrent(backward_cell, reverse=True)

    @property
    def n_a(self) -> int:
        return self.fwd.n_a + self.bwd.n_a

    def forward(
        self, x: Tensor, lengths: Tensor | None = None, trace: bool = False
    ) -> RecurrentOutput:
        fwd = self.fwd(x, lengths, trace=trace)
        bwd = self.bwd(x, lengths, trace=trace)
        outputs = torch.cat([fwd.outputs, bwd.outputs], dim=2)  # (m, T_x, 2 n_a)
        merged = {f"fwd.{k}": v for k, v in fwd.trace.items()} | {f"bwd.{k}": v for k, v in bwd.trace.items()}
        return RecurrentOutput(outputs, (fwd.state, bwd.state), merged)
