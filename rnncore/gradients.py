r"""Vanishing and exploding gradients, measured one time step at a time.

Back-propagation through time multiplies one Jacobian per step:

.. math::
    \frac{\partial L}{\partial a^{\langle t \rangle}}
      = \Big(\frac{\partial a^{\langle t+1 \rangle}}{\partial a^{\langle t \rangle}}\Big)^{\!\top}
        \frac{\partial L}{\partial a^{\langle t+1 \rangle}},
    \qquad
    \frac{\partial a^{\langle t+1 \rangle}}{\partial a^{\langle t \rangle}}
      = \mathrm{diag}\big(g'(z^{\langle t+1 \rangle})\big)\, W_{aa} \quad \text{(vanilla RNN)}

so for the vanilla RNN :math:`\|\partial L / \partial a^{\langle t \rangle}\|` shrinks or grows by about
``rho * g'`` per step, ``rho`` the spectral radius of W_aa (its largest |eigenvalue|) and ``g'`` the
activation's slope.  The LSTM's memory cell adds a path whose factor is Gamma_f itself
(:math:`c^{\langle t \rangle} = \Gamma_u * \tilde c^{\langle t \rangle} + \Gamma_f * c^{\langle t-1 \rangle}`), the GRU's
a path with factor 1 - Gamma_u: gates near "keep" let the gradient carry.

Everything here runs the course-named cells of :mod:`rnncore.cells` one step at a time, keeps every
a<t>, and asks autograd for dL/da<t> for all t at once.  L is the loss at the last step only.
Gradients are computed in float64 so that 1e-40 is still a number on a log scale, not a zero.
Every random choice takes a seed.
"""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rnncore.cells import ACTIVATIONS, GRUCell, LSTMCell, RNNCell, make_cell
from rnncore.encoding import Encoder
from rnncore.layers import RecurrentOutput
from rnncore.text import Vocab

ARCHS = ("rnn", "gru", "lstm")

# The largest slope of each activation, g'(z) <= this for every z.
MAX_SLOPE = {"tanh": 1.0, "relu": 1.0, "sigmoid": 0.25}

# Limits that the page and the CLI enforce (clamp_settings); the widgets carry the same ones.
LIMITS = {
    "steps": (2, 200),
    "n_a": (2, 256),
    "radius": (0.05, 3.0),
    "forget_bias": (-5.0, 5.0),
    "n_x": (2, 64),
    "m": (1, 64),
}

DTYPE = torch.float64


# -- settings -------------------------------------------------------------------------------------
@dataclass
class InitSettings:
    """A cell at initialisation and the random sequences it reads.

    steps: T, the sequence length.  n_a, n_x: state and input sizes.  m: sequences in the batch.
    radius: spectral radius of W_aa (GRU/LSTM: of each gate's state-to-state block); None keeps
        torch's U(-1/sqrt(n_a), 1/sqrt(n_a)) initialisation (radius about 0.58).
    activation: the vanilla RNN's g.  forget_bias: the LSTM's initial b_f (None: random like the rest).
    n_y: classes of the readout y_hat<T> = softmax(W_ya a<T> + b_y) whose cross-entropy is L.
    """

    steps: int = 50
    n_a: int = 32
    radius: float | None = 0.6  # about what torch's U(-1/sqrt(n_a), 1/sqrt(n_a)) gives (torch_default_radius)
    activation: str = "tanh"
    forget_bias: float | None = 1.0
    n_x: int = 10
    m: int = 16
    n_y: int = 2
    seed: int = 0


def _clamp(value, low, high):
    return min(max(value, low), high)


def clamp_settings(settings: InitSettings) -> tuple[InitSettings, list[str]]:
    """Bring every setting inside :data:`LIMITS`; returns the settings used and one message per change.

    Raises ValueError for what cannot be clamped (an unknown activation, a non-finite number).
    """
    if settings.activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {settings.activation!r}")
    values = {
        "steps": settings.steps,
        "n_a": settings.n_a,
        "radius": settings.radius,
        "forget_bias": settings.forget_bias,
        "n_x": settings.n_x,
        "m": settings.m,
    }
    messages = []
    clamped = {}
    for name, value in values.items():
        if value is None:
            clamped[name] = None
            continue
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value}")
        low, high = LIMITS[name]
        new = _clamp(value, low, high)
        if isinstance(low, int):
            new = int(round(new))
        if new != value:
            messages.append(f"{name} = {value} is outside {low}..{high}; used {new}")
        clamped[name] = new
    used = InitSettings(
        steps=clamped["steps"],
        n_a=clamped["n_a"],
        radius=clamped["radius"],
        activation=settings.activation,
        forget_bias=clamped["forget_bias"],
        n_x=clamped["n_x"],
        m=clamped["m"],
        n_y=settings.n_y,
        seed=int(settings.seed),
    )
    return used, messages


