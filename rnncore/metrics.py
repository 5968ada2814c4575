"""Scores shared by every task, computed from label lists (no torch needed)."""

from __future__ import annotations

from collections.abc import Sequence


def _check_pairs(gold: Sequence[Sequence], pred: Sequence[Sequence]) -> None:
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sequences but {len(pred)} predicted")
    for index, (g, p) in enumerate(zip(gold, pred, strict=True)):
        if len(g) != len(p):
            raise ValueError(f"sequence {index}: {len(g)} gold tags but {len(p)} predicted")


def _prf(true_positives: int, n_gold: int, n_pred: int) -> dict[str, float]:
    """Precision, recall, F1; with nothing to find and nothing found all three are 1."""
    if n_gold == 0 and n_pred == 0:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    precision = true_positives / n_pred if n_pred else 0.0
    recall = true_positives / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def accuracy(gold: Sequence, pred: Sequence) -> float:
    """Share of equal labels. Sequences of labels (one per sentence) are compared token by token."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predicted")
    if gold and isinstance(gold[0], list | tuple):
        _check_pairs(gold, pred)
        flat_gold = [g for sequence in gold for g in sequence]
        flat_pred = [p for sequence in pred for p in sequence]
        return accuracy(flat_gold, flat_pred)
    if not gold:
        return 0.0
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
