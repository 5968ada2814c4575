"""Reference computations the tests compare the library against: slow, plain, written from the
definitions (one autograd call for every dL/da<t>, every prefix run on its own), never used by the app."""

from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
from torch import Tensor

from rnncore.encoding import encoder_of

# The largest slope of each activation: g'(z) <= this for every z.
MAX_SLOPE = {"tanh": 1.0, "relu": 1.0, "sigmoid": 0.25}


def state_gradients(loss: Tensor, states: Sequence[Tensor]) -> list[Tensor]:
    """dL/da<t> for every t in one autograd call: the total derivative through every later step."""
    return list(torch.autograd.grad(loss, list(states), allow_unused=True, materialize_grads=True))


def norms_of(grads: Sequence[Tensor]) -> list[float]:
    """||dL/da<t>|| (Frobenius over the batch and the units) for t = 1..T."""
    return [float(g.norm()) for g in grads]


def rate_curve(norm_last: float, rate: float, T: int) -> list[float]:
    """norm_last * rate ** (T - t) for t = 1..T: what a constant per-step factor predicts."""
    return [norm_last * rate ** (T - t) for t in range(1, T + 1)]


@torch.no_grad()
def tag_probs_from_prefixes(model, meta: dict, tokens: Sequence[str]) -> Tensor:
    """Row t holds y_hat<t> of the sentence cut after x<t>: each prefix x<1>..x<t> run on its own.

    This is the definition of "what the model could say having read only x<1>..x<t>"; it costs T_x
    runs. For a left-to-right model it equals the one-pass output (see :func:`rnncore.explain.entities.left_to_right_choices`).
    Shape: (T_x, n_y).
    """
    T_x = len(tokens)
    batch = encoder_of(meta).batch([list(tokens[: t + 1]) for t in range(T_x)])  # m = T_x prefixes
    probs = F.softmax(model(**batch), dim=-1)  # (T_x prefixes, T_x, n_y)
    steps = torch.arange(T_x)
    return probs[steps, steps]  # (T_x, n_y): prefix t read at its own last step