# -- cells with a chosen spectral radius ----------------------------------------------------------
def spectral_radius(W: Tensor) -> float:
    """max |eigenvalue| of a square matrix."""
    return float(torch.linalg.eigvals(W.detach().to(DTYPE)).abs().max())


def state_blocks(cell: nn.Module) -> dict[str, Tensor]:
    """The state-to-state matrices, as views: W_aa (RNN), or the a<t-1> half of each gate's W."""
    if isinstance(cell, RNNCell):
        return {"W_aa": cell.W_aa}
    names = ("W_c", "W_u", "W_r") if isinstance(cell, GRUCell) else LSTMCell.GATES
    return {name: cell.split(getattr(cell, name))[0] for name in names}  # each (n_a, n_a)


@torch.no_grad()
def torch_default_radius(n_a: int = 32, seed: int = 0) -> float:
    """The spectral radius of W_aa that torch's own initialisation gives (for a random uniform matrix
    of bound 1/sqrt(n_a) it tends to 1/sqrt(3) as n_a grows)."""
    return spectral_radius(cell_at_init("rnn", 2, n_a, radius=None, seed=seed).W_aa)


@torch.no_grad()
def set_spectral_radius_(cell: nn.Module, radius: float) -> nn.Module:
    """Rescale every state-to-state block so that its largest |eigenvalue| is ``radius``."""
    for name, W in state_blocks(cell).items():
        current = spectral_radius(W)
        if current == 0.0:
            raise ValueError(f"{type(cell).__name__}: {name} has spectral radius 0 and cannot be rescaled")
        W.mul_(radius / current)
    return cell


def cell_at_init(
    arch: str,
    n_x: int,
    n_a: int,
    radius: float | None = 0.6,
    activation: str = "tanh",
    forget_bias: float | None = 1.0,
    seed: int = 0,
) -> nn.Module:
    """A freshly initialised cell (float64) whose state-to-state blocks have spectral radius ``radius``.

    ``activation`` applies to the vanilla RNN only; ``forget_bias`` (b_f) to the LSTM only.
    """
    if arch not in ARCHS:
        raise ValueError(f"arch must be one of {ARCHS}, got {arch!r}")
    options: dict = {}
    if arch == "rnn":
        options["activation"] = activation
    elif arch == "lstm":
        options["forget_bias"] = forget_bias
    cell = make_cell(arch, n_x, n_a, **options).to(DTYPE)
    _reinit_uniform_(cell, n_a, seed)
    if arch == "lstm" and forget_bias is not None:
        with torch.no_grad():
            cell.b_f.fill_(forget_bias)
    if radius is not None:
        set_spectral_radius_(cell, radius)
    return cell


@torch.no_grad()
def _reinit_uniform_(module: nn.Module, fan: int, seed: int) -> None:
    """torch.nn's U(-1/sqrt(fan), 1/sqrt(fan)) again, from a generator of our own.

    torch's global generator is shared by every thread of a Streamlit server; a private one makes
    the same seed give the same cell whatever other sessions are doing.
    """
    generator = torch.Generator().manual_seed(seed)
    bound = 1.0 / math.sqrt(fan)
    for _, p in sorted(module.named_parameters()):
        p.uniform_(-bound, bound, generator=generator)


def random_inputs(m: int, T: int, n_x: int, seed: int = 0) -> Tensor:
    """Seeded N(0, 1) inputs x<1>..x<T> for m sequences: (m, T, n_x)."""
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(m, T, n_x, generator=generator, dtype=DTYPE)  # (m, T, n_x)


def readout_at_init(n_a: int, n_y: int, seed: int = 0) -> nn.Linear:
    """W_ya, b_y for y_hat<T> = softmax(W_ya a<T> + b_y), seeded, float64."""
    readout = nn.Linear(n_a, n_y).to(DTYPE)
    _reinit_uniform_(readout, n_a, seed + 1)
    return readout


# -- the step-by-step unroll and dL/da<t> ---------------------------------------------------------
def _as_tuple(state) -> tuple[Tensor, ...]:
    return state if isinstance(state, tuple) else (state,)


@dataclass
class Unrolled:
    """Every a<t> of one unroll and every intermediate value by name.

    states: [a<1>, ..., a<T>], each (m, n_a).  full: the whole state after each step as a tuple,
    full[0] the initial one: (a<t>,) for RNN and GRU, (a<t>, c<t>) for the LSTM.
    step_inputs: with ``local=True``, step_inputs[t] is the detached copy of full[t - 1] that step t
    read, so that each step's graph stands alone (empty otherwise).
    values: name -> [value<1>, ..., value<T>].  final: the last state as the cell returns it.
    """

    states: list[Tensor]
    full: list[tuple[Tensor, ...]]
    values: dict[str, list[Tensor]]
    final: Tensor | tuple[Tensor, Tensor]
    step_inputs: list[tuple[Tensor, ...]] = field(default_factory=list)


