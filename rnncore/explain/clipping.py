"""Exploding gradients and clipping: the course's clip by value, clipping by norm, and a short training
run on a long-memory task with and without them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rnncore.explain.bptt import last_step_loss, unroll
from rnncore.explain.spectral import DTYPE, InitSettings, cell_at_init, readout_at_init


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
