"""Tokens to the tensors a model reads: word ids, character ids, word-shape features, padded batches.

Word ids come from a model's own vocabulary, which is the part of the course's
10,000-word vocabulary seen in training (lowercase, as the course list is), so a
word keeps one meaning across the one-hot lesson and the models.  Case and
spelling, which the lowercase id throws away, reach the tagger through the
character ids and the shape features: that is what lets it find names it never
saw (Lample et al., 2016; Ma and Hovy, 2016).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import torch
from torch import Tensor

from rnncore.text import PAD, UNK, Vocab, course_vocab, known_word_tokens, tokenize

MAX_WORD_CHARS = 20  # longer words are cut for the character CNN; their shape features still see all
CHAR_UNK = 1

SHAPE_FEATURES = (
    "title case",  # Xxxx
    "all caps",  # XX (two letters or more)
    "lowercase",  # xxxx
    "has digit",
    "punctuation",
    "has hyphen",
    "has apostrophe",
    "sentence-initial",
    "after sentence-initial punctuation",  # first word after a quote, colon, etc.
    "in course vocabulary",
    "non-ASCII letter",
    "abbreviation with period",  # "Dr.", "U.S."
    "sentence all lowercase",  # then case says nothing about names; elsewhere a lowercase word is rarely one
)


def model_vocab(token_lists: Sequence[Sequence[str]], eos: bool = False, min_count: int = 1) -> Vocab:
    """The course-vocabulary words that occur in ``token_lists`` (lowercased), in course order."""
    course = course_vocab()
    counts: dict[str, int] = {}
    for tokens in token_lists:
        for token in tokens:
            key = token.lower()
            if key in course:
                counts[key] = counts.get(key, 0) + 1
    seen = {word for word, n in counts.items() if n >= min_count}
    words = [w for w in course.tokens[1:] if w in seen and w not in (PAD, UNK)]
    return Vocab.from_words(words, lowercase=True, eos=eos)


def char_vocab(token_lists: Sequence[Sequence[str]], min_count: int = 2) -> list[str]:
    """Characters seen at least ``min_count`` times; index 0 = padding, 1 = unknown."""
    counts: dict[str, int] = {}
    for tokens in token_lists:
        for token in tokens:
            for ch in token:
                counts[ch] = counts.get(ch, 0) + 1
    return ["", "\ufffd", *sorted(ch for ch, n in counts.items() if n >= min_count)]


def _is_punctuation(token: str) -> bool:
    return all(unicodedata.category(ch).startswith(("P", "S")) for ch in token)


def shape_features(tokens: Sequence[str]) -> list[list[float]]:
    """One row of :data:`SHAPE_FEATURES` (0/1) per token."""
    course = course_vocab()
    all_lowercase = float(not any(ch.isupper() for token in tokens for ch in token))
    rows = []
    for t, token in enumerate(tokens):
        letters = [ch for ch in token if ch.isalpha()]
        after_opening = t > 0 and tokens[t - 1] in {'"', "'", ":", "(", "-", ";"}
        all_caps = len(letters) > 1 and token.isupper()
        rows.append([
            float(bool(letters) and token[0].isupper() and not all_caps),
            float(all_caps),
            float(bool(letters) and token.islower()),
            float(any(ch.isdigit() for ch in token)),
            float(_is_punctuation(token)),
            float("-" in token and len(token) > 1),
            float("'" in token and len(token) > 1),
            float(t == 0),
            float(after_opening),
            float(token.lower() in course and course.id_of(token) != course.unk_id),
            float(any(ch.isalpha() and not ch.isascii() for ch in token)),
            float(token.endswith(".") and len(token) > 1),
            all_lowercase,
        ])
    return rows


class Encoder:
    """Turns token lists into model inputs; saved in a checkpoint's JSON and rebuilt from it."""

    def __init__(self, words: Vocab, chars: list[str] | None = None, features: bool = False,
                 known_words: bool = False):
        self.words, self.chars, self.features, self.known_words = words, chars, features, known_words
        self._char_index = {ch: i for i, ch in enumerate(chars or [])}

    def to_dict(self) -> dict:
        return {"words": self.words.to_dict(), "chars": self.chars, "features": self.features,
                "known_words": self.known_words}

    @classmethod
    def from_dict(cls, d: dict) -> Encoder:
        return cls(Vocab.from_dict(d["words"]), d.get("chars"), d.get("features", False), d.get("known_words", False))

    def tokens(self, text: str) -> list[str]:
        """The text as this model reads it: :func:`rnncore.text.tokenize`, or with ``known_words`` the
        words fitted to the course vocabulary (:func:`rnncore.text.known_word_tokens`)."""
        return known_word_tokens(text) if self.known_words else tokenize(text)

    def word_ids(self, tokens: Sequence[str]) -> list[int]:
        return self.words.encode(tokens)

    def char_ids(self, tokens: Sequence[str]) -> list[list[int]]:
        return [[self._char_index.get(ch, CHAR_UNK) for ch in token[:MAX_WORD_CHARS]] for token in tokens]

    def encode(self, tokens: Sequence[str]) -> dict[str, Tensor]:
        """One sentence's inputs, unpadded: ids (T_x,), chars (T_x, L), features (T_x, n_features)."""
        out = {"ids": torch.tensor(self.word_ids(tokens), dtype=torch.long)}  # (T_x,)
        if self.chars:
            chars = torch.zeros(len(tokens), MAX_WORD_CHARS, dtype=torch.long)  # (T_x, L)
            for t, row in enumerate(self.char_ids(tokens)):
                chars[t, : len(row)] = torch.tensor(row, dtype=torch.long)
            out["chars"] = chars
        if self.features:
            out["features"] = torch.tensor(shape_features(tokens)).reshape(len(tokens), len(SHAPE_FEATURES))
        return out

    def batch(self, token_lists: Sequence[Sequence[str]]) -> dict[str, Tensor]:
        """Pad a list of sentences into one batch: ids (m, T_x), lengths (m,), and chars/features if used."""
        return collate([self.encode(tokens) for tokens in token_lists])


