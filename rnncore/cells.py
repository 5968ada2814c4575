"""One time step of each recurrent cell, in the course's equations and names.

A cell is called as ``cell(x_t, state)`` and returns the new state: ``a`` for
the RNN and the GRU, ``(a, c)`` for the LSTM.  ``cell.step(x_t, state)``
returns the same state plus a dict of every intermediate value (gates,
``c_tilde``), which the lessons draw.  Rows are examples: ``x_t`` is
``(m, n_x)`` and ``a`` is ``(m, n_a)``.

The weights that act on the stacked vector ``[a<t-1>, x<t>]`` are stored whole,
``W_u`` of shape ``(n_a, n_a + n_x)``, as the notes write them; ``W_aa`` /
``W_ax``-style halves are views (``cell.split(W)``).  The time loop that uses
these cells lives in :mod:`rnncore.layers`.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

ACTIVATIONS = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}


def _uniform_(tensor: Tensor, n_a: int) -> Tensor:
    """torch.nn's recurrent initialisation: U(-1/sqrt(n_a), 1/sqrt(n_a))."""
    bound = 1.0 / math.sqrt(n_a)
    return nn.init.uniform_(tensor, -bound, bound)


def _check_input(cell: nn.Module, x_t: Tensor) -> None:
    if x_t.dim() != 2 or x_t.shape[1] != cell.n_x:
        raise ValueError(
            f"{type(cell).__name__}: expected x_t of shape (m, n_x={cell.n_x}), got {tuple(x_t.shape)}"
        )


def _check_state(cell: nn.Module, a: Tensor, m: int, name: str = "a_prev") -> None:
    if a.shape != (m, cell.n_a):
        raise ValueError(
            f"{type(cell).__name__}: expected {name} of shape (m={m}, n_a={cell.n_a}), got {tuple(a.shape)}"
        )


