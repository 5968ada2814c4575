"""Inside the cells: one sentence through a model, with every intermediate value the notes name.

The lessons "Inside the cells" draw what this module computes; it holds all of their maths.
Every function takes a model (a :class:`~rnncore.models.Tagger` or
:class:`~rnncore.models.Classifier`, shipped or freshly built), its checkpoint JSON (for the
encoder and the label names) and the sentence's tokens, and runs one sentence (m = 1) through
the model's own recurrent layer with ``trace=True``.

* :func:`rnn_forward` - the vanilla RNN step by step:
  a<t> = g(W_aa a<t-1> + W_ax x<t> + b_a), both terms and the bias apart, the stacked form
  W_a [a<t-1>, x<t>], y_hat<t> = softmax(W_ya a<t> + b_y), and the stored tensors in the notes'
  layout (n_a, m, T_x) beside PyTorch's batch-first (m, T_x, n_a).
* :func:`gate_trace` - every Gamma_u, Gamma_r (GRU) or Gamma_u, Gamma_f, Gamma_o (LSTM), c_tilde<t>,
  c<t> and a<t> of a GRU or LSTM model; :func:`torch_gru_counterpart` builds the closest
  torch.nn.GRU, to measure how far the course's GRU is from it.
* :func:`bidirectional_forward` - a BRNN's forward states (computed 1 -> T_x) and backward states
  (computed T_x -> 1) and each direction's share W_y[:, fwd] a_fwd<t>, W_y[:, bwd] a_bwd<t> of the
  logits.
* :func:`pca_2d` - a deterministic 2-D projection (no random choice) of the states a<1>..a<T_x>.

Rows are time steps here: a sentence's states are (T_x, n_a), the transpose of one example's
slice a[:, 0, :] of the notes' (n_a, m, T_x).  Models must be in eval mode: dropout would make
every number on screen random.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rnncore.cells import GRUCell, RNNCell
from rnncore.encoding import Encoder
from rnncore.layers import Bidirectional, Recurrent
from rnncore.models import Classifier, Tagger
from rnncore.predict import bio_decode
from rnncore.text import one_hot

A0Kind = Literal["zeros", "random"]


def _check_ready(model: nn.Module, tokens: list[str]) -> None:
    if not isinstance(model, (Tagger, Classifier)):
        raise TypeError(f"rnncore.inspect: expected a Tagger or Classifier, got {type(model).__name__}")
    if model.training:
        raise ValueError(f"rnncore.inspect: {type(model).__name__} is in training mode; call model.eval() first")
    if not tokens:
        raise ValueError("rnncore.inspect: the sentence has no tokens")


def _encoder(meta: dict) -> Encoder:
    return Encoder.from_dict(meta["encoder"])


def label_names(model: nn.Module, meta: dict) -> list[str]:
    """The names of the n_y outputs: the checkpoint's labels, else "class 1".."class n_y"."""
    n_y = model.config.n_y
    labels = meta.get("labels")
    return list(labels) if labels and len(labels) == n_y else [f"class {k + 1}" for k in range(n_y)]


# -- x<t>: what the cell reads ---------------------------------------------------------------------


@dataclass(frozen=True)
class XPart:
    """A block of x<t>: its name and the columns it fills, x[:, start:stop]."""

    name: str
    start: int
    stop: int

    @property
    def size(self) -> int:
        return self.stop - self.start


@dataclass
class SentenceInputs:
    """One sentence as the model reads it.

    tokens: x<1>..x<T_x> as text; ids: (T_x,) word ids in the model's vocabulary;
    batch: the model's inputs for m = 1 (ids (1, T_x), and chars/features for the tagger);
    x: (T_x, n_x), the vectors the recurrent cell reads, x<t> = [E[id], char CNN, shape features];
    parts: which columns of x hold which block.
    """

    tokens: list[str]
    ids: Tensor
    batch: dict[str, Tensor]
    x: Tensor
    parts: list[XPart]
    unk_id: int

    @property
    def T_x(self) -> int:
        return len(self.tokens)

    @property
    def n_x(self) -> int:
        return self.x.shape[1]

    @property
    def unknown(self) -> list[bool]:
        return [int(i) == self.unk_id for i in self.ids]


