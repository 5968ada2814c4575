"""What the entity lesson teaches with (many-to-many, T_x = T_y): entities from BIO tags, the notes'
binary y<t> (1 = part of a name), and what a left-to-right tagger says at step t, having read only
x<1>..x<t>.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor

from rnncore.encoding import encoder_of
from rnncore.tasks.ner.metrics import bio_spans


def is_bidirectional(meta: dict) -> bool:
    return meta["config"]["arch"] == "birnn"


ENTITY_TYPES = {"PER": "Person", "LOC": "Location", "ORG": "Organisation", "MISC": "Other name"}


@dataclass(frozen=True)
class Entity:
    type: str  # PER, LOC, ORG or MISC
    start: int  # first token, 0-based
    end: int  # one past the last token
    text: str  # its tokens joined by spaces


def entities(tokens: Sequence[str], labels: Sequence[str]) -> list[Entity]:
    """The named entities in a BIO tag sequence, with the tokens they cover."""
    return [Entity(kind, start, end, " ".join(tokens[start:end])) for kind, start, end in bio_spans(labels)]


def name_flags(labels: Sequence[str]) -> list[int]:
    """The notes' binary output: y<t> = 1 when token t is part of a name (any B- or I- tag), else 0."""
    return [0 if label == "O" else 1 for label in labels]


def name_probability(probs: Tensor, labels: Sequence[str]) -> list[float]:
    """P(y<t> = 1) = 1 - P(O) for each token; probs is (T_x, n_y) in the order of ``labels``."""
    outside = list(labels).index("O")
    return (1.0 - probs[:, outside]).tolist()


@dataclass(frozen=True)
class StepChoice:
    """What a tagger says at step t on its own: the most probable tag of y_hat<t> and its probability."""

    label: str
    prob: float
    name_prob: float  # 1 - P(O)


@torch.no_grad()
def tag_probs(model, meta: dict, tokens: Sequence[str]) -> Tensor:
    """y_hat<t> for every token of one sentence: (T_x, n_y) probabilities."""
    batch = encoder_of(meta).batch([list(tokens)])
    return F.softmax(model(**batch)[0], dim=-1)  # (T_x, n_y)




def left_to_right_choices(model, meta: dict, tokens: Sequence[str]) -> list[StepChoice]:
    r"""What a left-to-right tagger says at each step, from x<1>..x<t> alone.

    a<t> = g(W_aa a<t-1> + W_ax x<t> + b_a) depends only on x<1>..x<t>, and each x<t> (embedding,
    characters, word shape) looks at most one token back, so one pass over the whole sentence gives,
    at step t, exactly what the model would output if the sentence stopped after x<t>
    (tests/test_lessons_models.py checks it against every prefix run on its own).

    The choice is the argmax of y_hat<t>, the model's own answer at step t; the tags of
    :func:`rnncore.tasks.ner.inference.tag_tokens` go through BIO decoding over the whole sentence instead,
    which can look ahead. A bidirectional model has no such reading: it raises ValueError.
    """
    if is_bidirectional(meta):
        raise ValueError("left_to_right_choices: a bidirectional model reads the whole sentence at every step")
    if not tokens:
        return []
    probs = tag_probs(model, meta, tokens)  # (T_x, n_y)
    return _choices(probs, meta["labels"])


def whole_sentence_choices(model, meta: dict, tokens: Sequence[str]) -> list[StepChoice]:
    """The argmax of y_hat<t> when the model has read the whole sentence (both directions for a BRNN)."""
    if not tokens:
        return []
    return _choices(tag_probs(model, meta, tokens), meta["labels"])


def step_choices(probs: Tensor, labels: Sequence[str]) -> list[StepChoice]:
    """The argmax of each row of y_hat (T_x, n_y), with its probability and P(part of a name)."""
    return _choices(probs, labels)


def _choices(probs: Tensor, labels: Sequence[str]) -> list[StepChoice]:
    best = probs.argmax(dim=-1)  # (T_x,)
    names = name_probability(probs, labels)
    return [StepChoice(labels[int(k)], float(probs[t, k]), names[t]) for t, k in enumerate(best)]
