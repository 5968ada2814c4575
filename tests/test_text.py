"""rnncore.text: tokenizer cases, Vocab, the course vocabulary and one-hot rows."""

from __future__ import annotations

import json
import sys

import pytest
import torch

from rnncore import ASSETS
from rnncore.text import (
    EOS,
    PAD,
    UNK,
    Vocab,
    course_vocab,
    normalize,
    one_hot,
    strip_invisible,
    tokenize,
    tokenize_chars,
)

NOTES_SENTENCE = "Sherlock Holmes and John Watson lived at 221B Baker Street in London."
COURSE_FILE = ASSETS / "vocab" / "course-10000.txt"

# ---------------------------------------------------------------------------
# tokenize
# ---------------------------------------------------------------------------


def test_notes_sentence_has_13_tokens_ending_in_london_and_period():
    tokens = tokenize(NOTES_SENTENCE)
    assert tokens == [
        "Sherlock", "Holmes", "and", "John", "Watson", "lived", "at",
        "221B", "Baker", "Street", "in", "London", ".",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yesterday, Tom met Eliza in Paris.", ["Yesterday", ",", "Tom", "met", "Eliza", "in", "Paris", "."]),
        ("I didn't enjoy the film at all.", ["I", "didn't", "enjoy", "the", "film", "at", "all", "."]),
        ("I'm sure.", ["I'm", "sure", "."]),
        # curly apostrophe and quotes from a word processor fold to ASCII
        ("I didn\u2019t say \u201chi\u201d", ["I", "didn't", "say", '"', "hi", '"']),
        ("Tom's car", ["Tom", "'s", "car"]),
        ("TOM'S car", ["TOM", "'S", "car"]),
        ("O'Neill's dog", ["O'Neill", "'s", "dog"]),
        ("it's what's here", ["it's", "what's", "here"]),  # 's contractions stay whole
        ("James' hat", ["James", "'", "hat"]),
        ("3.5 km", ["3.5", "km"]),
        ("2,000 and 1,000,000.50 people", ["2,000", "and", "1,000,000.50", "people"]),
        ("1,2,3", ["1", ",", "2", ",", "3"]),  # not thousands groups: a list
        ("costs $5, or 10.", ["costs", "$", "5", ",", "or", "10", "."]),
        ("Jean-Luc is well-known.", ["Jean-Luc", "is", "well-known", "."]),
        ("The U.S. is big.", ["The", "U.S.", "is", "big", "."]),
        ("Zoë Müller", ["Zoë", "Müller"]),
        ("Zoe\u0308", ["Zoë"]),  # decomposed input is NFC-composed first
        ("東京 and नमस्ते", ["東京", "and", "नमस्ते"]),
        ("great 😂👍🏽!", ["great", "😂", "👍🏽", "!"]),
        ("❤️ 👨\u200d👩\u200d👧 🇫🇷🇩🇪", ["❤️", "👨\u200d👩\u200d👧", "🇫🇷", "🇩🇪"]),
        ("<b>bold</b>", ["<", "b", ">", "bold", "<", "/", "b", ">"]),
        ("snake_case", ["snake", "_", "case"]),
        ("wait...", ["wait", ".", ".", "."]),
        ("", []),
        ("   \n\t ", []),
    ],
)
def test_tokenize_cases(text, expected):
    assert tokenize(text) == expected


def test_long_text_tokenizes_completely():
    # 10,000 characters (the CLI's limit); speed is reported, never asserted.
    text = ("Holmes didn't pay 2,000 pounds, Watson's 3.5 did. " * 200)[:10_000]
    tokens = tokenize(text)
    assert len(text) == 10_000
    assert tokens[:12] == ["Holmes", "didn't", "pay", "2,000", "pounds", ",", "Watson", "'s", "3.5", "did", ".",
                           "Holmes"]
    assert tokens.count("Holmes") == 200
    # No character other than spaces is lost.
    assert "".join(tokens) == text.replace(" ", "")


def test_tokenize_chars_and_normalize():
    assert tokenize_chars("a\u2019b") == ["a", "'", "b"]
    assert normalize("\u201cx\u201d \u2013 y") == '"x" - y'


# ---------------------------------------------------------------------------
# Vocab
# ---------------------------------------------------------------------------