def unroll(cell: nn.Module, x: Tensor, state0=None, local: bool = False) -> Unrolled:
    """Step ``cell`` over x: (m, T, n_x), one course-named cell call per time step.

    The initial state requires grad, so the graph reaches every a<t> even when the cell's weights
    are frozen (a shipped model).  With ``local=True`` each step reads a detached copy of the
    previous state: the steps' graphs are separate, and one step's backward costs one step (through
    one connected graph, autograd would walk back to t = 1 on every call).
    """
    state = cell.initial_state(x.shape[0]) if state0 is None else state0
    state = tuple(s.to(x.dtype).requires_grad_(True) for s in _as_tuple(state))
    state = state if len(state) == 2 else state[0]
    states: list[Tensor] = []
    full = [_as_tuple(state)]
    step_inputs: list[tuple[Tensor, ...]] = [()]
    values: dict[str, list[Tensor]] = {}
    for t in range(x.shape[1]):
        if local:
            read = tuple(s.detach().requires_grad_(True) for s in _as_tuple(state))
            step_inputs.append(read)
            state = read if len(read) == 2 else read[0]
        state, step_values = cell.step(x[:, t], state)  # a: (m, n_a)
        states.append(step_values["a"])
        full.append(_as_tuple(state))
        for name, value in step_values.items():
            values.setdefault(name, []).append(value)
    return Unrolled(states, full, values, state, step_inputs if local else [])


def state_gradients(loss: Tensor, states: Sequence[Tensor]) -> list[Tensor]:
    """dL/da<t> for every t in one autograd call: the total derivative through every later step.

    Plain float64: a norm below about 1e-308 becomes 0 here; :func:`log10_state_gradient_norms`
    does not have that limit.
    """
    return list(torch.autograd.grad(loss, list(states), allow_unused=True, materialize_grads=True))


def norms_of(grads: Sequence[Tensor]) -> list[float]:
    """||dL/da<t>|| (Frobenius over the batch and the units) for t = 1..T."""
    return [float(g.norm()) for g in grads]


def _log_norm(parts: Sequence[Tensor]) -> float:
    total = float(torch.sqrt(sum((p**2).sum() for p in parts)))
    return math.log(total) if total > 0 else -math.inf


def log10_state_gradient_norms(
    run: Unrolled, loss_of_states: Callable[[list[Tensor]], Tensor]
) -> tuple[list[float], float, list[float] | None]:
    r"""log10 ||dL/da<t>|| for t = 1..T, by back-propagation through time one step at a time.

    .. math::
        g^{\langle t \rangle} = \frac{\partial L}{\partial a^{\langle t \rangle}}\Big|_{\text{direct}}
            + \Big(\frac{\partial s^{\langle t+1 \rangle}}{\partial s^{\langle t \rangle}}\Big)^{\!\top} g^{\langle t+1 \rangle}

    with s<t> the whole state (a<t>, plus c<t> for the LSTM).  The gradient is carried as a unit
    vector times exp(log_scale) and renormalised after every step, so 1e-500 or 1e+500 is still a
    number.  ``loss_of_states([a<1>, ..., a<T>])`` gives L; its direct dependence on each a<t> is
    found on detached copies (only a<T> for a last-step loss; every a<t> for a mean-pooled one).

    For the LSTM it also returns log10 ||dL/dc<t>||, the total derivative for the memory cell: what
    reaches c<t> from c<t+1> and the gates, plus what reaches it through a<t> = Gamma_o * tanh(c<t>),
    i.e. (dL/da<t>) * Gamma_o * (1 - tanh(c<t>)^2).

    Returns the log10 norms of dL/da<t>, L, and the log10 norms of dL/dc<t> (None without a c).
    """
    T = len(run.states)
    leaves = [a.detach().requires_grad_(True) for a in run.states]
    with torch.enable_grad():
        loss = loss_of_states(leaves)
        direct = torch.autograd.grad(loss, leaves, allow_unused=True, materialize_grads=True)
    unit: list[Tensor] | None = None  # the gradient w.r.t. run.full[t], divided by exp(log_scale)
    log_scale = -math.inf
    log10_norms = [0.0] * T
    has_c = "G_o" in run.values
    log10_c_norms = [0.0] * T if has_c else None
    for t in range(T, 0, -1):
        d = direct[t - 1]  # (m, n_a): L's own dependence on a<t>
        log_d = _log_norm([d])
        if log_d > -math.inf:
            top = max(log_scale, log_d)
            shifted = (
                [torch.zeros_like(s) for s in run.full[t]]
                if unit is None
                else [u * math.exp(log_scale - top) for u in unit]
            )
            shifted[0] = shifted[0] + d * math.exp(-top)
            unit, log_scale = shifted, top
            log_n = _log_norm(unit)
            unit, log_scale = [u / math.exp(log_n) for u in unit], log_scale + log_n
        log10_norms[t - 1] = (
            (log_scale + _log_norm(unit[:1])) / math.log(10) if unit is not None else -math.inf
        )
        if log10_c_norms is not None:
            log10_c_norms[t - 1] = _log10_total_c(run, t, unit, log_scale)
        if t == 1 or unit is None:
            continue
        with torch.enable_grad():
            back = torch.autograd.grad(
                run.full[t],
                run.step_inputs[t] if run.step_inputs else run.full[t - 1],
                grad_outputs=unit,
                retain_graph=True,
                allow_unused=True,
                materialize_grads=True,
            )
        log_n = _log_norm(back)
        if log_n == -math.inf:
            unit, log_scale = None, -math.inf  # nothing reaches further back (every unit dead)
            continue
        unit, log_scale = [b / math.exp(log_n) for b in back], log_scale + log_n
    return log10_norms, float(loss.detach()), log10_c_norms


