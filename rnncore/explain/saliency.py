"""Saliency: how strongly the last output depends on each input word, ||d log P / d x<t>||."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rnncore.encoding import encoder_of, word_ids_of
from rnncore.explain.bptt import ratio


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
        batch = encoder_of(meta).batch([list(tokens)])
    else:  # word ids only (the agreement models keep a plain vocabulary)
        batch = {"ids": torch.tensor([word_ids_of(meta, tokens)], dtype=torch.long)}  # (1, T)
    with torch.no_grad():
        x = model.inputs(batch["ids"], batch.get("chars"), batch.get("features"))  # (1, T, n_x)
    return saliency(model, tokens, x, meta.get("labels"))
