"""The arithmetic behind the Translation lesson's figures: the encoder's states a<1>..a<T_x> and the
summary the decoder starts from, every decoder step with its most probable candidates and
P(y<t> | y<1>..y<t-1>, x), and the attention weights α<t,t'>.

Every number comes from the shipped model run on the visitor's sentence, step by step exactly as the
decoder ran when it translated it (the same cells, the same fed-back words).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from rnncore.tasks.translate.translator import Translation, Translator
from rnncore.text import EOS


@dataclass(frozen=True)
class Candidate:
    token: str
    p: float


@dataclass(frozen=True)
class DecoderStep:
    """Step t: the word fed in (y<t-1>), the word written (y<t>, a token of the output vocabulary), how the
    translation shows it (recased; with attention an <UNK> becomes the source word it attends to most),
    P of it, and the most probable candidates."""

    t: int
    fed: str
    written: str
    shown: str
    p: float
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class TranslationView:
    """Everything the lesson draws for one translation.

    states: a<t'> for t' = 1..T_x, (T_x, n_enc) (forward half then backward half when bidirectional);
    summary: c̄ = [a_fwd<T_x>, a_bwd<1>], (n_enc,); s0: the decoder's first state, (n_s,);
    steps: one per output word and the final <EOS>; alphas: (T_y + 1, T_x), rows sum to 1 (zeros
    without attention); output_tokens: y<1>..y<T_y> as shown, then <EOS>.
    """

    source_tokens: list[str]
    output_tokens: list[str]
    states: np.ndarray
    summary: np.ndarray
    s0: np.ndarray
    steps: list[DecoderStep]
    alphas: np.ndarray
    attention: bool
    bidirectional: bool
    n_a: int


@torch.no_grad()
def describe(translator: Translator, translation: Translation, top: int = 5) -> TranslationView:
    """Re-run the decoder along ``translation``'s words and keep what each step saw and wrote."""
    model = translator.model
    x = torch.tensor([translation.source_ids], dtype=torch.long)  # (1, T_x)
    enc = model.encode(x)
    state = model.initial_state(enc)
    s0 = state[0] if isinstance(state, tuple) else state  # (1, n_s)
    vocab = translator.target_vocab
    written_ids = [*translation.output_ids, vocab.eos_id]  # a translation stopped by the cap ends with <EOS> too
    shown = [*translation.shown_tokens, EOS]
    fed_ids = [vocab.sos_id, *translation.output_ids]
    steps, alphas = [], []
    for t, (fed, written) in enumerate(zip(fed_ids, written_ids, strict=True), start=1):
        step = model.step(torch.tensor([fed]), state, enc, translator.banned)
        p = step.log_probs[0].exp()  # (V_y,)
        best = torch.topk(p, min(top, p.numel()))
        candidates = tuple(Candidate(vocab.tokens[int(i)], float(v)) for v, i in zip(best.values, best.indices,
                                                                                     strict=True))
        steps.append(DecoderStep(t, vocab.tokens[fed], vocab.tokens[written], shown[t - 1], float(p[written]),
                                 candidates))
        alphas.append(step.alpha[0].numpy())
        state = step.state
    return TranslationView(
        source_tokens=translation.source_tokens,
        output_tokens=shown,
        states=enc.a[0].numpy(),
        summary=enc.summary[0].numpy(),
        s0=s0[0].numpy(),
        steps=steps,
        alphas=np.stack(alphas),
        attention=model.config.attention,
        bidirectional=model.config.bidirectional,
        n_a=model.config.n_a,
    )