def _log10_total_c(run: Unrolled, t: int, unit: list[Tensor] | None, log_scale: float) -> float:
    """log10 ||dL/dc<t>|| from the carried (a, c) gradient: c's own part plus the path through a<t>."""
    if unit is None:
        return -math.inf
    with torch.no_grad():
        c, G_o = run.values["c"][t - 1], run.values["G_o"][t - 1]  # (m, n_a) each
        total = unit[1] + unit[0] * G_o * (1 - torch.tanh(c) ** 2)  # (m, n_a)
    return (log_scale + _log_norm([total])) / math.log(10)


def _from_log10(v: float) -> float:
    """10 ** v as a float: 0.0 below the smallest double, inf above the largest."""
    if v == -math.inf or v < -323.3:
        return 0.0
    if v > 308.2:
        return math.inf
    return 10.0**v


@dataclass
class GradientProfile:
    """||dL/da<t>|| for t = 1..T, with what produced it.

    log10_norms[t - 1] = log10 ||dL/da<t>||, exact even far outside the float range; norms are the
    same numbers as floats (0.0 below 1e-323).  rate: the analytic per-step factor, if there is one
    (RNN: radius x RMS slope of g along the run; GRU: mean of 1 - Gamma_u; LSTM: mean Gamma_f);
    rate_name says which.
    """

    arch: str
    log10_norms: list[float]
    loss: float
    rate: float | None = None
    rate_name: str = ""
    radius: float | None = None
    details: dict = field(default_factory=dict)
    log10_c_norms: list[float] | None = None  # LSTM only: log10 ||dL/dc<t>||

    @property
    def norms(self) -> list[float]:
        return [_from_log10(v) for v in self.log10_norms]

    @property
    def steps(self) -> int:
        return len(self.log10_norms)

    @property
    def log10_first_to_last(self) -> float:
        return self.log10_norms[0] - self.log10_norms[-1]

    @property
    def first_to_last(self) -> float:
        """||dL/da<1>|| / ||dL/da<T>||: below 1 the gradient vanished on its way back, above 1 it grew."""
        first, last = self.log10_norms[0], self.log10_norms[-1]
        if last == -math.inf:
            return math.nan
        return _from_log10(first - last)

    @property
    def measured_rate(self) -> float:
        """The geometric-mean factor per step, (first_to_last) ** (1 / (T - 1))."""
        d = self.log10_first_to_last
        if self.steps < 2 or not math.isfinite(d):
            return math.nan
        return 10.0 ** (d / (self.steps - 1))

    def log10_analytic_curve(self) -> list[float] | None:
        """log10 of ||dL/da<T>|| * rate ** (T - t) for t = 1..T: what the per-step rate predicts."""
        if self.rate is None or not self.rate > 0:
            return None
        last, step = self.log10_norms[-1], math.log10(self.rate)
        return [last + (self.steps - t) * step for t in range(1, self.steps + 1)]

    def analytic_curve(self) -> list[float] | None:
        curve = self.log10_analytic_curve()
        return None if curve is None else [_from_log10(v) for v in curve]

    def to_json(self) -> dict:
        """The CLI contract's object: {"arch", "steps", "norms"}."""
        return {"arch": self.arch, "steps": self.steps, "norms": self.norms}


def ratio(a: float, b: float) -> float:
    if b == 0.0:
        return math.inf if a > 0 else math.nan
    return a / b


def rate_curve(norm_last: float, rate: float, T: int) -> list[float]:
    """norm_last * rate ** (T - t) for t = 1..T (0.0 / inf outside the float range, never an error)."""
    if norm_last <= 0 or rate <= 0:
        return [0.0] * T
    last, step = math.log10(norm_last), math.log10(rate)
    return [_from_log10(last + (T - t) * step) for t in range(1, T + 1)]


def activation_slope(activation: str, a: Tensor) -> Tensor:
    """g'(z) written through g(z) = a: tanh' = 1 - a^2, sigmoid' = a (1 - a), relu' = [a > 0]."""
    if activation == "tanh":
        return 1 - a**2
    if activation == "sigmoid":
        return a * (1 - a)
    if activation == "relu":
        return (a > 0).to(a.dtype)
    raise ValueError(f"unknown activation {activation!r}")