CORPUS = [["the", "cat", "sat"], ["the", "dog", "sat"], ["the", "cat"]]  # the 3, cat 2, sat 2, dog 1


def test_build_frequency_order_pad_first_unk_last():
    vocab = Vocab.build(CORPUS)
    assert vocab.tokens == [PAD, "the", "cat", "sat", "dog", UNK]  # cat/sat tie broken alphabetically
    assert (vocab.pad_id, vocab.unk_id, vocab.eos_id) == (0, 5, None)
    assert len(vocab) == 6 and vocab.V == 5


def test_build_max_size_counts_words_only():
    assert Vocab.build(CORPUS, max_size=2).tokens == [PAD, "the", "cat", UNK]
    assert Vocab.build(CORPUS, max_size=0).tokens == [PAD, UNK]


def test_build_min_count():
    assert Vocab.build(CORPUS, min_count=2).tokens == [PAD, "the", "cat", "sat", UNK]
    assert Vocab.build(CORPUS, min_count=3).tokens == [PAD, "the", UNK]


def test_build_eos_sits_before_unk():
    vocab = Vocab.build(CORPUS, max_size=2, eos=True)
    assert vocab.tokens == [PAD, "the", "cat", EOS, UNK]
    assert (vocab.eos_id, vocab.unk_id, vocab.V) == (3, 4, 4)


def test_build_alphabetical_keeps_the_most_frequent_words():
    assert Vocab.build(CORPUS, order="alphabetical").tokens == [PAD, "cat", "dog", "sat", "the", UNK]
    assert Vocab.build(CORPUS, max_size=2, order="alphabetical").tokens == [PAD, "cat", "the", UNK]
    with pytest.raises(ValueError, match="order"):
        Vocab.build(CORPUS, order="random")


def test_build_lowercase_merges_cases_and_ignores_specials_in_corpus():
    vocab = Vocab.build([["The", "the", "THE", "Cat", UNK, PAD]], lowercase=True)
    assert vocab.tokens == [PAD, "the", "cat", UNK]
    assert vocab.id_of("ThE") == 1 and "CAT" in vocab and "dog" not in vocab
    assert vocab.id_of(UNK) == vocab.unk_id == 3
    cased = Vocab.build([["The", "the"]])
    assert cased.tokens == [PAD, "The", "the", UNK] and cased.id_of("THE") == cased.unk_id


def test_from_words_keeps_order_and_existing_specials():
    vocab = Vocab.from_words(["zebra", "apple", "Mango"], lowercase=True, eos=True)
    assert vocab.tokens == [PAD, "zebra", "apple", "mango", EOS, UNK]
    placed = Vocab.from_words([PAD, UNK, "b", "a"])
    assert placed.tokens == [PAD, UNK, "b", "a"] and placed.unk_id == 1
    with pytest.raises(ValueError, match="twice"):
        Vocab.from_words(["Cat", "cat"], lowercase=True)
    with pytest.raises(ValueError, match="<PAD>"):
        Vocab(["a", UNK])
    with pytest.raises(ValueError, match="<UNK>"):
        Vocab([PAD, "a"])


def test_encode_decode_round_trip():
    vocab = Vocab.build(CORPUS, eos=True)
    tokens = ["the", "dog", "sat", EOS]
    ids = vocab.encode(tokens)
    assert ids == [1, 4, 3, 5]
    assert vocab.decode(ids) == tokens
    assert vocab.decode(torch.tensor(ids)) == tokens
    assert vocab.encode(["the", "unicorn"]) == [1, vocab.unk_id]
    assert vocab.decode(vocab.encode(["the", "unicorn"])) == ["the", UNK]
    with pytest.raises(ValueError, match="out of range"):
        vocab.decode([len(vocab)])
    with pytest.raises(ValueError, match="out of range"):
        vocab.decode([-1])


def test_to_dict_from_dict_round_trip_through_json():
    vocab = Vocab.build([["Holmes", "holmes", "Watson"]], lowercase=True, eos=True)
    restored = Vocab.from_dict(json.loads(json.dumps(vocab.to_dict())))
    assert restored == vocab
    assert restored.tokens == [PAD, "holmes", "watson", EOS, UNK]
    assert restored.lowercase is True and restored.id_of("HOLMES") == 1 and restored.eos_id == 3
    with pytest.raises(ValueError, match="tokens"):
        Vocab.from_dict({"words": []})


