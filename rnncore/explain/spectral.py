"""Cells at initialisation with a chosen spectral radius, and the seeded inputs they read: the settings
the gradient lesson's 'at initialisation' view and the CLI share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from rnncore.cells import ACTIVATIONS, GRUCell, LSTMCell, RNNCell, make_cell

# Limits that the page and the CLI enforce (clamp_settings); the widgets carry the same ones.
ARCHS = ("rnn", "gru", "lstm")  # the one-directional cells whose gradients the lesson follows

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