def analytic_rate(cell: nn.Module, run: Unrolled, radius: float) -> tuple[float, str]:
    """The per-step factor the equations predict for this run.

    RNN: radius * RMS(g'(z<t>)) over the run.  A random W_aa of spectral radius rho stretches a
    random vector by about rho, and diag(g') scales it by the root-mean-square slope.
    GRU: the mean of 1 - Gamma_u, the factor of the path c<t-1> -> c<t> that skips every matrix.
    LSTM: the mean of Gamma_f, the factor of the memory-cell path c<t-1> -> c<t>.
    """
    with torch.no_grad():
        if isinstance(cell, RNNCell):
            slopes = activation_slope(cell.activation, torch.stack(run.states))  # (T, m, n_a)
            rms = float(slopes.pow(2).mean().sqrt())
            return radius * rms, f"radius x RMS slope of {cell.activation} = {radius:.3g} x {rms:.3g}"
        if isinstance(cell, GRUCell):
            keep = float((1 - torch.stack(run.values["G_u"])).mean())
            return keep, "mean of 1 - Gamma_u (the GRU's carry)"
        keep = float(torch.stack(run.values["G_f"]).mean())
        return keep, "mean of Gamma_f (the LSTM's carry)"


def last_step_loss(readout: nn.Module, a_T: Tensor, y: Tensor) -> Tensor:
    """L = cross-entropy of y_hat<T> = softmax(W_ya a<T> + b_y) against y, averaged over the batch."""
    return F.cross_entropy(readout(a_T), y)


def profile_at_init(arch: str, settings: InitSettings | None = None) -> GradientProfile:
    """||dL/da<t>|| of a freshly initialised cell reading seeded random sequences.

    The settings should already be clamped (:func:`clamp_settings`).
    """
    s = settings or InitSettings()
    cell = cell_at_init(arch, s.n_x, s.n_a, s.radius, s.activation, s.forget_bias, s.seed)
    readout = readout_at_init(s.n_a, s.n_y, s.seed)
    x = random_inputs(s.m, s.steps, s.n_x, s.seed)  # (m, T, n_x)
    y = torch.randint(0, s.n_y, (s.m,), generator=torch.Generator().manual_seed(s.seed + 2))  # (m,)
    run = unroll(cell, x, local=True)
    log10_norms, loss, log10_c = log10_state_gradient_norms(
        run, lambda states: last_step_loss(readout, states[-1], y)
    )
    radius = (
        s.radius if s.radius is not None else max(spectral_radius(W) for W in state_blocks(cell).values())
    )
    rate, rate_name = analytic_rate(cell, run, radius)
    details = {
        "activation": s.activation if arch == "rnn" else None,
        "forget_bias": s.forget_bias if arch == "lstm" else None,
    }
    return GradientProfile(arch, log10_norms, loss, rate, rate_name, radius, details, log10_c)


def profiles_at_init(
    settings: InitSettings | None = None, archs: Sequence[str] = ARCHS
) -> dict[str, GradientProfile]:
    """One :func:`profile_at_init` per architecture, all with the same settings and seed."""
    return {arch: profile_at_init(arch, settings) for arch in archs}


# -- trained models -----------------------------------------------------------------------------
def _classifier_logits(model: nn.Module, states: list[Tensor]) -> Tensor:
    """A classifier's output from its states a<1>..a<T>: its own summary (last state or mean), then W_ya, b_y."""
    outputs = torch.stack(states, dim=1)  # (m, T, n_a)
    lengths = torch.full((outputs.shape[0],), outputs.shape[1], dtype=torch.long)
    summary = model.summary(RecurrentOutput(outputs, states[-1]), lengths)  # (m, n_a)
    return model.out(summary)  # (m, n_y)


def _recurrent_cell(model: nn.Module) -> nn.Module:
    cell = getattr(getattr(model, "recurrent", None), "cell", None)
    if cell is None:
        raise ValueError(f"{type(model).__name__}: expected a one-directional rnn, gru or lstm model")
    return cell


def profile_of_classifier(
    model: nn.Module, ids: Sequence[int], label: int, arch: str | None = None
) -> GradientProfile:
    """||dL/da<t>|| for a trained many-to-one model reading one sentence, L = -log P(label | sentence).

    ``model`` is not modified: a float64 copy is unrolled (shared cached models stay read-only).
    """
    work = copy.deepcopy(model).to(DTYPE).eval()
    cell = _recurrent_cell(work)
    ids_t = torch.as_tensor([list(ids)], dtype=torch.long)  # (1, T)
    y = torch.tensor([label])
    with torch.enable_grad():
        x = work.inputs(ids_t).detach()  # (1, T, n_x)
        run = unroll(cell, x, local=True)
        log10_norms, loss, log10_c = log10_state_gradient_norms(
            run, lambda states: F.cross_entropy(_classifier_logits(work, states), y)
        )
    with torch.no_grad():
        probs = F.softmax(_classifier_logits(work, run.states), dim=-1)[0].tolist()
    radius = max(spectral_radius(W) for W in state_blocks(cell).values())
    rate, rate_name = analytic_rate(cell, run, radius)
    return GradientProfile(
        arch or cell.kind,
        log10_norms,
        loss,
        rate,
        rate_name,
        radius,
        {"probs": probs, "label": label},
        log10_c,
    )