@torch.no_grad()
def sentence_inputs(model: Tagger | Classifier, meta: dict, tokens: list[str]) -> SentenceInputs:
    """Encode ``tokens`` with the checkpoint's encoder and compute x<t> for every step: (T_x, n_x)."""
    _check_ready(model, tokens)
    encoder = _encoder(meta)
    encoded = encoder.encode(tokens)
    batch = {name: value.unsqueeze(0) for name, value in encoded.items()}  # m = 1
    x = model.inputs(batch["ids"], batch.get("chars"), batch.get("features"))[0]  # (T_x, n_x)
    config = model.config
    parts = [XPart("E[id]", 0, config.n_e)]
    if config.n_char_filters:
        parts.append(XPart("char CNN", config.n_e, config.n_e + config.n_char_filters))
    if config.n_features:
        parts.append(XPart("shape features", config.n_e + config.n_char_filters, config.n_x))
    return SentenceInputs(list(tokens), encoded["ids"], batch, x, parts, encoder.words.unk_id)


@torch.no_grad()
def embedding_by_one_hot(model: Tagger | Classifier, ids: Tensor) -> Tensor:
    """E^T one_hot(id) for every id: the notes' one-hot x<t> times a learned matrix, (T_x, n_e).

    The embedding row E[id] is this product without building the (T_x, V) one-hot matrix.
    ``one_hot`` puts id k in column k - 1 (ids are 1-based, <PAD> = 0 has no column), so the
    matrix it multiplies is E without its <PAD> row.
    """
    E = model.E.weight  # (V + 1, n_e): row 0 is <PAD>
    V = E.shape[0] - 1
    return one_hot(ids, V) @ E[1:]  # (T_x, V) @ (V, n_e)


def model_output(model: Tagger | Classifier, states: Tensor) -> Tensor | None:
    """A many-to-one model's own prediction from the states a<1>..a<T_x> (T_x, n_a): (n_y,) probabilities.

    It reads a<T_x> (pooling "last", the notes' many-to-one) or the mean of every a<t> (pooling "mean").
    None for a tagger, whose outputs are the y_hat<t> themselves.
    """
    if not isinstance(model, Classifier):
        return None
    summary = states.mean(dim=0) if model.config.pooling == "mean" else states[-1]  # (n_a,)
    return F.softmax(model.out(summary), dim=0)  # (n_y,)


# -- the vanilla RNN, step by step -----------------------------------------------------------------


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


# -- a 2-D picture of the states -------------------------------------------------------------------


@dataclass
class Projection:
    """states (T_x, n) projected on their first two principal axes.

    coords: (T_x, 2); components: (2, n) unit vectors; mean: (n,); explained: the share of the
    states' variance along each axis (0 when the states do not vary).
    """

    coords: Tensor
    components: Tensor
    mean: Tensor
    explained: list[float]


def pca_2d(states: Tensor) -> Projection:
    """Principal component analysis of the rows of ``states`` (T_x, n), no randomness involved.

    Each axis's sign is fixed so that its largest-magnitude loading is positive, so the same
    states always give the same picture.  Fewer than two axes of variation leave zero columns.
    """
    X = states.detach().double()  # (T_x, n)
    mean = X.mean(dim=0)  # (n,)
    centred = X - mean
    _, S, Vh = torch.linalg.svd(centred, full_matrices=False)  # Vh: (k, n), k = min(T_x, n)
    components = torch.zeros(2, X.shape[1], dtype=X.dtype)
    k = min(2, Vh.shape[0])
    components[:k] = Vh[:k]
    for i in range(k):
        if components[i, components[i].abs().argmax()] < 0:
            components[i] = -components[i]
    variance = S.pow(2)
    total = float(variance.sum())
    explained = [float(variance[i]) / total if total > 0 and i < len(variance) else 0.0 for i in range(2)]
    coords = centred @ components.T  # (T_x, 2)
    return Projection(coords.float(), components.float(), mean.float(), explained)


# -- GRU and LSTM gates ----------------------------------------------------------------------------

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


# -- the bidirectional RNN -------------------------------------------------------------------------