# ---------------------------------------------------------------------------
# The course vocabulary (notes, "Representing Words")
# ---------------------------------------------------------------------------


def test_course_vocab_size_and_layout():
    vocab = course_vocab()
    assert len(vocab) == 10_001  # 10,000 entries + <PAD> at id 0
    assert vocab.V == 10_000
    assert vocab.lowercase is True
    assert vocab.tokens[0] == PAD and vocab.tokens[10_000] == UNK and vocab.unk_id == 10_000
    assert vocab.eos_id is None
    assert vocab.id_of("a") == 1 and vocab.tokens[1] == "a"
    assert course_vocab() is vocab  # cached


def test_course_vocab_notes_examples():
    vocab = course_vocab()
    assert vocab.id_of("Holmes") == vocab.id_of("holmes") == 4264
    assert vocab.id_of("Watson") == 9696
    assert vocab.id_of("at") == 604
    assert vocab.id_of("221B") == 10_000 and "221b" not in vocab
    assert 1 < vocab.id_of("aaron") < vocab.id_of("ab")  # right after "a", "aa", "aaa"
    # The file's line number is the id the notes display.
    lines = COURSE_FILE.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 10_000
    assert lines[4264 - 1] == "holmes" and lines[9696 - 1] == "watson" and lines[-1] == UNK


def test_course_vocab_words_are_alphabetical_lowercase_letters_then_punctuation():
    tokens = course_vocab().tokens
    punctuation = [".", ",", "!", "?", ";", ":", "'", '"', "-", "(", ")", "'s"]
    assert tokens[-13:-1] == punctuation
    words = tokens[1:-13]
    assert len(words) == 9_987
    assert words == sorted(words)
    assert all(w == w.lower() and w.replace("'", "").isalpha() for w in words)
    assert {"didn't", "i'm", "london"} <= set(words)
    assert "women's" not in words  # the tokenizer splits possessives, so they are never looked up


def test_course_vocab_encodes_notes_sentence():
    vocab = course_vocab()
    ids = vocab.encode(tokenize(NOTES_SENTENCE))
    assert len(ids) == 13
    assert ids[1] == 4264 and ids[4] == 9696 and ids[6] == 604
    assert ids[7] == vocab.unk_id == 10_000  # "221B"
    assert ids[-1] == vocab.id_of(".") != vocab.unk_id
    assert vocab.encode(tokenize("Tom's, here.")) == [vocab.id_of("tom"), vocab.id_of("'s"),
                                                      vocab.id_of(","), vocab.id_of("here"), vocab.id_of(".")]
    assert vocab.unk_id not in vocab.encode(tokenize("Tom's, here."))


def test_course_vocab_loads_without_wordfreq(monkeypatch):
    monkeypatch.setitem(sys.modules, "wordfreq", None)  # any import of wordfreq now fails
    course_vocab.cache_clear()
    try:
        assert course_vocab().id_of("holmes") == 4264
    finally:
        course_vocab.cache_clear()


def test_course_vocab_file_matches_a_fresh_build(capsys):
    pytest.importorskip("wordfreq")  # dev dependency only
    from scripts.build_course_vocab import main

    assert main(["--check"]) == 0, capsys.readouterr().out


# ---------------------------------------------------------------------------
# one_hot
# ---------------------------------------------------------------------------


def test_one_hot_columns_follow_1_based_ids():
    x = one_hot([1, 4264, 10_000], 10_000)
    assert x.shape == (3, 10_000) and x.dtype == torch.float32
    assert x.sum(dim=1).tolist() == [1.0, 1.0, 1.0]
    assert x.argmax(dim=1).tolist() == [0, 4263, 9999]  # the notes' "position 4076" is column 4075
    assert x.sum().item() == 3.0