# -- saliency: how much of each input word reaches the last output -------------------------------
@dataclass
class Saliency:
    """Per input word, how strongly the last output depends on it.

    score = log P(predicted class) at the last output.  norms[t - 1] = ||d score / d x<t>||, the
    gradient that reaches word t's input vector; grad_x_input[t - 1] = (d score / d x<t>) . x<t>,
    signed (positive: the word pushes towards the prediction).  predicted: the class index;
    label: its name when the checkpoint lists names; probability: P(predicted).
    """

    tokens: list[str]
    norms: list[float]
    grad_x_input: list[float]
    predicted: int
    label: str
    probability: float

    @property
    def share(self) -> list[float]:
        """Each word's part of the summed gradient norms (adds up to 1)."""
        total = sum(self.norms)
        return [n / total if total > 0 else 0.0 for n in self.norms]

    @property
    def first_to_last(self) -> float:
        """||d score / d x<1>|| / ||d score / d x<T>||: how much of the first word still reaches the output."""
        return ratio(self.norms[0], self.norms[-1])


def last_output_logits(model: nn.Module, x: Tensor) -> Tensor:
    """The logits of a model's last output, computed from its recurrent layer's inputs x: (1, T, n_x) -> (1, n_y).

    Classifier: the prediction for the whole sequence; Tagger: the tag of the last token;
    LanguageModel: the distribution of the word after the last one.
    """
    lengths = torch.tensor([x.shape[1]])
    result = model.recurrent(x, lengths)
    if hasattr(model, "summary"):  # many-to-one
        return model.out(model.summary(result, lengths))  # (1, n_y)
    return model.out(result.outputs[:, -1])  # (1, n_y)


def saliency(
    model: nn.Module, tokens: Sequence[str], x: Tensor, labels: Sequence[str] | None = None
) -> Saliency:
    """Gradient of the last output's top log-probability with respect to each x<t>.

    x: x<1>..x<T> as the model's recurrent layer reads them, (1, T, n_x).  The model is only read.
    """
    x = x.detach().clone().requires_grad_(True)  # (1, T, n_x)
    with torch.enable_grad():
        log_p = F.log_softmax(last_output_logits(model, x), dim=-1)[0]  # (n_y,)
        predicted = int(log_p.argmax())
        (grad_x,) = torch.autograd.grad(log_p[predicted], x)  # (1, T, n_x)
    norms = grad_x[0].norm(dim=1).tolist()  # (T,)
    gxi = (grad_x[0] * x[0].detach()).sum(dim=1).tolist()  # (T,)
    label = labels[predicted] if labels is not None and predicted < len(labels) else str(predicted)
    return Saliency(list(tokens), norms, gxi, predicted, label, float(log_p[predicted].detach().exp()))


def saliency_of_tokens(model: nn.Module, meta: dict, tokens: Sequence[str]) -> Saliency:
    """:func:`saliency` for a shipped checkpoint (``rnncore.checkpoint.load``): its encoder turns the
    tokens into word ids (and characters and shape features, for the tagger), the model into x<t>."""
    if not tokens:
        raise ValueError("saliency needs at least one token")
    if "encoder" in meta:
        batch = Encoder.from_dict(meta["encoder"]).batch([list(tokens)])
    else:  # word ids only (the agreement models keep a plain vocabulary)
        batch = {"ids": torch.tensor([_word_ids(meta, tokens)], dtype=torch.long)}  # (1, T)
    with torch.no_grad():
        x = model.inputs(batch["ids"], batch.get("chars"), batch.get("features"))  # (1, T, n_x)
    return saliency(model, tokens, x, meta.get("labels"))


def _word_ids(meta: dict, tokens: Sequence[str]) -> list[int]:
    """Word ids from a checkpoint's JSON: its encoder, or its plain vocabulary."""
    if "encoder" in meta:
        return Encoder.from_dict(meta["encoder"]).word_ids(tokens)
    if "vocab" in meta:
        return Vocab.from_dict(meta["vocab"]).encode(tokens)
    raise ValueError("the checkpoint has neither an encoder nor a vocabulary")


# -- exploding gradients and clipping -------------------------------------------------------------
def clip_by_value(grads: dict[str, Tensor], max_value: float) -> dict[str, Tensor]:
    """The course's clip: every entry of every gradient into [-maxValue, maxValue] (np.clip), new tensors."""
    if not max_value > 0:
        raise ValueError(f"maxValue must be positive, got {max_value}")
    return {name: g.clamp(-max_value, max_value) for name, g in grads.items()}


def global_norm(grads: dict[str, Tensor]) -> float:
    """sqrt of the sum of every squared entry of every gradient."""
    return float(torch.sqrt(sum((g.double() ** 2).sum() for g in grads.values())))


