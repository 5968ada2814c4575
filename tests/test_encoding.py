"""Word ids, character ids and shape features that the shipped models read."""

import torch

from rnncore.encoding import SHAPE_FEATURES, Encoder, char_vocab, model_vocab, pad_labels, shape_features
from rnncore.text import course_vocab


def feature(tokens, t, name):
    return shape_features(tokens)[t][SHAPE_FEATURES.index(name)]


def test_model_vocab_keeps_course_words_seen_in_training_in_course_order():
    vocab = model_vocab([["Holmes", "met", "Watson", "Zyxw"], ["the", "holmes"]])
    assert vocab.tokens[1:4] == ["holmes", "met", "the"]  # alphabetical like the course list
    assert vocab.tokens[-1] == "<UNK>" and "watson" in vocab and "zyxw" not in vocab
    course = course_vocab()
    assert course.tokens.index("holmes") < course.tokens.index("met") < course.tokens.index("the")


def test_char_vocab_reserves_padding_and_unknown():
    chars = char_vocab([["aab", "cc"]], min_count=2)
    assert chars == ["", "\ufffd", "a", "c"]


def test_shape_features_tell_names_from_sentence_initial_words():
    tokens = ["Yesterday", ",", "Kenji", "met", "NASA", "staff", "in", "Zürich", "."]
    assert feature(tokens, 0, "sentence-initial") == 1 and feature(tokens, 2, "sentence-initial") == 0
    assert feature(tokens, 2, "title case") == 1 and feature(tokens, 3, "lowercase") == 1
    assert feature(tokens, 4, "all caps") == 1 and feature(tokens, 4, "title case") == 0
    assert feature(tokens, 7, "non-ASCII letter") == 1 and feature(tokens, 8, "punctuation") == 1
    assert feature(tokens, 0, "in course vocabulary") == 1 and feature(tokens, 2, "in course vocabulary") == 0


def test_batch_pads_every_input_and_labels_for_the_loss():
    encoder = Encoder(model_vocab([["the", "cat", "sat"]]), char_vocab([["the", "cat"]], min_count=1), features=True)
    batch = encoder.batch([["the", "cat"], ["The", "dog", "sat"]])
    assert batch["ids"].shape == (2, 3) and batch["lengths"].tolist() == [2, 3]
    assert batch["ids"][0, 2] == 0  # <PAD>
    assert batch["ids"][1, 1] == encoder.words.unk_id  # "dog" was never seen
    assert batch["ids"][1, 0] == batch["ids"][0, 0]  # lowercase lookups: "The" is "the"
    assert batch["chars"].shape[:2] == (2, 3) and batch["chars"][1, 0, 0] == 1  # "T" unseen -> unknown char
    assert batch["features"].shape == (2, 3, len(SHAPE_FEATURES)) and batch["features"][0, 2].sum() == 0
    y = pad_labels([[1, 2], [0, 1, 2]], 3)
    assert y.tolist() == [[1, 2, -100], [0, 1, 2]]


def test_encoder_round_trips_through_json():
    encoder = Encoder(model_vocab([["a", "cat"]]), ["", "\ufffd", "a"], features=True)
    again = Encoder.from_dict(encoder.to_dict())
    assert torch.equal(again.batch([["a", "cat"]])["chars"], encoder.batch([["a", "cat"]])["chars"])
    assert again.words.tokens == encoder.words.tokens and again.features
