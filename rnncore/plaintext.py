"""Readers for a user's own plain-text corpora, so that ``train --data PATH`` retrains on real text.

- ``read_lines``: one sentence a line (language models); blank lines are skipped.
- ``read_labeled_lines``: ``stars<TAB>text`` a line (sentiment); also accepts the challenge-set
  form ``stars<TAB>phenomenon<TAB>text``.  Lines starting with ``#`` are comments.

- ``read_sections``: the generators' word lists and sentence frames, ``[section key ...]`` headers
  each followed by one entry a line.

Files must be UTF-8 (a byte-order mark is allowed); anything else raises a ValueError that
names the file and the line, never a UnicodeDecodeError from deep inside.
"""

from __future__ import annotations

from pathlib import Path

from rnncore.text import normalize


def _read_text_lines(path: str | Path) -> list[str]:
    """The file's lines (without line endings), decoded as UTF-8 with a clear error otherwise."""
    path = Path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise ValueError(f"{path}: line {line} is not UTF-8 text (byte 0x{data[err.start]:02x}); "
                         f"save the file as UTF-8") from None
    return text.splitlines()


def read_lines(path: str | Path) -> list[str]:
    """One sentence a line, stripped and NFC-normalised; blank lines are skipped."""
    return [normalize(line).strip() for line in _read_text_lines(path) if line.strip()]


def read_labeled_lines(path: str | Path) -> list[tuple[str, int]]:
    """(text, stars) pairs from ``stars<TAB>text`` lines (or ``stars<TAB>phenomenon<TAB>text``).

    Blank lines and ``#`` comments are skipped; a line without a tab, with stars outside 1..5
    or with empty text raises ValueError naming the file and the line number.
    """
    return [(text, stars) for text, stars, _ in read_labeled_lines_tagged(path)]


def read_labeled_lines_tagged(path: str | Path) -> list[tuple[str, int, str | None]]:
    """(text, stars, phenomenon or None) triples; see ``read_labeled_lines``."""
    rows: list[tuple[str, int, str | None]] = []
    for number, raw in enumerate(_read_text_lines(path), start=1):
        line = raw.strip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        where = f"{path}: line {number}"
        if len(fields) not in (2, 3):
            raise ValueError(f"{where}: expected 'stars<TAB>text' (or stars<TAB>phenomenon<TAB>text), "
                             f"got {len(fields) - 1} tabs")
        stars_field, text = fields[0].strip(), normalize(fields[-1]).strip()
        phenomenon = fields[1].strip() if len(fields) == 3 else None
        if stars_field not in {"1", "2", "3", "4", "5"}:
            raise ValueError(f"{where}: stars must be a whole number from 1 to 5, got {stars_field!r}")
        if not text:
            raise ValueError(f"{where}: the review text is empty")
        rows.append((text, int(stars_field), phenomenon))
    return rows


def read_sections(path: str | Path) -> dict[tuple[str, ...], list[str]]:
    """A word-list file: ``[name key ...]`` header lines, each followed by its entries, one a line.

    Blank lines and lines starting with ``#`` are skipped; an entry keeps its inner spaces. Returns
    the header's words (``("words", "noun")``) -> the entries in file order. A header seen twice, an
    entry before any header or an empty section is a ValueError naming the file and line.
    """
    sections: dict[tuple[str, ...], list[str]] = {}
    current: tuple[str, ...] | None = None
    where = Path(path)
    for number, raw in enumerate(_read_text_lines(path), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = tuple(line[1:-1].split())
            if not current or current in sections:
                raise ValueError(f"{where}: line {number}: empty or repeated section {line!r}")
            sections[current] = []
        elif current is None:
            raise ValueError(f"{where}: line {number}: an entry before the first [section]")
        else:
            sections[current].append(line)
    empty = [" ".join(key) for key, entries in sections.items() if not entries]
    if empty:
        raise ValueError(f"{where}: empty sections: {empty}")
    return sections
