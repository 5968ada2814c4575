"""Text to numbers: tokens x<1>..x<T_x>, vocabulary indices with <UNK>, one-hot rows.

The word tokenizer keeps punctuation as tokens, keeps contractions whole
("didn't"), splits a possessive 's off a name ("Tom's" -> "Tom", "'s"), and
keeps numbers, hyphenated words, codes such as "221B" and letters of any
script together.  Curly quotes are folded to straight ones first, since people
paste text from word processors.
"""

from __future__ import annotations

import re
import unicodedata

PAD, UNK, EOS = "<PAD>", "<UNK>", "<EOS>"

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})

# A word: letters/digits (any script), joined by inner hyphens, apostrophes or
# periods in abbreviations like "U.S."; a possessive 's is split off below.
_WORD = r"[^\W_]+(?:[-'.][^\W_]+)*"
_TOKEN = re.compile(rf"(?:[A-Z]\.){{2,}}|{_WORD}|\S", re.UNICODE)
_POSSESSIVE = re.compile(r"^(.+?)('s)$", re.IGNORECASE)
_CONTRACTION_ENDINGS = ("n't", "'m", "'re", "'ve", "'ll", "'d")


def _split_possessive(token: str) -> list[str]:
    """"Tom's" -> ["Tom", "'s"]; "it's"/"that's" stay whole (they are contractions)."""
    match = _POSSESSIVE.match(token)
    if not match or token.lower() in {"it's", "that's", "there's", "here's", "what's", "he's", "she's",
                                        "who's", "let's", "where's", "how's"}:
        return [token]
    return [match.group(1), match.group(2)]


def normalize(text: str) -> str:
    """NFC-normalise and fold typographic quotes and dashes to ASCII ones."""
    return unicodedata.normalize("NFC", text).translate(_QUOTES)


def tokenize(text: str) -> list[str]:
    """Split text into word tokens x<1>..x<T_x>.

    >>> tokenize("Sherlock Holmes and John Watson lived at 221B Baker Street in London.")
    ['Sherlock', 'Holmes', 'and', 'John', 'Watson', 'lived', 'at', '221B', 'Baker', 'Street', 'in', 'London', '.']
    >>> tokenize("I didn’t enjoy Tom's film.")
    ['I', "didn't", 'enjoy', 'Tom', "'s", 'film', '.']
    """
    tokens: list[str] = []
    for raw in _TOKEN.findall(normalize(text)):
        if raw.endswith(".") and len(raw) > 1 and not re.fullmatch(r"(?:[A-Z]\.){2,}", raw):
            tokens.extend([raw[:-1], "."])  # a sentence-final period glued by the abbreviation rule
        elif raw.lower().endswith(_CONTRACTION_ENDINGS):
            tokens.append(raw)
        else:
            tokens.extend(_split_possessive(raw))
    return tokens


def tokenize_chars(text: str) -> list[str]:
    """Split text into characters (the character-level model's x<t>); no <UNK> is ever needed
    for letters it has seen, at the price of a much longer T_x."""
    return list(normalize(text))
