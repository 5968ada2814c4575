"""The plain-text reader that lets `train lm-word --data` use a user's own corpus (the shipped language
models' real corpora are read by rnncore.corpora, tested in test_corpora.py)."""

from __future__ import annotations

import pytest

from rnncore.plaintext import read_lines


def test_read_lines_skips_blank_lines_and_normalises(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("\ufeffThe apple and pear salad was fresh.\n\n   \nI didn\u2019t enjoy it.\r\nZoe\u0308 ran.\n",
                    encoding="utf-8")
    assert read_lines(path) == ["The apple and pear salad was fresh.", "I didn't enjoy it.", "Zoë ran."]


def test_read_lines_names_the_file_and_line_of_non_utf8_bytes(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("first line\nsecond line\nCaf\xe9 third\n".encode("latin-1"))
    with pytest.raises(ValueError) as err:
        read_lines(path)
    assert str(path) in str(err.value) and "line 3" in str(err.value) and "UTF-8" in str(err.value)


def test_read_lines_of_an_empty_file_is_empty(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("\n\n", encoding="utf-8")
    assert read_lines(path) == []