class RNNCell(nn.Module):
    r"""The basic recurrent unit of the notes.

    .. math::
        a^{\langle t \rangle} = g(W_{aa} a^{\langle t-1 \rangle} + W_{ax} x^{\langle t \rangle} + b_a)

    or, with :math:`W_a = [W_{aa} | W_{ax}]`, :math:`a^{\langle t \rangle} = g(W_a [a^{\langle t-1 \rangle},
    x^{\langle t \rangle}] + b_a)`.

    Args:
        n_x: size of each input x<t>.
        n_a: size of the hidden state a<t>.
        activation: g, one of ``"tanh"`` (the usual choice), ``"relu"``, ``"sigmoid"``.

    Shape:
        x_t: (m, n_x); a_prev: (m, n_a); returns a: (m, n_a).

    Example::

        >>> cell = RNNCell(n_x=3, n_a=5)
        >>> a = cell(torch.randn(2, 3), torch.zeros(2, 5))
        >>> a.shape
        torch.Size([2, 5])
    """

    kind = "rnn"

    def __init__(self, n_x: int, n_a: int, activation: str = "tanh"):
        super().__init__()
        if activation not in ACTIVATIONS:
            raise ValueError(f"RNNCell: activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        self.n_x, self.n_a, self.activation = n_x, n_a, activation
        self.W_aa = nn.Parameter(_uniform_(torch.empty(n_a, n_a), n_a))  # (n_a, n_a)
        self.W_ax = nn.Parameter(_uniform_(torch.empty(n_a, n_x), n_a))  # (n_a, n_x)
        self.b_a = nn.Parameter(_uniform_(torch.empty(n_a), n_a))  # (n_a,)

    @property
    def g(self):
        return ACTIVATIONS[self.activation]

    @property
    def W_a(self) -> Tensor:
        """The notes' simplified notation: W_aa and W_ax stacked side by side."""
        return torch.cat([self.W_aa, self.W_ax], dim=1)  # (n_a, n_a + n_x)

    def initial_state(self, m: int) -> Tensor:
        return self.W_aa.new_zeros(m, self.n_a)  # (m, n_a)

    def forward(self, x_t: Tensor, a_prev: Tensor) -> Tensor:
        _check_input(self, x_t)
        _check_state(self, a_prev, x_t.shape[0])
        return self.g(a_prev @ self.W_aa.T + x_t @ self.W_ax.T + self.b_a)  # (m, n_a)

    def step(self, x_t: Tensor, a_prev: Tensor) -> tuple[Tensor, dict[str, Tensor]]:
        a = self(x_t, a_prev)
        return a, {"a": a}

    @classmethod
    def from_torch(cls, torch_cell: nn.RNNCell) -> RNNCell:
        """A cell computing exactly what ``torch_cell`` computes (its two biases summed)."""
        if not isinstance(torch_cell, nn.RNNCell):
            raise TypeError(f"RNNCell.from_torch: expected torch.nn.RNNCell, got {type(torch_cell).__name__}")
        cell = cls(torch_cell.input_size, torch_cell.hidden_size, activation=torch_cell.nonlinearity)
        with torch.no_grad():
            cell.W_aa.copy_(torch_cell.weight_hh)
            cell.W_ax.copy_(torch_cell.weight_ih)
            cell.b_a.copy_(_torch_bias(torch_cell, slice(None)))
        return cell


def _torch_bias(torch_cell: nn.Module, rows: slice) -> Tensor:
    """torch keeps two biases (input and hidden); the course has one, their sum."""
    if torch_cell.bias_ih is None:
        return torch.zeros_like(torch_cell.weight_ih[rows, 0])
    return torch_cell.bias_ih[rows] + torch_cell.bias_hh[rows]


class GRUCell(nn.Module):
    r"""The course's full Gated Recurrent Unit (the memory cell is the hidden state, c = a).

    .. math::
        \tilde{c}^{\langle t \rangle} &= \tanh(W_c [\Gamma_r * c^{\langle t-1 \rangle}, x^{\langle t \rangle}] + b_c) \\
        \Gamma_u &= \sigma(W_u [c^{\langle t-1 \rangle}, x^{\langle t \rangle}] + b_u) \\
        \Gamma_r &= \sigma(W_r [c^{\langle t-1 \rangle}, x^{\langle t \rangle}] + b_r) \\
        c^{\langle t \rangle} &= \Gamma_u * \tilde{c}^{\langle t \rangle} + (1 - \Gamma_u) * c^{\langle t-1 \rangle}

    This is not ``torch.nn.GRU``: torch applies its reset gate after the
    product (``r * (W_hn h + b_hn)``) and its update gate ``z`` keeps the old
    state (``h' = (1 - z) * n + z * h``), i.e. ``z`` plays the course's
    ``1 - Gamma_u``.  The two compute different functions for the same weights.

    Args:
        n_x: size of each input x<t>.  n_a: size of c<t> = a<t>.

    Shape:
        x_t: (m, n_x); c_prev: (m, n_a); returns c: (m, n_a).

    Example::

        >>> cell = GRUCell(n_x=3, n_a=5)
        >>> c, trace = cell.step(torch.randn(2, 3), torch.zeros(2, 5))
        >>> sorted(trace)
        ['G_r', 'G_u', 'a', 'c', 'c_tilde']
    """

    kind = "gru"

    def __init__(self, n_x: int, n_a: int):
        super().__init__()
        self.n_x, self.n_a = n_x, n_a
        for name in ("W_c", "W_u", "W_r"):
            setattr(self, name, nn.Parameter(_uniform_(torch.empty(n_a, n_a + n_x), n_a)))  # (n_a, n_a + n_x)
        for name in ("b_c", "b_u", "b_r"):
            setattr(self, name, nn.Parameter(_uniform_(torch.empty(n_a), n_a)))  # (n_a,)

    def initial_state(self, m: int) -> Tensor:
        return self.W_c.new_zeros(m, self.n_a)  # (m, n_a)

    def split(self, W: Tensor) -> tuple[Tensor, Tensor]:
        """The halves of W acting on the state and on the input: (n_a, n_a), (n_a, n_x)."""
        return W[:, : self.n_a], W[:, self.n_a :]

    def forward(self, x_t: Tensor, c_prev: Tensor) -> Tensor:
        return self.step(x_t, c_prev)[0]

    def step(self, x_t: Tensor, c_prev: Tensor) -> tuple[Tensor, dict[str, Tensor]]:
        _check_input(self, x_t)
        _check_state(self, c_prev, x_t.shape[0], "c_prev")
        cx = torch.cat([c_prev, x_t], dim=1)  # (m, n_a + n_x)
        G_u = torch.sigmoid(cx @ self.W_u.T + self.b_u)  # (m, n_a)
        G_r = torch.sigmoid(cx @ self.W_r.T + self.b_r)  # (m, n_a)
        c_tilde = torch.tanh(torch.cat([G_r * c_prev, x_t], dim=1) @ self.W_c.T + self.b_c)  # (m, n_a)
        c = G_u * c_tilde + (1 - G_u) * c_prev  # (m, n_a)
        return c, {"a": c, "c": c, "c_tilde": c_tilde, "G_u": G_u, "G_r": G_r}


class LSTMCell(nn.Module):
    r"""Long Short-Term Memory, as in the notes.

    .. math::
        \tilde{c}^{\langle t \rangle} &= \tanh(W_c [a^{\langle t-1 \rangle}, x^{\langle t \rangle}] + b_c) \\
        \Gamma_u &= \sigma(W_u [a^{\langle t-1 \rangle}, x^{\langle t \rangle}] + b_u) \\
        \Gamma_f &= \sigma(W_f [a^{\langle t-1 \rangle}, x^{\langle t \rangle}] + b_f) \\
        \Gamma_o &= \sigma(W_o [a^{\langle t-1 \rangle}, x^{\langle t \rangle}] + b_o) \\
        c^{\langle t \rangle} &= \Gamma_u * \tilde{c}^{\langle t \rangle} + \Gamma_f * c^{\langle t-1 \rangle} \\
        a^{\langle t \rangle} &= \Gamma_o * \tanh(c^{\langle t \rangle})

    torch.nn.LSTM computes the same function; its gates i, f, g, o are
    Gamma_u, Gamma_f, c~, Gamma_o (see :meth:`from_torch`).

    Args:
        n_x: size of each input x<t>.  n_a: size of a<t> and c<t>.
        forget_bias: initial b_f; 1.0 helps long dependencies (Jozefowicz et al., 2015).

    Shape:
        x_t: (m, n_x); state (a_prev, c_prev): (m, n_a) each; returns (a, c).

    Example::

        >>> cell = LSTMCell(n_x=3, n_a=5)
        >>> a, c = cell(torch.randn(2, 3), cell.initial_state(2))
        >>> a.shape, c.shape
        (torch.Size([2, 5]), torch.Size([2, 5]))
    """

    kind = "lstm"
    GATES = ("W_u", "W_f", "W_c", "W_o")  # torch's order: i, f, g, o

    def __init__(self, n_x: int, n_a: int, forget_bias: float | None = None):
        super().__init__()
        self.n_x, self.n_a = n_x, n_a
        for name in self.GATES:
            setattr(self, name, nn.Parameter(_uniform_(torch.empty(n_a, n_a + n_x), n_a)))  # (n_a, n_a + n_x)
            setattr(self, "b" + name[1:], nn.Parameter(_uniform_(torch.empty(n_a), n_a)))  # (n_a,)
        if forget_bias is not None:
            nn.init.constant_(self.b_f, forget_bias)

    def initial_state(self, m: int) -> tuple[Tensor, Tensor]:
        zeros = self.W_c.new_zeros(m, self.n_a)  # (m, n_a)
        return zeros, zeros.clone()

    def split(self, W: Tensor) -> tuple[Tensor, Tensor]:
        """The halves of W acting on a<t-1> and on x<t>: (n_a, n_a), (n_a, n_x)."""
        return W[:, : self.n_a], W[:, self.n_a :]

    def forward(self, x_t: Tensor, state: tuple[Tensor, Tensor]) -> tuple[Tensor, Tensor]:
        return self.step(x_t, state)[0]

    def step(self, x_t: Tensor, state: tuple[Tensor, Tensor]) -> tuple[tuple[Tensor, Tensor], dict[str, Tensor]]:
        _check_input(self, x_t)
        a_prev, c_prev = state
        _check_state(self, a_prev, x_t.shape[0])
        _check_state(self, c_prev, x_t.shape[0], "c_prev")
        ax = torch.cat([a_prev, x_t], dim=1)  # (m, n_a + n_x)
        c_tilde = torch.tanh(ax @ self.W_c.T + self.b_c)  # (m, n_a)
        G_u = torch.sigmoid(ax @ self.W_u.T + self.b_u)  # (m, n_a)
        G_f = torch.sigmoid(ax @ self.W_f.T + self.b_f)  # (m, n_a)
        G_o = torch.sigmoid(ax @ self.W_o.T + self.b_o)  # (m, n_a)
        c = G_u * c_tilde + G_f * c_prev  # (m, n_a)
        a = G_o * torch.tanh(c)  # (m, n_a)
        return (a, c), {"a": a, "c": c, "c_tilde": c_tilde, "G_u": G_u, "G_f": G_f, "G_o": G_o}

    def torch_weights(self) -> tuple[Tensor, Tensor, Tensor]:
        """The same weights in torch.nn.LSTM's layout: weight_ih (4n_a, n_x), weight_hh (4n_a, n_a), bias (4n_a,).

        Differentiable, so the fused kernel can train the course-named parameters.
        """
        W = torch.cat([getattr(self, name) for name in self.GATES], dim=0)  # (4 n_a, n_a + n_x)
        b = torch.cat([getattr(self, "b" + name[1:]) for name in self.GATES])  # (4 n_a,)
        return W[:, self.n_a :], W[:, : self.n_a], b

    @classmethod
    def from_torch(cls, torch_cell: nn.LSTMCell) -> LSTMCell:
        """A cell computing exactly what ``torch_cell`` computes."""
        if not isinstance(torch_cell, nn.LSTMCell):
            raise TypeError(f"LSTMCell.from_torch: expected torch.nn.LSTMCell, got {type(torch_cell).__name__}")
        n_a = torch_cell.hidden_size
        cell = cls(torch_cell.input_size, n_a)
        with torch.no_grad():
            for k, name in enumerate(cls.GATES):
                rows = slice(k * n_a, (k + 1) * n_a)
                W = torch.cat([torch_cell.weight_hh[rows], torch_cell.weight_ih[rows]], dim=1)
                getattr(cell, name).copy_(W)
                getattr(cell, "b" + name[1:]).copy_(_torch_bias(torch_cell, rows))
        return cell


CELLS = {"rnn": RNNCell, "gru": GRUCell, "lstm": LSTMCell}


def make_cell(kind: str, n_x: int, n_a: int, **options) -> nn.Module:
    """Build a cell by its name: ``"rnn"``, ``"gru"`` or ``"lstm"``."""
    if kind not in CELLS:
        raise ValueError(f"unknown cell {kind!r}; expected one of {sorted(CELLS)}")
    return CELLS[kind](n_x, n_a, **options)