@dataclass
class BidirectionalForward:
    r"""A BRNN tagger on one sentence, each direction apart.

    .. math::
        \hat{y}^{\langle t \rangle} = \mathrm{softmax}(W_y [\overrightarrow{a}^{\langle t \rangle},
        \overleftarrow{a}^{\langle t \rangle}] + b_y)
        = \mathrm{softmax}(W_y^{\rightarrow} \overrightarrow{a}^{\langle t \rangle}
          + W_y^{\leftarrow} \overleftarrow{a}^{\langle t \rangle} + b_y)

    fwd, bwd: :class:`RNNSteps` of each direction (a_fwd<t> and a_bwd<t> are ``fwd.a``, ``bwd.a``);
    W_fwd, W_bwd: (n_y, n_a), the columns of W_y that read each direction; b_y: (n_y,);
    from_fwd, from_bwd: (T_x, n_y), each direction's term W_y[:, half] a<t> of every logit;
    logits, y_hat: (T_x, n_y); chosen: the tag index at each step (BIO-valid Viterbi for BIO labels,
    as the app's NER shows them, else argmax).
    """

    inputs: SentenceInputs
    fwd: RNNSteps
    bwd: RNNSteps
    W_fwd: Tensor
    W_bwd: Tensor
    b_y: Tensor
    from_fwd: Tensor
    from_bwd: Tensor
    logits: Tensor
    y_hat: Tensor
    labels: list[str]
    chosen: list[int] = field(default_factory=list)

    def chosen_parts(self) -> tuple[Tensor, Tensor, Tensor]:
        """For the chosen tag k_t at each step: forward term, backward term and b_y[k_t], each (T_x,)."""
        index = torch.tensor(self.chosen)[:, None]  # (T_x, 1)
        return (self.from_fwd.gather(1, index)[:, 0], self.from_bwd.gather(1, index)[:, 0],
                self.b_y[index[:, 0]])

    def runner_up(self) -> list[int]:
        """The tag with the largest logit after the chosen one, at each step."""
        masked = self.logits.clone()
        masked[torch.arange(len(self.chosen)), torch.tensor(self.chosen)] = float("-inf")
        return masked.argmax(dim=1).tolist()

    def margin_parts(self) -> tuple[Tensor, Tensor, Tensor]:
        """Each direction's share of the margin z[chosen] - z[runner-up] at each step (softmax sees only
        differences): forward, backward and bias parts, each (T_x,), summing to the margin."""
        steps = torch.arange(len(self.chosen))
        k, j = torch.tensor(self.chosen), torch.tensor(self.runner_up())
        return (self.from_fwd[steps, k] - self.from_fwd[steps, j], self.from_bwd[steps, k] - self.from_bwd[steps, j],
                self.b_y[k] - self.b_y[j])

    def forward_share(self) -> Tensor:
        """|forward term| / (|forward term| + |backward term|) for the chosen tag at each step: (T_x,)."""
        f, b, _ = self.chosen_parts()
        total = f.abs() + b.abs()
        return torch.where(total > 0, f.abs() / total.clamp_min(1e-12), torch.full_like(total, 0.5))


def _is_bio(labels: list[str]) -> bool:
    return "O" in labels and all(label == "O" or label[:2] in ("B-", "I-") for label in labels)


@torch.no_grad()
def bidirectional_forward(model: Tagger, meta: dict, tokens: list[str]) -> BidirectionalForward:
    """The forward and backward states of a BRNN tagger ("ner-birnn") and each one's share of y_hat<t>."""
    _check_ready(model, tokens)
    if not isinstance(model, Tagger) or not isinstance(model.recurrent, Bidirectional):
        raise ValueError("bidirectional_forward: expected a Tagger with arch 'birnn'")
    inputs = sentence_inputs(model, meta, tokens)
    fwd = rnn_steps(model.recurrent.fwd, inputs.x)
    bwd = rnn_steps(model.recurrent.bwd, inputs.x)
    n_a = fwd.a.shape[1]
    W_y = model.out.weight.detach()  # (n_y, 2 n_a): [W_y_fwd | W_y_bwd]
    W_fwd, W_bwd = W_y[:, :n_a], W_y[:, n_a:]
    b_y = model.out.bias.detach()  # (n_y,)
    from_fwd = fwd.a @ W_fwd.T  # (T_x, n_y)
    from_bwd = bwd.a @ W_bwd.T  # (T_x, n_y)
    logits = model.out(torch.cat([fwd.a, bwd.a], dim=1))  # (T_x, n_y)
    labels = label_names(model, meta)
    log_p = F.log_softmax(logits, dim=1)
    chosen = bio_decode(log_p, labels) if _is_bio(labels) else log_p.argmax(dim=1).tolist()
    return BidirectionalForward(inputs, fwd, bwd, W_fwd, W_bwd, b_y, from_fwd, from_bwd, logits,
                                F.softmax(logits, dim=1), labels, chosen)