def clip_by_norm(grads: dict[str, Tensor], max_norm: float) -> dict[str, Tensor]:
    """Scale all gradients by min(1, max_norm / global norm): the direction is kept, the length capped."""
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm}")
    total = global_norm(grads)
    if not math.isfinite(total):
        # An inf/nan gradient has no direction to keep: cap its entries first, then its length.
        grads = {name: torch.nan_to_num(g, nan=0.0).clamp(-max_norm, max_norm) for name, g in grads.items()}
        total = global_norm(grads)
    scale = max_norm / total if total > max_norm else 1.0
    return {name: g * scale for name, g in grads.items()}


def clip(grads: dict[str, Tensor], mode: str, threshold: float) -> dict[str, Tensor]:
    """mode "value" (the course's np.clip), "norm", or "none"."""
    if mode == "none":
        return dict(grads)
    if mode == "value":
        return clip_by_value(grads, threshold)
    if mode == "norm":
        return clip_by_norm(grads, threshold)
    raise ValueError(f"clipping mode must be 'none', 'value' or 'norm', got {mode!r}")


def memory_task(m: int, T: int, n_x: int, seed: int = 0) -> tuple[Tensor, Tensor]:
    """A long-memory task like "The cat/cats, which ..., was/were": the class is the first word.

    x<1> is the one-hot of symbol 0 or 1 (the class y); x<2>..x<T> are one-hots of distractor
    symbols 2..n_x-1, drawn at random.  Returns x (m, T, n_x) float64 and y (m,).
    """
    if n_x < 3:
        raise ValueError(f"memory_task: n_x must be at least 3 (two classes and a distractor), got {n_x}")
    generator = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 2, (m,), generator=generator)  # (m,)
    symbols = torch.randint(2, n_x, (m, T), generator=generator)  # (m, T)
    symbols[:, 0] = y
    return F.one_hot(symbols, n_x).to(DTYPE), y  # (m, T, n_x), (m,)


def parameter_gradients(
    cell: nn.Module, readout: nn.Module, x: Tensor, y: Tensor
) -> tuple[float, dict[str, Tensor]]:
    """L at the last step and dL/dW for every parameter of the cell and the readout (W_ya, b_y)."""
    named = dict(cell.named_parameters()) | {"W_ya": readout.weight, "b_y": readout.bias}
    with torch.enable_grad():
        run = unroll(cell, x)
        loss = last_step_loss(readout, run.states[-1], y)
        grads = torch.autograd.grad(loss, list(named.values()))
    return float(loss.detach()), dict(zip(named, grads, strict=True))


@dataclass
class ClippingSnapshot:
    """One batch's parameter gradients before and after clipping.

    Per parameter name: the largest |entry| and the Frobenius norm, before and after.
    """

    mode: str
    threshold: float
    loss: float
    max_before: dict[str, float]
    max_after: dict[str, float]
    norm_before: dict[str, float]
    norm_after: dict[str, float]

    @property
    def global_before(self) -> float:
        return math.sqrt(sum(v**2 for v in self.norm_before.values()))

    @property
    def global_after(self) -> float:
        return math.sqrt(sum(v**2 for v in self.norm_after.values()))


def _cell_for_task(settings: InitSettings, arch: str = "rnn") -> tuple[nn.Module, nn.Linear]:
    s = settings
    cell = cell_at_init(arch, s.n_x, s.n_a, s.radius, s.activation, s.forget_bias, s.seed)
    return cell, readout_at_init(s.n_a, 2, s.seed)


def clipping_snapshot(
    settings: InitSettings, mode: str, threshold: float, arch: str = "rnn"
) -> ClippingSnapshot:
    """The gradients of one batch of the memory task, at initialisation, before and after clipping."""
    s = settings
    cell, readout = _cell_for_task(s, arch)
    x, y = memory_task(s.m, s.steps, s.n_x, s.seed)
    loss, grads = parameter_gradients(cell, readout, x, y)
    clipped = clip(grads, mode, threshold)

    def stats(gs, fn):
        return {name: float(fn(g)) for name, g in gs.items()}

    return ClippingSnapshot(
        mode,
        threshold,
        loss,
        stats(grads, lambda g: g.abs().max()),
        stats(clipped, lambda g: g.abs().max()),
        stats(grads, torch.linalg.norm),
        stats(clipped, torch.linalg.norm),
    )


@dataclass
class TrainingRun:
    """A short SGD run on the memory task.  Per update: the loss and the global gradient norm before clipping.

    accuracy: on a held-out batch after the last update (nan if the weights became non-finite).
    """

    mode: str
    threshold: float
    losses: list[float]
    grad_norms: list[float]
    accuracy: float

    @property
    def diverged(self) -> bool:
        """True if a loss became inf/nan: the weights have left the numbers."""
        return any(not math.isfinite(v) for v in self.losses)


