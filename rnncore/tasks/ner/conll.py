"""CoNLL-2003 style column files: one token a line, sentences separated by blank lines.

The token is the first column and the NER tag the last, so both the two-column files this project
writes ("London B-LOC") and the four-column CoNLL-2003 files ("London NNP B-NP I-LOC") are read.
"-DOCSTART-" lines are skipped. CoNLL-2003 writes IOB1 (an entity starts with I-, and B- only
separates two touching entities of one type); every sentence is converted to BIO, in which each
entity starts with B-. Conversion is a no-op on tags that are BIO already.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

_TAG = re.compile(r"^(?:O|[BI]-[A-Za-z_]+)$")


def iob_to_bio(tags: Sequence[str]) -> list[str]:
    """IOB1 (or broken BIO) -> BIO: an I-X that does not continue an X entity becomes B-X.

    >>> iob_to_bio(["I-PER", "I-PER", "O", "I-LOC", "B-LOC"])
    ['B-PER', 'I-PER', 'O', 'B-LOC', 'B-LOC']
    """
    bio: list[str] = []
    previous_type = None
    for tag in tags:
        if tag == "O":
            bio.append(tag)
            previous_type = None
            continue
        prefix, entity_type = tag.split("-", 1)
        if prefix == "I" and previous_type != entity_type:
            prefix = "B"
        bio.append(f"{prefix}-{entity_type}")
        previous_type = entity_type
    return bio


def read_conll(path: str | Path, labels: Iterable[str] | None = None) -> list[tuple[list[str], list[str]]]:
    """Read sentences as (tokens, BIO tags).

    Args:
        path: a UTF-8 text file, columns separated by spaces or tabs.
        labels: if given, every tag (after conversion to BIO) must be one of them.

    Raises:
        ValueError: naming the file and line of a line with one column, a malformed tag, a tag
            outside ``labels``, or when the file holds no sentence at all.
    """
    path = Path(path)
    allowed = set(labels) if labels is not None else None
    sentences: list[tuple[list[str], list[str]]] = []
    tokens: list[str] = []
    tags: list[str] = []
    tag_lines: list[int] = []

    def close_sentence() -> None:
        if not tokens:
            return
        bio = iob_to_bio(tags)
        if allowed is not None:
            for tag, line_no in zip(bio, tag_lines, strict=True):
                if tag not in allowed:
                    raise ValueError(f"{path}:{line_no}: tag {tag!r} is not one of {sorted(allowed)}")
        sentences.append((list(tokens), bio))
        tokens.clear()
        tags.clear()
        tag_lines.clear()

    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            columns = line.split()
            if not columns:
                close_sentence()
                continue
            if columns[0] == "-DOCSTART-":
                close_sentence()
                continue
            if len(columns) < 2:
                raise ValueError(f"{path}:{line_no}: expected a token and a tag, got {line.strip()!r}")
            tag = columns[-1]
            if not _TAG.match(tag):
                raise ValueError(f"{path}:{line_no}: malformed tag {tag!r} (expected O, B-TYPE or I-TYPE)")
            tokens.append(columns[0])
            tags.append(tag)
            tag_lines.append(line_no)
    close_sentence()
    if not sentences:
        raise ValueError(f"{path}: no sentences found (expected lines of 'token tag')")
    return sentences


def write_conll(path: str | Path, sentences: Iterable[tuple[Sequence[str], Sequence[str]]]) -> None:
    """Write (tokens, tags) sentences as two columns, a blank line after each sentence."""
    lines: list[str] = []
    for index, (tokens, tags) in enumerate(sentences):
        if len(tokens) != len(tags):
            raise ValueError(f"sentence {index}: {len(tokens)} tokens but {len(tags)} tags")
        for token, tag in zip(tokens, tags, strict=True):
            if not token or any(ch.isspace() for ch in token):
                raise ValueError(f"sentence {index}: token {token!r} is empty or contains whitespace")
            if not _TAG.match(tag):
                raise ValueError(f"sentence {index}: malformed tag {tag!r}")
            lines.append(f"{token} {tag}")
        lines.append("")
    Path(path).write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
