"""Inside a GRU or LSTM: every Gamma_u, Gamma_r (GRU) or Gamma_u, Gamma_f, Gamma_o (LSTM), c~<t>, c<t> and a<t>
of a trained cell over one sentence, and how far the course's GRU is from torch.nn.GRU.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rnncore.cells import GRUCell
from rnncore.explain.inputs import SentenceInputs, _check_ready, label_names, model_output, sentence_inputs
from rnncore.models import Classifier, Tagger

GATE_NAMES = {"gru": ("G_u", "G_r"), "lstm": ("G_u", "G_f", "G_o")}


@dataclass
class GateTrace:
    """Every value inside a GRU or LSTM cell for one sentence, one row per step t = 1..T_x.

    values: "G_u", "G_r" (GRU) or "G_u", "G_f", "G_o" (LSTM), "c_tilde", "c" and "a", each (T_x, n_a),
    as the layer's trace returned them (the GRU's c is its a).  c0, a0: (n_a,) zeros, the states
    before x<1>.  logits, y_hat: (T_x, n_y) from W_ya a<t> + b_y; output, pooling: a many-to-one
    model's own prediction and how it reads the states (see :class:`RNNForward`).
    """

    arch: str
    inputs: SentenceInputs
    values: dict[str, Tensor]
    c0: Tensor
    a0: Tensor
    logits: Tensor
    y_hat: Tensor
    labels: list[str]
    output: Tensor | None = None
    pooling: str | None = None

    @property
    def many_to_one(self) -> bool:
        return self.output is not None

    @property
    def gates(self) -> tuple[str, ...]:
        return GATE_NAMES[self.arch]

    def gate_means(self) -> dict[str, Tensor]:
        """Each gate's mean over the n_a units at every step: name -> (T_x,)."""
        return {name: self.values[name].mean(dim=1) for name in self.gates}

    def previous(self, name: str, t: int) -> Tensor:
        """c<t-1> or a<t-1> for step t (1-based): the initial zeros for t = 1."""
        if name not in ("c", "a"):
            raise ValueError(f"previous: name must be 'c' or 'a', got {name!r}")
        if t == 1:
            return self.c0 if name == "c" else self.a0
        return self.values[name][t - 2]

    def at(self, t: int) -> dict[str, Tensor]:
        """The cell's values at step t (1-based), with the previous state: c_prev (and a_prev), x.

        For the GRU also "keep" = 1 - Gamma_u, the share of c<t-1> that c<t> keeps.
        """
        if not 1 <= t <= self.inputs.T_x:
            raise ValueError(f"at: t must be in 1..{self.inputs.T_x}, got {t}")
        out = {name: value[t - 1] for name, value in self.values.items()}
        out["c_prev"] = self.previous("c", t)
        out["a_prev"] = self.previous("a", t)
        out["x"] = self.inputs.x[t - 1]
        if self.arch == "gru":
            out["keep"] = 1 - out["G_u"]
        return out


@torch.no_grad()
def gate_trace(model: Tagger | Classifier, meta: dict, tokens: list[str]) -> GateTrace:
    """The gates, c_tilde<t>, c<t> and a<t> of a GRU or LSTM model ("ner-gru", "sentiment-lstm", ...)."""
    _check_ready(model, tokens)
    arch = model.config.arch
    if arch not in GATE_NAMES:
        raise ValueError(f"gate_trace: expected a model with arch 'gru' or 'lstm', got {arch!r}")
    inputs = sentence_inputs(model, meta, tokens)
    result = model.recurrent(inputs.x.unsqueeze(0), trace=True)
    values = {name: value[:, 0] for name, value in result.trace.items()}  # each (T_x, n_a)
    zeros = torch.zeros(model.config.n_a)
    logits = model.out(values["a"])  # (T_x, n_y)
    pooling = model.config.pooling if isinstance(model, Classifier) else None
    return GateTrace(arch, inputs, values, zeros, zeros.clone(), logits, F.softmax(logits, dim=1),
                     label_names(model, meta), model_output(model, values["a"]), pooling)


def torch_gru_counterpart(cell: GRUCell) -> nn.GRU:
    r"""The torch.nn.GRU closest to the course's GRU ``cell``: same weights, torch's equations.

    torch computes r = sigma(W_ir x + W_hr h + b_r), z = sigma(W_iz x + W_hz h + b_z),
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (1 - z) * n + z * h.
    Mapping r <- Gamma_r, n <- c_tilde and z <- 1 - Gamma_u (weights -W_u, bias -b_u, since
    sigma(-v) = 1 - sigma(v)) makes every equation the course's but one: torch multiplies by the
    reset gate after the product, r * (W_hn h), where the course resets first, W_cc (Gamma_r * c).
    The two agree exactly when the state half of W_c is zero, and differ otherwise.
    """
    if not isinstance(cell, GRUCell):
        raise TypeError(f"torch_gru_counterpart: expected a GRUCell, got {type(cell).__name__}")
    gru = nn.GRU(cell.n_x, cell.n_a, batch_first=True)
    with torch.no_grad():
        W_ur, W_ux = cell.split(cell.W_u)
        W_rr, W_rx = cell.split(cell.W_r)
        W_cc, W_cx = cell.split(cell.W_c)
        gru.weight_ih_l0.copy_(torch.cat([W_rx, -W_ux, W_cx], dim=0))  # torch's row order: r, z, n
        gru.weight_hh_l0.copy_(torch.cat([W_rr, -W_ur, W_cc], dim=0))
        gru.bias_ih_l0.copy_(torch.cat([cell.b_r, -cell.b_u, cell.b_c]))
        gru.bias_hh_l0.zero_()
    return gru.eval()


@dataclass
class GruComparison:
    """The course's GRU and torch.nn.GRU with the same weights, on the same x<1>..x<T_x>."""

    course: Tensor  # (T_x, n_a)
    torch: Tensor  # (T_x, n_a)

    @property
    def max_difference(self) -> float:
        return float((self.course - self.torch).abs().max())


@torch.no_grad()
def compare_with_torch_gru(model: Tagger | Classifier, meta: dict, tokens: list[str]) -> GruComparison:
    """a<1>..a<T_x> of a GRU model's cell and of :func:`torch_gru_counterpart` on the same inputs."""
    _check_ready(model, tokens)
    if model.config.arch != "gru":
        raise ValueError(f"compare_with_torch_gru: expected a GRU model, got {model.config.arch!r}")
    inputs = sentence_inputs(model, meta, tokens)
    course = model.recurrent(inputs.x.unsqueeze(0), trace=True).outputs[0]  # (T_x, n_a)
    theirs, _ = torch_gru_counterpart(model.recurrent.cell)(inputs.x.unsqueeze(0))  # (1, T_x, n_a)
    return GruComparison(course, theirs[0])
