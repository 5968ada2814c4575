"""The shipped taggers at work: BIO tags (constrained Viterbi) and the CLI's ner record."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from rnncore.encoding import encoder_of
from rnncore.shipped import load_shipped
from rnncore.text import tokenize

NER_DEFAULT = "birnn"


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
