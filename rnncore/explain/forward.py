"""The vanilla RNN step by step over one sentence, in the notes' equations and names:

a<t> = g(W_aa a<t-1> + W_ax x<t> + b_a), both terms and the bias apart, the stacked form
W_a [a<t-1>, x<t>], y_hat<t> = softmax(W_ya a<t> + b_y), and the stored tensors in the notes' layout
(n_a, m, T_x) beside PyTorch's batch-first (m, T_x, n_a).

Rows are time steps here: a sentence's states are (T_x, n_a), the transpose of one example's slice
a[:, 0, :] of the notes' (n_a, m, T_x).  Models must be in eval mode: dropout would make every number
on screen random.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F
from torch import Tensor

from rnncore.cells import RNNCell
from rnncore.explain.inputs import (
    SentenceInputs,
    _check_ready,
    embedding_by_one_hot,
    label_names,
    model_output,
    sentence_inputs,
)
from rnncore.layers import Recurrent
from rnncore.models import Classifier, Tagger

A0Kind = Literal["zeros", "random"]


def initial_state(n_a: int, kind: A0Kind = "zeros", seed: int = 0) -> Tensor:
    """a<0>: zeros, or (the notes allow both) random values in (-1, 1), the range of tanh, from ``seed``."""
    if kind == "zeros":
        return torch.zeros(n_a)  # (n_a,)
    if kind == "random":
        generator = torch.Generator().manual_seed(int(seed))
        return torch.rand(n_a, generator=generator) * 2 - 1  # (n_a,)
    raise ValueError(f"initial_state: kind must be 'zeros' or 'random', got {kind!r}")


@dataclass
class RNNSteps:
    r"""Every piece of the vanilla RNN's step for one direction of one sentence.

    .. math::
        a^{\langle t \rangle} = g(W_{aa} a^{\langle t-1 \rangle} + W_{ax} x^{\langle t \rangle} + b_a)
                              = g(W_a [a^{\langle t-1 \rangle}, x^{\langle t \rangle}] + b_a)

    For a backward layer "previous" means the step after: a_bwd<t> reads a_bwd<t+1>.
    Every tensor has one row per time step t = 1..T_x, in time order.

    a_prev: (T_x, n_a), the state each step reads (a<0> for the first computed step);
    W_aa_a_prev, W_ax_x: (T_x, n_a), the two products; b_a: (n_a,);
    z: (T_x, n_a), the sum before g; stacked: (T_x, n_a), W_a [a<t-1>, x<t>] computed as one product;
    a: (T_x, n_a), the states the layer itself returned (trace=True).
    """

    a0: Tensor
    a_prev: Tensor
    W_aa_a_prev: Tensor
    W_ax_x: Tensor
    b_a: Tensor
    z: Tensor
    stacked: Tensor
    a: Tensor
    activation: str
    reverse: bool = False

    def stacked_gap(self) -> Tensor:
        """max |W_a [a<t-1>, x<t>] - (W_aa a<t-1> + W_ax x<t>)| at each step: (T_x,), float32 rounding only."""
        return (self.stacked - (self.W_aa_a_prev + self.W_ax_x)).abs().max(dim=1).values

    @property
    def order(self) -> list[int]:
        """The computation order of step t = 1..T_x: 1..T_x forward, T_x..1 backward (the notes' numbering)."""
        T_x = self.a.shape[0]
        return [T_x - t for t in range(T_x)] if self.reverse else [t + 1 for t in range(T_x)]


@torch.no_grad()
def rnn_steps(layer: Recurrent, x: Tensor, a0: Tensor | None = None) -> RNNSteps:
    """Run ``layer`` (an RNNCell in a Recurrent, either direction) over one sentence x (T_x, n_x).

    The states come from the layer's own traced loop; the step's pieces are recomputed from
    them with the cell's W_aa, W_ax, b_a and W_a, so the page can show that they add up.
    """
    cell = layer.cell
    if not isinstance(cell, RNNCell):
        raise TypeError(f"rnn_steps: expected a vanilla RNNCell, got {type(cell).__name__}")
    a0 = cell.initial_state(1)[0] if a0 is None else a0  # (n_a,)
    result = layer(x.unsqueeze(0), state0=a0.unsqueeze(0), trace=True)
    a = result.trace["a"][:, 0]  # (T_x, n_a)
    if layer.reverse:  # a_bwd<t> reads a_bwd<t+1>; the last step reads a<0>
        a_prev = torch.cat([a[1:], a0.unsqueeze(0)], dim=0)  # (T_x, n_a)
    else:
        a_prev = torch.cat([a0.unsqueeze(0), a[:-1]], dim=0)  # (T_x, n_a)
    W_aa_a_prev = a_prev @ cell.W_aa.T  # (T_x, n_a)
    W_ax_x = x @ cell.W_ax.T  # (T_x, n_a)
    stacked = torch.cat([a_prev, x], dim=1) @ cell.W_a.T  # (T_x, n_a + n_x) @ (n_a + n_x, n_a)
    z = W_aa_a_prev + W_ax_x + cell.b_a  # (T_x, n_a)
    return RNNSteps(a0, a_prev, W_aa_a_prev, W_ax_x, cell.b_a.detach().clone(), z, stacked, a,
                    cell.activation, layer.reverse)


@dataclass
class RNNForward:
    r"""The notes' rnn_forward on one sentence of a vanilla-RNN model.

    .. math::
        \hat{y}^{\langle t \rangle} = \mathrm{softmax}(W_{ya} a^{\langle t \rangle} + b_y)

    steps: the recurrent pieces (:class:`RNNSteps`); logits, y_hat: (T_x, n_y), one row per step.
    A many-to-one model (Classifier) outputs one prediction, ``output`` (n_y,): with pooling "last"
    it is y_hat<T_x>, and row t is what the model would say if the sentence stopped at t; with
    pooling "mean" it is softmax(W_ya mean_t a<t> + b_y).  ``uses_zero_a0`` is False when a<0> was
    drawn at random, and then the predictions differ from the shipped model's, which starts from zeros.
    """

    inputs: SentenceInputs
    steps: RNNSteps
    logits: Tensor
    y_hat: Tensor
    W_ya: Tensor
    b_y: Tensor
    labels: list[str]
    output: Tensor | None = None
    pooling: str | None = None
    E_by_one_hot: Tensor | None = None

    @property
    def many_to_one(self) -> bool:
        return self.output is not None

    def one_hot_gap(self) -> Tensor:
        """max |E[id] - E^T one_hot(id)| at each step: (T_x,)."""
        part = self.inputs.parts[0]
        return (self.inputs.x[:, part.start : part.stop] - self.E_by_one_hot).abs().max(dim=1).values

    def layouts_agree(self, t: int) -> bool:
        """a<t> read from the notes' (n_a, m, T_x) array equals a<t> read from PyTorch's (m, T_x, n_a)."""
        a, _ = self.course_layout()
        a_bf, _ = self.batch_first()
        return bool(torch.equal(a[:, 0, t - 1], a_bf[0, t - 1]))

    @property
    def a(self) -> Tensor:
        return self.steps.a  # (T_x, n_a)

    @property
    def shapes(self) -> dict[str, int]:
        """n_x, n_a, n_y, m and T_x of this run."""
        return {"n_x": self.inputs.n_x, "n_a": self.a.shape[1], "n_y": self.y_hat.shape[1], "m": 1,
                "T_x": self.inputs.T_x}

    @property
    def uses_zero_a0(self) -> bool:
        return bool((self.steps.a0 == 0).all())

    def course_layout(self) -> tuple[Tensor, Tensor]:
        """The stored tensors as the notes' rnn_forward returns them: a (n_a, m, T_x), y_hat (n_y, m, T_x)."""
        a = self.a.T.unsqueeze(1)  # (n_a, 1, T_x)
        y_hat = self.y_hat.T.unsqueeze(1)  # (n_y, 1, T_x)
        return a, y_hat

    def batch_first(self) -> tuple[Tensor, Tensor]:
        """PyTorch's layout of the same numbers: a (m, T_x, n_a), y_hat (m, T_x, n_y)."""
        return self.a.unsqueeze(0), self.y_hat.unsqueeze(0)

    def predicted(self) -> list[str]:
        """The label with the largest y_hat<t> at every step."""
        return [self.labels[k] for k in self.y_hat.argmax(dim=1).tolist()]


@torch.no_grad()
def rnn_forward(model: Tagger | Classifier, meta: dict, tokens: list[str], a0: A0Kind = "zeros",
                seed: int = 0) -> RNNForward:
    """The forward pass of a vanilla RNN model ("ner-rnn", "sentiment-rnn") over one sentence."""
    _check_ready(model, tokens)
    if model.config.arch != "rnn":
        raise ValueError(f"rnn_forward: expected a model with arch 'rnn', got {model.config.arch!r}")
    inputs = sentence_inputs(model, meta, tokens)
    steps = rnn_steps(model.recurrent, inputs.x, initial_state(model.config.n_a, a0, seed))
    logits = model.out(steps.a)  # (T_x, n_y) = a W_ya^T + b_y
    pooling = model.config.pooling if isinstance(model, Classifier) else None
    return RNNForward(inputs, steps, logits, F.softmax(logits, dim=1), model.out.weight.detach(),
                      model.out.bias.detach(), label_names(model, meta), model_output(model, steps.a), pooling,
                      embedding_by_one_hot(model, inputs.ids))
