"""Count-based language models, the baselines the recurrent ones are measured against."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


class BigramCharModel:
    """Character bigram language model: P(c_t | c_{t-1}) = (N(c_{t-1}, c_t) + alpha) / (N(c_{t-1}) + alpha V),
    with a start marker before the first character and an end marker after the last, so that
    P(name) = prod_t P(c_t | c_{t-1}) includes choosing where to stop.

    Args:
        alpha: add-alpha smoothing; 1 is Laplace.
        alphabet: the characters the model knows; by default those of the names passed to ``fit``.
    """

    START, END = "<s>", "</s>"

    def __init__(self, alpha: float = 1.0, alphabet: str | Sequence[str] | None = None):
        if alpha <= 0:
            raise ValueError(f"BigramCharModel: alpha must be > 0, got {alpha}")
        self.alpha = alpha
        self.alphabet = sorted(set(alphabet)) if alphabet is not None else None
        self.log_probs: np.ndarray | None = None  # (V + 1 rows: START and chars, V + 1 cols: chars and END)

    def fit(self, names: Sequence[str]) -> BigramCharModel:
        chars = self.alphabet if self.alphabet is not None else sorted({c for name in names for c in name})
        self.alphabet = chars
        self.index = {c: i + 1 for i, c in enumerate(chars)}  # 0 = START (as a row) / END (as a column)
        size = len(chars) + 1
        counts = np.zeros((size, size))
        for name in names:
            ids = self._ids(name)
            for prev, nxt in zip([0, *ids], [*ids, 0], strict=True):
                counts[prev, nxt] += 1
        smoothed = counts + self.alpha
        self.log_probs = np.log(smoothed / smoothed.sum(axis=1, keepdims=True))
        return self

    @classmethod
    def tuned(cls, train: Sequence[str], dev: Sequence[str], alphabet: str | Sequence[str] | None = None,
              alphas: Sequence[float] = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)) -> BigramCharModel:
        """The model fitted on ``train`` whose alpha gives the lowest perplexity on ``dev``: the
        fair baseline (too much smoothing wastes probability on letters that never follow)."""
        fitted = [cls(alpha, alphabet).fit(train) for alpha in alphas]
        return min(fitted, key=lambda model: model.perplexity(dev))

    def _ids(self, name: str) -> list[int]:
        unknown = [c for c in name if c not in self.index]
        if unknown:
            raise ValueError(f"BigramCharModel: character {unknown[0]!r} is not in the model's alphabet")
        return [self.index[c] for c in name]

    def _require_fit(self) -> np.ndarray:
        if self.log_probs is None:
            raise RuntimeError("BigramCharModel: call fit() first")
        return self.log_probs

    def next_char_probs(self, previous: str | None) -> dict[str, float]:
        """P(next | previous) over the alphabet and END; ``previous=None`` means the start of a name."""
        log_probs = self._require_fit()
        row = 0 if previous is None else self._ids(previous)[0]
        labels = [self.END, *self.alphabet]
        return {label: float(math.exp(lp)) for label, lp in zip(labels, log_probs[row], strict=True)}

    def log_prob(self, name: str) -> float:
        """Natural log P(name), the end marker included."""
        log_probs = self._require_fit()
        ids = self._ids(name)
        return float(sum(log_probs[p, n] for p, n in zip([0, *ids], [*ids, 0], strict=True)))

    def perplexity(self, names: Sequence[str]) -> float:
        """exp of the mean negative log-probability per predicted symbol (characters plus one END per name)."""
        total = sum(self.log_prob(name) for name in names)
        symbols = sum(len(name) + 1 for name in names)
        return math.exp(-total / symbols)

    def sample(self, n: int, seed: int = 0, max_len: int = 30) -> list[str]:
        """``n`` names drawn character by character until END (or ``max_len`` characters)."""
        log_probs = self._require_fit()
        probs = np.exp(log_probs)
        probs /= probs.sum(axis=1, keepdims=True)
        rng = np.random.default_rng(seed)
        names = []
        for _ in range(n):
            row, chars = 0, []
            while len(chars) < max_len:
                nxt = int(rng.choice(len(probs), p=probs[row]))
                if nxt == 0:
                    break
                chars.append(self.alphabet[nxt - 1])
                row = nxt
            names.append("".join(chars))
        return names
