"""One sentence as a model reads it: the tokens' ids and the vectors x<t> the recurrent cell receives."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from rnncore.encoding import Encoder, encoder_of
from rnncore.models import Classifier, Tagger
from rnncore.text import one_hot


def _check_ready(model: nn.Module, tokens: list[str]) -> None:
    if not isinstance(model, (Tagger, Classifier)):
        raise TypeError(f"rnncore.explain: expected a Tagger or Classifier, got {type(model).__name__}")
    if model.training:
        raise ValueError(f"rnncore.explain: {type(model).__name__} is in training mode; call model.eval() first")
    if not tokens:
        raise ValueError("rnncore.explain: the sentence has no tokens")


def _encoder(meta: dict) -> Encoder:
    return encoder_of(meta)


def label_names(model: nn.Module, meta: dict) -> list[str]:
    """The names of the n_y outputs: the checkpoint's labels, else "class 1".."class n_y"."""
    n_y = model.config.n_y
    labels = meta.get("labels")
    return list(labels) if labels and len(labels) == n_y else [f"class {k + 1}" for k in range(n_y)]


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
