"""The shipped translation models at work on a text: English -> French (default, with attention) or
French -> English, greedy decoding or beam search.

A checkpoint is found by its direction and model (``translate-en-fr-gru-attention``); its JSON holds the
vocabularies, the casing of the output and the decoding settings it was scored with.
"""

from __future__ import annotations

import threading
from pathlib import Path

from rnncore import checkpoint
from rnncore.shipped import load_shipped
from rnncore.tasks.translate.recipe import stem as stem_of
from rnncore.tasks.translate.translator import MAX_SOURCE_TOKENS, Translation, Translator
from rnncore.text import UNK, Vocab

TARGET = {"en": "fr", "fr": "en"}
DEFAULT_SOURCE, DEFAULT_ARCH, DEFAULT_ATTENTION = "en", "gru", True
MAX_BEAM = 20


def variant(arch: str, attention: bool) -> str:
    return f"{arch}-attention" if attention else arch


def stem(source: str = DEFAULT_SOURCE, arch: str = DEFAULT_ARCH, attention: bool = DEFAULT_ATTENTION) -> str:
    """"translate-en-fr-gru-attention" and the like."""
    if source not in TARGET:
        raise ValueError(f"the source language is 'en' or 'fr', got {source!r}")
    return stem_of(source, TARGET[source], variant(arch, attention))


def is_shipped(name: str) -> bool:
    path = checkpoint.stem_path(name)
    return path.with_suffix(".json").is_file() and path.with_suffix(".safetensors").is_file()


_translators: dict[Path, tuple[object, Translator]] = {}
_lock = threading.Lock()


def translator_of(model, meta: dict) -> Translator:
    """The model with its vocabularies, casing and decoding settings, from its checkpoint's JSON."""
    decoding = meta.get("decoding", {})
    return Translator(model, meta["source"], meta["target"], Vocab.from_dict(meta["vocab"]["source"]),
                      Vocab.from_dict(meta["vocab"]["target"]), dict(meta.get("casing", {})),
                      int(decoding.get("beam", 5)), float(decoding.get("length_penalty", 1.0)))


def shipped_translator(name: str) -> Translator:
    """The translator of a shipped checkpoint, built once per process over the one shared model
    (:mod:`rnncore.shipped`); read-only."""
    model, meta = load_shipped(name)
    path = checkpoint.stem_path(name).resolve()
    with _lock:
        cached = _translators.get(path)
        if cached is None or cached[0] is not model:
            cached = (model, translator_of(model, meta))
            _translators[path] = cached
        return cached[1]


def check_tokens(tokens: list[str], language: str) -> None:
    """ValueError, in words a visitor can act on, for a token list the models cannot take: none, only
    punctuation or symbols (the decoder would invent a sentence from nothing), or too many."""
    if not tokens:
        raise ValueError("nothing to translate: type a sentence")
    if not any(ch.isalnum() for token in tokens for ch in token):
        raise ValueError("nothing to translate: no words, only punctuation or symbols; type a sentence")
    if len(tokens) > MAX_SOURCE_TOKENS:
        raise ValueError(f"too long to translate: {len(tokens):,} tokens; these models translate one sentence "
                         f"of up to {MAX_SOURCE_TOKENS} tokens (they learnt sentences of up to 9 English words)")


def translate_text(text: str, source: str = DEFAULT_SOURCE, arch: str = DEFAULT_ARCH,
                   attention: bool = DEFAULT_ATTENTION, beam: int | None = None) -> tuple[Translation, dict]:
    """The :class:`Translation` of one text and its checkpoint's JSON; ValueError for a text it cannot take."""
    name = stem(source, arch, attention)
    translator = shipped_translator(name)
    tokens = translator.tokens(text)
    check_tokens(tokens, source)
    if beam is not None and not 1 <= beam <= MAX_BEAM:
        raise ValueError(f"the beam width must be between 1 and {MAX_BEAM}, got {beam}")
    (result,) = translator.translate_tokens([tokens], beam)
    return result, load_shipped(name)[1]


def translate(text: str, source: str = DEFAULT_SOURCE, arch: str = DEFAULT_ARCH, attention: bool = DEFAULT_ATTENTION,
              beam: int | None = None) -> dict:
    """What ``python -m rnncore translate --json`` prints for one text."""
    result, meta = translate_text(text, source, arch, attention, beam)
    translator = shipped_translator(stem(source, arch, attention))
    return {
        "text": text,
        "translation": result.text,
        "source_tokens": result.source_tokens,
        "output_tokens": result.output_tokens,
        "log_prob": round(result.log_prob, 4),
        "T_x": len(result.source_tokens),
        "T_y": len(result.output_tokens),
        "source": meta["source"],
        "target": meta["target"],
        "model": stem(source, arch, attention),
        "beam": translator.beam if beam is None else beam,
        "ended_with_eos": result.finished,
        "unknown_source_tokens": [t for t, i in zip(result.source_tokens, result.source_ids, strict=True)
                                  if i == translator.source_vocab.unk_id],
        "output_unknown": result.output_tokens.count(UNK),
    }
