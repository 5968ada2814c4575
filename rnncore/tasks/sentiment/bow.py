"""The sentiment lesson's order-blind baseline: a bag of words -> one linear layer -> 5 star classes.

It sees *which* words occur and how often, never their order, so "not bad, good" and "not good, bad"
look identical to it.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file

from rnncore.checkpoint import stem_path
from rnncore.optim import Adam
from rnncore.tasks.sentiment.metrics import star_scores
from rnncore.threads import torch_threads
from rnncore.training import command_line

N_STARS = 5


def _words(text: str) -> list[str]:
    """The bag's words: the sentiment classifiers' own units, lowercased (the same tokens they read)."""
    from rnncore.text import known_word_tokens

    return [token.lower() for token in known_word_tokens(text)]


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
        # A generator of its own: torch's global one is shared by every visitor's thread on a server.
        generator = torch.Generator().manual_seed(self.seed)
        weight = torch.empty(len(self.vocab), N_STARS)
        weight.normal_(generator=generator)  # the draw torch's EmbeddingBag makes first, kept for the same numbers
        weight.normal_(std=0.01, generator=generator)
        # W_yx as an EmbeddingBag: row j of its weight is column j of W_yx (word j's vote for each class).
        self.W_yx = torch.nn.EmbeddingBag.from_pretrained(weight, freeze=False, mode="sum")
        self.b_y = torch.nn.Parameter(torch.zeros(N_STARS))
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


BOW_STEM = "bow-sentiment"  # not sentiment-*: scripts/model_table.py lists those as the RNN classifiers


def fit_bag_of_words(seed: int = 0, data_dir: Path | None = None, data: Sequence[Path] = ()):
    """The sentiment lesson's order-blind baseline, fitted on exactly the training examples of the shipped
    sentiment models (:func:`rnncore.tasks.sentiment.recipe.sources`) and scored on their held-out splits
    and the classroom set. Returns ``(model, meta)``, meta as its JSON keeps it (no command).

    One thread: the full-batch steps are small. The caller's setting is put back.
    """
    from rnncore.tasks.sentiment.recipe import evaluate_baseline, fit_baseline, sources

    start = time.perf_counter()
    splits, phrases, filtered = sources(data_dir, data, seed)
    with torch_threads(1):
        model = fit_baseline(splits, phrases, seed)
    meta = {
        "task": "sentiment",
        "metrics": evaluate_baseline(model, splits),
        "reviews": sum(len(parts["train"]) for parts in splits.values()) + len(phrases),
        "parameters": bag_of_words_parameters(model),
        "seconds": round(time.perf_counter() - start, 2),
    }
    return model, meta


def train_bag_of_words(out: Path | str, seed: int = 0, data_dir: Path | None = None, data: Sequence[Path] = (),
                       argv: Sequence[str] | None = None) -> dict:
    """:func:`fit_bag_of_words`, saved as ``out``.safetensors + .json with its command; returns the JSON record."""
    model, meta = fit_bag_of_words(seed, data_dir, data)
    meta["command"] = command_line(argv)
    model.save(out, **meta)
    return meta


def fit_on_reviews(seed: int, reviews: Sequence[tuple]) -> BagOfWords:
    """The order-blind baseline fitted on (text, stars, ...) reviews."""
    return BagOfWords(seed=seed).fit([r[0] for r in reviews], [r[1] for r in reviews])


def bag_of_words_parameters(bow) -> int:
    """Weights of the baseline: W_yx, one column of 5 votes per vocabulary word, and b_y."""
    return sum(p.numel() for p in (bow.W_yx.weight, bow.b_y))


def bag_of_words_scores(bow, reviews: Sequence[tuple]) -> dict:
    """:func:`star_scores` of the bag of words on (text, stars, ...) reviews."""
    return star_scores([r[1] for r in reviews], bow.predict([r[0] for r in reviews]))
