"""The agreement and lookahead sentences: exact clause lengths, labels that follow the subject, seeds."""

from __future__ import annotations

import random

import pytest
import torch

from rnncore.tasks.agreement import data as agreement
from rnncore.text import tokenize

SINGULAR = {s for s, _ in agreement.NOUNS}
PLURAL = {p for _, p in agreement.NOUNS}


@pytest.mark.parametrize("distance", [0, 1, 2, 3, 7, 30, 60])
def test_clause_has_exactly_distance_words(distance):
    rng = random.Random(distance)
    for _ in range(50):
        assert len(agreement.clause(distance, rng)) == distance


def test_agreement_example_layout_and_label():
    rng = random.Random(0)
    for label in (0, 1):
        e = agreement.agreement_example(12, rng, label=label)
        assert e.tokens[:2] == ("the", e.tokens[1])
        assert e.tokens[2:6] == (",", "which", "already", "ate")
        assert e.tokens[-1] == ","
        assert len(e.tokens) == 12 + 7
        assert e.position == len(e.tokens) - 1
        assert e.tokens[1] in (PLURAL if label else SINGULAR)
        assert len(e.tokens) - 1 - 1 == agreement.steps_after_subject(12)


def test_generate_is_seeded_balanced_and_distances_in_range():
    a = agreement.generate("agreement", 400, range(1, 31), seed=3)
    b = agreement.generate("agreement", 400, range(1, 31), seed=3)
    c = agreement.generate("agreement", 400, range(1, 31), seed=4)
    assert a == b
    assert a != c
    assert sum(e.label for e in a) == 200
    assert {e.distance for e in a} <= set(range(1, 31))
    assert len({e.distance for e in a}) == 30  # every distance is drawn
    for e in a:
        assert e.tokens[1] in (PLURAL if e.label else SINGULAR)


def test_the_last_noun_in_the_clause_is_no_clue():
    """Clause nouns come in both numbers, so "agree with the nearest noun" is near chance."""
    examples = agreement.generate("agreement", 2000, 30, seed=0)
    agree = total = 0
    for e in examples:
        nouns = [w for w in e.tokens[6:] if w in SINGULAR | PLURAL]
        if nouns:
            total += 1
            agree += (nouns[-1] in PLURAL) == bool(e.label)
    assert total > 1800
    assert 0.45 < agree / total < 0.55


def test_vocab_is_fixed_and_covers_every_generated_word():
    v = agreement.vocab()
    assert v == agreement.vocab()
    assert v.tokens[0] == "<PAD>" and v.tokens[-1] == "<UNK>"
    for task in agreement.TASKS:
        for e in agreement.generate(task, 300, range(0, 40), seed=1):
            assert v.unk_id not in v.encode(e.tokens)


def test_encode_pads_and_keeps_lengths_labels_positions():
    examples = agreement.generate("agreement", 5, [0, 3, 9], seed=2)
    batch = agreement.encode(examples)
    assert batch.ids.shape == (5, max(len(e.tokens) for e in examples))
    for i, e in enumerate(examples):
        L = len(e.tokens)
        assert batch.lengths[i] == L
        assert agreement.vocab().decode(batch.ids[i, :L]) == list(e.tokens)
        assert torch.all(batch.ids[i, L:] == 0)
    assert batch.y.tolist() == [e.label for e in examples]
    part = batch.take(torch.tensor([0]))
    assert part.ids.shape == (1, len(examples[0].tokens))


def test_sentence_text_reads_like_the_notes_and_tokenizes_back():
    e = agreement.Example(("the", "cat", ",", "which", "already", "ate", "the", "fish", ","), 0, 8, 2)
    assert agreement.sentence_text(e) == "The cat, which already ate the fish, was full."
    plural = agreement.Example(("the", "cats", ",", "which", "already", "ate", ","), 1, 6, 0)
    assert agreement.sentence_text(plural).endswith(", were full.")
    text = "The cat, which already ate the fish,"
    assert agreement.vocab().encode(tokenize(text)) == agreement.vocab().encode(list(e.tokens))
    assert [t.lower() for t in tokenize(text)] == list(e.tokens)


def test_lookahead_decider_follows_the_labelled_word():
    for e in agreement.generate("lookahead", 200, 5, seed=0):
        assert e.tokens[e.position] == "teddy"
        decider = e.tokens[e.position + 1]
        assert decider == ("roosevelt" if e.label == 1 else "bears")
        # nothing before the labelled word tells the label
        assert not {"roosevelt", "bears"} & set(e.tokens[: e.position])


def test_bad_arguments():
    with pytest.raises(ValueError, match="distance"):
        agreement.agreement_example(-1, random.Random(0))
    with pytest.raises(ValueError, match="unknown task"):
        agreement.generate("translation", 3, 2, seed=0)
