"""Scores for the tagger, from BIO label lists.

Entities are compared as exact typed spans: a predicted entity counts only if its type, first and
last token all match a gold entity (the CoNLL-2003 convention). Name detection is the course notes'
binary task: y<t> = 1 when token t is part of any name, 0 otherwise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rnncore.metrics import _check_pairs, _prf

Span = tuple[str, int, int]  # (entity type, start token, end token exclusive)


def bio_spans(tags: Sequence[str]) -> list[Span]:
    """Entities of one BIO tag sequence as (type, start, end), end exclusive.

    Broken BIO is repaired the usual way: an I-X after O, at the start, or after a different type
    starts a new X entity.

    >>> bio_spans(["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"])
    [('PER', 0, 2), ('LOC', 3, 4), ('LOC', 4, 5), ('ORG', 5, 6)]
    """
    spans: list[Span] = []
    current_type, start = None, 0
    for index, tag in enumerate(tags):
        prefix, _, entity_type = tag.partition("-")
        if tag == "O" or not entity_type:
            if current_type is not None:
                spans.append((current_type, start, index))
            current_type = None
            continue
        if prefix == "B" or entity_type != current_type:
            if current_type is not None:
                spans.append((current_type, start, index))
            current_type, start = entity_type, index
    if current_type is not None:
        spans.append((current_type, start, len(tags)))
    return spans


def entity_f1(gold_tag_lists: Sequence[Sequence[str]], pred_tag_lists: Sequence[Sequence[str]]) -> dict:
    """Micro-averaged precision, recall and F1 over exact typed spans.

    precision = correct / predicted entities, recall = correct / gold entities,
    F1 = 2 P R / (P + R). Returns those three plus "true_positives", "n_gold", "n_pred" and
    "per_type" (the same scores for each entity type that occurs in gold or prediction).
    """
    _check_pairs(gold_tag_lists, pred_tag_lists)
    hits, gold_counts, pred_counts = Counter(), Counter(), Counter()
    for sentence, (gold, pred) in enumerate(zip(gold_tag_lists, pred_tag_lists, strict=True)):
        gold_spans = {(sentence, *span) for span in bio_spans(gold)}
        pred_spans = {(sentence, *span) for span in bio_spans(pred)}
        gold_counts.update(span[1] for span in gold_spans)
        pred_counts.update(span[1] for span in pred_spans)
        hits.update(span[1] for span in gold_spans & pred_spans)
    total = _prf(sum(hits.values()), sum(gold_counts.values()), sum(pred_counts.values()))
    per_type = {entity_type: _prf(hits[entity_type], gold_counts[entity_type], pred_counts[entity_type])
                for entity_type in sorted(set(gold_counts) | set(pred_counts))}
    return {**total, "true_positives": sum(hits.values()), "n_gold": sum(gold_counts.values()),
            "n_pred": sum(pred_counts.values()), "per_type": per_type}


def name_detection_f1(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict:
    """Token-level F1 of the notes' binary label y<t> = 1 if token t is part of any entity
    (any tag other than "O"), else 0; the entity type and the B/I prefix are ignored.

    precision = tokens with y = y_hat = 1 / tokens with y_hat = 1, recall = the same / tokens with
    y = 1. Returns precision, recall, f1 and the token counts "true_positives", "n_gold", "n_pred".
    """
    _check_pairs(gold, pred)
    true_positives = n_gold = n_pred = 0
    for gold_tags, pred_tags in zip(gold, pred, strict=True):
        for g, p in zip(gold_tags, pred_tags, strict=True):
            y, y_hat = g != "O", p != "O"
            n_gold += y
            n_pred += y_hat
            true_positives += y and y_hat
    return {**_prf(true_positives, n_gold, n_pred), "true_positives": true_positives,
            "n_gold": n_gold, "n_pred": n_pred}