def test_one_hot_pad_rows_are_zero_and_tensor_input_works():
    x = one_hot(torch.tensor([2, 0, 3]), 3)
    assert x.tolist() == [[0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    assert one_hot([], 5).shape == (0, 5)


def test_one_hot_batched():
    ids = torch.tensor([[1, 2, 0], [3, 0, 0]])  # (m=2, T_x=3), right-padded
    x = one_hot(ids, 4)
    assert x.shape == (2, 3, 4)
    assert x.sum(dim=-1).tolist() == [[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    assert x[1, 0].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert torch.equal(x[0], one_hot([1, 2, 0], 4))


def test_one_hot_of_notes_sentence():
    vocab = course_vocab()
    x = one_hot(vocab.encode(tokenize(NOTES_SENTENCE)), vocab.V)  # (T_x, n_x)
    assert x.shape == (13, 10_000)
    assert x[1, 4263] == 1.0 and x[4, 9695] == 1.0 and x[7, 9999] == 1.0
    assert x.sum().item() == 13.0


@pytest.mark.parametrize("bad_ids", [[1, 6], [-1], [[0, 6]]])
def test_one_hot_rejects_out_of_range_ids(bad_ids):
    with pytest.raises(ValueError, match="out of range 0..5"):
        one_hot(bad_ids, 5)


def test_one_hot_rejects_bad_shapes_and_non_integer_ids():
    with pytest.raises(ValueError, match="shape"):
        one_hot(torch.zeros(2, 2, 2, dtype=torch.long), 5)
    with pytest.raises(ValueError, match="integers"):
        one_hot(torch.tensor([1.0, 2.0]), 5)
    with pytest.raises(ValueError, match="integers"):
        one_hot([1.5], 5)


def test_one_hot_is_contiguous_and_accepts_int32():
    x = one_hot(torch.tensor([[3, 1]], dtype=torch.int32), 3)
    assert x.is_contiguous()
    assert x.tolist() == [[[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]]


@pytest.mark.parametrize("text, tokens", [
    ("Tom.He met Anna.", ["Tom", ".", "He", "met", "Anna", "."]),  # a sentence typed without its space
    ("I met Mrs.Smith today", ["I", "met", "Mrs", ".", "Smith", "today"]),
    ("The U.S. and e.g. a Ph.D.", ["The", "U.S.", "and", "e.g", ".", "a", "Ph.D", "."]),  # kept whole
    ("It costs 3.5 euros.", ["It", "costs", "3.5", "euros", "."]),
    ("node.js and google.com", ["node.js", "and", "google.com"]),  # lowercase after the period: one word
])
def test_a_full_stop_between_two_words_splits_only_before_a_capitalised_word(text, tokens):
    assert tokenize(text) == tokens


@pytest.mark.parametrize("text", ["\u200b\u200b", "\u2060\ufeff", "\u200e\u200f\u00ad", "\x00\x07", "\u0301", "\ufe0f"])
def test_invisible_characters_make_no_token(text):
    assert tokenize(text) == [] and strip_invisible(text) == ""


def test_invisible_characters_inside_a_text_are_dropped_and_joiners_kept():
    # a zero-width space separates words; a soft hyphen sits inside one
    assert tokenize("Tom\u200bmet Eli\u00adza\ufeff in\u200e Paris.") == ["Tom", "met", "Eliza", "in", "Paris", "."]
    assert tokenize("👨\u200d👩\u200d👧 here") == ["👨\u200d👩\u200d👧", "here"]  # the family emoji stays one picture
    assert tokenize("a\x00b") == ["a", "b"]


@pytest.mark.parametrize("treebank, typed", [
    ("it 's a charming film that does n't work .", "it's a charming film that doesn't work."),
    ("i ca n't believe they 're here -lrb- again -rrb- !", "I can't believe they're here (again)!"),
    ("the film 's ending wo n't surprise you", "The film's ending won't surprise you"),
    ("`` great '' fun", '"Great" fun'),
    ("a first @-@ class trip of 1 @,@ 000 km", "A first-class trip of 1,000 km"),
])
def test_treebank_split_text_gives_the_tokens_of_the_same_sentence_typed(treebank, typed):
    """SST and WikiText come tokenised the Penn Treebank way; a visitor types the sentence. Lowercased,
    both must reach a model as the same ids."""
    assert [t.lower() for t in tokenize(treebank)] == [t.lower() for t in tokenize(typed)]


def test_wikitexts_unknown_marker_is_the_unknown_word():
    tokens = tokenize("the <unk> of the river")
    assert tokens == ["the", UNK, "of", "the", "river"] and course_vocab().id_of(tokens[1]) == course_vocab().unk_id
