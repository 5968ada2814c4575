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


class KneserNeyTrigram:
    r"""Interpolated Kneser-Ney trigram over word ids (Chen and Goodman, 1999): the count-based baseline
    the word-level RNNs must beat, on the same vocabulary and the same tokens.

    Each sentence is read as ``<s> <s> w_1 .. w_T </s>``; like the RNNs, it predicts every word and the
    end of the sentence. With a discount D_n per order (D = n_1 / (n_1 + 2 n_2), n_k the number of n-grams
    seen k times; 0.5 when none was seen once):

    .. math::
        P(w | u v) = \frac{\max(c(u v w) - D_3, 0)}{c(u v \cdot)} + \frac{D_3 N_{1+}(u v \cdot)}{c(u v \cdot)} P_2(w | v)

    P_2 and P_1 use continuation counts N_{1+}(\cdot v w) and N_{1+}(\cdot w) in place of counts, and
    P_1 is interpolated with the uniform distribution over the vocabulary, so no word has probability 0.
    A context never seen backs off to the next order entirely.

    Args:
        vocab_size: V, how many distinct ids can be predicted (every word id and the end id; the uniform
            floor of P_1 is 1 / V).
        start: the id written before each sentence (never predicted); end: the id predicted after it.
    """

    def __init__(self, vocab_size: int, start: int, end: int):
        self.V, self.start, self.end = vocab_size, start, end
        self.trigrams: dict[tuple[int, int], dict[int, int]] = {}
        self.middle: dict[int, dict[int, int]] = {}  # v -> w -> N1+(. v w)
        self.unigram: dict[int, int] = {}  # w -> N1+(. w)

    def fit(self, sentences: Sequence[Sequence[int]]) -> KneserNeyTrigram:
        trigrams: dict[tuple[int, int], dict[int, int]] = {}
        for ids in sentences:
            seq = [self.start, self.start, *ids, self.end]
            for u, v, w in zip(seq, seq[1:], seq[2:], strict=False):
                following = trigrams.setdefault((u, v), {})
                following[w] = following.get(w, 0) + 1
        middle: dict[int, dict[int, int]] = {}
        for (_, v), following in trigrams.items():
            for w in following:
                middle.setdefault(v, {})[w] = middle.get(v, {}).get(w, 0) + 1
        unigram: dict[int, int] = {}
        for following in middle.values():
            for w in following:
                unigram[w] = unigram.get(w, 0) + 1
        self.trigrams, self.middle, self.unigram = trigrams, middle, unigram
        self.D3 = self._discount(c for f in trigrams.values() for c in f.values())
        self.D2 = self._discount(c for f in middle.values() for c in f.values())
        self.D1 = self._discount(unigram.values())
        self._middle_totals = {v: sum(f.values()) for v, f in middle.items()}
        self._trigram_totals = {uv: sum(f.values()) for uv, f in trigrams.items()}
        self._unigram_total = sum(unigram.values())
        return self

    @staticmethod
    def _discount(counts) -> float:
        n1 = n2 = 0
        for c in counts:
            n1 += c == 1
            n2 += c == 2
        # no n-gram seen once (n1 = 0) would give D = 0, no mass left for the lower orders and P = 0 for
        # every unseen word after a seen context: fall back to 0.5 then, as with no counts at all
        return n1 / (n1 + 2 * n2) if n1 else 0.5

    def _p1(self, w: int) -> float:
        total = self._unigram_total
        seen = max(self.unigram.get(w, 0) - self.D1, 0) / total
        return seen + self.D1 * len(self.unigram) / total / self.V

    def _p2(self, v: int, w: int) -> float:
        following = self.middle.get(v)
        if not following:
            return self._p1(w)
        total = self._middle_totals[v]
        return (max(following.get(w, 0) - self.D2, 0) + self.D2 * len(following) * self._p1(w)) / total

    def prob(self, u: int, v: int, w: int) -> float:
        """P(w | u v)."""
        following = self.trigrams.get((u, v))
        if not following:
            return self._p2(v, w)
        total = self._trigram_totals[(u, v)]
        return (max(following.get(w, 0) - self.D3, 0) + self.D3 * len(following) * self._p2(v, w)) / total

    def token_log_probs(self, ids: Sequence[int]) -> list[float]:
        """log P(w_t | w_{t-2} w_{t-1}) for each word and the end of the sentence; natural log."""
        seq = [self.start, self.start, *ids, self.end]
        return [math.log(self.prob(u, v, w)) for u, v, w in zip(seq, seq[1:], seq[2:], strict=False)]

    def perplexity(self, sentences: Sequence[Sequence[int]]) -> float:
        """exp of the mean negative log-probability per predicted token (words and ends of sentences)."""
        total = count = 0
        for ids in sentences:
            logs = self.token_log_probs(ids)
            total -= sum(logs)
            count += len(logs)
        return math.exp(total / count)
