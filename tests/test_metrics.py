"""Entity F1, name detection, accuracy and polarity on examples computed by hand."""

from __future__ import annotations

import pytest

from rnncore.metrics import accuracy
from rnncore.tasks.ner.metrics import bio_spans, entity_f1, name_detection_f1
from rnncore.tasks.sentiment.metrics import polarity, polarity_accuracy


def test_bio_spans_reads_and_repairs():
    assert bio_spans(["B-PER", "I-PER", "O", "B-LOC"]) == [("PER", 0, 2), ("LOC", 3, 4)]
    # I-X after O, at the start, or after another type opens a new entity; B-X after X splits
    assert bio_spans(["I-ORG", "O", "I-LOC", "I-LOC", "I-PER", "B-PER", "I-PER"]) == [
        ("ORG", 0, 1), ("LOC", 2, 4), ("PER", 4, 5), ("PER", 5, 7)]
    assert bio_spans(["O", "O"]) == []
    assert bio_spans([]) == []
    assert bio_spans(["B-MISC", "I-MISC"]) == [("MISC", 0, 2)]  # an entity that ends the sentence


def test_entity_f1_precision_two_thirds_recall_one_half():
    gold = [["B-PER", "I-PER", "O", "B-LOC"],         # Tom Smith | Paris
            ["B-ORG", "O", "B-PER"]]                   # Apple | May
    pred = [["B-PER", "I-PER", "O", "B-ORG"],         # right person; Paris typed ORG (wrong)
            ["B-ORG", "O", "O"]]                       # right ORG; May missed
    scores = entity_f1(gold, pred)
    assert scores["n_gold"] == 4 and scores["n_pred"] == 3 and scores["true_positives"] == 2
    assert scores["precision"] == pytest.approx(2 / 3)
    assert scores["recall"] == pytest.approx(1 / 2)
    assert scores["f1"] == pytest.approx(2 * (2 / 3) * (1 / 2) / (2 / 3 + 1 / 2))  # 4/7
    assert scores["per_type"]["PER"] == pytest.approx({"precision": 1.0, "recall": 0.5, "f1": 2 / 3})
    assert scores["per_type"]["LOC"] == pytest.approx({"precision": 0.0, "recall": 0.0, "f1": 0.0})
    assert scores["per_type"]["ORG"] == pytest.approx({"precision": 0.5, "recall": 1.0, "f1": 2 / 3})


def test_entity_f1_needs_exact_boundaries():
    gold = [["B-LOC", "I-LOC", "O"]]                  # New York
    assert entity_f1(gold, [["B-LOC", "O", "O"]])["f1"] == 0.0  # only "New"
    assert entity_f1(gold, [["B-LOC", "B-LOC", "O"]])["true_positives"] == 0
    assert entity_f1(gold, [["I-LOC", "I-LOC", "O"]])["f1"] == 1.0  # repaired to one span
    assert entity_f1([["O"]], [["O"]])["f1"] == 1.0  # nothing to find, nothing found
    assert entity_f1([["B-PER"]], [["O"]])["f1"] == 0.0


def test_name_detection_is_token_level_binary():
    gold = [["B-PER", "I-PER", "O", "B-LOC", "O"]]   # y = 1 1 0 1 0
    pred = [["B-ORG", "O", "B-LOC", "B-LOC", "O"]]   # y_hat = 1 0 1 1 0
    scores = name_detection_f1(gold, pred)
    # types are ignored: tokens 0 and 3 are hits, token 1 is missed, token 2 is a false alarm
    assert (scores["true_positives"], scores["n_gold"], scores["n_pred"]) == (2, 3, 3)
    assert scores["precision"] == pytest.approx(2 / 3)
    assert scores["recall"] == pytest.approx(2 / 3)
    assert scores["f1"] == pytest.approx(2 / 3)


def test_accuracy_flat_and_per_token():
    assert accuracy([1, 2, 3, 4], [1, 2, 0, 4]) == pytest.approx(0.75)
    assert accuracy([["O", "B-PER"], ["O"]], [["O", "O"], ["O"]]) == pytest.approx(2 / 3)
    assert accuracy([], []) == 0.0


def test_polarity_classes_and_accuracy():
    assert [polarity(s) for s in (1, 2, 3, 4, 5)] == [-1, -1, 0, 1, 1]
    # 5 vs 4 same class, 1 vs 2 same, 3 vs 4 different, 2 vs 3 different
    assert polarity_accuracy([5, 1, 3, 2], [4, 2, 4, 3]) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="1..5"):
        polarity(0)


def test_length_mismatches_raise():
    with pytest.raises(ValueError, match="2 gold sequences but 1"):
        entity_f1([["O"], ["O"]], [["O"]])
    with pytest.raises(ValueError, match="sequence 0: 2 gold tags but 1"):
        name_detection_f1([["O", "O"]], [["O"]])
    with pytest.raises(ValueError):
        accuracy([1, 2], [1])
