"""The shipped language models at work: P(sentence) as a sum of log P(y<t> | y<1>..y<t-1>), and sampling."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from rnncore.encoding import encoder_of
from rnncore.shipped import load_shipped
from rnncore.text import EOS, tokenize

LM_DEFAULT = "lstm"


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
