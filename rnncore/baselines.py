"""Order-blind baselines that the recurrent models are measured against.

- ``BagOfWords``: word counts -> one linear layer -> 5 star classes.  It sees
  *which* words occur and how often, never their order, so "not bad, good" and
  "not good, bad" look identical to it: the sentiment lesson's foil.
- ``BigramCharModel``: counts of character pairs with add-alpha smoothing, the
  first rung of the character-level language-model ladder (bigram, then RNN).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file

from rnncore.checkpoint import stem_path
from rnncore.optim import Adam
from rnncore.text import tokenize

N_STARS = 5


def _words(text: str) -> list[str]:
    return [token.lower() for token in tokenize(text)]


class BagOfWords:
    """Multinomial logistic regression on word counts: P(stars | text) = softmax(W_yx x + b_y),
    with x the count of each vocabulary word in the text (unknown words are dropped).

    Args:
        epochs: full-batch Adam steps.
        lr: Adam learning rate.
        weight_decay: L2 penalty on W_yx (keeps rare words from deciding alone).
        min_count: words seen fewer times in training are left out of the vocabulary.
        seed: seeds the initial weights.

    Example::

        >>> model = BagOfWords(epochs=200).fit(["good", "bad"], [5, 1])
        >>> model.predict(["good"])
        [5]
    """

    def __init__(self, epochs: int = 200, lr: float = 0.05, weight_decay: float = 1e-4, min_count: int = 1,
                 seed: int = 0):
        self.epochs = epochs
        self.lr = lr
        self.weight_decay = weight_decay
        self.min_count = min_count
        self.seed = seed
        self.vocab: dict[str, int] = {}
        self.W_yx: torch.nn.EmbeddingBag | None = None
        self.b_y: torch.nn.Parameter | None = None

    def _bags(self, texts: Sequence[str]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Each text as a bag: (word ids, counts, offsets) for ``nn.EmbeddingBag(mode="sum")``, which
        computes x W_yx^T without building the (m, n_x) count matrix x.

        Ids are sorted within each text, so a text and its shuffled words give the same bag and
        the same sums in the same order: the model is exactly order-blind."""
        ids: list[int] = []
        counts: list[float] = []
        offsets: list[int] = []
        for text in texts:
            offsets.append(len(ids))
            bag = Counter(self.vocab[w] for w in _words(text) if w in self.vocab)
            for index in sorted(bag):
                ids.append(index)
                counts.append(float(bag[index]))
        return torch.tensor(ids, dtype=torch.long), torch.tensor(counts), torch.tensor(offsets, dtype=torch.long)

    def _logits(self, texts: Sequence[str]) -> torch.Tensor:
        """W_yx x + b_y for every text, shape (m, 5); x = word counts (unknown words dropped)."""
        ids, counts, offsets = self._bags(texts)
        return self.W_yx(ids, offsets, per_sample_weights=counts) + self.b_y  # (m, n_y)

    def fit(self, texts: Sequence[str], stars: Sequence[int]) -> BagOfWords:
        if len(texts) != len(stars) or not texts:
            raise ValueError(f"BagOfWords.fit needs as many stars as texts (got {len(texts)} and {len(stars)})")
        if any(s not in range(1, N_STARS + 1) for s in stars):
            raise ValueError("BagOfWords.fit: stars must be integers 1..5")
        frequency = Counter(word for text in texts for word in _words(text))
        self.vocab = {w: i for i, w in enumerate(sorted(w for w, c in frequency.items() if c >= self.min_count))}
        y = torch.tensor([s - 1 for s in stars])  # (m,) class index 0..4
        generator_state = torch.random.get_rng_state()
        torch.manual_seed(self.seed)
        # W_yx as an EmbeddingBag: row j of its weight is column j of W_yx (word j's vote for each class).
        self.W_yx = torch.nn.EmbeddingBag(len(self.vocab), N_STARS, mode="sum")
        torch.nn.init.normal_(self.W_yx.weight, std=0.01)
        self.b_y = torch.nn.Parameter(torch.zeros(N_STARS))
        torch.random.set_rng_state(generator_state)  # leave the caller's random stream untouched
        bags = self._bags(texts)
        optimizer = Adam([*self.W_yx.parameters(), self.b_y], lr=self.lr, weight_decay=self.weight_decay)
        for _ in range(self.epochs):
            optimizer.zero_grad()
            logits = self.W_yx(bags[0], bags[2], per_sample_weights=bags[1]) + self.b_y  # (m, n_y)
            loss = torch.nn.functional.cross_entropy(logits, y)
            loss.backward()
            optimizer.step()
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """P(stars = k | text) for k = 1..5, shape (m, 5); rows sum to 1."""
        if self.W_yx is None:
            raise RuntimeError("BagOfWords: call fit() before predict_proba()")
        with torch.no_grad():
            return torch.softmax(self._logits(texts), dim=1).numpy()  # (m, n_y)

    def predict(self, texts: Sequence[str]) -> list[int]:
        """The most probable stars (1..5) for each text."""
        return [int(k) + 1 for k in self.predict_proba(texts).argmax(axis=1)]

    def config(self) -> dict:
        """The constructor's arguments, as the JSON stores them."""
        return {"epochs": self.epochs, "lr": self.lr, "weight_decay": self.weight_decay,
                "min_count": self.min_count, "seed": self.seed}

    def save(self, stem: str | Path, **meta) -> Path:
        """Write ``<stem>.safetensors`` (W_yx as "W_yx", shape (n_x, 5), and b_y, shape (5,)) beside
        ``<stem>.json`` (class, config, vocabulary in index order, and ``meta``); returns the JSON path.
        A bare name means assets/models/<stem>. Never pickle: loading runs no code from the file."""
        if self.W_yx is None:
            raise RuntimeError("BagOfWords: call fit() before save()")
        path = stem_path(stem)
        path.parent.mkdir(parents=True, exist_ok=True)
        tensors = {"W_yx": self.W_yx.weight.detach().contiguous().clone(),  # (n_x, n_y)
                   "b_y": self.b_y.detach().contiguous().clone()}  # (n_y,)
        save_file(tensors, str(path.with_suffix(".safetensors")))
        words = sorted(self.vocab, key=self.vocab.__getitem__)
        record = {"model": type(self).__name__, "config": self.config(), "vocab": words, **meta}
        json_path = path.with_suffix(".json")
        json_path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return json_path

    @classmethod
    def load(cls, stem: str | Path) -> tuple[BagOfWords, dict]:
        """The model written by :meth:`save`, ready to predict (gradients off), and its JSON."""
        path = stem_path(stem)
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        if meta.get("model") != cls.__name__:
            raise ValueError(f"{stem}: holds a {meta.get('model')!r}, not a {cls.__name__}")
        model = cls(**meta["config"])
        model.vocab = {word: index for index, word in enumerate(meta["vocab"])}
        tensors = load_file(str(path.with_suffix(".safetensors")))
        W_yx, b_y = tensors["W_yx"], tensors["b_y"]  # (n_x, n_y), (n_y,)
        if tuple(W_yx.shape) != (len(model.vocab), N_STARS) or tuple(b_y.shape) != (N_STARS,):
            raise ValueError(f"{stem}: weights {tuple(W_yx.shape)} and {tuple(b_y.shape)} do not fit a vocabulary "
                             f"of {len(model.vocab)} words and {N_STARS} classes")
        model.W_yx = torch.nn.EmbeddingBag.from_pretrained(W_yx, freeze=True, mode="sum")
        model.b_y = torch.nn.Parameter(b_y, requires_grad=False)
        return model, meta


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
