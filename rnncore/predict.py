"""The shipped models at work on a text: entity tags, stars, P(sentence), samples.

One function per task, shared by the command line, the app and the
evaluation; each takes a loaded model and its checkpoint JSON
(:func:`rnncore.checkpoint.load`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import torch
import torch.nn.functional as F

from rnncore import checkpoint
from rnncore.encoding import Encoder
from rnncore.text import EOS, tokenize

NER_DEFAULT, SENTIMENT_DEFAULT, LM_DEFAULT = "birnn", "lstm", "lstm"


@lru_cache(maxsize=32)
def load_shipped(stem: str):
    """A shipped checkpoint by name ("ner-birnn"), loaded once per process, read-only and in eval mode."""
    return checkpoint.load(stem)


def encoder_of(meta: dict) -> Encoder:
    return Encoder.from_dict(meta["encoder"])


# -- named entities -----------------------------------------------------------------------------


def allowed_transitions(labels: list[str]) -> torch.Tensor:
    """(n_y, n_y) bool: may tag j follow tag i in BIO? (no I-X after O or after another type)."""
    n = len(labels)
    allowed = torch.ones(n, n, dtype=torch.bool)
    for j, to in enumerate(labels):
        if to.startswith("I-"):
            for i, prev in enumerate(labels):
                allowed[i, j] = prev[2:] == to[2:] and prev != "O"
    return allowed


def bio_decode(log_probs: torch.Tensor, labels: list[str]) -> list[int]:
    """The most probable tag sequence that is valid BIO (Viterbi over per-token log-probabilities).

    log_probs: (T_x, n_y).  A sentence may not start with I-X either.
    """
    allowed = allowed_transitions(labels)
    penalty = torch.where(allowed, 0.0, -math.inf)  # (n_y, n_y)
    start_ok = torch.tensor([0.0 if not label.startswith("I-") else -math.inf for label in labels])
    score = log_probs[0] + start_ok  # (n_y,)
    back = []
    for t in range(1, log_probs.shape[0]):
        total = score[:, None] + penalty  # (n_y prev, n_y next)
        best, arg = total.max(dim=0)
        back.append(arg)
        score = best + log_probs[t]
    path = [int(score.argmax())]
    for arg in reversed(back):
        path.append(int(arg[path[-1]]))
    return path[::-1]


@torch.no_grad()
def tag_tokens(model, meta: dict, token_lists: list[list[str]]) -> list[tuple[list[str], list[float], torch.Tensor]]:
    """For each sentence: BIO labels, the probability of each chosen label, and all probabilities (T_x, n_y)."""
    labels = meta["labels"]
    batch = encoder_of(meta).batch(token_lists)
    log_p = F.log_softmax(model(**batch), dim=-1)  # (m, T_x, n_y)
    results = []
    for i, tokens in enumerate(token_lists):
        lp = log_p[i, : len(tokens)]  # (T_x, n_y)
        path = bio_decode(lp, labels) if tokens else []
        probs = lp.exp()
        results.append(([labels[k] for k in path], [float(probs[t, k]) for t, k in enumerate(path)], probs))
    return results


def ner(text: str, arch: str = NER_DEFAULT) -> dict:
    """The CLI's ner record: {"text", "tokens", "labels", "probs"}."""
    model, meta = load_shipped(f"ner-{arch}")
    tokens = tokenize(text)
    labels, probs, _ = tag_tokens(model, meta, [tokens])[0]
    return {"text": text, "tokens": tokens, "labels": labels, "probs": [round(p, 4) for p in probs]}


# -- sentiment ----------------------------------------------------------------------------------


@torch.no_grad()
def star_probs(model, meta: dict, token_lists: list[list[str]]) -> torch.Tensor:
    """P(1..5 stars) for each text: (m, 5)."""
    batch = encoder_of(meta).batch(token_lists)
    return F.softmax(model(batch["ids"], batch["lengths"]), dim=-1)


def sentiment(text: str, arch: str = SENTIMENT_DEFAULT) -> dict:
    """The CLI's sentiment record: {"text", "stars", "probs"}."""
    model, meta = load_shipped(f"sentiment-{arch}")
    probs = star_probs(model, meta, [tokenize(text)])[0]
    return {"text": text, "stars": int(probs.argmax()) + 1, "probs": [round(float(p), 4) for p in probs]}


@torch.no_grad()
def stars_after_each_word(model, meta: dict, tokens: list[str]) -> torch.Tensor:
    """P(stars) after reading x<1>..x<t>, for t = 1..T_x: (T_x, 5)."""
    ids = torch.tensor(encoder_of(meta).word_ids(tokens))
    return model.prefix_probs(ids)


# -- language models ----------------------------------------------------------------------------


@dataclass
class Score:
    tokens: list[str]
    token_log_probs: list[float]

    @property
    def log_prob(self) -> float:
        return sum(self.token_log_probs)


def lm_units(meta: dict, text: str) -> list[str]:
    """The units a language model reads: words, or characters for the character-level model."""
    if meta.get("level") == "char":
        return list(text.lower())
    return tokenize(text)


def score(model, meta: dict, text: str) -> Score:
    """log P(y<1>..y<T_y>, <EOS>) as the sum of log P(y<t> | y<1>..y<t-1>); natural log."""
    vocab = encoder_of(meta).words
    units = lm_units(meta, text)
    ids = vocab.encode(units)
    log_probs = model.token_log_probs(ids, vocab.eos_id, vocab.eos_id)
    shown = [u if vocab.id_of(u) != vocab.unk_id else f"{u} (<UNK>)" for u in units]
    return Score([*shown, EOS], log_probs)


def lm_score(text: str, arch: str = LM_DEFAULT) -> dict:
    """The CLI's lm score record: {"text", "tokens", "token_log_probs", "log_prob"}."""
    model, meta = load_shipped(f"lm-word-{arch}")
    result = score(model, meta, text)
    return {
        "text": text,
        "tokens": [t.removesuffix(" (<UNK>)") for t in result.tokens],
        "token_log_probs": [round(x, 4) for x in result.token_log_probs],
        "log_prob": round(result.log_prob, 4),
    }


@dataclass
class Sample:
    units: list[str]
    distributions: list[torch.Tensor]  # one (V,) per generated step, <EOS> step included
    chosen: list[int]

    def text(self, level: str) -> str:
        return "".join(self.units).title() if level == "char" else _detokenize(self.units)


def sample(model, meta: dict, n_max: int = 30, temperature: float = 1.0, top_k: int = 0, seed: int = 0,
           prefix: str = "") -> Sample:
    """One novel sequence (one-to-many): each step's y_hat<t> is sampled and fed back as x<t+1>."""
    vocab = encoder_of(meta).words
    prefix_ids = vocab.encode(lm_units(meta, prefix)) if prefix else []
    prefix_ids = [i for i in prefix_ids if i != vocab.unk_id]
    ids, dists = model.sample(
        vocab.eos_id, vocab.eos_id, n_max, temperature, top_k, seed, prefix_ids, banned=(vocab.unk_id,)
    )
    generated = ids[len(prefix_ids):]
    chosen = [*generated, vocab.eos_id][: len(dists)]
    return Sample(vocab.decode(ids), dists, chosen)


def _detokenize(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        glue = token in {".", ",", "!", "?", ";", ":", "'s", ")"} or token.startswith("'") or text.endswith("(")
        text += token if glue or not text else " " + token
    return text[:1].upper() + text[1:]
