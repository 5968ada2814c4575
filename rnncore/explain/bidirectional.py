"""A bidirectional RNN's two directions over one sentence: forward states computed 1 -> T_x, backward
states T_x -> 1, and each direction's share W_y[:, fwd] a_fwd<t>, W_y[:, bwd] a_bwd<t> of every tag's logit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import Tensor

from rnncore.explain.forward import RNNSteps, rnn_steps
from rnncore.explain.inputs import SentenceInputs, _check_ready, label_names, sentence_inputs
from rnncore.layers import Bidirectional
from rnncore.models import Tagger
from rnncore.tasks.ner.inference import bio_decode


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
