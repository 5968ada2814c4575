"""Language-model corpora: everyday sentences (word level), first names (character level),
and the plain-text reader that lets `train --data` use a user's own corpus."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from rnncore.plaintext import read_lines
from rnncore.tasks.lm import names as names_module
from rnncore.tasks.lm import sentences as sentences_module
from rnncore.tasks.lm.names import NAME_ALPHABET, NAME_LOCALES, name_lists, names_by_locale, split_of
from rnncore.tasks.lm.sentences import generate_sentence_records, generate_sentences
from rnncore.text import course_vocab, tokenize


@pytest.fixture(scope="module")
def train_sentences():
    return generate_sentence_records(8000, seed=0, split="train")


# ---------------------------------------------------------------- sentences


def test_sentences_are_seeded():
    assert generate_sentences(200, seed=2) == generate_sentences(200, seed=2)
    assert generate_sentences(200, seed=2) != generate_sentences(200, seed=3)
    assert generate_sentences(200, seed=2, split="dev") != generate_sentences(200, seed=2, split="train")


def test_test_sentences_come_from_held_out_frames_only(train_sentences):
    test = generate_sentence_records(2000, seed=0, split="test")
    train_frames = {frame for _, frame in train_sentences}
    test_frames = {frame for _, frame in test}
    assert train_frames.isdisjoint(test_frames)
    assert test_frames == {f.frame_id for f in sentences_module.FRAMES if f.held_out}
    assert len(test_frames) >= 4
    train_texts = {text for text, _ in train_sentences}
    assert sum(text in train_texts for text, _ in test) == 0


def test_sentences_look_like_sentences(train_sentences):
    for text, frame in train_sentences:
        assert text[0].isupper(), (frame, text)
        assert text[-1] in ".?", (frame, text)
        assert "  " not in text and " ." not in text and " ," not in text, (frame, text)
    lengths = [len(tokenize(text)) for text, _ in train_sentences]
    assert 4 <= min(lengths) and max(lengths) <= 25
    assert len({text for text, _ in train_sentences}) > 0.8 * len(train_sentences)


def test_pear_is_a_fruit_and_pair_always_comes_before_of(train_sentences):
    """What lets the language model prefer "The apple and pear salad" to "The apple and pair salad"."""
    tokens = [[t.lower() for t in tokenize(text)] for text, _ in train_sentences]
    after_pair = Counter(s[i + 1] for s in tokens for i, t in enumerate(s[:-1]) if t == "pair")
    assert after_pair and set(after_pair) == {"of"}
    assert sum("apple and pear" in " ".join(s) for s in tokens) >= 5
    assert any(re.fullmatch(r"The apple and pear salad (was|is) \w+( \w+)?\.", text) for text, _ in
               generate_sentence_records(30000, seed=0))


def test_sentences_use_a_broad_vocabulary_mostly_from_the_course_list(train_sentences):
    tokens = [t.lower() for text, _ in train_sentences for t in tokenize(text)]
    types = set(tokens)
    assert len(types) > 900
    vocab = course_vocab()
    in_course = sum(t in vocab for t in tokens) / len(tokens)
    assert in_course > 0.9, in_course


# ---------------------------------------------------------------- names


def test_names_come_from_many_locales():
    table = names_by_locale()
    assert len(NAME_LOCALES) >= 10
    assert all(len(table[locale]) >= 30 for locale in NAME_LOCALES), {k: len(v) for k, v in table.items()}
    for locale, expected in [("ja_JP", "akira"), ("yo_NG", "abayomi"), ("de_DE", "jürgen"), ("pl_PL", "mateusz"),
                             ("tr_TR", "akgüneş"), ("fr_FR", "adrien")]:
        assert expected in table[locale], (locale, expected)


def test_name_splits_are_disjoint_deterministic_and_cover_every_name():
    splits = {split: name_lists(split) for split in ("train", "dev", "test")}
    assert set(splits["train"]).isdisjoint(splits["test"]) and set(splits["train"]).isdisjoint(splits["dev"])
    assert set(splits["dev"]).isdisjoint(splits["test"])
    every = {name for names in names_by_locale().values() for name in names}
    assert set().union(*splits.values()) == every
    assert 0.75 < len(splits["train"]) / len(every) < 0.85
    assert 0.07 < len(splits["test"]) / len(every) < 0.13
    assert {n: split_of(n) for n in ("anna", "tom", "eliza", "akira")} == {
        "anna": "train", "tom": "dev", "eliza": "test", "akira": "dev"}
    with pytest.raises(ValueError):
        name_lists("validation")


def test_names_are_lowercase_in_exactly_the_name_alphabet():
    every = [name for split in ("train", "dev", "test") for name in name_lists(split)]
    assert len(every) == len(set(every)) > 5000
    assert all(name == name.lower() and " " not in name for name in every)
    used = set("".join(every))
    assert used == set(NAME_ALPHABET)  # no character the model would never see
    assert len(NAME_ALPHABET) == len(set(NAME_ALPHABET))


@pytest.mark.parametrize("raw, cleaned", [("José", "josé"), ("İbrahim", "ibrahim"), ("Ana María", None),
                                          ("H.-Dieter", None), ("Asma\u2019u", "asma'u"), ("  Zoë ", "zoë")])
def test_clean_name(raw, cleaned):
    assert names_module.clean_name(raw) == cleaned


# ---------------------------------------------------------------- plain text


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
