"""Readers for the public corpora the shipped models train on, each in its publisher's format.

The files are read from a folder given at training time (``train --data-dir DIR``, laid out as the
README's Data section lists them); nothing here is needed by the app or the tests, which use the
project's own small fixtures. Several tasks read the same corpus (the language model reads the
sentences of the tagger's and the classifier's corpora), so the readers are shared.

- :func:`read_conll`: CoNLL-2003 style columns (CoNLL-2003, WNUT-17, Universal NER's ``.iob2``).
- :func:`read_sst5`, :func:`read_sst2`: the Stanford Sentiment Treebank's sentences and phrases.
- :func:`read_tatoeba`: English<TAB>French pairs (Tatoeba via manythings.org).
- :func:`read_wikitext`: WikiText-2, one paragraph or heading a line.
- :func:`read_names`: one name a line (makemore's names.txt).
- :func:`read_series`: a two-column CSV time series (date, value).

CoNLL-style column files: one token a line, sentences separated by blank lines.
The token is the first column and the NER tag the last, so both the two-column files this project
writes ("London B-LOC") and the four-column CoNLL-2003 files ("London NNP B-NP I-LOC") are read.
"-DOCSTART-" lines are skipped. CoNLL-2003 writes IOB1 (an entity starts with I-, and B- only
separates two touching entities of one type); every sentence is converted to BIO, in which each
entity starts with B-. Conversion is a no-op on tags that are BIO already.

Every file is read as UTF-8 (a byte-order mark allowed); other bytes raise a ValueError naming the file
and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

_TAG = re.compile(r"^(?:O|[BI]-[A-Za-z_]+)$")
_LINE_END = re.compile(r"\r\n|\r|\n")


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


def read_conll(path: str | Path, labels: Iterable[str] | None = None, iob2_columns: bool = False,
               tag_map: dict[str, str] | None = None) -> list[tuple[list[str], list[str]]]:
    """Read sentences as (tokens, BIO tags).

    Args:
        path: a UTF-8 text file, columns separated by spaces or tabs.
        labels: if given, every tag (after conversion to BIO) must be one of them.
        iob2_columns: the file is Universal NER's ``ID TOKEN TAG - ANNOTATOR`` (TAB-separated).
        tag_map: entity type -> new type, or "O" to drop it (WNUT-17's "corporation" -> "ORG", CoNLL's
            "MISC" -> "O"); applied before the BIO repair, so a dropped type never leaves a stray I-.

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

    for line_no, line in enumerate(_lines(path), start=1):
        if iob2_columns and line.startswith("# "):  # Universal NER's comments (# sent_id, # text)
            continue
        columns = line.split("\t") if "\t" in line else line.split()
        columns = [c.strip() for c in columns if c.strip()]
        if iob2_columns and len(columns) >= 3 and columns[0].isdigit():
            columns = columns[1:3]  # ID TOKEN TAG - ANNOTATOR
        if not columns:
            close_sentence()
            continue
        if columns[0] == "-DOCSTART-":
            close_sentence()
            continue
        if len(columns) < 2:
            raise ValueError(f"{path}:{line_no}: expected a token and a tag, got {line.strip()!r}")
        tag = columns[-1]
        if tag_map and tag != "O" and "-" in tag:
            prefix, entity_type = tag.split("-", 1)
            mapped = tag_map.get(entity_type, entity_type)
            tag = "O" if mapped == "O" else f"{prefix}-{mapped}"
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


def _lines(path: str | Path) -> list[str]:
    """The file's lines, decoded as UTF-8 (a byte-order mark allowed) and cut only at line ends (\\n, \\r\\n,
    \\r: not at the form feeds or Unicode line separators that ``str.splitlines`` also cuts at, so a line
    number in an error is the file's); other bytes raise a ValueError naming the file and line."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:  # err.object is the data after any byte-order mark
        line = err.object[: err.start].count(b"\n") + 1
        raise ValueError(f"{path}: line {line} is not UTF-8 text (byte 0x{err.object[err.start]:02x}); "
                         f"save the file as UTF-8") from None
    lines = _LINE_END.split(text)
    return lines[:-1] if lines[-1] == "" else lines  # a final line end closes the last line


def read_sst5(path: str | Path) -> list[tuple[str, int]]:
    """SST-5 sentences (``stsa.fine.*``: ``LABEL SENTENCE``, label 0..4) as (text, stars 1..5)."""
    rows = []
    for number, line in enumerate(_lines(path), 1):
        if not line.strip():
            continue
        label, _, text = line.partition(" ")
        if label not in {"0", "1", "2", "3", "4"} or not text.strip():
            raise ValueError(f"{path}: line {number}: expected 'LABEL SENTENCE' with LABEL 0..4")
        rows.append((text.strip(), int(label) + 1))
    return rows


def read_sst2(path: str | Path) -> list[tuple[str, int]]:
    """GLUE SST-2 phrases (``text<TAB>label`` with a header, label 0 negative / 1 positive)."""
    rows = []
    for number, line in enumerate(_lines(path), 1):
        if number == 1 or not line.strip():
            continue
        text, _, label = line.rpartition("\t")
        if label.strip() not in {"0", "1"} or not text.strip():
            raise ValueError(f"{path}: line {number}: expected 'text<TAB>0|1'")
        rows.append((text.strip(), int(label)))
    return rows


def read_tatoeba(path: str | Path) -> list[tuple[str, str]]:
    """(English, French) pairs from ``English<TAB>French`` lines (extra columns, such as attribution, ignored)."""
    pairs = []
    for number, line in enumerate(_lines(path), 1):
        if not line.strip():
            continue
        columns = line.split("\t")
        if len(columns) < 2 or not columns[0].strip() or not columns[1].strip():
            raise ValueError(f"{path}: line {number}: expected 'English<TAB>French'")
        pairs.append((columns[0].strip(), columns[1].strip()))
    return pairs


def read_wikitext(path: str | Path) -> list[str]:
    """WikiText's non-empty lines: paragraphs and ``= Heading =`` lines, tokens as the file has them."""
    return [line.strip() for line in _lines(path) if line.strip()]


def read_names(path: str | Path) -> list[str]:
    """One name a line, lowercased; blank lines skipped."""
    return [line.strip().lower() for line in _lines(path) if line.strip()]


def read_series(path: str | Path) -> tuple[list[str], list[float]]:
    """A CSV of ``"date",value`` rows under a header: the dates (as written) and the values."""
    dates, values = [], []
    for number, line in enumerate(_lines(path), 1):
        if number == 1 or not line.strip():
            continue
        date, _, value = line.rpartition(",")
        try:
            values.append(float(value))
        except ValueError:
            raise ValueError(f"{path}: line {number}: {value.strip()!r} is not a number") from None
        dates.append(date.strip().strip('"'))
    return dates, values
