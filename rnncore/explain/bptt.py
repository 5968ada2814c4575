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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rnncore.cells import GRUCell, RNNCell
from rnncore.explain.spectral import (
    ARCHS,
    DTYPE,
    InitSettings,
    cell_at_init,
    clamp_settings,
    random_inputs,
    readout_at_init,
    spectral_radius,
    state_blocks,
)
from rnncore.layers import RecurrentOutput


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


# -- the notes' example on the trained agreement models -------------------------------------------
SOURCES = ("auto", "trained", "init")


REVIEW_STEPS = 8  # the notes' "I didn't enjoy the film at all." is 8 tokens


def sentiment_stem(arch: str) -> str:
    return f"sentiment-{arch}"


def trained_model_available(arch: str) -> bool:
    """True when the shipped sentiment model of this architecture is installed."""
    from rnncore.checkpoint import stem_path

    path = stem_path(sentiment_stem(arch))
    return path.with_suffix(".json").is_file() and path.with_suffix(".safetensors").is_file()


def profile_of_review(arch: str, steps: int, seed: int = 0) -> GradientProfile:
    """||dL/da<t>|| of the shipped sentiment model reading a review of ``steps`` words that opens with the
    notes' "I didn't enjoy the film at all.": L = -log P(the rating it gives), at the last step."""
    from rnncore.encoding import encoder_of
    from rnncore.shipped import load_shipped
    from rnncore.tasks.sentiment.inference import notes_review

    model, meta = load_shipped(sentiment_stem(arch))
    tokens = notes_review(steps, seed, encoder_of(meta).tokens)
    ids = encoder_of(meta).word_ids(tokens)
    with torch.no_grad():
        rating = int(model(torch.tensor([ids]))[0].argmax())
    profile = profile_of_classifier(model, ids, rating, arch)
    profile.details |= {"source": "trained", "tokens": tokens, "label": rating, "stars": rating + 1}
    return profile


def default_profile(
    arch: str, steps: int = 50, source: str = "auto", settings: InitSettings | None = None
) -> tuple[GradientProfile, list[str]]:
    """The CLI's profile: the shipped sentiment model reading the notes' review stretched to ``steps`` words
    ("trained"), a cell at initialisation ("init"), or "auto" (trained when the checkpoint is installed).
    Returns the profile and the clamping notes."""
    if arch not in ARCHS:
        raise ValueError(f"arch must be one of {ARCHS}, got {arch!r}")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    base = settings or InitSettings()
    used, notes = clamp_settings(InitSettings(**{**base.__dict__, "steps": steps}))
    if source == "auto":
        source = "trained" if trained_model_available(arch) else "init"
    if source == "trained":
        if not trained_model_available(arch):
            raise FileNotFoundError(f"no shipped {sentiment_stem(arch)}: build it with "
                                    f"`python -m rnncore train sentiment --arch {arch} --data-dir DIR`")
        T = max(used.steps, REVIEW_STEPS)
        if T != used.steps:
            notes.append(f"steps = {used.steps} is shorter than the notes' review; used {T}")
        return profile_of_review(arch, T, used.seed), notes
    profile = profile_at_init(arch, used)
    profile.details["source"] = "init"
    return profile, notes
