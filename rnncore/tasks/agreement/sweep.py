"""Can each cell *learn* the dependency? One comparison per clause length, each measured at its own length.

A comparison at distance D trains every cell on clauses of ``min_train_distance``..D words and measures it
on new sentences at exactly D (:mod:`rnncore.tasks.agreement.compare`). A sweep runs that comparison for
each D of a grid, all other settings equal, and keeps, per cell, the held-out accuracy at D of the
models trained up to D::

    by_distance[arch][D] = accuracy at D of the ``arch`` trained on clauses of 1..D words

This is the curve the notes' argument predicts. A vanilla RNN that has learnt to latch the subject in a
saturated unit holds it over any clause (the shipped one trained up to 5 words scores 1.00 at 50).
What the vanishing gradient takes away is the *learning*: the gradient that would teach it to keep the
subject shrinks with every step back, so the longer the clauses it must learn from, the less it learns
in the same budget. Measured with the default settings for seeds 0-3 (benchmarks/compare_lab.py
--sweep-seeds 4): the RNN learns clauses of up to 3-10 words (1.00) and is at chance from 15 at the
latest; GRU, LSTM and BRNN learn every length.

The comparison at the set distance itself is the sweep's point at D, and is bit for bit the comparison
``Comparison(settings)`` alone would train (the extra held-out distances do not touch the training data,
the initial weights or the batch order).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from rnncore.tasks.agreement.compare import CompareSettings, Comparison, Progress, clamp, distances_with

LEARNT = 0.90  # a cell "learns" a distance when its held-out accuracy there is at least this
AT_CHANCE = 0.65  # and is "near chance" (0.5 on these balanced sets) at or below this

# Clause lengths of the sweep: the short cases where every cell learns, then far past where the RNN stops.
SWEEP_DISTANCES = (1, 2, 3, 5, 10, 15, 20, 30)


def settings_at(settings: CompareSettings, distance: int, eval_distances: tuple[int, ...] | None = None
                ) -> CompareSettings:
    """``settings`` moved to another clause length: clauses of 1..distance words (0..0 at 0) whatever the
    shortest training clause was at the set distance, tested at ``eval_distances`` (default: the same
    as ``settings``, with ``distance`` added by :func:`clamp`)."""
    moved = replace(settings, distance=distance, min_train_distance=CompareSettings.min_train_distance,
                    eval_distances=settings.eval_distances if eval_distances is None else eval_distances)
    return clamp(moved)[0]


def sweep_distances(distance: int, grid: tuple[int, ...] = SWEEP_DISTANCES) -> tuple[int, ...]:
    """The grid and the set distance, within the distance limits, in order."""
    return distances_with(grid, distance)


@dataclass
class SweepProgress:
    """What ``progress`` receives after each epoch of one cell at one distance of the sweep."""

    distance: int
    done: int  # distances finished before this one
    total: int  # distances in the sweep
    event: Progress  # the comparison's own progress at this distance


class DistanceSweep:
    """One :class:`Comparison` per distance; see the module docstring.

    ``settings`` are those of the comparison at the set distance (its ``eval_distances`` measure that
    comparison's models at every distance); the other points train with the same settings at their own
    distance and are measured at it alone. ``distances``: the grid (default :data:`SWEEP_DISTANCES`; an
    empty one trains the set distance alone).
    """

    def __init__(self, settings: CompareSettings | None = None, distances: tuple[int, ...] | None = None):
        self.settings, self.notes = clamp(settings or CompareSettings())
        self.distances = sweep_distances(self.settings.distance, SWEEP_DISTANCES if distances is None else distances)
        self.comparisons: dict[int, Comparison] = {}
        self.seconds = 0.0

    def settings_at(self, distance: int) -> CompareSettings:
        if distance == self.settings.distance:
            return self.settings
        return settings_at(self.settings, distance, eval_distances=(distance,))

    def run(self, progress: Callable[[SweepProgress], None] | None = None, threads: int | None = 1) -> DistanceSweep:
        """Train the comparison at every distance, shortest first."""
        start = time.perf_counter()
        for done, distance in enumerate(self.distances):
            comparison = Comparison(self.settings_at(distance))

            def report(event: Progress, distance=distance, done=done) -> None:
                if progress is not None:
                    progress(SweepProgress(distance, done, len(self.distances), event))

            self.comparisons[distance] = comparison.run(report, threads=threads)
        self.seconds = time.perf_counter() - start
        return self

    @property
    def main(self) -> Comparison:
        """The comparison at the set distance."""
        return self.comparisons[self.settings.distance]

    def by_distance(self) -> dict[str, dict[str, float]]:
        """{arch: {"D": held-out accuracy at D of the cell trained up to D}} for every distance run."""
        return {
            arch: {str(d): self.comparisons[d].accuracy_at_distance(arch) for d in sorted(self.comparisons)}
            for arch in self.settings.archs
        }

    def summary(self) -> dict[str, dict]:
        """The CLI contract: the set distance's summary, with ``by_distance`` from the sweep and the set
        distance's models measured at every evaluation distance as ``model_by_distance``."""
        sweep = self.by_distance()
        summary = self.main.summary()
        for arch, row in summary.items():
            row["model_by_distance"] = row.pop("by_distance")
            row["by_distance"] = sweep[arch]
        return summary

    def record(self) -> dict:
        """What the lesson draws: the settings, the grid, and per cell its accuracy and seconds at each D."""
        return {
            "settings": self.settings.to_dict(),
            "distances": list(self.distances),
            "seconds": round(self.seconds, 3),
            "threads": self.main.threads,
            "archs": {
                arch: {
                    "by_distance": accuracies,
                    "seconds": {str(d): round(c.runs[arch].seconds, 3) for d, c in sorted(self.comparisons.items())},
                    "epochs_done": {str(d): c.runs[arch].epochs_done for d, c in sorted(self.comparisons.items())},
                }
                for arch, accuracies in self.by_distance().items()
            },
        }


@dataclass
class SweepReading:
    """What a sweep's RNN curve says: the longest clause up to which it learns every distance, the
    shortest from which on it is near chance at every distance, and the gated cells' lowest accuracy."""

    rnn: dict[int, float]
    learnt_up_to: int | None
    chance_from: int | None
    gated_lowest: float | None


def read_sweep(by_distance: dict[str, dict]) -> SweepReading:
    """Read :meth:`DistanceSweep.by_distance` (or a record's): {arch: {"d": held-out accuracy at d}}."""
    rnn = {int(d): a for d, a in by_distance.get("rnn", {}).items()}
    ordered = sorted(rnn)
    learnt_up_to = None
    for d in ordered:
        if rnn[d] < LEARNT:
            break
        learnt_up_to = d
    chance_from = None
    for d in reversed(ordered):
        if rnn[d] > AT_CHANCE:
            break
        chance_from = d
    gated = [a for arch in ("gru", "lstm") for a in by_distance.get(arch, {}).values()]
    return SweepReading(rnn, learnt_up_to, chance_from, min(gated) if gated else None)
