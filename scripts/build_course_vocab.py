"""Build assets/vocab/course-10000.txt, the course's 10,000-entry vocabulary.

Run once at build time (wordfreq is a dev dependency, never imported by the app):

    python -m scripts.build_course_vocab            # from the repo root; writes assets/vocab/course-10000.txt
    python -m scripts.build_course_vocab --check    # rebuilds in memory, fails if the file differs

How the list is made (the notes' "Representing Words" table: a = 1, ..., <UNK> = 10,000):

1. Walk wordfreq's English frequency list (``top_n_list("en", ...)``, most frequent first).
2. Keep alphabetic words only: letters of any script, with inner apostrophes ("didn't",
   "o'clock"); no digits, no periods ("u.s"), no hyphens.  Lowercase them.
3. Keep only words that rnncore.text.tokenize returns as one token; this drops
   possessives such as "women's", which the tokenizer always splits into "women" + "'s",
   so such an entry could never be looked up.
4. Start with every word of the notes' own example sentences (NOTES_SENTENCES: the lessons
   score and tag them, and "The apple and pear salad" means nothing if "pear" is <UNK>),
   then fill up with the most frequent words to NUM_WORDS, and sort them alphabetically (Python's code-point
   order on the lowercase strings, so "a" comes first).
5. Append the punctuation tokens (. , ! ? ; : ' " - ( )) and the possessive "'s" that
   the tokenizer emits, so a typed sentence does not turn into <UNK> at every comma.
6. Append <UNK> last, at id 10,000.

File format: UTF-8 text, one token per line, "\\n" line endings, no blank lines, no
header.  Line i (1-based) holds the token whose id is i, which is also the index the
notes display; id 0 is <PAD> and is not in the file.  Words are lowercase (lookups
are case-insensitive); the last line is "<UNK>".  rnncore.text.course_vocab() loads it.

Source and licence: see assets/vocab/ATTRIBUTION.md (wordfreq data, CC BY-SA 4.0).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rnncore.text import UNK, tokenize

VOCAB_SIZE = 10_000  # |V| in the notes, <UNK> included
PUNCTUATION = [".", ",", "!", "?", ";", ":", "'", '"', "-", "(", ")"]
EXTRA_TOKENS = [*PUNCTUATION, "'s"]
NUM_WORDS = VOCAB_SIZE - len(EXTRA_TOKENS) - 1  # 9,987 words, then the extras, then <UNK>
MUST_HAVE = ["a", "at", "holmes", "watson", "didn't", "london", "pear", "salad"]
# The example sentences of the course notes; their words are always in the vocabulary.
NOTES_SENTENCES = [
    "Sherlock Holmes and John Watson lived at 221B Baker Street in London.",
    "Yesterday, Tom met Eliza in Paris.",
    "He met with Apple representatives today.",
    "I didn't enjoy the film at all.",
    "There is nothing to like in this movie.",
    "The apple and pair salad. The apple and pear salad.",
    "Harry Potter and Hermione Granger invented a new spell.",
    "Shall we go for a walk?",
    "The cat, which already ate, was full. The cats, which already ate, were full.",
    "Teddy bears are on sale. Teddy Roosevelt was a great president.",
    "Rand is a friend of Perrin and they both live in the twin rivers.",
]
MUST_NOT_HAVE = ["221b", "u.s", "women's"]

OUT = Path(__file__).resolve().parent.parent / "assets" / "vocab" / "course-10000.txt"


def is_vocab_word(word: str) -> bool:
    """Letters with inner apostrophes only, and one token under our tokenizer."""
    parts = word.split("'")
    return all(part.isalpha() for part in parts) and tokenize(word) == [word]


def course_tokens() -> list[str]:
    """The file's lines: NUM_WORDS words (alphabetical), the extras, <UNK>."""
    from wordfreq import top_n_list  # build-time only

    words: list[str] = []
    seen: set[str] = set()
    notes_words = [t.lower() for sentence in NOTES_SENTENCES for t in tokenize(sentence)]
    for candidate in [*notes_words, *top_n_list("en", 3 * VOCAB_SIZE)]:
        word = candidate.lower()
        if word not in seen and is_vocab_word(word):
            seen.add(word)
            words.append(word)
            if len(words) == NUM_WORDS:
                break
    if len(words) < NUM_WORDS:
        raise SystemExit(f"wordfreq gave only {len(words)} usable words, need {NUM_WORDS}")
    tokens = [*sorted(words), *EXTRA_TOKENS, UNK]
    assert len(tokens) == VOCAB_SIZE and len(set(tokens)) == VOCAB_SIZE
    missing = [w for w in MUST_HAVE if w not in seen]
    unwanted = [w for w in MUST_NOT_HAVE if w in seen]
    if missing or unwanted:
        raise SystemExit(f"unexpected vocabulary: missing {missing}, unwanted {unwanted}")
    return tokens


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file, do not write")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    text = "\n".join(course_tokens()) + "\n"
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if same else 'DIFFERS from a fresh build'}")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    print(f"wrote {args.out}: {len(lines)} tokens; " + ", ".join(
        f"{w}={lines.index(w) + 1}" for w in ("a", "aaron", "at", "holmes", "watson", UNK)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