def collate(encoded: Sequence[dict[str, Tensor]]) -> dict[str, Tensor]:
    """Pad encoded sentences (from :meth:`Encoder.encode`) at the end into one batch; 0 is padding."""
    lengths = torch.tensor([max(1, len(e["ids"])) for e in encoded])  # (m,)
    m, T_x = len(encoded), int(lengths.max()) if encoded else 1
    batch = {"lengths": lengths}
    for key, first in encoded[0].items():
        padded = first.new_zeros((m, T_x, *first.shape[1:]))  # (m, T_x, ...)
        for i, e in enumerate(encoded):
            padded[i, : len(e[key])] = e[key]
        batch[key] = padded
    return batch


def pad_labels(label_lists: Sequence[Sequence[int]], T_x: int, ignore: int = -100) -> Tensor:
    """Tag ids padded with ``ignore`` so that padding never reaches the loss: (m, T_x)."""
    y = torch.full((len(label_lists), T_x), ignore, dtype=torch.long)
    for i, labels in enumerate(label_lists):
        y[i, : len(labels)] = torch.tensor(list(labels), dtype=torch.long)
    return y


_ENCODERS: dict[int, tuple[dict, Encoder]] = {}  # id of a checkpoint's "encoder" record -> (record, Encoder)


def encoder_of(meta: dict) -> Encoder:
    """The checkpoint's Encoder, built once per loaded checkpoint: rebuilding a 10,000-word vocabulary on
    every call cost 7-12 ms, as much as the tagger itself. Keyed by the record's identity (and the record
    kept alive beside it), so a changed or reloaded checkpoint gets a new Encoder."""
    record = meta["encoder"]
    cached = _ENCODERS.get(id(record))
    if cached is not None and cached[0] is record:
        return cached[1]
    encoder = Encoder.from_dict(record)
    if len(_ENCODERS) > 256:
        _ENCODERS.clear()
    _ENCODERS[id(record)] = (record, encoder)
    return encoder


def word_ids_of(meta: dict, tokens: Sequence[str]) -> list[int]:
    """Word ids from a checkpoint's JSON: its encoder, or its plain vocabulary."""
    if "encoder" in meta:
        return encoder_of(meta).word_ids(tokens)
    if "vocab" in meta:
        return Vocab.from_dict(meta["vocab"]).encode(tokens)
    raise ValueError("the checkpoint has neither an encoder nor a vocabulary")


def tokens_for(meta: dict, text: str) -> list[str]:
    """The units a checkpoint's model reads from ``text`` (see :meth:`Encoder.tokens`)."""
    return encoder_of(meta).tokens(text) if "encoder" in meta else tokenize(text)