def train_short(
    settings: InitSettings,
    mode: str = "none",
    threshold: float = 5.0,
    updates: int = 60,
    learning_rate: float = 0.1,
    arch: str = "rnn",
) -> TrainingRun:
    """Plain SGD, W := W - learning_rate * clip(dW), on fresh batches of the memory task.

    Same seed, same starting weights and same batches whatever the clipping mode, so the runs
    differ only by clipping.
    """
    s = settings
    cell, readout = _cell_for_task(s, arch)
    params = dict(cell.named_parameters()) | {"W_ya": readout.weight, "b_y": readout.bias}
    losses, grad_norms = [], []
    for k in range(updates):
        x, y = memory_task(s.m, s.steps, s.n_x, seed=s.seed * 100_003 + k)
        loss, grads = parameter_gradients(cell, readout, x, y)
        losses.append(loss)
        grad_norms.append(global_norm(grads))
        if not math.isfinite(loss):
            break  # the weights are already inf/nan; further updates only repeat it
        clipped = clip(grads, mode, threshold)
        with torch.no_grad():
            for name, p in params.items():
                p.sub_(learning_rate * clipped[name])
    x, y = memory_task(256, s.steps, s.n_x, seed=s.seed + 999_983)
    with torch.no_grad():
        logits = readout(unroll(cell, x).states[-1])  # (256, 2)
        finite = bool(torch.isfinite(logits).all())
        accuracy = float((logits.argmax(1) == y).double().mean()) if finite else float("nan")
    return TrainingRun(mode, threshold, losses, grad_norms, accuracy)


# -- the notes' example on the trained agreement models -------------------------------------------
SOURCES = ("auto", "trained", "init")
NOTES_LABEL = 0  # "was": the notes' subject is "the cat", singular
FRAME_STEPS = 7  # "the cat , which already ate" + the closing ","; the clause fills the rest


def agreement_stem(arch: str) -> str:
    return f"agreement-{arch}"


def agreement_model_available(arch: str) -> bool:
    """True when assets/models/agreement-<arch>.{json,safetensors} are both there."""
    from rnncore.checkpoint import stem_path

    path = stem_path(agreement_stem(arch))
    return path.with_suffix(".json").is_file() and path.with_suffix(".safetensors").is_file()


def notes_example(steps: int, seed: int = 0) -> list[str]:
    """The notes' example, "the cat , which already ate ... ,", with a seeded clause making it exactly ``steps`` tokens.

    The agreement models read up to the comma and answer with the verb: "was" (the cat is singular).
    """
    from rnncore.data import agreement

    if steps < FRAME_STEPS:
        raise ValueError(f"the notes' example needs at least {FRAME_STEPS} steps, got {steps}")
    rng = random.Random(f"notes-example-{seed}")
    return [
        "the",
        "cat",
        ",",
        *agreement.FRAME_BEFORE_CLAUSE,
        *agreement.clause(steps - FRAME_STEPS, rng),
        ",",
    ]


def profile_of_agreement(arch: str, steps: int, seed: int = 0) -> GradientProfile:
    """||dL/da<t>|| of the shipped agreement model on the notes' example of ``steps`` words, L = -log P(was)."""
    from rnncore.checkpoint import load
    from rnncore.data import agreement

    model, meta = load(agreement_stem(arch))
    tokens = notes_example(steps, seed)
    ids = (
        _word_ids(meta, tokens)
        if ("encoder" in meta or "vocab" in meta)
        else agreement.vocab().encode(tokens)
    )
    profile = profile_of_classifier(model, ids, NOTES_LABEL, arch)
    metrics = meta.get("metrics", {})
    profile.details |= {
        "source": "trained",
        "tokens": tokens,
        "accuracy": metrics.get("accuracy"),  # held out, from the checkpoint's JSON
        "distance": metrics.get("distance"),
    }
    return profile


def default_profile(
    arch: str, steps: int = 50, source: str = "auto", settings: InitSettings | None = None
) -> tuple[GradientProfile, list[str]]:
    """The CLI's profile: the trained agreement model ("trained"), a cell at initialisation ("init"), or
    "auto" (trained when the checkpoint is installed).  Returns the profile and the clamping notes."""
    if arch not in ARCHS:
        raise ValueError(f"arch must be one of {ARCHS}, got {arch!r}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    base = settings or InitSettings()
    used, notes = clamp_settings(InitSettings(**{**base.__dict__, "steps": steps}))
    if source == "auto":
        source = "trained" if agreement_model_available(arch) else "init"
    if source == "trained":
        if not agreement_model_available(arch):
            from rnncore.cli.compare import SHIPPED_COMMAND

            raise FileNotFoundError(
                f"no trained agreement model for {arch}: build them with `{SHIPPED_COMMAND}`"
            )

        T = max(used.steps, FRAME_STEPS)
        if T != used.steps:
            notes.append(f"steps = {used.steps} is shorter than the notes' frame; used {T}")
        return profile_of_agreement(arch, T, used.seed), notes
    profile = profile_at_init(arch, used)
    profile.details["source"] = "init"
    return profile, notes
