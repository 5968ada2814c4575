"""Scores for star ratings: exact stars, within one star, polarity (1-2 negative, 3 neutral, 4-5 positive)."""

from __future__ import annotations

from collections.abc import Sequence

from rnncore.metrics import accuracy


def polarity(stars: int) -> int:
    """1-2 stars -> -1 (negative), 3 -> 0 (neutral), 4-5 -> +1 (positive)."""
    if not 1 <= int(stars) <= 5:
        raise ValueError(f"stars must be 1..5, got {stars}")
    return -1 if stars <= 2 else (0 if stars == 3 else 1)


def polarity_accuracy(gold_stars: Sequence[int], pred_stars: Sequence[int]) -> float:
    """Share of reviews whose predicted polarity class (negative 1-2, neutral 3, positive 4-5)
    equals the gold one: predicting 4 for a 5-star review counts as right, 3 for 4 as wrong."""
    return accuracy([polarity(s) for s in gold_stars], [polarity(s) for s in pred_stars])


def star_scores(gold: Sequence[int], pred: Sequence[int], phenomena: Sequence[str] | None = None) -> dict:
    """Exact-star accuracy, accuracy within one star and polarity accuracy (negative 1-2, neutral 3,
    positive 4-5), as the shipped checkpoints report them; with ``phenomena`` (one per review:
    negation, contrast, ...) also ``polarity_accuracy_<phenomenon>`` for each."""
    n = max(len(gold), 1)
    scores = {
        "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / n,
        "within_one_star": sum(abs(g - p) <= 1 for g, p in zip(gold, pred, strict=True)) / n,
        "polarity_accuracy": polarity_accuracy(gold, pred),
        "reviews": len(gold),
    }
    for phenomenon in sorted(set(phenomena or ())):
        rows = [i for i, name in enumerate(phenomena) if name == phenomenon]
        scores[f"polarity_accuracy_{phenomenon}"] = polarity_accuracy([gold[i] for i in rows], [pred[i] for i in rows])
    return scores
