"""Adam for the training that runs inside the app's server (the Compare lab, the bag-of-words baseline).

Why not ``torch.optim.Adam``: building any ``torch.optim`` optimiser imports ``torch._dynamo``
(about 830 modules, sympy among them, 0.85 s). In the server those modules' 118,000 objects are
walked by the garbage collection Streamlit runs after every page run: measured, that collection
went from 1.6 ms to 66 ms for every visitor once the first live training had started. This class
does the same arithmetic as torch's single-tensor Adam (its CPU path), step for step, with
tensors only; tests/test_optim.py checks that both give the same weights. Offline training
(rnncore.training) keeps torch.optim.

For each parameter W with gradient dW, at step t (Kingma and Ba, 2015):

.. math::
    v_{dW} = \\beta_1 v_{dW} + (1 - \\beta_1)\\, dW, \\qquad
    s_{dW} = \\beta_2 s_{dW} + (1 - \\beta_2)\\, dW^2

.. math::
    W = W - \\alpha \\frac{v_{dW} / (1 - \\beta_1^t)}{\\sqrt{s_{dW} / (1 - \\beta_2^t)} + \\varepsilon}

``weight_decay`` adds ``weight_decay * W`` to dW first (L2, as torch's Adam does).
"""

from __future__ import annotations

from collections.abc import Iterable

import torch
from torch import Tensor


class Adam:
    """``Adam(params, lr, betas, eps, weight_decay)`` with ``zero_grad()`` and ``step()``."""

    def __init__(self, params: Iterable[Tensor], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0):
        self.params = [p for p in params if p.requires_grad]
        if not self.params:
            raise ValueError("Adam: no parameters that require a gradient")
        self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
        self.t = 0
        self.v = [torch.zeros_like(p) for p in self.params]  # first moments, one per parameter
        self.s = [torch.zeros_like(p) for p in self.params]  # second moments

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.params:
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad.zero_()

    @torch.no_grad()
    def step(self) -> None:
        self.t += 1
        beta1, beta2 = self.betas
        step_size = self.lr / (1 - beta1**self.t)
        bias_correction2_sqrt = (1 - beta2**self.t) ** 0.5
        for W, v, s in zip(self.params, self.v, self.s, strict=True):
            if W.grad is None:
                continue
            dW = W.grad if self.weight_decay == 0 else W.grad.add(W, alpha=self.weight_decay)
            v.lerp_(dW, 1 - beta1)
            s.mul_(beta2).addcmul_(dW, dW, value=1 - beta2)
            denominator = (s.sqrt() / bias_correction2_sqrt).add_(self.eps)
            W.addcdiv_(v, denominator, value=-step_size)
