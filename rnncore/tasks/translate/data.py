"""The translation pairs: reading, the split by English sentence, tokens of both languages, vocabularies,
casing, and the padded batches the encoder-decoder reads.

Tokens: :func:`rnncore.text.tokenize` for both languages (it keeps "Voulez-vous", "c'est" and "l'eau"
whole, folds the curly apostrophe to "'", and treats the narrow no-break space U+202F that French puts
before ! ? : ; as a space). French then has its elided articles and pronouns split off ("l'" "eau",
"c'" "est", "qu'" "est" "-ce") and the pronouns that follow a verb with a hyphen ("Voulez" "-vous",
"Donne" "-le" "-moi", "A" "-t-il"), so that "l'eau", "d'eau" and "eau" share one entry: with the
same 8,000 words the French vocabulary covers 98.7 % of the training tokens instead of 97.7 %
(measured on the training pairs). :func:`detokenize` writes the tokens back as French or English text.

Vocabularies are lowercase. English uses the course vocabulary (:func:`rnncore.text.course_vocab`,
ids 1..10,000 as everywhere in the app) with <EOS> and <SOS> appended after <UNK> when English is the
output; French keeps the most frequent words of the training pairs. Output is recased with the form
each word takes most often inside a training sentence ("tom" -> "Tom", "i" -> "I"), and its first
letter capitalised.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import Tensor

from rnncore.text import EOS, SOS, UNK, Vocab, course_vocab, tokenize
from rnncore.training import split_of

CORPUS_FILE = "translation/eng-fra.train.tsv"  # under --data-dir (the README's Data section)
SALT = "tatoeba-eng-fra"
LANGUAGES = ("en", "fr")
LANGUAGE_NAMES = {"en": "English", "fr": "French"}

_ELIDED = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
_ELISION = re.compile(r"^([^\W\d_]+)'(.+)$")
_HYPHEN_CLITIC = re.compile(
    r"-(?:t-(?:il|elle|on|ils|elles)|je|tu|il|elle|on|nous|vous|ils|elles|moi|toi|le|la|les|lui|leur|y|en|ce|là)$",
    re.IGNORECASE)
_NO_SPACE_BEFORE = {".", ",", ")", "]", "}", "…"}
_NARROW_SPACE_BEFORE = {"!", "?", ":", ";"}  # French typography: U+202F before them
_NO_SPACE_AFTER = {"(", "[", "{"}


def split_french(token: str) -> list[str]:
    """One French token of :func:`rnncore.text.tokenize` -> its elided word, its stem, its hyphenated
    pronouns: "l'eau" -> ["l'", "eau"], "Qu'est-ce" -> ["Qu'", "est", "-ce"], "Donne-le-moi" ->
    ["Donne", "-le", "-moi"]. "aujourd'hui", "peut-être" and "dix-huit" stay whole.

    >>> split_french("Voulez-vous"), split_french("c'est"), split_french("A-t-il")
    (['Voulez', '-vous'], ["c'", 'est'], ['A', '-t-il'])
    """
    head: list[str] = []
    match = _ELISION.match(token)
    while match and match.group(1).lower() in _ELIDED:
        head.append(match.group(1) + "'")
        token = match.group(2)
        match = _ELISION.match(token)
    tail: list[str] = []
    match = _HYPHEN_CLITIC.search(token)
    while match and match.start() > 0:
        tail.insert(0, token[match.start():])
        token = token[: match.start()]
        match = _HYPHEN_CLITIC.search(token)
    return [*head, token, *tail]


def tokens_of(text: str, language: str) -> list[str]:
    """x<1>..x<T_x> of a text in ``language`` ("en" or "fr"), case kept."""
    tokens = tokenize(text)
    if language == "fr":
        return [piece for token in tokens for piece in split_french(token)]
    return tokens


def detokenize(tokens: Sequence[str], language: str) -> str:
    """Tokens written back as text: no space before . , ), French's narrow no-break space before ! ? : ;
    (English none), French elided words and hyphenated pronouns and the English possessive 's joined to
    their neighbour."""
    out = ""
    for token in tokens:
        if not out:
            out = token
        elif token in _NARROW_SPACE_BEFORE:
            out += ("\u202f" if language == "fr" else "") + token
        elif token in _NO_SPACE_BEFORE or out[-1] in _NO_SPACE_AFTER:
            out += token
        elif language == "fr" and (out.endswith("'") or (token.startswith("-") and len(token) > 1)):
            out += token
        elif language == "en" and token.lower() == "'s":  # the possessive: "Tom" "'s" -> "Tom's"
            out += token
        else:
            out += " " + token
    return out


def split_key(english: str) -> str:
    """What decides a pair's split: its English sentence, lowercased, letters and digits only, so that
    "Go." and "Go!" (and every French translation of either) fall in the same split."""
    return " ".join(re.findall(r"[^\W_]+", english.lower()))


def source_words(text: str) -> int:
    """Length of a source sentence in words, as the corpus counts them (separated by spaces)."""
    return len(text.split())


@dataclass
class Splits:
    """The pairs (English, French) of each split, and what was dropped to keep the held-out ones unseen."""

    train: list[tuple[str, str]]
    dev: list[tuple[str, str]]
    test: list[tuple[str, str]]
    dropped_seen_french: dict[str, int]  # held-out pairs whose French side also occurs in training

    def sizes(self) -> dict:
        out = {}
        for name in ("train", "dev", "test"):
            pairs = getattr(self, name)
            out[name] = {"pairs": len(pairs), "english_sentences": len({e for e, _ in pairs})}
        out["dropped_from_held_out_because_their_french_is_in_train"] = dict(self.dropped_seen_french)
        return out


def split_pairs(pairs: Iterable[tuple[str, str]], dev: float = 0.05, test: float = 0.05) -> Splits:
    """train / dev / test by a stable hash of the English sentence (:func:`rnncore.training.split_of`):
    every translation of one English sentence is in one split. A held-out pair whose French sentence
    also occurs in a training pair (another English sentence with the same translation) is dropped, so
    no held-out sentence was seen in training on either side."""
    parts: dict[str, list[tuple[str, str]]] = {"train": [], "dev": [], "test": []}
    for english, french in pairs:
        parts[split_of(split_key(english), SALT, dev, test)].append((english, french))
    seen = {french for _, french in parts["train"]}
    dropped = {}
    for name in ("dev", "test"):
        kept = [(e, f) for e, f in parts[name] if f not in seen]
        dropped[name] = len(parts[name]) - len(kept)
        parts[name] = kept
    return Splits(parts["train"], parts["dev"], parts["test"], dropped)


def read_pairs(data_dir: Path | None, data: Sequence[Path] = ()) -> tuple[list[tuple[str, str]], str]:
    """The (English, French) pairs and the file they came from: ``data`` (your own English<TAB>French
    files) or the corpus under ``data_dir``."""
    from rnncore import corpora

    if data:
        return [pair for path in data for pair in corpora.read_tatoeba(path)], ", ".join(str(p) for p in data)
    if data_dir is None:
        raise ValueError("the translation models train on Tatoeba pairs: pass --data-dir DIR (the README's Data "
                         "section says where to obtain them)")
    path = Path(data_dir) / CORPUS_FILE
    if not path.is_file():
        raise ValueError(f"{path}: no such file (expected {CORPUS_FILE} under --data-dir)")
    return corpora.read_tatoeba(path), CORPUS_FILE


# -- vocabularies and casing -------------------------------------------------------------------------


def english_vocab(as_output: bool) -> Vocab:
    """The course vocabulary; as the decoder's vocabulary with <EOS> and <SOS> after <UNK> (ids 10,001
    and 10,002), so every English word keeps the id it has in the rest of the app."""
    course = course_vocab()
    return Vocab.from_words([*course.tokens, EOS, SOS], lowercase=True) if as_output else course


def french_vocab(token_lists: Iterable[Sequence[str]], size: int) -> Vocab:
    """<PAD>, the ``size`` most frequent French tokens (lowercased; ties alphabetical), <EOS>, <SOS>, <UNK>."""
    counts: Counter[str] = Counter(t.lower() for tokens in token_lists for t in tokens)
    words = sorted(counts, key=lambda w: (-counts[w], w))[:size]
    return Vocab.from_words([*words, EOS, SOS, UNK], lowercase=True)


def vocab_for(language: str, as_output: bool, french: Vocab) -> Vocab:
    return english_vocab(as_output) if language == "en" else french


def learn_casing(token_lists: Iterable[Sequence[str]]) -> dict[str, str]:
    """lowercase token -> its most frequent form after the first token of a sentence, for the tokens
    whose usual form is not lowercase ("tom" -> "Tom", "i" -> "I", "i'm" -> "I'm")."""
    forms: dict[str, Counter] = defaultdict(Counter)
    for tokens in token_lists:
        for token in tokens[1:]:
            forms[token.lower()][token] += 1
    casing = {}
    for low, counter in forms.items():
        form, _ = max(counter.items(), key=lambda kv: (kv[1], kv[0] == low))
        if form != low:
            casing[low] = form
    return dict(sorted(casing.items()))


def recase(tokens: Sequence[str], casing: dict[str, str]) -> list[str]:
    """Lowercase output tokens in their usual form, the first letter of the sentence capitalised."""
    out = [casing.get(t, t) for t in tokens]
    for i, token in enumerate(out):
        if any(ch.isalpha() for ch in token):
            k = next(j for j, ch in enumerate(token) if ch.isalpha())
            out[i] = token[:k] + token[k].upper() + token[k + 1:]
            break
    return out


# -- batches -------------------------------------------------------------------------------------------


@dataclass
class Example:
    source: list[int]  # x<1>..x<T_x> ids
    target: list[int]  # y<1>..y<T_y> ids, without <EOS>


def encode_pairs(pairs: Sequence[tuple[str, str]], source: str, vocabs: dict[str, Vocab],
                 max_tokens: int = 40) -> list[Example]:
    """Each pair as ids; a pair with a side longer than ``max_tokens`` tokens is left out of training."""
    target = "fr" if source == "en" else "en"
    out = []
    for english, french in pairs:
        text = {"en": english, "fr": french}
        x = vocabs["source"].encode(tokens_of(text[source], source))
        y = vocabs["target"].encode(tokens_of(text[target], target))
        if x and y and len(x) <= max_tokens and len(y) <= max_tokens:
            out.append(Example(x, y))
    return out


def pad(rows: Sequence[Sequence[int]]) -> tuple[Tensor, Tensor]:
    """(m, T) ids padded with 0 at the end, and the lengths (m,)."""
    lengths = torch.tensor([len(r) for r in rows], dtype=torch.long)
    ids = torch.zeros(len(rows), int(lengths.max()), dtype=torch.long)  # (m, T)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row, dtype=torch.long)
    return ids, lengths


def batch_of(examples: Sequence[Example], sos_id: int, eos_id: int) -> dict[str, Tensor]:
    """x (m, T_x) and its lengths; the decoder's inputs <SOS> y<1>..y<T_y> and targets y<1>..y<T_y> <EOS>."""
    x, x_lengths = pad([e.source for e in examples])
    y_in, y_lengths = pad([[sos_id, *e.target] for e in examples])
    y_out, _ = pad([[*e.target, eos_id] for e in examples])
    return {"x": x, "x_lengths": x_lengths, "y_in": y_in, "y_out": y_out, "y_lengths": y_lengths}
