"""A trained encoder-decoder with what it needs around it: the two vocabularies, the output's casing, the
length cap, and the decoding (greedy or beam search), from text to text.

Used the same way when the training command scores the dev and test splits and when the command line
or a lesson translates a visitor's sentence, so the figures in a checkpoint's JSON are what these
functions give.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import torch

from rnncore.seq2seq import Decoded, EncoderDecoder
from rnncore.tasks.translate.data import detokenize, pad, recase, tokens_of
from rnncore.text import UNK, Vocab

MAX_LEN_PER_TOKEN, MAX_LEN_PLUS = 2, 10  # the length cap: at most 2 T_x + 10 output words
MAX_SOURCE_TOKENS = 60  # the models learnt sentences of at most 9 English words; a paragraph is refused


def length_cap(T_x: int) -> int:
    return MAX_LEN_PER_TOKEN * T_x + MAX_LEN_PLUS


@dataclass
class Translation:
    """One translation: the source tokens x<1>..x<T_x> and their ids, the output tokens y<1>..y<T_y>
    as the model wrote them (lowercase, <UNK> included) and as shown (recased; with attention an <UNK> is
    replaced by the source word it attends to most), log P of each step (the last one <EOS>), the
    attention weights (T_y + 1, T_x) and whether <EOS> ended it (else the length cap)."""

    source_tokens: list[str]
    source_ids: list[int]
    output_ids: list[int]
    output_tokens: list[str]
    shown_tokens: list[str]
    text: str
    step_log_probs: list[float]
    alphas: torch.Tensor
    finished: bool

    @property
    def log_prob(self) -> float:
        return float(sum(self.step_log_probs))


@dataclass
class Translator:
    model: EncoderDecoder
    source: str  # "en" or "fr"
    target: str
    source_vocab: Vocab
    target_vocab: Vocab
    casing: dict[str, str]  # lowercase target token -> its usual form
    beam: int = 5
    length_penalty: float = 1.0

    @property
    def banned(self) -> tuple[int, ...]:
        """Ids the decoder never writes: <SOS> and the source-only <UNK>-less specials."""
        return (self.target_vocab.sos_id,)

    def tokens(self, text: str) -> list[str]:
        return tokens_of(text, self.source)

    def _finish(self, tokens: Sequence[str], ids: Sequence[int], decoded: Decoded) -> Translation:
        out = self.target_vocab.decode(decoded.ids)
        shown = list(out)
        if self.model.config.attention:
            for t, token in enumerate(out):
                if token == UNK:  # copy the source word it looks at most (Luong et al., 2015)
                    shown[t] = tokens[int(decoded.alphas[t].argmax())]
        shown = recase(shown, self.casing)
        return Translation(list(tokens), list(ids), list(decoded.ids), out, shown, detokenize(shown, self.target),
                           decoded.step_log_probs, decoded.alphas, decoded.finished)

    @torch.no_grad()
    def translate_tokens(self, token_lists: Sequence[Sequence[str]], beam: int | None = None,
                         batch_size: int = 128) -> list[Translation]:
        """Each token list translated, in batches of similar lengths: greedy (beam 1) or beam search."""
        beam = self.beam if beam is None else beam
        ids = [self.source_vocab.encode(tokens) for tokens in token_lists]
        sos, eos = self.target_vocab.sos_id, self.target_vocab.eos_id
        out: list[Translation | None] = [None] * len(ids)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        size = batch_size if beam <= 1 else max(1, batch_size // beam)
        for k in range(0, len(order), size):
            rows = order[k: k + size]
            x, x_lengths = pad([ids[i] for i in rows])
            caps = [length_cap(len(ids[i])) for i in rows]
            if beam <= 1:
                decoded = self.model.greedy(x, x_lengths, sos, eos, caps, self.banned)
            else:
                found = self.model.beam_search(x, x_lengths, sos, eos, caps, beam, self.length_penalty, self.banned)
                decoded = [hypotheses[0] for hypotheses in found]
            for i, d in zip(rows, decoded, strict=True):
                d.alphas = d.alphas[:, : len(ids[i])]
                out[i] = self._finish(token_lists[i], ids[i], d)
        return out

    def translate(self, texts: Sequence[str], beam: int | None = None) -> list[Translation]:
        return self.translate_tokens([self.tokens(text) for text in texts], beam)
