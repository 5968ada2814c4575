"""What the sentiment lesson teaches with (many-to-one): the expected rating, the rating after each
prefix and where it turns, and which texts a bag of words cannot tell apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch
from torch import Tensor

N_STARS = 5


def expected_stars(probs: Tensor) -> Tensor:
    """E[stars] = sum_k k P(k stars), for probs (..., 5) over 1..5 stars."""
    return probs @ torch.arange(1, N_STARS + 1, dtype=probs.dtype)


@dataclass(frozen=True)
class Turn:
    t: int  # 1-based step whose word changed the rating
    word: str
    before: int  # stars after x<1>..x<t-1>
    after: int  # stars after x<1>..x<t>


def rating_turns(tokens: Sequence[str], prefix_probs: Tensor) -> list[Turn]:
    """Where the most probable rating changes as the sentence is read: prefix_probs is (T_x, 5)."""
    stars = (prefix_probs.argmax(dim=-1) + 1).tolist()
    return [
        Turn(t + 1, tokens[t], stars[t - 1], stars[t]) for t in range(1, len(stars)) if stars[t] != stars[t - 1]
    ]


def same_words(tokens_a: Sequence[str], tokens_b: Sequence[str]) -> bool:
    """The two texts hold the same words, ignoring order and case: a bag of words cannot tell them apart."""
    return sorted(t.lower() for t in tokens_a) == sorted(t.lower() for t in tokens_b)
